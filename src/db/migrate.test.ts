import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, splitStatements } from './migrate.ts';
import { createSqlPool, dropDatabase } from './sql.ts';

describe('splitStatements', () => {
  it('splits at top-level semicolons only, dropping comments', () => {
    const sql = "-- a comment; with a semicolon\nCREATE TABLE a (x VARCHAR(3) DEFAULT ';');\n/* block; */INSERT INTO a VALUES ('it''s; fine', \"q;\");\nSELECT `we;ird`";
    expect(splitStatements(sql)).toEqual(["CREATE TABLE a (x VARCHAR(3) DEFAULT ';')", "INSERT INTO a VALUES ('it''s; fine', \"q;\")", 'SELECT `we;ird`']);
  });
});

describe('migrate (the prisma migrate deploy stand-in)', () => {
  const url = `mysql://root@127.0.0.1:3306/crm_t_migrate_${Math.floor(Date.now() / 1000).toString(36)}_${Math.random().toString(16).slice(2, 8).padEnd(6, '0')}`;
  afterAll(async () => dropDatabase(url));

  it('records a failed migration, refuses to continue past it, and warns on an edited one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'migrations-'));
    await mkdir(join(dir, '001_ok'));
    await writeFile(join(dir, '001_ok', 'migration.sql'), 'CREATE TABLE t1 (id INT PRIMARY KEY);\nINSERT INTO t1 VALUES (1);');
    expect((await migrate(url, { dir })).applied).toEqual(['001_ok']);

    await mkdir(join(dir, '002_bad'));
    await writeFile(join(dir, '002_bad', 'migration.sql'), 'CREATE TABLE t2 (id INT);\nTHIS IS NOT SQL;');
    await expect(migrate(url, { dir })).rejects.toThrow(/002_bad failed at statement 2/);
    await expect(migrate(url, { dir })).rejects.toThrow(/failed earlier and was not rolled back/);

    const pool = createSqlPool(url);
    try {
      const [rows] = await pool.query<any[]>("SELECT applied_steps_count, logs, finished_at FROM _prisma_migrations WHERE migration_name = '002_bad'");
      expect(rows[0]).toMatchObject({ applied_steps_count: 1, finished_at: null });
      expect(rows[0].logs).toMatch(/syntax/i);
      // The operator fixes it by hand and marks it rolled back, as with Prisma (P3009).
      await pool.query('DROP TABLE t2');
      await pool.query("UPDATE _prisma_migrations SET rolled_back_at = NOW(3) WHERE migration_name = '002_bad'");
      await writeFile(join(dir, '002_bad', 'migration.sql'), 'CREATE TABLE t2 (id INT);');
      await writeFile(join(dir, '001_ok', 'migration.sql'), 'CREATE TABLE t1 (id INT PRIMARY KEY); -- edited');
      const warnings: string[] = [];
      const res = await migrate(url, { dir, log: (m) => warnings.push(m) });
      expect(res.applied).toEqual(['002_bad']);
      expect(res.checksumMismatch).toEqual(['001_ok']);
      expect(warnings.join('\n')).toMatch(/001_ok was edited/);
    } finally {
      await pool.end();
    }
  });
});
