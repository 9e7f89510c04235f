import type { Services } from '../../services.ts';

/**
 * The same world for every conversation of an evaluation: without it an earlier dialogue's
 * write (a tag put on, points added, a ticket opened, a follow-up logged for today) changes what a later
 * one sees, so a dialogue's score depended on the ones before it in the file (session 21: 31 tuning
 * turns moved on that alone, 22 right and 9 — a segment or a resolved ticket left by another dialogue — wrong). `keepWorld` copies every table of the evaluation's own
 * database once, beside it (prefix KEEP, dropped with the database); `restoreWorld` puts back
 * only the tables whose content or AUTO_INCREMENT moved since (a ticket's number is made from its id, so a
 * ticket opened later is numbered as in a fresh world). Small tables, a checksum each: a few
 * milliseconds per conversation.
 */
const KEEP = 'zkeep_';

interface KeptTable {
  name: string;
  columns: string;
  checksum: string;
  autoIncrement: number | null;
}

export interface KeptWorld {
  tables: KeptTable[];
}

const quote = (name: string) => `\`${name.replace(/`/g, '``')}\``;

async function baseTables(services: Services): Promise<{ name: string; autoIncrement: number | null }[]> {
  const [rows] = await services.sql.query<any[]>(
    `SELECT TABLE_NAME AS name, AUTO_INCREMENT AS ai FROM information_schema.TABLES
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' AND TABLE_NAME NOT LIKE ?`,
    [`${KEEP}%`],
  );
  return rows.map((r) => ({ name: String(r.name), autoIncrement: r.ai === null ? null : Number(r.ai) }));
}

async function checksums(services: Services, names: readonly string[]): Promise<Map<string, string>> {
  const [rows] = await services.sql.query<any[]>(`CHECKSUM TABLE ${names.map(quote).join(', ')}`);
  return new Map(rows.map((r) => [String(r.Table).split('.').pop()!, String(r.Checksum)]));
}

/** Copies the world as it is now (every table but the migrations' own bookkeeping is copied alike). */
export async function keepWorld(services: Services): Promise<KeptWorld> {
  const tables = await baseTables(services);
  const sums = await checksums(services, tables.map((t) => t.name));
  const [cols] = await services.sql.query<any[]>(
    // Generated columns cannot be inserted: copied without them, recomputed on restore.
    `SELECT TABLE_NAME AS t, GROUP_CONCAT(CONCAT('\`', COLUMN_NAME, '\`') ORDER BY ORDINAL_POSITION) AS cols
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND IS_GENERATED = 'NEVER' GROUP BY TABLE_NAME`,
  );
  const columns = new Map(cols.map((r) => [String(r.t), String(r.cols)]));
  const kept: KeptTable[] = [];
  for (const t of tables) {
    const list = columns.get(t.name)!;
    await services.sql.query(`DROP TABLE IF EXISTS ${quote(KEEP + t.name)}`);
    await services.sql.query(`CREATE TABLE ${quote(KEEP + t.name)} ENGINE=InnoDB AS SELECT ${list} FROM ${quote(t.name)}`);
    kept.push({ name: t.name, columns: list, checksum: sums.get(t.name) ?? '', autoIncrement: t.autoIncrement });
  }
  return { tables: kept };
}

/** Puts back every table that changed since `keepWorld`; returns their names. */
export async function restoreWorld(services: Services, world: KeptWorld): Promise<string[]> {
  const now = new Map((await baseTables(services)).map((t) => [t.name, t.autoIncrement]));
  const sums = await checksums(services, world.tables.map((t) => t.name));
  const moved = world.tables.filter((t) => sums.get(t.name) !== t.checksum || now.get(t.name) !== t.autoIncrement);
  if (!moved.length) return [];
  const conn = await services.sql.getConnection();
  try {
    // Rows are put back table by table: foreign keys hold again once all are back.
    await conn.query('SET FOREIGN_KEY_CHECKS = 0');
    await conn.query('START TRANSACTION');
    for (const t of moved) {
      await conn.query(`DELETE FROM ${quote(t.name)}`);
      await conn.query(`INSERT INTO ${quote(t.name)} (${t.columns}) SELECT ${t.columns} FROM ${quote(KEEP + t.name)}`);
    }
    await conn.query('COMMIT');
    // ALTER commits on its own: after the rows, so the counter is not raised again by them.
    for (const t of moved) if (t.autoIncrement !== null) await conn.query(`ALTER TABLE ${quote(t.name)} AUTO_INCREMENT = ${t.autoIncrement}`);
  } catch (e) {
    await conn.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    await conn.query('SET FOREIGN_KEY_CHECKS = 1').catch(() => {});
    conn.release();
  }
  return moved.map((t) => t.name);
}
