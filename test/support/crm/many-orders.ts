import type { Services } from '../../../src/services.ts';
import { NOW } from './fixture.ts';

const HOUR = 3_600_000;

/** One order written by `manyOrders`, as a reader should show it. */
export interface WrittenOrder {
  id: number;
  orderNo: string;
  paidAt: Date;
  amount: string;
}

/**
 * Writes 15 orders for a member (store `storeId`), inserted out of time order, four of them paid
 * in the same millisecond (4th–7th newest, so a page of 5 is cut inside the tie) with amounts
 * falling as ids rise — the (member_id, paid_at, amount, …) index holds the tie in another order
 * than (paid_at DESC, id DESC). Returns all the member's orders newest first by (paid_at, id).
 */
export async function manyOrders(services: Services, memberId: number, storeId: number, prefix: string): Promise<WrittenOrder[]> {
  // Hours before NOW; the 4 × 30 is the tie.
  const hours = [45, 2, 30, 40, 1, 30, 50, 3, 30, 60, 35, 30, 70, 80, 90];
  let tie = 0;
  for (const [i, h] of hours.entries()) {
    const amount = h === 30 ? `${90 - 10 * tie++}.00` : `${10 + i}.50`;
    await services.sql.query(
      `INSERT INTO orders (order_no, member_id, store_id, amount, items, payment_method, paid_at) VALUES (?, ?, ?, ?, '[]', 'wechat', ?)`,
      [`${prefix}${String(i).padStart(3, '0')}`, memberId, storeId, amount, new Date(NOW.getTime() - h * HOUR)],
    );
  }
  const [rows] = await services.sql.query<any[]>('SELECT id, order_no, paid_at, CAST(amount AS CHAR) AS amount FROM orders WHERE member_id = ?', [memberId]);
  return rows
    .map((r) => ({ id: Number(r.id), orderNo: String(r.order_no), paidAt: r.paid_at as Date, amount: String(r.amount) }))
    .sort((a, b) => b.paidAt.getTime() - a.paidAt.getTime() || b.id - a.id);
}
