import type mysql from 'mysql2/promise';
import type { SqlPool } from '../db/sql.ts';

/**
 * Secondary indexes built after the bulk load instead of during it. Loading rows into a table
 * whose only index is the primary key, then adding the indexes (one sorted build each), costs
 * well under half of maintaining every B-tree row by row — orders alone carry four secondary
 * indexes. The dropped definitions are written to demo_seed_deferred_indexes first and removed
 * only once re-created, so a seed killed mid-load is repaired by the next seed or `npm start`
 * (restoreDeferredIndexes), never left as schema drift.
 */

const TABLE = 'demo_seed_deferred_indexes';

interface IndexColumn {
  table: string;
  index: string;
  unique: boolean;
  column: string;
  subPart: number | null;
  descending: boolean;
}

const id = (name: string) => {
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`unexpected identifier ${name}`);
  return `\`${name}\``;
};

/** Drops the secondary indexes of `tables` (empty tables: the seed's), remembering each definition. */
export async function deferIndexes(sql: SqlPool, tables: readonly string[]): Promise<number> {
  const [rows] = await sql.query<mysql.RowDataPacket[]>(
    `SELECT TABLE_NAME AS t, INDEX_NAME AS i, NON_UNIQUE AS nu, COLUMN_NAME AS c, SUB_PART AS sub, COLLATION AS coll
       FROM information_schema.STATISTICS
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (?) AND INDEX_NAME <> 'PRIMARY'
      ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
    [tables],
  );
  const cols: IndexColumn[] = rows.map((r) => ({ table: String(r.t), index: String(r.i), unique: Number(r.nu) === 0, column: String(r.c), subPart: r.sub === null ? null : Number(r.sub), descending: r.coll === 'D' }));
  const defs = new Map<string, { table: string; index: string; clause: string }>();
  for (const c of cols) {
    const key = `${c.table}.${c.index}`;
    const col = `${id(c.column)}${c.subPart ? `(${c.subPart})` : ''}${c.descending ? ' DESC' : ''}`;
    const d = defs.get(key);
    if (d) d.clause = d.clause.replace(/\)$/, `, ${col})`);
    else defs.set(key, { table: c.table, index: c.index, clause: `ADD ${c.unique ? 'UNIQUE ' : ''}INDEX ${id(c.index)} (${col})` });
  }
  if (!defs.size) return 0;
  await sql.query(`INSERT INTO ${TABLE} (table_name, index_name, definition) VALUES ? ON DUPLICATE KEY UPDATE definition = VALUES(definition)`, [
    [...defs.values()].map((d) => [d.table, d.index, d.clause]),
  ]);
  const conn = await sql.getConnection();
  try {
    // Indexes that back a foreign key can only be dropped with the checks off.
    await conn.query('SET SESSION foreign_key_checks = 0');
    for (const table of new Set([...defs.values()].map((d) => d.table))) {
      const drops = [...defs.values()].filter((d) => d.table === table).map((d) => `DROP INDEX ${id(d.index)}`);
      await conn.query(`ALTER TABLE ${id(table)} ${drops.join(', ')}`);
    }
  } finally {
    await conn.query('SET SESSION foreign_key_checks = 1').then(
      () => conn.release(),
      () => conn.destroy(),
    );
  }
  return defs.size;
}

/**
 * Re-creates every deferred index that is missing (one ALTER per table, tables two at a time)
 * and forgets it. Cheap when nothing was deferred; minutes after a killed 1M-member seed.
 */
export async function restoreDeferredIndexes(sql: SqlPool): Promise<number> {
  const [rows] = await sql.query<mysql.RowDataPacket[]>(`SELECT table_name AS t, index_name AS i, definition AS d FROM ${TABLE} ORDER BY table_name, index_name`);
  if (!rows.length) return 0;
  const [present] = await sql.query<mysql.RowDataPacket[]>(
    'SELECT DISTINCT TABLE_NAME AS t, INDEX_NAME AS i FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (?)',
    [[...new Set(rows.map((r) => String(r.t)))]],
  );
  const have = new Set(present.map((p) => `${p.t}.${p.i}`));
  // orders first: by far the longest build.
  const tables = [...new Set(rows.map((r) => String(r.t)))].sort((a, b) => Number(b === 'orders') - Number(a === 'orders'));
  let added = 0;
  const work = async (table: string) => {
    const clauses = rows.filter((r) => r.t === table && !have.has(`${r.t}.${r.i}`)).map((r) => String(r.d));
    if (clauses.length) await sql.query(`ALTER TABLE ${id(table)} ${clauses.join(', ')}`);
    added += clauses.length;
    await sql.query(`DELETE FROM ${TABLE} WHERE table_name = ?`, [table]);
  };
  // Two at a time: both cores busy without starving everything else on the server.
  const queue = [...tables];
  await Promise.all([0, 1].map(async () => {
    for (let t = queue.shift(); t !== undefined; t = queue.shift()) await work(t);
  }));
  return added;
}
