import type { PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { countedOrder, netAmount } from '../kernel/index.ts';

/**
 * Sales' part of a member merge or erasure (run by the lifecycle context inside its one
 * transaction, on its connection).
 */

/** Gives member `to` every order of member `from`; call it inside resyncMembers' change step so the rollups move with the orders. Returns the orders moved. */
export async function moveOrders(conn: PoolConnection, from: number, to: number): Promise<number> {
  const [res] = await conn.query<ResultSetHeader>('UPDATE orders SET member_id = ? WHERE member_id = ?', [to, from]);
  return res.affectedRows;
}

/** A member's order count and total spend, net of refunds as member_stats counts them (kept on erasure: the sales figures do not change). */
export async function orderTotals(conn: PoolConnection, memberId: number): Promise<{ orders: number; totalSpend: string }> {
  const [[agg]] = await conn.query<RowDataPacket[]>(`SELECT COUNT(*) AS n, COALESCE(SUM(${netAmount()}), 0) AS total FROM orders WHERE member_id = ? AND ${countedOrder()}`, [memberId]);
  return { orders: Number(agg?.n ?? 0), totalSpend: String(agg?.total ?? '0.00') };
}
