import { createHash } from 'node:crypto';
import mysql from 'mysql2/promise';
import { listMigrations, migrate } from '../../src/db/migrate.ts';

/**
 * A test database made by copying a migrated template instead of running every migration again.
 *
 * Each test file gets a database of its own (env.ts); running the ~50 migrations for each of
 * ~240 files took 3–5 s a file on a quiet machine and over 30 s at load 20, which made set-up
 * hooks time out. The template is migrated once (by whichever test asks first; the migration
 * runner's per-database lock queues the others) and is named by a hash of the migrations' names
 * and checksums, so a changed or added migration makes a new template — a stale one is never
 * copied. The copy is each table's own `SHOW CREATE TABLE` (foreign keys included, checks off
 * while they are created) plus the rows migrations wrote (`_prisma_migrations`, defaults): the
 * same schema the runner makes, as the drift test checks against a database made this way.
 */

let templateReady: Promise<string> | undefined;

/** The template's database name for the migrations in the repository. */
export async function templateName(): Promise<string> {
  const hash = createHash('sha1');
  for (const m of await listMigrations()) hash.update(`${m.name}:${m.checksum}\n`);
  return `crm_tpl_${hash.digest('hex').slice(0, 16)}`;
}

/** Migrates the template once per process (cheap when it is already migrated: one lock, one read). */
function ensureTemplate(serverUrl: string): Promise<string> {
  templateReady ??= (async () => {
    const name = await templateName();
    await migrate(`${serverUrl}${name}`);
    return name;
  })().catch((e) => {
    templateReady = undefined;
    throw e;
  });
  return templateReady;
}

/** Connections creating tables side by side: each CREATE TABLE waits mostly on its own file's fsync. */
const PARALLEL = 4;

/** Creates `database` on `serverUrl` as a copy of the migrated template. */
export async function createFromTemplate(serverUrl: string, database: string): Promise<void> {
  const template = await ensureTemplate(serverUrl);
  const main = await mysql.createConnection({ uri: serverUrl });
  try {
    await main.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    const [tables] = await main.query<mysql.RowDataPacket[]>(
      "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY table_name",
      [template],
    );
    const names = tables.map((r) => String(r.t));
    await Promise.all(
      Array.from({ length: PARALLEL }, async (_, lane) => {
        const conn = await mysql.createConnection({ uri: `${serverUrl}${database}` });
        try {
          // A foreign key to a table another connection has not created yet is allowed with the
          // checks off (this session only).
          await conn.query('SET SESSION foreign_key_checks = 0');
          for (let i = lane; i < names.length; i += PARALLEL) {
            const t = names[i];
            const [[create]] = await conn.query<mysql.RowDataPacket[]>(`SHOW CREATE TABLE \`${template}\`.\`${t}\``);
            await conn.query(String(create?.['Create Table']));
            const [[has]] = await conn.query<mysql.RowDataPacket[]>(`SELECT EXISTS (SELECT 1 FROM \`${template}\`.\`${t}\`) AS n`);
            if (Number(has?.n) === 1) await conn.query(`INSERT INTO \`${t}\` SELECT * FROM \`${template}\`.\`${t}\``);
          }
        } finally {
          await conn.end();
        }
      }),
    );
  } catch (e) {
    await main.query(`DROP DATABASE IF EXISTS \`${database}\``).catch(() => {});
    throw e;
  } finally {
    await main.end();
  }
}
