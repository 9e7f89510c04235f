import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
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

  it('lets two processes migrate one database at once (each migration applied once) and does not make another database wait', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'migrations-'));
    for (const n of ['001_a', '002_b', '003_c']) {
      await mkdir(join(dir, n));
      await writeFile(join(dir, n, 'migration.sql'), `CREATE TABLE t_${n} (id INT PRIMARY KEY);`);
    }
    const same = `${url}_same`;
    const other = `${url}_other`;
    try {
      const [r1, r2] = await Promise.all([migrate(same, { dir }), migrate(same, { dir })]);
      expect([...r1.applied, ...r2.applied].sort()).toEqual(['001_a', '002_b', '003_c']);
      expect([...r1.alreadyApplied, ...r2.alreadyApplied].sort()).toEqual(['001_a', '002_b', '003_c']);
      // Another connection holds the lock of `same` (a slow migration there): `other` does not queue behind it.
      const holder = createSqlPool(same);
      const conn = await holder.getConnection();
      try {
        const name = `wecom_crm_migrate:${createHash('sha1').update(same.replace(/.*\//, '')).digest('hex')}`;
        const [[got]] = await conn.query<any[]>('SELECT GET_LOCK(?, 5) AS got', [name]);
        expect(got.got).toBe(1);
        const t0 = Date.now();
        expect((await migrate(other, { dir })).applied).toEqual(['001_a', '002_b', '003_c']);
        expect(Date.now() - t0).toBeLessThan(30_000); // it would have waited out the 60 s lock timeout and failed
        // …while a third process on `same` waits for the holder and then finds nothing to do.
        let finished = false;
        const waiting = migrate(same, { dir }).finally(() => (finished = true));
        await new Promise((r) => setTimeout(r, 1500));
        expect(finished).toBe(false);
        await conn.query('SELECT RELEASE_LOCK(?)', [name]);
        expect((await waiting).applied).toEqual([]);
      } finally {
        conn.release();
        await holder.end();
      }
    } finally {
      await dropDatabase(same);
      await dropDatabase(other);
    }
  });
});

