import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';

/** Our id ↔ the other system's id, per connection and object type (sync_id_map). */
type Sql = Pool | PoolConnection;

export interface Mapping {
  localId: string;
  remoteId: string;
  registered: boolean;
  remoteSeenAt: Date | null;
  unlinkedAt: Date | null;
}

const toMapping = (r: RowDataPacket): Mapping => ({ localId: String(r.local_id), remoteId: String(r.remote_id), registered: Boolean(r.registered), remoteSeenAt: r.remote_seen_at, unlinkedAt: r.unlinked_at });

export async function mappingsByLocal(sql: Sql, connection: string, objectType: string, localIds: string[]): Promise<Map<string, Mapping>> {
  if (!localIds.length) return new Map();
  const [rows] = await sql.query<RowDataPacket[]>('SELECT * FROM sync_id_map WHERE connection = ? AND object_type = ? AND local_id IN (?)', [connection, objectType, localIds]);
  return new Map(rows.map((r) => [String(r.local_id), toMapping(r)]));
}

export async function mappingsByRemote(sql: Sql, connection: string, objectType: string, remoteIds: string[]): Promise<Map<string, Mapping>> {
  if (!remoteIds.length) return new Map();
  const [rows] = await sql.query<RowDataPacket[]>('SELECT * FROM sync_id_map WHERE connection = ? AND object_type = ? AND remote_id IN (?)', [connection, objectType, remoteIds]);
  return new Map(rows.map((r) => [String(r.remote_id), toMapping(r)]));
}

/** Maps `localId` to `remoteId` (replacing an earlier mapping of either side). */
export async function mapIds(sql: Sql, connection: string, objectType: string, localId: string, remoteId: string, at: Date, registered = false): Promise<void> {
  await sql.query('DELETE FROM sync_id_map WHERE connection = ? AND object_type = ? AND remote_id = ? AND local_id <> ?', [connection, objectType, remoteId, localId]);
  await sql.query(
    'INSERT INTO sync_id_map (connection, object_type, local_id, remote_id, registered, created_at) VALUES (?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE remote_id = VALUES(remote_id), registered = VALUES(registered), unlinked_at = NULL',
    [connection, objectType, localId, remoteId, registered, at],
  );
}

export async function markRegistered(sql: Sql, connection: string, objectType: string, localId: string): Promise<void> {
  await sql.query('UPDATE sync_id_map SET registered = 1 WHERE connection = ? AND object_type = ? AND local_id = ?', [connection, objectType, localId]);
}

/** The newest remote event time applied to the object (never moves back). */
export async function markSeen(sql: Sql, connection: string, objectType: string, remoteId: string, at: Date): Promise<void> {
  await sql.query('UPDATE sync_id_map SET remote_seen_at = GREATEST(COALESCE(remote_seen_at, ?), ?) WHERE connection = ? AND object_type = ? AND remote_id = ?', [at, at, connection, objectType, remoteId]);
}

/** The remote object is gone (deleted, or merged into one mapped elsewhere): our member stays, unlinked. */
export async function unlink(sql: Sql, connection: string, objectType: string, remoteId: string, at: Date): Promise<void> {
  await sql.query('UPDATE sync_id_map SET unlinked_at = ? WHERE connection = ? AND object_type = ? AND remote_id = ?', [at, connection, objectType, remoteId]);
}
