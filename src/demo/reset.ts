import type mysql from 'mysql2/promise';
import type { SqlPool } from '../db/sql.ts';

/**
 * Emptiness checks and the --reset wipe. The demo owns these tables (children first); later
 * features add tables that point at members or orders (interactions, tickets, points ledger…),
 * so a reset also empties every table whose foreign keys lead into them, found in
 * information_schema rather than listed here, lest a reset leave rows pointing at nobody.
 * audit_logs has no foreign key and is kept: an audit trail is never wiped by a tool.
 */
export const DEMO_TABLES = [
  'points_ledger', 'koc_referrals', 'koc_profiles', 'interactions', 'tickets',
  'demo_member_truth', 'member_tags', 'orders', 'members', 'tags', 'staff_stores', 'staff', 'stores',
] as const;

/** The demo tables that already hold rows. */
export async function demoTablesInUse(sql: SqlPool): Promise<string[]> {
  // EXISTS, not COUNT(*): counting ten million InnoDB rows takes seconds.
  const probe = DEMO_TABLES.map((t) => `SELECT '${t}' AS t FROM DUAL WHERE EXISTS (SELECT 1 FROM \`${t}\`)`).join(' UNION ALL ');
  const [rows] = await sql.query<mysql.RowDataPacket[]>(`SELECT t FROM (${probe}) used`);
  return rows.map((r) => String(r.t));
}

/** Tables to truncate for a reset, children before parents. */
export async function tablesToReset(sql: SqlPool): Promise<string[]> {
  const [fks] = await sql.query<mysql.RowDataPacket[]>(
    `SELECT DISTINCT TABLE_NAME AS child, REFERENCED_TABLE_NAME AS parent
       FROM information_schema.KEY_COLUMN_USAGE
      WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL`,
  );
  const edges = fks.map((r) => ({ child: String(r.child), parent: String(r.parent) })).filter((e) => e.child !== e.parent);
  const set = new Set<string>(DEMO_TABLES);
  for (let grew = true; grew; ) {
    grew = false;
    for (const e of edges) {
      if (set.has(e.parent) && !set.has(e.child)) {
        set.add(e.child);
        grew = true;
      }
    }
  }
  // Emit a table once no pending table references it; a cycle (none today) falls back to any order.
  const ordered: string[] = [];
  const pending = new Set(set);
  while (pending.size) {
    const ready = [...pending].filter((t) => !edges.some((e) => e.parent === t && pending.has(e.child)));
    const take = ready.length ? ready : [...pending];
    for (const t of take.sort()) {
      ordered.push(t);
      pending.delete(t);
    }
  }
  return ordered;
}

/** Empties the demo tables (and their dependants). Returns the tables truncated, in order. */
export async function resetDemoData(sql: SqlPool): Promise<string[]> {
  const tables = await tablesToReset(sql);
  const conn = await sql.getConnection();
  try {
    // TRUNCATE refuses any table referenced by a foreign key, even from an empty table, so the
    // checks are off for this session only; the order above still keeps the intent clear.
    await conn.query('SET FOREIGN_KEY_CHECKS = 0');
    for (const t of tables) {
      if (!/^[A-Za-z0-9_]+$/.test(t)) throw new Error(`unexpected table name ${t}`);
      await conn.query(`TRUNCATE TABLE \`${t}\``);
    }
  } finally {
    await conn.query('SET FOREIGN_KEY_CHECKS = 1').catch(() => {});
    conn.release();
  }
  return tables;
}
