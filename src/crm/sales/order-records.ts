import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { resyncMembers } from './rollup.ts';

/**
 * Sales' part of recording orders and refunds through the API (the lifecycle context runs the
 * whole write in one transaction and calls these on its connection): looking an order up by its
 * number, keeping what recording it did, and applying a refund to the order and its rollups.
 */

export interface StoredOrder {
  id: number;
  orderNo: string;
  memberId: number;
  storeId: number;
  /** Decimal strings ("88.50"). */
  amount: string;
  refundedAmount: string;
  paidAt: Date;
  requestHash: string | null;
  /** What recording it did (the API's answer), null for orders recorded otherwise. */
  intake: unknown;
}

const ORDER_COLUMNS = 'id, order_no, member_id, store_id, CAST(amount AS CHAR) AS amount, CAST(refunded_amount AS CHAR) AS refunded_amount, paid_at, request_hash, intake';

const toOrder = (r: RowDataPacket): StoredOrder => ({
  id: Number(r.id),
  orderNo: String(r.order_no),
  memberId: Number(r.member_id),
  storeId: Number(r.store_id),
  amount: String(r.amount),
  refundedAmount: String(r.refunded_amount),
  paidAt: r.paid_at as Date,
  requestHash: r.request_hash === null ? null : String(r.request_hash),
  intake: typeof r.intake === 'string' ? JSON.parse(r.intake) : r.intake,
});

/** An order by its number; `lock` takes its row lock for the rest of the transaction. */
export async function findOrderByNo(conn: Pool | PoolConnection, orderNo: string, lock = false): Promise<StoredOrder | null> {
  const [rows] = await conn.query<RowDataPacket[]>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE order_no = ?${lock ? ' FOR UPDATE' : ''}`, [orderNo]);
  return rows[0] ? toOrder(rows[0]) : null;
}

/** Orders by their numbers (one unique-key look-up for a batch), keyed by number; numbers not found are absent. `lock` takes their row locks. */
export async function findOrdersByNo(conn: Pool | PoolConnection, orderNos: string[], lock = false): Promise<Map<string, StoredOrder>> {
  if (!orderNos.length) return new Map();
  const [rows] = await conn.query<RowDataPacket[]>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE order_no IN (?)${lock ? ' FOR UPDATE' : ''}`, [orderNos]);
  return new Map(rows.map((r) => [String(r.order_no), toOrder(r)]));
}

export interface StoredRefund {
  id: number;
  refundNo: string;
  orderId: number;
  amount: string;
  refundedTotal: string;
  reason: string | null;
  refundedAt: Date;
  pointsReversed: number;
  pointsShortfall: number;
  requestHash: string;
}

/** Refunds by their numbers (the chain's; one unique-key look-up for a batch), keyed by number as stored; numbers not found are absent. */
export async function findRefundsByNo(conn: Pool | PoolConnection, refundNos: string[]): Promise<Map<string, StoredRefund>> {
  if (!refundNos.length) return new Map();
  const [rows] = await conn.query<RowDataPacket[]>(
    'SELECT id, refund_no, order_id, CAST(amount AS CHAR) AS amount, CAST(refunded_total AS CHAR) AS refunded_total, reason, refunded_at, points_reversed, points_shortfall, request_hash FROM order_refunds WHERE refund_no IN (?)',
    [refundNos],
  );
  return new Map(
    rows.map((r) => [
      String(r.refund_no),
      {
        id: Number(r.id),
        refundNo: String(r.refund_no),
        orderId: Number(r.order_id),
        amount: String(r.amount),
        refundedTotal: String(r.refunded_total),
        reason: r.reason === null ? null : String(r.reason),
        refundedAt: r.refunded_at as Date,
        pointsReversed: Number(r.points_reversed),
        pointsShortfall: Number(r.points_shortfall),
        requestHash: String(r.request_hash),
      },
    ]),
  );
}

export interface NewRefund {
  /** The refunded order, its row locked by the caller. */
  order: StoredOrder;
  refundNo: string;
  /** Decimal string, > 0 and at most what is left of the order (the caller checked). */
  amount: string;
  /** The order's refunded total after this refund (the caller adds up a batch's refunds of one order in order). */
  refundedTotal: string;
  reason: string | null;
  refundedAt: Date;
  pointsReversed: number;
  pointsShortfall: number;
  requestHash: string;
  createdBy: string;
}

/**
 * Records refunds of locked orders inside the caller's transaction (a batch of refunds, or one):
 * the refund rows, the orders' refunded totals, and the members' rollups and the store visit
 * summary recomputed around the change (resyncMembers: one for all the members), so spend,
 * frequency and the dashboard's day sales drop by what was refunded at once. A constant number
 * of statements whatever the batch size. Returns each refund number's new id.
 */
export async function applyRefunds(conn: PoolConnection, now: Date, refunds: NewRefund[]): Promise<Map<string, number>> {
  if (!refunds.length) return new Map();
  // The windows end at now, or at the latest paidAt when a till's clock ran ahead (as for orders).
  const asOf = refunds.reduce((t, r) => (r.order.paidAt > t ? r.order.paidAt : t), now);
  // Each order's refunded total after the batch: the last of its refunds' running totals.
  const totals = new Map(refunds.map((r) => [r.order.id, r.refundedTotal]));
  await resyncMembers(conn, asOf, refunds.map((r) => r.order.memberId), async () => {
    // A derived table of the new totals (UNION ALL: MySQL and MariaDB alike), joined by id.
    const values = [...totals.keys()].map(() => 'SELECT ? AS id, CAST(? AS DECIMAL(12,2)) AS total').join(' UNION ALL ');
    await conn.query(`UPDATE orders o JOIN (${values}) v ON v.id = o.id SET o.refunded_amount = v.total`, [...totals].flat());
    await conn.query('INSERT INTO order_refunds (refund_no, order_id, amount, refunded_total, reason, refunded_at, points_reversed, points_shortfall, request_hash, created_by, created_at) VALUES ?', [
      refunds.map((r) => [r.refundNo, r.order.id, r.amount, r.refundedTotal, r.reason, r.refundedAt, r.pointsReversed, r.pointsShortfall, r.requestHash, r.createdBy, now]),
    ]);
  });
  const [rows] = await conn.query<RowDataPacket[]>('SELECT id, refund_no FROM order_refunds WHERE refund_no IN (?)', [refunds.map((r) => r.refundNo)]);
  return new Map(rows.map((r) => [String(r.refund_no), Number(r.id)]));
}
