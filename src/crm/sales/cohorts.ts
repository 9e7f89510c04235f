import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { chinaMonth, chinaMonthStart, chinaSql, shiftMonth } from '../kernel/index.ts';
import type { MemberFacts } from './rollup.ts';

type Runner = Pool | PoolConnection;
/** The `n` registration months before `endMonth` (oldest first) and their instant bounds. */
export function cohortMonths(endMonth: string, n: number): { months: string[]; from: Date; to: Date } {
  const months = Array.from({ length: n }, (_, i) => shiftMonth(endMonth, i - n));
  return { months, from: chinaMonthStart(endMonth, -n), to: chinaMonthStart(endMonth) };
}

export interface CohortCounts {
  members: number;
  m1: number;
  m2: number;
  m3: number;
}

/** Cohorts the dashboard shows: the six registration months before the end month. */
export const COHORT_MONTHS = 6;

/**
 * Registration cohorts per home store (`store_cohorts`): for the month a dashboard's periods
 * end in, each of the six months before it with its size (members not deleted) and how many
 * ordered in the 1st/2nd/3rd month after (member_stats.cohort_orders). A month's cohorts are
 * computed once — on first use or by the nightly run — from members ⨝ member_stats (~0.7 s per
 * 85,000 cohort members at 1M) and then read as six rows per store; resyncMembers adds the
 * change when a member's cohort bits move (a back-dated order), a merge or an erasure takes the
 * member out at once (cohort-leave.ts), and the nightly run recomputes the month (home-store
 * changes are picked up there).
 */
export async function storeCohorts(sql: Runner, storeIds: number[], endMonth: string): Promise<Map<string, CohortCounts>> {
  const read = async () => {
    const [rows] = await sql.query<RowDataPacket[]>('SELECT store_id, month, members, m1, m2, m3 FROM store_cohorts WHERE store_id IN (?) AND end_month = ?', [storeIds, endMonth]);
    return rows;
  };
  let rows = await read();
  const missing = storeIds.filter((id) => !rows.some((r) => Number(r.store_id) === id));
  if (missing.length) {
    await materializeCohorts(sql, missing, endMonth);
    rows = await read();
  }
  const out = new Map<string, CohortCounts>();
  for (const r of rows) {
    const c = out.get(String(r.month)) ?? { members: 0, m1: 0, m2: 0, m3: 0 };
    c.members += Number(r.members);
    c.m1 += Number(r.m1);
    c.m2 += Number(r.m2);
    c.m3 += Number(r.m3);
    out.set(String(r.month), c);
  }
  return out;
}

/** Computes and stores the cohorts of these stores for `endMonth` (every month, empty ones as zeros). */
export async function materializeCohorts(sql: Runner, storeIds: number[], endMonth: string): Promise<void> {
  if (!storeIds.length) return;
  const { months, from, to } = cohortMonths(endMonth, COHORT_MONTHS);
  const [rows] = await sql.query<RowDataPacket[]>(
    `SELECT m.home_store_id AS store_id, DATE_FORMAT(${chinaSql('m.registered_at')}, '%Y-%m') AS month, COUNT(*) AS members,
            COALESCE(SUM(s.cohort_orders & 1 <> 0), 0) AS m1, COALESCE(SUM(s.cohort_orders & 2 <> 0), 0) AS m2, COALESCE(SUM(s.cohort_orders & 4 <> 0), 0) AS m3
     FROM members m LEFT JOIN member_stats s ON s.member_id = m.id
     WHERE m.home_store_id IN (?) AND m.registered_at >= ? AND m.registered_at < ? AND m.status <> 'deleted'
     GROUP BY m.home_store_id, month`,
    [storeIds, from, to],
  );
  const got = new Map(rows.map((r) => [`${r.store_id}|${r.month}`, r]));
  const values = storeIds.flatMap((id) =>
    months.map((month) => {
      const r = got.get(`${id}|${month}`);
      return [id, endMonth, month, Number(r?.members ?? 0), Number(r?.m1 ?? 0), Number(r?.m2 ?? 0), Number(r?.m3 ?? 0)];
    }),
  );
  await sql.query(
    'INSERT INTO store_cohorts (store_id, end_month, month, members, m1, m2, m3) VALUES ? ON DUPLICATE KEY UPDATE members = VALUES(members), m1 = VALUES(m1), m2 = VALUES(m2), m3 = VALUES(m3)',
    [values],
  );
}

/** Nightly: drops other months' rows and recomputes every store's cohorts for the month of `now`. */
export async function refreshStoreCohorts(sql: Pool, now: Date): Promise<void> {
  const endMonth = chinaMonth(now);
  const [stores] = await sql.query<RowDataPacket[]>('SELECT id FROM stores');
  await sql.query('DELETE FROM store_cohorts WHERE end_month <> ?', [endMonth]);
  await materializeCohorts(sql, stores.map((r) => Number(r.id)), endMonth);
}

/**
 * Applies the change of some members' cohort bits (before: `members`' stored bits, after: as
 * just written to member_stats) to the
 * stored cohorts, inside the caller's transaction: the members' changes are summed per (home
 * store, registration month) first, so a batch of orders moving thousands of members' bits
 * costs one UPDATE for all the cohorts touched, not one per member.
 */
export async function adjustCohorts(conn: PoolConnection, members: Map<number, MemberFacts>, after: Map<number, number>): Promise<void> {
  const changed = [...after.keys()].filter((id) => (members.get(id)?.cohortBits ?? 0) !== (after.get(id) ?? 0));
  if (!changed.length) return;
  const deltas = new Map<string, { storeId: number; month: string; d: number[] }>();
  for (const id of changed) {
    const m = members.get(id);
    if (!m || m.homeStoreId === null || !m.registeredAt) continue;
    const b = m.cohortBits;
    const a = after.get(id) ?? 0;
    const month = chinaMonth(m.registeredAt);
    const key = `${m.homeStoreId}|${month}`;
    const cohort = deltas.get(key) ?? { storeId: m.homeStoreId, month, d: [0, 0, 0] };
    [1, 2, 4].forEach((bit, i) => (cohort.d[i]! += ((a & bit) !== 0 ? 1 : 0) - ((b & bit) !== 0 ? 1 : 0)));
    deltas.set(key, cohort);
  }
  const moved = [...deltas.values()].filter((c) => c.d.some((x) => x !== 0));
  if (!moved.length) return;
  // One UPDATE for every cohort touched (a batch touched ~9: one round trip each before), each
  // column adding its cohort's change by (store, month); the stores' rows are locked in key order
  // by one scan of the primary key, as writeTally's upserts are, so concurrent batches queue.
  const pairs = moved.map((c) => `${c.storeId}|${c.month}`);
  const column = (i: number) => `m${i + 1} = m${i + 1} + CASE CONCAT(store_id, '|', month) ${moved.map(() => 'WHEN ? THEN ?').join(' ')} ELSE 0 END`;
  await conn.query(`UPDATE store_cohorts SET ${[0, 1, 2].map(column).join(', ')} WHERE store_id IN (?) AND month IN (?)`, [
    ...[0, 1, 2].flatMap((i) => moved.flatMap((c, k) => [pairs[k], c.d[i]])),
    [...new Set(moved.map((c) => c.storeId))],
    [...new Set(moved.map((c) => c.month))],
  ]);
}
