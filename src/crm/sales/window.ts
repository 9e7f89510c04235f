import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { countedOrder, eachInFlight, netAmount } from '../kernel/index.ts';
import { rebuildMemberStats, recomputeMembers } from './rollup.ts';

const DAY_MS = 86_400_000;
/** Past this gap since the last refresh the edge ranges are large: rebuild instead. */
const FULL_AFTER_DAYS = 60;
const CHUNK = 5000;

export interface StatsRefresh {
  mode: 'full' | 'incremental';
  /** Members whose rows were recomputed (all of them for a full rebuild). */
  members: number;
  /** The as_of the previous refresh left (null before the first). */
  from: Date | null;
}

/**
 * What one refresh leaves for the next: the time it brought member_stats to and the newest order
 * and interaction ids at that moment. The caller keeps it (the scoring run records it in
 * insights' model_runs) and hands the last one back; null = there was none.
 */
export interface StatsMarker {
  asOf: Date;
  maxOrderId: number;
  maxInteractionId: number;
  /** The newest member id then (members without a row are looked for above it first); 0 = unknown. */
  maxMemberId?: number;
}

/**
 * Brings member_stats to `now` for the scoring run, from `last`, the marker the previous refresh
 * returned (the caller keeps it: insights records it in model_runs). The cumulative columns are already exact
 * (recordOrder / resyncMembers keep them so); only the windowed ones (*_90d, spend_prev_90d,
 * *_365d, complaints_60d) move with time, and a member's move only when one of their orders or
 * complaints crosses a window edge between the last refresh `a` and `now` — paid in
 * (a − 90 d, now − 90 d], (a − 180 d, now − 180 d], (a − 365 d, now − 365 d], or new in (a, now] —
 * so a daily run touches a few days' worth of orders instead of streaming every order: the
 * window sums move by SQL deltas (moveWindows), only members with new orders are recomputed
 * whole from their orders. Also picked up: members with orders or complaints inserted
 * since the last refresh (by id, whatever their dates), members without a row yet (new
 * registrations, imports) and both sides of merges since `a`.
 *
 * A full rebuild (every row, and the store visit summary) runs when asked, on the first run,
 * when the table is empty (after a seed or reset), or when `now` is more than 60 days away from
 * the last refresh (either way: re-scoring an earlier day moves back just as exactly). Bulk loads that insert orders directly
 * (seed, imports) must be followed by a full rebuild; order ingestion goes through recordOrder.
 */
export async function refreshMemberStats(sql: Pool, now: Date, last: StatsMarker | null, mode: 'auto' | 'full' = 'auto'): Promise<StatsRefresh & { marker: StatsMarker }> {
  const from = last?.asOf ?? null;
  // The newest ids now: the next refresh also picks up rows inserted after this one whatever their dates say.
  const [[ids]] = await sql.query<RowDataPacket[]>('SELECT (SELECT COALESCE(MAX(id), 0) FROM orders) AS o, (SELECT COALESCE(MAX(id), 0) FROM interactions) AS i, (SELECT COALESCE(MAX(id), 0) FROM members) AS m');
  const [[state]] = await sql.query<RowDataPacket[]>('SELECT EXISTS(SELECT 1 FROM member_stats) AS has');
  const full = mode === 'full' || from === null || !Number(state!.has) || Math.abs(now.getTime() - from.getTime()) > FULL_AFTER_DAYS * DAY_MS;
  const members = full ? await rebuildMemberStats(sql, now) : await moveWindows(sql, from!, now, last?.maxOrderId ?? 0, last?.maxInteractionId ?? 0, last?.maxMemberId ?? 0);
  return { mode: full ? 'full' : 'incremental', members, from, marker: { asOf: now, maxOrderId: Number(ids!.o), maxInteractionId: Number(ids!.i), maxMemberId: Number(ids!.m) } };
}

/**
 * Members without a member_stats row (new registrations, imports), as `{ id }` rows. Every row
 * is a member's (foreign key), so the two counts tell how many there are: none — the usual
 * night of a chain whose new members all ordered, and the bench — costs two index counts
 * instead of an anti-join of every member (4–8 s at 1M under load, docs/benchmarks.md); else
 * they are looked for among the members registered since the last refresh (ids above its
 * newest), and only when some are missing there too (a row lost otherwise) among all.
 */
async function membersWithoutRow(sql: Pool, maxMemberId: number): Promise<RowDataPacket[]> {
  const [[count]] = await sql.query<RowDataPacket[]>('SELECT (SELECT COUNT(*) FROM members) AS m, (SELECT COUNT(*) FROM member_stats) AS s');
  const short = Number(count!.m) - Number(count!.s);
  if (short <= 0) return [];
  const q = 'SELECT m.id FROM members m LEFT JOIN member_stats s ON s.member_id = m.id WHERE m.id > ? AND s.member_id IS NULL';
  const [newer] = await sql.query<RowDataPacket[]>(q, [maxMemberId]);
  if (newer.length >= short || maxMemberId === 0) return newer;
  const [all] = await sql.query<RowDataPacket[]>(q, [0]);
  return all;
}

/**
 * The incremental move from the last refresh `a` to `n`; returns the rows touched.
 * - Window edges: an order paid in (lo − d, hi − d] for d = 90, 180, 365 enters or leaves a
 *   window between a row's as_of and `n`. One UPDATE adds, per member, the difference between
 *   the order's membership of each window at `n` and at the row's own as_of (rows refreshed by
 *   recordOrder since `a` have a later as_of), reading only those few days of orders from
 *   orders(store_id, paid_at, member_id, amount).
 * - Members with orders paid in (lo, hi] or inserted since the last refresh (by id), both
 *   sides of merges and members without a row are recomputed whole from their orders.
 * - complaints_60d is recounted for members with a complaint crossing the 60-day edge, new
 *   in (lo, hi] or inserted since the last refresh.
 */
async function moveWindows(sql: Pool, a: Date, n: Date, maxOrderId: number, maxInteractionId: number, maxMemberId: number): Promise<number> {
  const back = (d: Date, days: number) => new Date(d.getTime() - days * DAY_MS);
  // Rows carry their own as_of; the ranges cover every row's move (backwards too: re-scoring an earlier day).
  const [[span]] = await sql.query<RowDataPacket[]>('SELECT MIN(as_of) AS lo, MAX(as_of) AS hi FROM member_stats');
  const times = [a, n, span!.lo as Date, span!.hi as Date].filter(Boolean).map((d) => d.getTime());
  const lo = new Date(Math.min(...times));
  const hi = new Date(Math.max(...times));
  const [stores] = await sql.query<RowDataPacket[]>('SELECT id FROM stores');
  const storeIds = stores.length ? stores.map((r) => Number(r.id)) : [-1];
  const edges = [90, 180, 365].map((d) => [back(lo, d), back(hi, d)] as const);
  const ids = (rows: RowDataPacket[], col = 'member_id') => rows.map((r) => Number(r[col]));

  const [[fresh], [merged], missing, [complained]] = await Promise.all([
    sql.query<RowDataPacket[]>('SELECT member_id FROM orders WHERE store_id IN (?) AND paid_at > ? AND paid_at <= ? UNION SELECT member_id FROM orders WHERE id > ?', [storeIds, lo, hi, maxOrderId]),
    sql.query<RowDataPacket[]>('SELECT id, merged_into_id FROM members WHERE merged_into_id IS NOT NULL AND updated_at > ?', [lo]),
    membersWithoutRow(sql, maxMemberId),
    sql.query<RowDataPacket[]>(
      "SELECT DISTINCT member_id FROM interactions WHERE type = 'complaint' AND (id > ? OR (created_at > ? AND created_at <= ?) OR (created_at > ? AND created_at <= ?))",
      [maxInteractionId, lo, hi, back(lo, 60), back(hi, 60)],
    ),
  ]);
  const whole = [...new Set([...ids(fresh), ...ids(merged, 'id'), ...ids(merged, 'merged_into_id'), ...ids(missing, 'id')])].sort((x, y) => x - y);

  // In window (t − from, t − to] at t = n, minus the same at the row's as_of.
  const moved = (from: number, to: number) =>
    `(o.paid_at > ? - INTERVAL ${from} DAY AND o.paid_at <= ? - INTERVAL ${to} DAY) - (o.paid_at > s.as_of - INTERVAL ${from} DAY AND o.paid_at <= s.as_of - INTERVAL ${to} DAY)`;
  const [res] = await sql.query<ResultSetHeader>(
    `UPDATE member_stats ms JOIN (
       SELECT member_id, SUM(w90) AS o90, SUM(w90 * amount) AS s90, SUM(p90 * amount) AS sp90, SUM(w365) AS o365, SUM(w365 * amount) AS s365 FROM (
         SELECT o.member_id, ${netAmount('o')} AS amount, ${moved(90, 0)} AS w90, ${moved(180, 90)} AS p90, ${moved(365, 0)} AS w365
         FROM orders o JOIN member_stats s ON s.member_id = o.member_id
         WHERE o.store_id IN (?) AND ${countedOrder('o')} AND (${edges.map(() => '(o.paid_at > ? AND o.paid_at <= ?)').join(' OR ')})
       ) x GROUP BY member_id HAVING SUM(w90 <> 0) + SUM(p90 <> 0) + SUM(w365 <> 0) > 0
     ) d ON d.member_id = ms.member_id
     SET ms.orders_90d = ms.orders_90d + d.o90, ms.spend_90d = ms.spend_90d + d.s90, ms.spend_prev_90d = ms.spend_prev_90d + d.sp90,
         ms.orders_365d = ms.orders_365d + d.o365, ms.spend_365d = ms.spend_365d + d.s365, ms.as_of = ?`,
    [n, n, n, n, n, n, storeIds, ...edges.flat(), n],
  );
  const recount = ids(complained).filter((id) => !whole.includes(id));
  if (recount.length) {
    await sql.query(
      `UPDATE member_stats ms SET ms.complaints_60d = (SELECT COUNT(*) FROM interactions i WHERE i.member_id = ms.member_id AND i.type = 'complaint' AND i.created_at > ? - INTERVAL 60 DAY AND i.created_at <= ?)
       WHERE ms.member_id IN (?)`,
      [n, n, recount],
    );
  }
  // Whole rows, two chunks at a time: each a transaction that locks its members as an order
  // writer does (recomputeMembers), reads their orders by index range and upserts their rows.
  const chunks: number[][] = [];
  for (let i = 0; i < whole.length; i += CHUNK) chunks.push(whole.slice(i, i + CHUNK));
  await eachInFlight(chunks, 2, (c) => recomputeMembers(sql, n, c).then(() => {}));
  return res.affectedRows + recount.length + whole.length;
}
