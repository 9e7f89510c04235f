import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMigrations, migrate } from '../src/db/migrate.ts';
import { createServices } from '../src/services.ts';
import { createTestEnv, type TestEnv } from './support/env.ts';

describe('foundation', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv('foundation');
  });
  afterAll(async () => env?.cleanup());

  it('migrates once, records the migration as prisma does, and is idempotent', async () => {
    const again = await migrate(env.databaseUrl);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toContain('20261121000000_init');
    const [rows] = await env.services.sql.query<any[]>('SELECT migration_name, finished_at, applied_steps_count FROM _prisma_migrations');
    expect(rows).toHaveLength((await listMigrations()).length);
    for (const r of rows) expect(r.finished_at).toBeInstanceOf(Date);
    expect(rows.find((r) => r.migration_name === '20261121000000_init').applied_steps_count).toBe(15);
  });

  it('talks to MariaDB through Prisma and to Redis', async () => {
    const store = await env.services.db.store.create({ data: { code: 'S1', name: '一店', city: '上海' } });
    expect(await env.services.db.store.count()).toBe(1);
    expect(store.id).toBeGreaterThan(0);
    await env.services.redis.set(env.services.key('x'), '1');
    expect(await env.services.redis.get(env.services.key('x'))).toBe('1');
  });

  it('builds the Prisma client on first use only, once, and closes without it when it was never used', async () => {
    // A web process answering chat lookups and 360 views never builds it (docs/benchmarks.md, bench:http memory).
    const unused = createServices(env.config);
    await unused.sql.query('SELECT 1');
    await expect(unused.close()).resolves.toBeUndefined();
    const used = createServices(env.config);
    try {
      expect(used.db).toBe(used.db);
      expect(await used.db.store.count()).toBe(1);
    } finally {
      await used.close();
    }
  });
});
