import type { Pool, RowDataPacket } from 'mysql2/promise';

/**
 * What another CRM mirrors of sales (docs/sync.md): each member's figures (member_stats: net
 * spend, order count, last order), and orders and refunds as timeline entries — one statement
 * per kind for a page of the sync's change feed. Amounts are decimal strings.
 */
export interface MemberSalesFigures {
  orderCount: number;
  totalSpend: string;
  lastOrderAt: Date | null;
}

export async function memberSalesFigures(sql: Pool, memberIds: number[]): Promise<Map<number, MemberSalesFigures>> {
  if (!memberIds.length) return new Map();
  const [rows] = await sql.query<RowDataPacket[]>('SELECT member_id, order_count, CAST(total_spend AS CHAR) AS total_spend, last_order_at FROM member_stats WHERE member_id IN (?)', [memberIds]);
  return new Map(rows.map((r) => [Number(r.member_id), { orderCount: Number(r.order_count ?? 0), totalSpend: String(r.total_spend ?? '0'), lastOrderAt: r.last_order_at ?? null }]));
}

export interface TimelineOrder {
  orderNo: string;
  memberId: number;
  amount: string;
  paidAt: Date;
  storeName: string | null;
}

export async function ordersForTimeline(sql: Pool, orderNos: string[]): Promise<TimelineOrder[]> {
  if (!orderNos.length) return [];
  const [rows] = await sql.query<RowDataPacket[]>('SELECT o.order_no, o.member_id, CAST(o.amount AS CHAR) AS amount, o.paid_at, s.name AS store FROM orders o LEFT JOIN stores s ON s.id = o.store_id WHERE o.order_no IN (?)', [orderNos]);
  return rows.map((r) => ({ orderNo: String(r.order_no), memberId: Number(r.member_id), amount: String(r.amount), paidAt: new Date(r.paid_at), storeName: r.store ?? null }));
}

export interface TimelineRefund {
  refundNo: string;
  orderNo: string;
  memberId: number;
  amount: string;
  refundedAt: Date;
}

export async function refundsForTimeline(sql: Pool, refundNos: string[]): Promise<TimelineRefund[]> {
  if (!refundNos.length) return [];
  const [rows] = await sql.query<RowDataPacket[]>('SELECT f.refund_no, CAST(f.amount AS CHAR) AS amount, f.refunded_at, o.order_no, o.member_id FROM order_refunds f JOIN orders o ON o.id = f.order_id WHERE f.refund_no IN (?)', [refundNos]);
  return rows.map((r) => ({ refundNo: String(r.refund_no), orderNo: String(r.order_no), memberId: Number(r.member_id), amount: String(r.amount), refundedAt: new Date(r.refunded_at) }));
}
