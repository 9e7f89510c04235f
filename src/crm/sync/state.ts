import type { Pool, RowDataPacket } from 'mysql2/promise';

/**
 * Per connection and stream (`outbound`, `inbound`, `reconcile`; `alert` only marks an incident
 * staff were told of, tick.ts): the stage it is in since when,
 * its cursor (the checkpoint: written after every page, so a failed run resumes there) and the
 * last success. The monitor shows it; the reaper puts a stage stuck past its time back to idle.
 */
export type Stream = 'outbound' | 'inbound' | 'reconcile' | 'alert';

export interface StreamState {
  stream: Stream;
  stage: string;
  stageStartedAt: Date | null;
  cursor: string | null;
  lastSuccessAt: Date | null;
  lastError: string | null;
}

export async function readStates(sql: Pool, connection: string): Promise<Map<Stream, StreamState>> {
  const [rows] = await sql.query<RowDataPacket[]>('SELECT * FROM sync_state WHERE connection = ?', [connection]);
  return new Map(rows.map((r) => [r.stream as Stream, { stream: r.stream, stage: String(r.stage), stageStartedAt: r.stage_started_at, cursor: r.cursor, lastSuccessAt: r.last_success_at, lastError: r.last_error }]));
}

export async function readCursor(sql: Pool, connection: string, stream: Stream): Promise<string | null> {
  const [[row]] = await sql.query<RowDataPacket[]>('SELECT `cursor` FROM sync_state WHERE connection = ? AND stream = ?', [connection, stream]);
  return row?.cursor ?? null;
}

/** Changes what is given of the stream's state (creating its row). */
export async function saveState(sql: Pool, connection: string, stream: Stream, at: Date, s: { stage?: string; cursor?: string | null; success?: boolean; error?: string | null }): Promise<void> {
  const cols: [string, unknown][] = [['updated_at', at]];
  if (s.stage !== undefined) cols.push(['stage', s.stage], ['stage_started_at', s.stage === 'idle' ? null : at]);
  if (s.cursor !== undefined) cols.push(['cursor', s.cursor]);
  if (s.success) cols.push(['last_success_at', at], ['last_error', null]);
  if (s.error !== undefined) cols.push(['last_error', s.error === null ? null : s.error.slice(0, 500)]);
  await sql.query(
    `INSERT INTO sync_state (connection, stream, ${cols.map(([c]) => `\`${c}\``).join(', ')}) VALUES (?, ?, ${cols.map(() => '?').join(', ')}) ON DUPLICATE KEY UPDATE ${cols.map(([c]) => `\`${c}\` = VALUES(\`${c}\`)`).join(', ')}`,
    [connection, stream, ...cols.map(([, v]) => v)],
  );
}

/** Stages stuck for longer than `maxMs` (a process died mid-run) back to idle; how many. An incident's `alert` mark is no stage at work: left alone. */
export async function reapStaleStages(sql: Pool, connection: string, now: Date, maxMs: number): Promise<number> {
  const [res] = await sql.query<import('mysql2/promise').ResultSetHeader>(
    "UPDATE sync_state SET stage = 'idle', stage_started_at = NULL, last_error = 'stage reaped: no progress', updated_at = ? WHERE connection = ? AND stream <> 'alert' AND stage <> 'idle' AND stage_started_at < ?",
    [now, connection, new Date(now.getTime() - maxMs)],
  );
  return res.affectedRows;
}
