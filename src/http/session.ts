import { createHash, randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { isProduction } from '../config.ts';
import { hashToken } from '../api/tokens.ts';
import type { Services } from '../services.ts';

/** The cookie of a console sign-in: an opaque random id; what it stands for lives in Redis. */
export const SESSION_COOKIE = 'crm_session';

/** How a session was opened: an API token, WeCom web login, or (outside production only) a chosen sender. */
export type SessionVia = 'token' | 'wecom' | 'dev';

export interface Session {
  /** The sender the console acts as: a staff WeCom userid (or, in development, `member:<phone>`). */
  from: string;
  via: SessionVia;
  /**
   * What the session was opened with, checked again on every read so that revoking it ends the
   * session at once: the api_tokens id, or for the bootstrap ADMIN_TOKEN the first 16 hex of its
   * SHA-256 (changing ADMIN_TOKEN ends its sessions). Absent for WeCom and development sessions.
   */
  tokenId?: number;
  adminToken?: string;
  createdAt: string;
  expiresAt: string;
}

type SessionServices = Pick<Services, 'redis' | 'key' | 'now' | 'config' | 'db'>;

/** The token a session was opened with (via 'token'): a row of api_tokens, or the bootstrap ADMIN_TOKEN. */
export type SessionToken = number | 'admin';

// Only a hash of the id is a Redis key, so reading Redis (a backup, MONITOR) yields no usable cookie.
const sessionKey = (services: SessionServices, id: string) => services.key('session', createHash('sha256').update(id).digest('hex'));

/**
 * Opens a server-side session (Redis, expiring after SESSION_TTL_S) and sets its cookie:
 * HttpOnly (no script reads it), SameSite=Lax (no cross-site POST carries it), Secure in production.
 */
export async function openSession(services: SessionServices, c: Context, from: string, via: SessionVia, token?: SessionToken): Promise<Session> {
  const ttl = services.config.SESSION_TTL_S;
  const now = services.now();
  const session: Session = { from, via, createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + ttl * 1000).toISOString() };
  if (token === 'admin') session.adminToken = adminFingerprint(services);
  else if (token !== undefined) session.tokenId = token;
  const previous = getCookie(c, SESSION_COOKIE);
  if (previous) await services.redis.del(sessionKey(services, previous));
  const id = randomBytes(32).toString('base64url');
  await services.redis.set(sessionKey(services, id), JSON.stringify(session), 'EX', ttl);
  setCookie(c, SESSION_COOKIE, id, { path: '/', httpOnly: true, sameSite: 'Lax', secure: isProduction(services.config), maxAge: ttl });
  return session;
}

/** The session of the request's cookie, or null (none, unknown, or past its expiry by the injected clock). */
export async function readSession(services: SessionServices, c: Context): Promise<Session | null> {
  const id = getCookie(c, SESSION_COOKIE);
  if (!id || !/^[A-Za-z0-9_-]{43}$/.test(id)) return null;
  const raw = await services.redis.get(sessionKey(services, id));
  if (!raw) return null;
  const session = JSON.parse(raw) as Session;
  if (new Date(session.expiresAt).getTime() <= services.now().getTime() || !(await stillValid(services, session))) {
    await services.redis.del(sessionKey(services, id));
    return null;
  }
  return session;
}

const adminFingerprint = (services: SessionServices) => (services.config.ADMIN_TOKEN ? hashToken(services.config.ADMIN_TOKEN).slice(0, 16) : '');

/**
 * Whether what opened the session still stands, read on every request (one indexed row) rather
 * than by hunting the sessions down when something changes: `npm run crm:token -- --revoke` runs
 * without Redis, and a staff member may be deactivated or deleted by any writer of `staff`.
 * A token session ends when its token is revoked or gone, or its staff member deactivated;
 * a WeCom session when its staff member is deactivated or deleted; an ADMIN_TOKEN session when
 * ADMIN_TOKEN is changed or removed. Development sessions (any sender) are not checked.
 */
async function stillValid(services: SessionServices, session: Session): Promise<boolean> {
  if (session.via === 'dev') return true;
  if (session.via === 'token') {
    if (session.adminToken !== undefined) return session.adminToken !== '' && session.adminToken === adminFingerprint(services);
    if (session.tokenId === undefined) return false; // a token session from before token ids were kept: sign in again
    const row = await services.db.apiToken.findUnique({ where: { id: session.tokenId }, select: { revokedAt: true, staff: { select: { active: true, wecomUserId: true } } } });
    return !!row && !row.revokedAt && row.staff.active && row.staff.wecomUserId === session.from;
  }
  const staff = await services.db.staff.findUnique({ where: { wecomUserId: session.from }, select: { active: true } });
  return !!staff?.active;
}

/** Ends the request's session (sign-out) and clears its cookie. */
export async function closeSession(services: SessionServices, c: Context): Promise<void> {
  const id = getCookie(c, SESSION_COOKIE);
  if (id) await services.redis.del(sessionKey(services, id));
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isProduction(services.config) });
}
