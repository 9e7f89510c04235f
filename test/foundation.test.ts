import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMigrations, migrate } from '../src/db/migrate.ts';
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
});
