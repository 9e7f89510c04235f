import { AppError, auditActor, badRequest, notFound, txSql, type Actor, type AnyTx, type TxSql } from '../../kernel/index.ts';
import type { Services } from '../../../services.ts';
import { setPointsBalance } from '../../customers/index.ts';

/** The transaction a ledger entry joins: Prisma's or a mysql2 connection's (kernel AnyTx). */
export type LedgerTx = AnyTx;

/** earn | redeem | adjust | expire | merge | refund (points of a refunded order taken back): why the balance moved. */
export type PointsKind = 'earn' | 'redeem' | 'adjust' | 'expire' | 'merge' | 'refund';

export interface LedgerInput {
  memberId: number;
  /** Positive adds, negative deducts; never 0. */
  delta: number;
  kind: PointsKind;
  reason: string;
  ref?: string | null;
  expiresAt?: Date | null;
  idempotencyKey?: string | null;
}

export interface LedgerEntry {
  id: string;
  memberId: number;
  delta: number;
  balanceAfter: number;
  kind: string;
  reason: string;
  ref: string | null;
  expiresAt: Date | null;
  createdBy: string;
  createdAt: Date;
}

/** Long enough for 50+ adjustments of one member queued on its row lock. */
export const TX_OPTIONS = { maxWait: 20_000, timeout: 20_000 } as const;

const ENTRY = 'SELECT id, member_id, delta, balance_after, kind, reason, ref, expires_at, created_by, created_at FROM points_ledger';

async function readEntry(db: TxSql, where: string, params: unknown[]): Promise<LedgerEntry | null> {
  const [r] = await db.rows(`${ENTRY} WHERE ${where}`, params);
  if (!r) return null;
  return {
    id: String(r.id),
    memberId: Number(r.member_id),
    delta: Number(r.delta),
    balanceAfter: Number(r.balance_after),
    kind: String(r.kind),
    reason: String(r.reason),
    ref: r.ref === null ? null : String(r.ref),
    expiresAt: r.expires_at === null ? null : new Date(r.expires_at as Date),
    createdBy: String(r.created_by),
    createdAt: new Date(r.created_at as Date),
  };
}

/**
 * Appends one ledger entry inside the caller's transaction, with the member row locked
 * (SELECT … FOR UPDATE): concurrent adjustments of one member queue on the lock, so each reads
 * the balance the previous one wrote and none is lost; a deduction below zero is refused
 * (409 insufficient_points) and leaves nothing behind. The idempotency key is checked after
 * the lock, so a retry racing its original sees the committed entry and returns it.
 */
export async function appendLedger(tx: LedgerTx, services: Services, actor: Actor | 'system', input: LedgerInput): Promise<{ entry: LedgerEntry; replayed: boolean }> {
  if (!Number.isInteger(input.delta) || input.delta === 0) throw badRequest('invalid_points', '积分变动必须是非零整数。');
  const db = txSql(tx);
  const [row] = await db.rows('SELECT points FROM members WHERE id = ? FOR UPDATE', [input.memberId]);
  if (!row) throw notFound('member_not_found', '没有找到这位会员。');
  if (input.idempotencyKey) {
    const seen = await readEntry(db, 'idempotency_key = ?', [input.idempotencyKey]);
    if (seen) {
      if (seen.memberId !== input.memberId || seen.delta !== input.delta) throw badRequest('idempotency_key_reused', '这个幂等键已用于另一笔积分变动。');
      return { entry: seen, replayed: true };
    }
  }
  const balance = Number(row.points);
  const next = balance + input.delta;
  if (next < 0) throw new AppError('insufficient_points', `积分不足：当前 ${balance}，需扣 ${-input.delta}。`);
  const now = services.now();
  await setPointsBalance(tx, input.memberId, next, now);
  await db.run(
    'INSERT INTO points_ledger (member_id, delta, balance_after, kind, reason, ref, expires_at, idempotency_key, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [
      input.memberId,
      input.delta,
      next,
      input.kind,
      input.reason.slice(0, 128),
      input.ref ?? null,
      input.delta > 0 ? (input.expiresAt ?? null) : null,
      input.idempotencyKey ?? null,
      actor === 'system' ? 'system' : auditActor(actor).actorId,
      now,
    ],
  );
  // LAST_INSERT_ID() is per connection, and both kinds of transaction hold one.
  return { entry: (await readEntry(db, 'id = LAST_INSERT_ID()', []))!, replayed: false };
}
