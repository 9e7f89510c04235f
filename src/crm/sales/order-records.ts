import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
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

/** Orders by their numbers (one unique-key look-up for a batch), keyed by number; numbers not found are absent. */
export async function findOrdersByNo(conn: Pool | PoolConnection, orderNos: string[]): Promise<Map<string, StoredOrder>> {
  if (!orderNos.length) return new Map();
  const [rows] = await conn.query<RowDataPacket[]>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE order_no IN (?)`, [orderNos]);
  return new Map(rows.map((r) => [String(r.order_no), toOrder(r)]));
}

/** Keeps what recording the order did, so a replay of the same request answers the same. */
export async function setOrderIntake(conn: PoolConnection, orderId: number, intake: unknown): Promise<void> {
  await conn.query('UPDATE orders SET intake = ? WHERE id = ?', [JSON.stringify(intake), orderId]);
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

/** A refund by its number (the chain's), or null. */
export async function findRefundByNo(conn: Pool | PoolConnection, refundNo: string): Promise<StoredRefund | null> {
  const [rows] = await conn.query<RowDataPacket[]>(
    'SELECT id, refund_no, order_id, CAST(amount AS CHAR) AS amount, CAST(refunded_total AS CHAR) AS refunded_total, reason, refunded_at, points_reversed, points_shortfall, request_hash FROM order_refunds WHERE refund_no = ?',
    [refundNo],
  );
  const r = rows[0];
  if (!r) return null;
  return {
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
  };
}

export interface NewRefund {
  refundNo: string;
  /** Decimal string, > 0 and at most what is left of the order (the caller checked). */
  amount: string;
  reason: string | null;
  refundedAt: Date;
  pointsReversed: number;
  pointsShortfall: number;
  requestHash: string;
  createdBy: string;
}

/**
 * Records a refund of a locked order inside the caller's transaction: the refund row, the
 * order's refunded total, and the member's rollups and the store visit summary recomputed
 * around the change (resyncMembers), so spend, frequency and the dashboard's day sales drop by
 * what was refunded at once. Returns the refund id and the order's refunded total after it.
 */
export async function applyRefund(conn: PoolConnection, now: Date, order: StoredOrder, refund: NewRefund): Promise<{ id: number; refundedTotal: string }> {
  let id = 0;
  await resyncMembers(conn, now > order.paidAt ? now : order.paidAt, [order.memberId], async () => {
    await conn.query('UPDATE orders SET refunded_amount = refunded_amount + CAST(? AS DECIMAL(12,2)) WHERE id = ?', [refund.amount, order.id]);
    const [res] = await conn.query<ResultSetHeader>(
      `INSERT INTO order_refunds (refund_no, order_id, amount, refunded_total, reason, refunded_at, points_reversed, points_shortfall, request_hash, created_by, created_at)
       SELECT ?, id, CAST(? AS DECIMAL(12,2)), refunded_amount, ?, ?, ?, ?, ?, ?, ? FROM orders WHERE id = ?`,
      [refund.refundNo, refund.amount, refund.reason, refund.refundedAt, refund.pointsReversed, refund.pointsShortfall, refund.requestHash, refund.createdBy, now, order.id],
    );
    id = res.insertId;
  });
  const [[row]] = await conn.query<RowDataPacket[]>('SELECT CAST(refunded_amount AS CHAR) AS t FROM orders WHERE id = ?', [order.id]);
  return { id, refundedTotal: String(row!.t) };
}
