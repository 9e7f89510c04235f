import type { Pool, RowDataPacket } from 'mysql2/promise';
import { refreshMemberStats, type StatsMarker, type StatsRefresh } from '../../sales/index.ts';

/** The model_runs kind of a member_stats refresh: its marker rides in `as_of` and `params`. */
const KIND = 'member_stats';

/**
 * Brings sales' member_stats to `now` before scoring (sales/window.ts) and records the run in
 * model_runs: the marker the next refresh starts from (as_of, the newest order and interaction
 * ids) with the mode and the members touched.
 */
export async function refreshStatsForScoring(sql: Pool, now: Date, mode: 'auto' | 'full'): Promise<StatsRefresh> {
  const [[row]] = await sql.query<RowDataPacket[]>('SELECT as_of, params FROM model_runs WHERE kind = ? ORDER BY id DESC LIMIT 1', [KIND]);
  const seen = (row?.params ?? {}) as { maxOrderId?: number; maxInteractionId?: number; maxMemberId?: number };
  const last: StatsMarker | null = row ? { asOf: row.as_of as Date, maxOrderId: seen.maxOrderId ?? 0, maxInteractionId: seen.maxInteractionId ?? 0, maxMemberId: seen.maxMemberId ?? 0 } : null;
  const { marker, ...refresh } = await refreshMemberStats(sql, now, last, mode);
  const params = { mode: refresh.mode, from: refresh.from, maxOrderId: marker.maxOrderId, maxInteractionId: marker.maxInteractionId, maxMemberId: marker.maxMemberId };
  await sql.query('INSERT INTO model_runs (kind, as_of, members, params, duration_ms) VALUES (?, ?, ?, ?, 0)', [KIND, marker.asOf, refresh.members, JSON.stringify(params)]);
  return refresh;
}
