import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../../test/support/env.ts';
import { withTransaction, type StaffActor } from '../../kernel/index.ts';
import type { Services } from '../../../services.ts';
import { rebuildMemberStats, recordOrder, resyncMembers } from '../../sales/rollup.ts';
import { DAY, expectDashboards as expectDashboardsOf, generate, loadRaw } from '../../../../test/support/health-expected.ts';

// The dashboard's figures come from the store visit summary (store_visit_gaps, store_day_sales)
// for one store and for all stores, from the orders for other store subsets. Every figure is
// compared with a plain computation in JS over the raw orders and members rows — after the
// bulk rebuild, after new orders arrive through recordOrder (new, repeat, back-dated, same-day,
// first-ever), after a merge-like move of orders, and on the next day.
const NOW = new Date('2026-11-21T16:00:00.000Z'); // 2026-11-22 00:00 China time

describe('health dashboard from the store visit summary', () => {
  let env: TestEnv;
  let services: Services;
  let clock = NOW;
  const staff = (role: StaffActor['role'], storeIds: number[]): StaffActor => ({ kind: 'staff', staffId: 1, wecomUserId: `t_${role}`, name: 't', role, storeIds });
  const access = (actor: StaffActor) => ({ services, actor, channel: 'console' as const, requestId: 'r' });

  beforeAll(async () => {
    env = await createTestEnv('health_summary', {}, { now: () => clock });
    services = env.services;
    await generate(services, 400, NOW);
    await rebuildMemberStats(services.sql, NOW);
  }, 120_000);
  afterAll(async () => env?.cleanup());

  /** Every figure of the dashboard of these stores, for every granularity, against the raw rows. */
  const expectDashboards = (actor: StaffActor, stores: number[]) => expectDashboardsOf({ services, access, now: () => clock }, actor, stores);

  /** The summary tables as a comparable value (zero rows left by subtractions dropped). */
  async function summaryRows() {
    const [gaps] = await services.sql.query<any[]>('SELECT store_key, dir, day, gap, members FROM store_visit_gaps WHERE members <> 0 ORDER BY store_key, dir, day, gap');
    const [days] = await services.sql.query<any[]>("SELECT store_key, day, orders, sales FROM store_day_sales WHERE orders <> 0 OR sales <> 0 ORDER BY store_key, day");
    return { gaps, days };
  }

  it('after the bulk rebuild: one store, all stores, and a two-store subset (from the orders)', async () => {
    await expectDashboards(staff('store_manager', [1]), [1]);
    await expectDashboards(staff('admin', []), [1, 2, 3]);
    await expectDashboards(staff('store_manager', [1, 2]), [1, 2]);
  }, 180_000);

  it('stays exact as orders arrive through recordOrder, and equals a rebuild afterwards', async () => {
    const raw = await loadRaw(services.sql);
    const E = NOW.getTime();
    const byMember = new Map<number, number[]>();
    for (const o of raw.orders) byMember.set(o.member, [...(byMember.get(o.member) ?? []), o.paid]);
    const live = raw.members.filter((m) => m.status === 'active');
    // A member silent for over 400 days comes back yesterday; one who never ordered buys 10 days ago;
    // a regular orders twice on the same day; an order is back-dated 200 days between two of a member's visits.
    const lapsed = live.find((m) => (byMember.get(m.id) ?? []).length > 0 && Math.max(...byMember.get(m.id)!) < E - 400 * DAY)!;
    const never = live.find((m) => !byMember.has(m.id))!;
    const regular = live.find((m) => (byMember.get(m.id) ?? []).filter((t) => t > E - 30 * DAY).length >= 2)!;
    const between = live.find((m) => {
      const ts = byMember.get(m.id) ?? [];
      return ts.some((t) => t < E - 260 * DAY) && ts.some((t) => t > E - 150 * DAY) && !ts.some((t) => t >= E - 230 * DAY && t < E - 170 * DAY);
    })!;
    // A member who joined store 1 in August and did not order in September orders back-dated in
    // September: the stored cohorts (already materialized by the first test) must follow.
    const month = (t: number) => new Date(t + 8 * 3_600_000).toISOString().slice(0, 7);
    const joiner = live.find((m) => m.store === 1 && month(m.registered) === '2026-08' && !(byMember.get(m.id) ?? []).some((t) => month(t) === '2026-09'))!;
    expect([lapsed, never, regular, between, joiner].every(Boolean)).toBe(true);
    const orders = [
      { memberId: lapsed.id, storeId: 1, paidAt: new Date(E - DAY + 3_600_000) },
      { memberId: never.id, storeId: 2, paidAt: new Date(E - 10 * DAY + 7_200_000) },
      { memberId: regular.id, storeId: 1, paidAt: new Date(E - 2 * DAY + 3_600_000) },
      { memberId: regular.id, storeId: 1, paidAt: new Date(E - 2 * DAY + 5 * 3_600_000) },
      { memberId: between.id, storeId: 3, paidAt: new Date(E - 200 * DAY) },
      { memberId: between.id, storeId: 1, paidAt: new Date(E - 200 * DAY + 3_600_000) },
      { memberId: joiner.id, storeId: 2, paidAt: new Date('2026-09-15T04:00:00.000Z') },
      // Today, after the dashboards' periods end: counted from tomorrow on.
      { memberId: lapsed.id, storeId: 2, paidAt: new Date(E + 3 * 3_600_000) },
    ];
    for (const [i, o] of orders.entries()) {
      await recordOrder(services, { orderNo: `T-SUM-${i}`, ...o, amount: `${(i + 1) * 11}.25`, items: [], paymentMethod: 'wechat' });
    }
    await expectDashboards(staff('store_manager', [1]), [1]);
    await expectDashboards(staff('store_manager', [2]), [2]);
    await expectDashboards(staff('admin', []), [1, 2, 3]);
    const incremental = await summaryRows();
    await rebuildMemberStats(services.sql, NOW);
    expect(await summaryRows()).toEqual(incremental);
  }, 90_000);

  it('a change wrapped in resyncMembers (orders moved to another member, as a merge does) keeps it exact', async () => {
    const [[from]] = await services.sql.query<any[]>('SELECT member_id AS id FROM orders GROUP BY member_id HAVING COUNT(*) >= 5 ORDER BY member_id LIMIT 1');
    const [[to]] = await services.sql.query<any[]>('SELECT member_id AS id FROM orders WHERE member_id <> ? GROUP BY member_id HAVING COUNT(*) >= 5 ORDER BY member_id DESC LIMIT 1', [from.id]);
    await withTransaction(services.sql, (conn) =>
      resyncMembers(conn, NOW, [from.id, to.id], async () => {
        await conn.query('UPDATE orders SET member_id = ? WHERE member_id = ?', [to.id, from.id]);
      }),
    );
    const moved = await summaryRows();
    await expectDashboards(staff('admin', []), [1, 2, 3]);
    await rebuildMemberStats(services.sql, NOW);
    expect(await summaryRows()).toEqual(moved);
  }, 180_000);

  it('the next day the periods move on and today’s order counts', async () => {
    clock = new Date(NOW.getTime() + DAY + 3_600_000);
    try {
      await expectDashboards(staff('store_manager', [2]), [2]);
      await expectDashboards(staff('admin', []), [1, 2, 3]);
    } finally {
      clock = NOW;
    }
  }, 180_000);
});
