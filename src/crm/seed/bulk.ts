import type { SqlPool } from '../../db/sql.ts';

/**
 * Multi-row INSERTs through mysql2's `VALUES ?` (the driver escapes every value; nothing is
 * spliced into SQL by hand). Rows go in batches so one statement stays well under
 * max_allowed_packet (16 MB by default) while still amortising the round trip.
 */

export const DEFAULT_BATCH_ROWS = 2000;

/** Inserts rows in batches, up to `parallel` statements at once on separate pool connections. */
export async function insertRows(
  sql: SqlPool,
  table: string,
  columns: readonly string[],
  rows: readonly unknown[][],
  opts: { batchRows?: number; parallel?: number } = {},
): Promise<void> {
  if (rows.length === 0) return;
  const batch = opts.batchRows ?? DEFAULT_BATCH_ROWS;
  const statement = `INSERT INTO \`${table}\` (${columns.map((c) => `\`${c}\``).join(', ')}) VALUES ?`;
  const batches: unknown[][][] = [];
  for (let i = 0; i < rows.length; i += batch) batches.push(rows.slice(i, i + batch) as unknown[][]);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < batches.length) {
      const b = batches[next++]!;
      await sql.query(statement, [b]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.parallel ?? 1, batches.length) }, worker));
}
