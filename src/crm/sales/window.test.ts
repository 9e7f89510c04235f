import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/support/env.ts';
import type { Services } from '../../services.ts';
import { DAY, generate } from '../../../test/support/health-expected.ts';
import { rebuildMemberStats, recordOrder } from './rollup.ts';
import { refreshMemberStats, type StatsMarker } from './window.ts';
import { PHONE_COLUMNS, sealedPhoneValues } from '../../../test/support/sealed-phone.ts';

// The scoring run's incremental refresh of member_stats must leave exactly what a full rebuild
// would: time moves on (orders and complaints cross the 90/180/365/60-day edges), orders arrive
// through recordOrder, a complaint is logged, a member registers.
const NOW = new Date('2026-11-21T16:00:00.000Z');

describe('member_stats incremental refresh', () => {
  let env: TestEnv;
  let services: Services;
  beforeAll(async () => {
    env = await createTestEnv('stats_window', {}, { now: () => NOW });
    services = env.services;
    await generate(services, 500, NOW);
  }, 180_000);
  afterAll(async () => env?.cleanup());

  // The marker each refresh leaves for the next (the scoring run keeps it in model_runs).
  let marker: StatsMarker | null = null;
  const refresh = async (now: Date) => {
    const r = await refreshMemberStats(services.sql, now, marker);
    marker = r.marker;
    return r;
  };

  const rows = async () => {
    const [r] = await services.sql.query<any[]>('SELECT * FROM member_stats ORDER BY member_id');
    return r.map(({ as_of: _, ...rest }) => rest);
  };

  it('moves only the members whose windows changed, to the same rows as a rebuild', async () => {
    const start = new Date(NOW.getTime() - 9 * DAY - 5 * 3_600_000);
    expect(await refresh(start)).toMatchObject({ mode: 'full', members: 500 });
    await recordOrder({ sql: services.sql, now: () => new Date(NOW.getTime() - 3 * DAY) }, { orderNo: 'W-1', memberId: 7, storeId: 1, amount: '66.60', items: [], paymentMethod: 'wechat', paidAt: new Date(NOW.getTime() - 3 * DAY) });
    await services.sql.query("INSERT INTO interactions (member_id, type, channel, content, created_at) VALUES (11, 'complaint', 'store', '慢', ?)", [new Date(NOW.getTime() - 2 * DAY)]);
    await services.sql.query(`INSERT INTO members (id, member_no, name, ${PHONE_COLUMNS}, registered_at, source_channel, home_store_id) VALUES (501, 'M00000501', '新', ?, ?, ?, ?, 'store', 1)`, [...sealedPhoneValues('13900000501'), new Date(NOW.getTime() - DAY)]);
    const r = await refresh(NOW);
    expect(r.mode).toBe('incremental');
    expect(r.members).toBeGreaterThan(3);
    expect(r.members).toBeLessThan(500);
    const incremental = await rows();
    expect(incremental).toHaveLength(501);
    await rebuildMemberStats(services.sql, NOW);
    expect(incremental).toEqual(await rows());
    // Nothing moved since: nothing to do.
    expect(await refresh(NOW)).toMatchObject({ mode: 'incremental', members: 0 });
    // Back to the earlier day: incremental too, and exactly that day's rows.
    expect((await refresh(start)).mode).toBe('incremental');
    const back = await rows();
    await rebuildMemberStats(services.sql, start);
    expect(back).toEqual(await rows());
    // Further than 60 days away: a full rebuild.
    expect((await refresh(new Date(NOW.getTime() + 90 * DAY))).mode).toBe('full');
  }, 180_000);
});
