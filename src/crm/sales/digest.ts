import { chinaDay } from '../kernel/index.ts';
import type { VisitOrder } from './visits.ts';

/**
 * A member's counted orders (not fully refunded, net of refunds) in compact form, one row per
 * member in `member_order_digests`: "paidMs.store.cents" per order in base 36, space-separated,
 * in paid_at order. Written with member_stats by every rollup write (rebuildMemberStats, and so
 * resyncMembers), so it always equals the member's counted orders; resyncMembers reads it
 * (locked, with the member's facts: rollup.ts memberFacts) instead of the member's orders (one
 * row per member instead of every order row, no order row locked). A member without a row is
 * not known yet: their orders are read (and the row written).
 */

/** One counted order of a member as the rollups see it: the visit summary's fields and when it was paid. */
export interface CountedOrder extends VisitOrder {
  paidAt: Date;
}

/** One order's entry (paidMs, store, net cents). */
export const digestEntry = (paidAt: Date, store: number, cents: number): string => `${paidAt.getTime().toString(36)}.${store.toString(36)}.${cents.toString(36)}`;

export function encodeDigest(orders: CountedOrder[]): string {
  return orders.map((o) => digestEntry(o.paidAt, o.store, o.cents)).join(' ');
}

export function decodeDigest(text: string): CountedOrder[] {
  if (!text) return [];
  return text.split(' ').map((e) => {
    const [t, s, c] = e.split('.');
    const paidAt = new Date(parseInt(t!, 36));
    return { paidAt, day: chinaDay(paidAt), store: parseInt(s!, 36), cents: parseInt(c!, 36) };
  });
}

export const DIGEST_UPSERT = 'INSERT INTO member_order_digests (member_id, orders) VALUES ? ON DUPLICATE KEY UPDATE orders = VALUES(orders)';
