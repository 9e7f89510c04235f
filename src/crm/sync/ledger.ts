import { createHash } from 'node:crypto';
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';

/**
 * The field-hash ledger: per connection, object and field, the hash of the value both systems
 * last agreed on. A push sends only the fields whose hash moved (changed fields only), and an
 * inbound change whose hash is the ledger's is our own write coming back (an echo, dropped).
 * Tags are fields `tag:<name>` (present = in the ledger).
 */
type Sql = Pool | PoolConnection;

export const hashOf = (v: string | null | undefined): string => createHash('sha1').update(v === null || v === undefined ? '\u0000' : `=${v}`).digest('hex');

export type Ledger = Map<string, string>;

export async function readLedgers(sql: Sql, connection: string, objectType: string, ids: string[]): Promise<Map<string, Ledger>> {
  const out = new Map<string, Ledger>();
  if (!ids.length) return out;
  const [rows] = await sql.query<RowDataPacket[]>('SELECT object_id, field, hash FROM sync_ledger WHERE connection = ? AND object_type = ? AND object_id IN (?)', [connection, objectType, ids]);
  for (const r of rows) {
    const id = String(r.object_id);
    if (!out.has(id)) out.set(id, new Map());
    out.get(id)!.set(String(r.field), String(r.hash));
  }
  return out;
}

/** Sets (hash) or drops (null) ledger entries of one object. */
export async function writeLedger(sql: Sql, connection: string, objectType: string, objectId: string, entries: [field: string, hash: string | null][], at: Date): Promise<void> {
  await writeLedgers(sql, connection, objectType, entries.map(([field, hash]) => ({ objectId, field, hash })), at);
}

/**
 * Sets (hash) or drops (null) ledger entries of many objects: one INSERT for every entry set and
 * one DELETE per object with entries dropped (a page of pushes writes its ledger at once).
 */
export async function writeLedgers(sql: Sql, connection: string, objectType: string, entries: { objectId: string; field: string; hash: string | null }[], at: Date): Promise<void> {
  const set = entries.filter((e) => e.hash !== null);
  for (let i = 0; i < set.length; i += 2000) {
    await sql.query('INSERT INTO sync_ledger (connection, object_type, object_id, field, hash, updated_at) VALUES ? ON DUPLICATE KEY UPDATE hash = VALUES(hash), updated_at = VALUES(updated_at)', [
      set.slice(i, i + 2000).map((e) => [connection, objectType, e.objectId, e.field, e.hash, at]),
    ]);
  }
  const drop = new Map<string, string[]>();
  for (const e of entries) if (e.hash === null) drop.set(e.objectId, [...(drop.get(e.objectId) ?? []), e.field]);
  for (const [objectId, fields] of drop) await sql.query('DELETE FROM sync_ledger WHERE connection = ? AND object_type = ? AND object_id = ? AND field IN (?)', [connection, objectType, objectId, fields]);
}
