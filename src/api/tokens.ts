import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { StaffActor } from '../bot/types.ts';
import { AppError, STAFF_STORES, notFound, staffIdentity, toStaffActor } from '../crm/kernel/index.ts';
import type { Services } from '../services.ts';

/**
 * Admin API bearer tokens. A token is `crm_` + 32 random bytes (base64url); the table keeps only
 * its SHA-256, so a copy of the database grants nothing and the token is printed once only.
 */
export const TOKEN_PREFIX = 'crm_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** What the token functions need: the database and the clock (the CLI runs without Redis). */
export type TokenServices = Pick<Services, 'db' | 'now'>;

/** The WeCom userid the bootstrap ADMIN_TOKEN acts as when that staff row exists. */
export const ADMIN_TOKEN_STAFF = 'admin_01';

export interface CreatedToken {
  id: number;
  /** The plain token: shown to the caller once, never stored. */
  token: string;
  staff: { id: number; wecomUserId: string; role: string };
  name: string;
}

/** Issues a token for an active staff member, named for the device or integration using it. */
export async function createApiToken(services: TokenServices, opts: { staff: string; name: string }): Promise<CreatedToken> {
  const name = opts.name.trim();
  if (!name || name.length > 64) throw new AppError('invalid_token_name', 'the token name must be 1–64 characters');
  const staff = await services.db.staff.findUnique({ where: { wecomUserId: opts.staff } });
  if (!staff) throw notFound('staff_not_found', `no staff member with WeCom userid "${opts.staff}"`);
  if (!staff.active) throw new AppError('staff_inactive', `staff member "${opts.staff}" is deactivated`);
  const token = generateToken();
  const row = await services.db.apiToken.create({ data: { tokenHash: hashToken(token), staffId: staff.id, name, createdAt: services.now() } });
  return { id: row.id, token, staff: { id: staff.id, wecomUserId: staff.wecomUserId, role: staff.role }, name };
}

/** Revokes a token by id; revoking twice keeps the first revocation time. Returns whether it existed. */
export async function revokeApiToken(services: TokenServices, id: number): Promise<boolean> {
  const row = await services.db.apiToken.findUnique({ where: { id }, select: { revokedAt: true } });
  if (!row) return false;
  if (!row.revokedAt) await services.db.apiToken.update({ where: { id }, data: { revokedAt: services.now() } });
  return true;
}

export interface TokenListing {
  id: number;
  name: string;
  staff: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export async function listApiTokens(services: TokenServices, staff?: string): Promise<TokenListing[]> {
  const rows = await services.db.apiToken.findMany({
    where: staff ? { staff: { wecomUserId: staff } } : {},
    orderBy: { id: 'asc' },
    include: { staff: { select: { wecomUserId: true } } },
  });
  return rows.map((r) => ({ id: r.id, name: r.name, staff: r.staff.wecomUserId, createdAt: r.createdAt, lastUsedAt: r.lastUsedAt, revokedAt: r.revokedAt }));
}

/** Why a presented token was refused (all answer 401; the reason goes to the message and the log). */
export type TokenRejection = 'unknown' | 'revoked' | 'staff_inactive';

export type TokenCheck = { ok: true; actor: StaffActor; tokenId: number | 'admin' } | { ok: false; reason: TokenRejection };

/** last_used_at is written at most once a minute per token, so a busy integration costs no write per call. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Maps a presented bearer token to the staff actor it acts as: the bootstrap ADMIN_TOKEN
 * (constant-time compare) or a row of api_tokens by hash, refusing revoked tokens and tokens
 * of deactivated staff. A token row's staff role and stores are read on every call, so a role
 * change or a deactivation takes effect at once. ADMIN_TOKEN's admin_01 is read through the chat
 * path's staff identity copy (src/crm/kernel/staff-identity.ts: at most STAFF_IDENTITY_TTL_MS old,
 * dropped at once by a change through the staff directory in this process): it is the one actor
 * every ADMIN_TOKEN request — the console's, the bench's 360 views — would otherwise read again,
 * a round trip before anything else the request does (docs/benchmarks.md, bench:http).
 */
export async function authenticateToken(services: TokenServices & Pick<Services, 'config' | 'sql'>, token: string): Promise<TokenCheck> {
  const presented = hashToken(token);
  const admin = services.config.ADMIN_TOKEN;
  if (admin && timingSafeEqual(Buffer.from(presented, 'hex'), Buffer.from(hashToken(admin), 'hex'))) {
    return { ok: true, actor: await adminActor(services), tokenId: 'admin' };
  }
  const row = await services.db.apiToken.findUnique({
    where: { tokenHash: presented },
    include: { staff: { include: STAFF_STORES } },
  });
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.revokedAt) return { ok: false, reason: 'revoked' };
  if (!row.staff.active) return { ok: false, reason: 'staff_inactive' };
  const now = services.now();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await services.db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return { ok: true, tokenId: row.id, actor: toStaffActor(row.staff) };
}

/** ADMIN_TOKEN acts as admin_01 when that admin exists (so audit rows name a person), else as a bare admin. */
async function adminActor(services: Pick<Services, 'sql' | 'config'>): Promise<StaffActor> {
  const s = await staffIdentity(services, ADMIN_TOKEN_STAFF);
  if (s && s.role === 'admin') return s;
  return { kind: 'staff', staffId: 0, wecomUserId: 'admin_token', name: 'ADMIN_TOKEN', role: 'admin', storeIds: [] };
}
