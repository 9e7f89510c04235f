import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import { chinaMonth } from '../kernel/index.ts';

/**
 * Takes members out of the stored registration cohorts (store_cohorts) before they are marked
 * deleted (merged away, erased): a cohort counts members not deleted, so its size drops by one
 * and its m1–m3 by the member's cohort bits (member_stats.cohort_orders). Without this the
 * dashboard would count them until the nightly recompute. Inside the caller's transaction, with
 * the member rows locked; members already deleted or without a home store count nowhere.
 */
export async function leaveCohorts(conn: PoolConnection, memberIds: number[]): Promise<void> {
  if (!memberIds.length) return;
  const [rows] = await conn.query<RowDataPacket[]>(
    `SELECT m.home_store_id, m.registered_at, COALESCE(s.cohort_orders, 0) AS bits
     FROM members m LEFT JOIN member_stats s ON s.member_id = m.id
     WHERE m.id IN (?) AND m.status <> 'deleted' AND m.home_store_id IS NOT NULL`,
    [memberIds],
  );
  for (const r of rows) {
    const bits = Number(r.bits);
    const d = [1, 2, 4].map((bit) => ((bits & bit) !== 0 ? 1 : 0));
    await conn.query('UPDATE store_cohorts SET members = members - 1, m1 = m1 - ?, m2 = m2 - ?, m3 = m3 - ? WHERE store_id = ? AND month = ?', [...d, r.home_store_id, chinaMonth(r.registered_at as Date)]);
  }
}
