import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/support/env.ts';
import type { Services } from '../../services.ts';
import { DAY, generate } from '../../../test/support/health-expected.ts';
import { rebuildMemberStats, recordOrder } from './rollup.ts';

// A till sends orders of many members of one store at once: every order lands, once, and the
// rollups (member_stats, the store visit summary) equal a rebuild from the orders afterwards.
const NOW = new Date('2026-11-21T16:00:00.000Z');

describe('recordOrder under concurrent ingestion', () => {
  let env: TestEnv;
  let services: Services;
  beforeAll(async () => {
    env = await createTestEnv('record_order', {}, { now: () => NOW });
    services = env.services;
    await generate(services, 200, NOW);
    await rebuildMemberStats(services.sql, NOW);
  }, 180_000);
  afterAll(async () => env?.cleanup());

  const summary = async () => {
    const [stats] = await services.sql.query<any[]>('SELECT * FROM member_stats ORDER BY member_id');
    const [gaps] = await services.sql.query<any[]>('SELECT store_key, dir, day, gap, members FROM store_visit_gaps WHERE members <> 0 ORDER BY store_key, dir, day, gap');
    const [days] = await services.sql.query<any[]>('SELECT store_key, day, orders, sales FROM store_day_sales WHERE orders <> 0 ORDER BY store_key, day');
    return { stats: stats.map(({ as_of: _, ...r }) => r), gaps, days };
  };

  it('lands 60 parallel orders of one store (same and different members) exactly once, rollups exact', async () => {
    const [[before]] = await services.sql.query<any[]>('SELECT COUNT(*) AS n FROM orders');
    const paidAt = (i: number) => new Date(NOW.getTime() - DAY + i * 60_000);
    const ids = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        recordOrder(services, { orderNo: `POS-${i}`, memberId: 1 + (i % 20), storeId: 1, amount: `${50 + i}.50`, items: [], paymentMethod: 'wechat', paidAt: paidAt(i) }),
      ),
    );
    expect(new Set(ids).size).toBe(60);
    const [[after]] = await services.sql.query<any[]>('SELECT COUNT(*) AS n FROM orders');
    expect(Number(after.n)).toBe(Number(before.n) + 60);
    const incremental = await summary();
    await rebuildMemberStats(services.sql, NOW);
    expect(incremental).toEqual(await summary());
  }, 120_000);
});
