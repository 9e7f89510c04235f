import type { Pool } from 'mysql2/promise';

/** Every conflict is logged with both values and who won (sync_conflicts, shown by the monitor). */
export interface Conflict {
  objectType: string;
  objectId: string;
  field: string;
  localValue: string | null;
  remoteValue: string | null;
  winner: 'local' | 'remote' | 'admin';
}

export async function logConflicts(sql: Pool, connection: string, list: Conflict[], at: Date): Promise<void> {
  if (!list.length) return;
  await sql.query('INSERT INTO sync_conflicts (connection, object_type, object_id, field, local_value, remote_value, winner, created_at) VALUES ?', [
    list.map((c) => [connection, c.objectType, c.objectId, c.field, c.localValue, c.remoteValue, c.winner, at]),
  ]);
}
