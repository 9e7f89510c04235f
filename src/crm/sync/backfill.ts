import type { RowDataPacket } from 'mysql2/promise';
import { recordChanges, withTransaction } from '../kernel/index.ts';
import type { Services } from '../../services.ts';

/**
 * The first sync of a connection (docs/sync.md, set-up): every member that is not deleted goes
 * into the change feed, 2,000 per transaction, so the worker pushes them all (then only what
 * changes). Safe to run again: the ledger makes a second push of an unchanged member send nothing.
 */
export async function backfillMembers(services: Services): Promise<number> {
  let last = 0;
  let n = 0;
  for (;;) {
    const [rows] = await services.sql.query<RowDataPacket[]>("SELECT id FROM members WHERE id > ? AND status <> 'deleted' ORDER BY id LIMIT 2000", [last]);
    if (!rows.length) return n;
    await withTransaction(services.sql, (conn) => recordChanges(conn, services.now(), rows.map((r) => ({ object: 'member' as const, id: Number(r.id), memberId: Number(r.id) }))));
    last = Number(rows[rows.length - 1]!.id);
    n += rows.length;
  }
}
