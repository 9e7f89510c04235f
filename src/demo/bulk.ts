import type mysql from 'mysql2/promise';

/**
 * Multi-row INSERTs through mysql2's `VALUES ?` (the driver escapes every value; nothing is
 * spliced into SQL by hand). Rows go in batches so one statement stays well under
 * max_allowed_packet (16 MB by default) while still amortising the round trip.
 */

export const DEFAULT_BATCH_ROWS = 2000;

/** A pool or a single connection. */
export type Queryable = Pick<mysql.Pool | mysql.PoolConnection, 'query'>;

/** Inserts rows in batches, one statement at a time per target, the targets in parallel. */
export async function insertRows(
  targets: Queryable | readonly Queryable[],
  table: string,
  columns: readonly string[],
  rows: readonly unknown[][],
  batchRows = DEFAULT_BATCH_ROWS,
): Promise<void> {
  if (rows.length === 0) return;
  const conns = Array.isArray(targets) ? (targets as readonly Queryable[]) : [targets as Queryable];
  const statement = `INSERT INTO \`${table}\` (${columns.map((c) => `\`${c}\``).join(', ')}) VALUES ?`;
  let next = 0;
  const worker = async (conn: Queryable): Promise<void> => {
    while (next < rows.length) {
      const batch = rows.slice(next, (next += batchRows));
      await conn.query(statement, [batch]);
    }
  };
  await Promise.all(conns.slice(0, Math.ceil(rows.length / batchRows)).map(worker));
}
