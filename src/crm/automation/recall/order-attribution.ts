import type { PoolConnection, ResultSetHeader } from 'mysql2/promise';
import { countedOrder } from '../../sales/index.ts';
import { RECALL_ATTRIBUTION_DAYS } from './recall.ts';

/**
 * Recall attribution as orders and refunds arrive, inside their transaction: each recall
 * enrolment of the member is converted by the member's first order that still counts (not
 * fully refunded) within the longest attribution window after the launch — so an order
 * converts at once, and a refund of the converting order moves the conversion to the next
 * order or clears it. The 7- and 30-day reports (recallAttribution) read the same rule.
 * Takes one member or many (a batch of orders: one statement). Returns the enrolments whose
 * conversion changed.
 *
 * The UPDATE goes from the members' enrolments (FORCE INDEX on member_id, STRAIGHT_JOIN to the
 * recall by its primary key), so it locks those members' enrolment rows alone — rows only a
 * writer already holding the members' locks touches. Left to the optimizer, a small `recalls`
 * table was read first and every enrolment of each recall was locked through
 * journey_enrollments_recall_id_idx (all its members, and the index's supremum): an order of one
 * member (here before the shared store rows) and a refund of another (here after them) then
 * deadlocked on store_day_sales — seen in test/api/orders.test.ts' parallel orders and refunds,
 * up to 3 of ORDER_TX's 5 attempts at load ~17.
 */
export async function reattributeRecalls(conn: PoolConnection, memberIds: number | number[]): Promise<number> {
  const ids = Array.isArray(memberIds) ? memberIds : [memberIds];
  if (!ids.length) return 0;
  const [res] = await conn.query<ResultSetHeader>(
    `UPDATE journey_enrollments e FORCE INDEX (journey_enrollments_member_id_idx) STRAIGHT_JOIN recalls r ON r.id = e.recall_id
        SET e.converted_at = (SELECT MIN(o.paid_at) FROM orders o
                               WHERE o.member_id = e.member_id AND o.paid_at > r.launched_at AND o.paid_at <= r.launched_at + INTERVAL ? DAY AND ${countedOrder('o')})
      WHERE e.member_id IN (?)`,
    [RECALL_ATTRIBUTION_DAYS, ids],
  );
  return res.changedRows;
}
