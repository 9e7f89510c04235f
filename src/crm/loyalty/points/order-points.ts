import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import { setMembersPointsAndLevels } from '../../customers/index.ts';
import { auditActor, badRequest, notFound, type Actor } from '../../kernel/index.ts';
import type { Services } from '../../../services.ts';

/**
 * Points for orders, inside the order's (or refund's) transaction with the member row locked:
 * earned by the member's level rule (membership_levels.points_per_yuan, rounded down per
 * order), taken back in proportion on refund — never below zero; what could not be taken back
 * (spent meanwhile) is the shortfall, recorded on the refund.
 */

export const cents = (yuan: string) => Math.round(Number(yuan) * 100);
export const earnKey = (orderNo: string) => `order:${orderNo}`;

/** Points an amount earns at a rate in hundredths (integers only: 88.50 × 1.20 = 106.2 → 106). */
export const pointsFor = (amountCents: number, rateHundredths: number): number => Math.floor((amountCents * rateHundredths) / 10_000);

/** One refund of an order as the points see it; the refunded totals are decimal strings. */
export interface RefundPointsInput {
  memberId: number;
  orderNo: string;
  refundNo: string;
  orderAmount: string;
  refundedBefore: string;
  refundedAfter: string;
}

/**
 * Takes back the points of the refunded part of orders (a batch of refunds, in order — exactly
 * as one after the other): of the points each order earned, the share refunded after the refund
 * minus the share refunded before it (a full refund takes back all). A balance never goes below
 * zero: what is missing is returned as the shortfall. Inside the refunds' transaction with the
 * members' rows locked; a handful of statements whatever the batch size (the earn entries, the
 * balances, one multi-row ledger INSERT, one balance UPDATE). Per refund, in order: reversed and
 * shortfall.
 */
export async function reverseOrdersPoints(conn: PoolConnection, services: Services, actor: Actor | 'system', refunds: RefundPointsInput[]): Promise<{ reversed: number; shortfall: number }[]> {
  if (!refunds.length) return [];
  const [earnedRows] = await conn.query<RowDataPacket[]>('SELECT idempotency_key, delta FROM points_ledger WHERE idempotency_key IN (?)', [refunds.map((r) => earnKey(r.orderNo))]);
  // Keys compare as the column's collation does (case-insensitive), as `= ?` would.
  const earned = new Map(earnedRows.map((r) => [String(r.idempotency_key).toLowerCase(), Number(r.delta)]));
  const owed = refunds.map((r) => {
    const points = earned.get(earnKey(r.orderNo).toLowerCase()) ?? 0;
    const total = cents(r.orderAmount);
    if (points <= 0 || total <= 0) return 0;
    const share = (refunded: string) => Math.min(points, Math.floor((points * cents(refunded)) / total));
    return Math.max(0, share(r.refundedAfter) - share(r.refundedBefore));
  });
  const out = refunds.map(() => ({ reversed: 0, shortfall: 0 }));
  const owing = [...new Set(refunds.filter((_, k) => owed[k]! > 0).map((r) => r.memberId))];
  if (!owing.length) return out;
  const [memberRows] = await conn.query<RowDataPacket[]>('SELECT id, points FROM members WHERE id IN (?) FOR UPDATE', [owing]);
  const balance = new Map(memberRows.map((m) => [Number(m.id), Number(m.points)]));
  const keys = refunds.map((r) => `refund:${r.refundNo}`.slice(0, 64));
  const [seenRows] = await conn.query<RowDataPacket[]>('SELECT idempotency_key, member_id, delta FROM points_ledger WHERE idempotency_key IN (?)', [keys]);
  const seen = new Map(seenRows.map((r) => [String(r.idempotency_key).toLowerCase(), { memberId: Number(r.member_id), delta: Number(r.delta) }]));
  const now = services.now();
  const createdBy = actor === 'system' ? 'system' : auditActor(actor).actorId;
  const ledger: unknown[][] = [];
  for (const [k, r] of refunds.entries()) {
    const owe = owed[k]!;
    if (owe <= 0) continue;
    const had = balance.get(r.memberId);
    if (had === undefined) throw notFound('member_not_found', '没有找到这位会员。');
    const take = Math.min(owe, Math.max(0, had));
    const shortfall = owe - take;
    out[k] = { reversed: take, shortfall };
    if (take <= 0) continue;
    // The ledger's idempotency key (as appendLedger keeps it): an entry already there is answered, not written twice.
    const prior = seen.get(keys[k]!.toLowerCase());
    if (prior) {
      if (prior.memberId !== r.memberId || prior.delta !== -take) throw badRequest('idempotency_key_reused', '这个幂等键已用于另一笔积分变动。');
      continue;
    }
    balance.set(r.memberId, had - take);
    seen.set(keys[k]!.toLowerCase(), { memberId: r.memberId, delta: -take });
    const reason = shortfall > 0 ? `退款 ${r.refundNo} 扣回积分（余额不足，差 ${shortfall} 分）` : `退款 ${r.refundNo} 扣回积分`;
    ledger.push([r.memberId, -take, had - take, 'refund', reason.slice(0, 128), r.orderNo, null, keys[k], createdBy, now]);
  }
  if (ledger.length) {
    await conn.query('INSERT INTO points_ledger (member_id, delta, balance_after, kind, reason, ref, expires_at, idempotency_key, created_by, created_at) VALUES ?', [ledger]);
    const moved = [...new Set(ledger.map((e) => e[0] as number))];
    await setMembersPointsAndLevels(conn, moved.map((memberId) => ({ memberId, points: balance.get(memberId)! })), [], now);
  }
  return out;
}
