import type { Pool, RowDataPacket } from 'mysql2/promise';
import { rebuildMemberStats } from './rollup.ts';

const DAY_MS = 86_400_000;
/** Past this gap since the last refresh the boundary ranges are large: rebuild instead. */
const FULL_AFTER_DAYS = 60;
const CHUNK = 5000;
const MARKER = 'member_stats';

export interface StatsRefresh {
  mode: 'full' | 'incremental';
  /** Members whose rows were recomputed (all of them for a full rebuild). */
  members: number;
  /** The as_of the previous refresh left (null before the first). */
  from: Date | null;
}

/**
 * Brings member_stats to `now` for the scoring run. The cumulative columns are already exact
 * (recordOrder / resyncMembers keep them so); only the windowed ones (*_90d, spend_prev_90d,
 * *_365d, complaints_60d) move with time, and a member's move only when one of their orders or
 * complaints crosses a window edge between the last refresh `a` and `now` — paid in
 * (a − 90 d, now − 90 d], (a − 180 d, now − 180 d], (a − 365 d, now − 365 d], or new in (a, now] —
 * so a daily run recomputes a few days' worth of members (each row exactly, from its orders)
 * instead of streaming every order. Also picked up: members with orders or complaints inserted
 * since the last refresh (by id, whatever their dates), members without a row yet (new
 * registrations, imports) and both sides of merges since `a`.
 *
 * A full rebuild (every row, and the store visit summary) runs when asked, on the first run,
 * when the table is empty (after a seed or reset), or when `now` is more than 60 days away from
 * the last refresh (either way: re-scoring an earlier day moves back just as exactly). Bulk loads that insert orders directly
 * (seed, imports) must be followed by a full rebuild; order ingestion goes through recordOrder.
 */
export async function refreshMemberStats(sql: Pool, now: Date, mode: 'auto' | 'full' = 'auto'): Promise<StatsRefresh> {
  const [[marker]] = await sql.query<RowDataPacket[]>('SELECT as_of, params FROM model_runs WHERE kind = ? ORDER BY id DESC LIMIT 1', [MARKER]);
  const from = (marker?.as_of as Date | undefined) ?? null;
  const seen = (marker?.params ?? {}) as { maxOrderId?: number; maxInteractionId?: number };
  // The newest ids now: the next refresh also picks up rows inserted after this one whatever their dates say.
  const [[ids]] = await sql.query<RowDataPacket[]>('SELECT (SELECT COALESCE(MAX(id), 0) FROM orders) AS o, (SELECT COALESCE(MAX(id), 0) FROM interactions) AS i');
  const [[state]] = await sql.query<RowDataPacket[]>('SELECT EXISTS(SELECT 1 FROM member_stats) AS has');
  const full = mode === 'full' || from === null || !Number(state!.has) || Math.abs(now.getTime() - from.getTime()) > FULL_AFTER_DAYS * DAY_MS;
  let members: number;
  if (full) {
    members = await rebuildMemberStats(sql, now);
  } else {
    const ids = await movedMembers(sql, from!, now, seen.maxOrderId ?? 0, seen.maxInteractionId ?? 0);
    // Two chunks at a time: each is an index range read of the members' orders plus one upsert.
    const chunks: number[][] = [];
    for (let i = 0; i < ids.length; i += CHUNK) chunks.push(ids.slice(i, i + CHUNK));
    const next = async (): Promise<void> => {
      const c = chunks.shift();
      if (!c) return;
      await rebuildMemberStats(sql, now, c);
      return next();
    };
    await Promise.all([next(), next()]);
    members = ids.length;
  }
  const params = { mode: full ? 'full' : 'incremental', from, maxOrderId: Number(ids!.o), maxInteractionId: Number(ids!.i) };
  await sql.query('INSERT INTO model_runs (kind, as_of, members, params, duration_ms) VALUES (?, ?, ?, ?, 0)', [MARKER, now, members, JSON.stringify(params)]);
  return { mode: full ? 'full' : 'incremental', members, from };
}

/** Members whose windowed columns can differ between `a` and `n` (see refreshMemberStats). */
async function movedMembers(sql: Pool, a: Date, n: Date, maxOrderId: number, maxInteractionId: number): Promise<number[]> {
  const back = (d: Date, days: number) => new Date(d.getTime() - days * DAY_MS);
  // Moving back in time (re-scoring an earlier day) crosses the same edges the other way.
  const [lo, hi] = a <= n ? [a, n] : [n, a];
  const ranges: [Date, Date][] = [[lo, hi], ...[90, 180, 365].map((d) => [back(lo, d), back(hi, d)] as [Date, Date])];
  const [stores] = await sql.query<RowDataPacket[]>('SELECT id FROM stores');
  const ids = new Set<number>();
  const add = (rows: RowDataPacket[], col = 'member_id') => rows.forEach((r) => ids.add(Number(r[col])));
  const storeIds = stores.length ? stores.map((r) => Number(r.id)) : [-1];
  const [orderRows, complaintRows, mergedRows, missingRows] = await Promise.all([
    // Each range is an index range over orders(store_id, paid_at, member_id, amount), per store;
    // orders inserted since the last refresh (by id) are there whatever their paid_at.
    sql.query<RowDataPacket[]>(
      [...ranges.map(() => 'SELECT member_id FROM orders WHERE store_id IN (?) AND paid_at > ? AND paid_at <= ?'), 'SELECT member_id FROM orders WHERE id > ?'].join(' UNION '),
      [...ranges.flatMap(([x, y]) => [storeIds, x, y]), maxOrderId],
    ),
    sql.query<RowDataPacket[]>(
      "SELECT DISTINCT member_id FROM interactions WHERE type = 'complaint' AND (id > ? OR (created_at > ? AND created_at <= ?) OR (created_at > ? AND created_at <= ?))",
      [maxInteractionId, lo, hi, back(lo, 60), back(hi, 60)],
    ),
    sql.query<RowDataPacket[]>('SELECT id, merged_into_id FROM members WHERE merged_into_id IS NOT NULL AND updated_at > ?', [lo]),
    sql.query<RowDataPacket[]>('SELECT m.id FROM members m LEFT JOIN member_stats s ON s.member_id = m.id WHERE s.member_id IS NULL'),
  ]);
  add(orderRows[0]);
  add(complaintRows[0]);
  for (const r of mergedRows[0]) {
    ids.add(Number(r.id));
    ids.add(Number(r.merged_into_id));
  }
  add(missingRows[0], 'id');
  return [...ids].sort((x, y) => x - y);
}
