import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';

/**
 * Deliveries that failed (sync_failures), one row per object and direction: retried with
 * exponential backoff (30 s doubling, at most an hour apart); after MAX_ATTEMPTS, or at once
 * for an error no retry can mend, a dead letter, kept with its error until someone retries it
 * from the monitor. A later success of the same object resolves it.
 */
export const MAX_ATTEMPTS = 8;
const BASE_MS = 30_000;
const MAX_GAP_MS = 3600_000;

export type Direction = 'outbound' | 'inbound';

export interface FailureRow {
  id: number;
  connection: string;
  direction: Direction;
  objectType: string;
  objectId: string;
  error: string;
  attempts: number;
  status: 'retrying' | 'dead' | 'resolved';
  nextAttemptAt: Date;
  changedAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

const toRow = (r: RowDataPacket): FailureRow => ({
  id: Number(r.id),
  connection: String(r.connection),
  direction: r.direction,
  objectType: String(r.object_type),
  objectId: String(r.object_id),
  error: String(r.error),
  attempts: Number(r.attempts),
  status: r.status,
  nextAttemptAt: r.next_attempt_at,
  changedAt: r.changed_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const backoffMs = (attempts: number) => Math.min(MAX_GAP_MS, BASE_MS * 2 ** Math.max(0, attempts - 1));

/** Records a failed attempt; a dead letter when it was the last one or `retryable` is false. */
export async function recordFailure(sql: Pool, f: { connection: string; direction: Direction; objectType: string; objectId: string; error: string; retryable: boolean; changedAt: Date }, now: Date): Promise<void> {
  const [[prev]] = await sql.query<RowDataPacket[]>("SELECT attempts, status, changed_at FROM sync_failures WHERE connection = ? AND direction = ? AND object_type = ? AND object_id = ?", [f.connection, f.direction, f.objectType, f.objectId]);
  const attempts = prev && prev.status !== 'resolved' ? Number(prev.attempts) + 1 : 1;
  const changedAt = prev && prev.status !== 'resolved' && prev.changed_at < f.changedAt ? prev.changed_at : f.changedAt;
  const status = !f.retryable || attempts >= MAX_ATTEMPTS ? 'dead' : 'retrying';
  await sql.query(
    `INSERT INTO sync_failures (connection, direction, object_type, object_id, error, attempts, status, next_attempt_at, changed_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON DUPLICATE KEY UPDATE error = VALUES(error), attempts = VALUES(attempts), status = VALUES(status), next_attempt_at = VALUES(next_attempt_at), changed_at = VALUES(changed_at), updated_at = VALUES(updated_at)`,
    [f.connection, f.direction, f.objectType, f.objectId, f.error.slice(0, 1000), attempts, status, new Date(now.getTime() + backoffMs(attempts)), changedAt, now, now],
  );
}

/** The object got through: its open failure (if any) is resolved. */
export async function resolveFailures(sql: Pool, connection: string, direction: Direction, objectType: string, objectIds: string[], now: Date): Promise<void> {
  if (!objectIds.length) return;
  await sql.query("UPDATE sync_failures SET status = 'resolved', updated_at = ? WHERE connection = ? AND direction = ? AND object_type = ? AND object_id IN (?) AND status <> 'resolved'", [now, connection, direction, objectType, objectIds]);
}

/** Of these objects, the ones with an open failure (an earlier attempt failed: it may have gone through). */
export async function openFailureIds(sql: Pool, connection: string, direction: Direction, objectType: string, objectIds: string[]): Promise<Set<string>> {
  if (!objectIds.length) return new Set();
  const [rows] = await sql.query<RowDataPacket[]>("SELECT object_id FROM sync_failures WHERE connection = ? AND direction = ? AND object_type = ? AND object_id IN (?) AND status <> 'resolved'", [connection, direction, objectType, objectIds]);
  return new Set(rows.map((r) => String(r.object_id)));
}

/** Failures due for another attempt. */
export async function dueFailures(sql: Pool, connection: string, now: Date, limit: number): Promise<FailureRow[]> {
  const [rows] = await sql.query<RowDataPacket[]>("SELECT * FROM sync_failures WHERE connection = ? AND status = 'retrying' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?", [connection, now, limit]);
  return rows.map(toRow);
}

export async function listFailures(sql: Pool, opts: { status?: 'retrying' | 'dead' | 'open'; limit: number; offset: number }): Promise<{ total: number; items: FailureRow[] }> {
  const where = opts.status === 'open' || !opts.status ? "status <> 'resolved'" : 'status = ?';
  const params = opts.status && opts.status !== 'open' ? [opts.status] : [];
  const [[count]] = await sql.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM sync_failures WHERE ${where}`, params);
  const [rows] = await sql.query<RowDataPacket[]>(`SELECT * FROM sync_failures WHERE ${where} ORDER BY updated_at DESC, id DESC LIMIT ? OFFSET ?`, [...params, opts.limit, opts.offset]);
  return { total: Number(count?.n ?? 0), items: rows.map(toRow) };
}

export async function failureById(sql: Pool, id: number): Promise<FailureRow | null> {
  const [[row]] = await sql.query<RowDataPacket[]>('SELECT * FROM sync_failures WHERE id = ?', [id]);
  return row ? toRow(row) : null;
}

/** Due now, with a fresh round of attempts (a retry from the monitor); how many rows. */
export async function requeueFailures(sql: Pool, now: Date, id?: number): Promise<number> {
  const [res] = await sql.query<ResultSetHeader>(
    `UPDATE sync_failures SET status = 'retrying', attempts = 0, next_attempt_at = ?, updated_at = ? WHERE status <> 'resolved'${id === undefined ? '' : ' AND id = ?'}`,
    [now, now, ...(id === undefined ? [] : [id])],
  );
  return res.affectedRows;
}
