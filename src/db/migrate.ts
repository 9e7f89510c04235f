import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import { DATA_STEPS, type DataStep } from './data-steps.ts';
import { ensureDatabase } from './sql.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations/', import.meta.url));

// The same table `prisma migrate deploy` keeps, so either tool can take over from the other.
const PRISMA_MIGRATIONS_DDL = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
  id VARCHAR(36) PRIMARY KEY NOT NULL,
  checksum VARCHAR(64) NOT NULL,
  finished_at DATETIME(3),
  migration_name VARCHAR(255) NOT NULL,
  logs TEXT,
  rolled_back_at DATETIME(3),
  started_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  applied_steps_count INTEGER UNSIGNED NOT NULL DEFAULT 0
) DEFAULT CHARACTER SET utf8mb4`;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

/** Lists prisma/migrations/<name>/migration.sql in name order (Prisma's layout). */
export async function listMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

/**
 * Splits a migration script into statements at top-level semicolons, skipping comments and
 * honouring quotes (MySQL DDL is not transactional, so each statement is sent on its own and
 * counted in applied_steps_count, as Prisma does).
 */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (quote) {
      cur += c;
      if (c === '\\' && quote !== '`') {
        cur += sql[++i] ?? '';
      } else if (c === quote) quote = null;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 1;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') quote = c;
    if (c === ';') {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
  checksumMismatch: string[];
}

/**
 * Applies pending migrations under a named lock (two starting processes never race). A migration
 * named in `dataSteps` (default: src/db/data-steps.ts) runs its data step after its SQL, counted
 * as one more step; such a migration must be safe to run again (idempotent SQL, a data step
 * that skips finished rows), and one that stopped half-way is simply run again on the next start.
 */
export async function migrate(databaseUrl: string, opts: { dir?: string; log?: (msg: string) => void; dataSteps?: Record<string, DataStep> } = {}): Promise<MigrateResult> {
  const log = opts.log ?? (() => {});
  const dataSteps = opts.dataSteps ?? DATA_STEPS;
  await ensureDatabase(databaseUrl);
  const conn = await mysql.createConnection({ uri: databaseUrl.replace(/^mariadb:/, 'mysql:'), timezone: 'Z' });
  const result: MigrateResult = { applied: [], alreadyApplied: [], checksumMismatch: [] };
  let lockName: string | undefined;
  try {
    // The lock is per database: processes migrating the same database queue, others (a test run's
    // many databases on one server) do not wait for each other. GET_LOCK names are at most 64 characters.
    const [[db]] = await conn.query<mysql.RowDataPacket[]>('SELECT DATABASE() AS name');
    lockName = `wecom_crm_migrate:${createHash('sha1').update(String(db?.name ?? '')).digest('hex')}`;
    const [lockRows] = await conn.query<mysql.RowDataPacket[]>('SELECT GET_LOCK(?, 60) AS got', [lockName]);
    if (lockRows[0]?.got !== 1) throw new Error('could not take the migration lock within 60 s (another process is migrating?)');
    await conn.query(PRISMA_MIGRATIONS_DDL);
    const [rows] = await conn.query<mysql.RowDataPacket[]>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at',
    );
    // A data-step migration that stopped half-way (a killed process) is resumable by design.
    const resumable = rows.filter((r) => r.finished_at === null && r.rolled_back_at === null && dataSteps[String(r.migration_name)]);
    for (const r of resumable) {
      await conn.query('DELETE FROM _prisma_migrations WHERE migration_name = ? AND finished_at IS NULL', [r.migration_name]);
      log(`migration ${r.migration_name} stopped half-way earlier: running it again (its data step continues where it was)`);
    }
    const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null && !dataSteps[String(r.migration_name)]);
    if (failed) {
      throw new Error(
        `migration ${failed.migration_name} failed earlier and was not rolled back; fix the database by hand, then mark it rolled back (UPDATE _prisma_migrations SET rolled_back_at = NOW(3) WHERE migration_name = '${failed.migration_name}')`,
      );
    }
    const done = new Map(rows.filter((r) => r.finished_at !== null).map((r) => [String(r.migration_name), String(r.checksum)]));
    for (const m of await listMigrations(opts.dir)) {
      const prior = done.get(m.name);
      if (prior !== undefined) {
        result.alreadyApplied.push(m.name);
        if (prior !== m.checksum) {
          result.checksumMismatch.push(m.name);
          log(`warning: migration ${m.name} was edited after it was applied (checksum differs)`);
        }
        continue;
      }
      const id = randomUUID();
      await conn.query('INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, NOW(3), 0)', [id, m.checksum, m.name]);
      let steps = 0;
      try {
        for (const stmt of splitStatements(m.sql)) {
          await conn.query(stmt);
          steps++;
        }
        const step = dataSteps[m.name];
        if (step) {
          await step(conn, log);
          steps++;
        }
      } catch (e) {
        await conn.query('UPDATE _prisma_migrations SET logs = ?, applied_steps_count = ? WHERE id = ?', [String((e as Error).message), steps, id]);
        throw new Error(`migration ${m.name} failed at statement ${steps + 1}: ${(e as Error).message}`);
      }
      await conn.query('UPDATE _prisma_migrations SET finished_at = NOW(3), applied_steps_count = ? WHERE id = ?', [steps, id]);
      result.applied.push(m.name);
      log(`applied migration ${m.name} (${steps} statements)`);
    }
    return result;
  } finally {
    if (lockName) await conn.query('SELECT RELEASE_LOCK(?)', [lockName]).catch(() => {});
    await conn.end();
  }
}
