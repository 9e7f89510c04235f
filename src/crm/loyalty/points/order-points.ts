import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { Actor } from '../../kernel/index.ts';
import type { Services } from '../../../services.ts';
import { appendLedger } from './ledger.ts';

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

/**
 * Takes back the points of the refunded part of an order: of the points the order earned, the
 * share refunded after this refund minus the share refunded before it (a full refund takes back
 * all). The balance never goes below zero: what is missing is returned as the shortfall.
 */
export async function reverseOrderPoints(
  conn: PoolConnection,
  services: Services,
  actor: Actor | 'system',
  r: { memberId: number; orderNo: string; refundNo: string; orderAmount: string; refundedBefore: string; refundedAfter: string },
): Promise<{ reversed: number; shortfall: number }> {
  const [[earned]] = await conn.query<RowDataPacket[]>('SELECT delta FROM points_ledger WHERE idempotency_key = ?', [earnKey(r.orderNo)]);
  const points = earned ? Number(earned.delta) : 0;
  const total = cents(r.orderAmount);
  if (points <= 0 || total <= 0) return { reversed: 0, shortfall: 0 };
  const share = (refunded: string) => Math.min(points, Math.floor((points * cents(refunded)) / total));
  const owe = share(r.refundedAfter) - share(r.refundedBefore);
  if (owe <= 0) return { reversed: 0, shortfall: 0 };
  const [[m]] = await conn.query<RowDataPacket[]>('SELECT points FROM members WHERE id = ? FOR UPDATE', [r.memberId]);
  const take = Math.min(owe, Math.max(0, Number(m?.points ?? 0)));
  const shortfall = owe - take;
  if (take > 0) {
    const reason = shortfall > 0 ? `退款 ${r.refundNo} 扣回积分（余额不足，差 ${shortfall} 分）` : `退款 ${r.refundNo} 扣回积分`;
    await appendLedger(conn, services, actor, { memberId: r.memberId, delta: -take, kind: 'refund', reason, ref: r.orderNo, idempotencyKey: `refund:${r.refundNo}`.slice(0, 64) });
  }
  return { reversed: take, shortfall };
}
