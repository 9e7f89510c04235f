import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/support/env.ts';
import type { StaffActor } from '../kernel/index.ts';
import type { Services } from '../../services.ts';
import { CHINA, DAY, expectDashboards as expectDashboardsOf, expectedCohorts, generate, loadRaw, type RawMember, type RawOrder } from '../../../test/support/health-expected.ts';
import { adjustPoints } from '../loyalty/points/adjust.ts';
import { rebuildMemberStats } from '../sales/rollup.ts';
import { eraseMember } from './erase.ts';
import { mergeMembers } from './merge.ts';

// A merge moves orders between members, so it must move the rollups with them in the same
// transaction: both members' member_stats rows, the store visit summary and the stored cohorts
// are compared with plain computations over the raw orders and members rows (the health
// summary test's helper) after a merge, and left untouched by a merge that fails midway.
const NOW = new Date('2026-11-21T16:00:00.000Z'); // 2026-11-22 00:00 China time

describe('member merge keeps the rollups exact', () => {
  let env: TestEnv;
  let services: Services;
  let seq = 0;
  const staff = (role: StaffActor['role'], storeIds: number[]): StaffActor => ({ kind: 'staff', staffId: 1, wecomUserId: `t_${role}`, name: 't', role, storeIds });
  const admin = staff('admin', []);
  const access = (actor: StaffActor) => ({ services, actor, channel: 'console' as const, requestId: `merge-${++seq}` });

  beforeAll(async () => {
    env = await createTestEnv('merge_rollups', {}, { now: () => NOW });
    services = env.services;
    await generate(services, 300, NOW);
    await rebuildMemberStats(services.sql, NOW);
  }, 120_000);
  afterAll(async () => env?.cleanup());

  /** Every dashboard figure of these stores (all granularities, cohorts included) against the raw rows. */
  const expectDashboards = (actor: StaffActor, stores: number[]) => expectDashboardsOf({ services, access, now: () => NOW }, actor, stores);

  /** A member's member_stats row as the rollup defines it, computed from their raw orders. */
  function expectedStats(raw: { orders: RawOrder[]; members: RawMember[] }, id: number) {
    const mine = raw.orders.filter((o) => o.member === id && o.paid <= NOW.getTime()).sort((a, b) => a.paid - b.paid);
    const age = (o: RawOrder) => NOW.getTime() - o.paid;
    const sum = (os: RawOrder[]) => (os.reduce((a, o) => a + o.cents, 0) / 100).toFixed(2);
    const days = [...new Set(mine.map((o) => Math.floor((o.paid + CHINA) / DAY)))];
    const gaps = days.slice(1).map((d, i) => d - days[i]!).sort((a, b) => a - b);
    const median = gaps.length ? (gaps.length % 2 ? gaps[gaps.length >> 1]! : (gaps[gaps.length / 2 - 1]! + gaps[gaps.length / 2]!) / 2) : null;
    const monthNo = (t: number) => {
      const d = new Date(t + CHINA);
      return d.getUTCFullYear() * 12 + d.getUTCMonth();
    };
    const reg = monthNo(raw.members.find((m) => m.id === id)!.registered);
    let cohort = 0;
    for (const o of mine) {
      const k = monthNo(o.paid) - reg;
      if (k >= 1 && k <= 3) cohort |= 1 << (k - 1);
    }
    const in90 = mine.filter((o) => age(o) < 90 * DAY);
    const in365 = mine.filter((o) => age(o) < 365 * DAY);
    return {
      orderCount: mine.length,
      orderDays: days.length,
      firstOrderAt: mine.length ? mine[0]!.paid : null,
      lastOrderAt: mine.length ? mine[mine.length - 1]!.paid : null,
      totalSpend: sum(mine),
      firstDaySpend: sum(mine.filter((o) => Math.floor((o.paid + CHINA) / DAY) === days[0])),
      medianGapDays: median,
      orders90d: in90.length,
      spend90d: sum(in90),
      spendPrev90d: sum(mine.filter((o) => age(o) >= 90 * DAY && age(o) < 180 * DAY)),
      orders365d: in365.length,
      spend365d: sum(in365),
      cohortOrders: cohort,
    };
  }

  async function storedStats(id: number) {
    const [[r]] = await services.sql.query<any[]>('SELECT * FROM member_stats WHERE member_id = ?', [id]);
    return {
      orderCount: Number(r.order_count),
      orderDays: Number(r.order_days),
      firstOrderAt: r.first_order_at === null ? null : new Date(r.first_order_at).getTime(),
      lastOrderAt: r.last_order_at === null ? null : new Date(r.last_order_at).getTime(),
      totalSpend: String(r.total_spend),
      firstDaySpend: String(r.first_day_spend),
      medianGapDays: r.median_gap_days === null ? null : Number(r.median_gap_days),
      orders90d: Number(r.orders_90d),
      spend90d: String(r.spend_90d),
      spendPrev90d: String(r.spend_prev_90d),
      orders365d: Number(r.orders_365d),
      spend365d: String(r.spend_365d),
      cohortOrders: Number(r.cohort_orders),
    };
  }

  /** The visit summary and the stored cohorts as a comparable value (zero rows left by subtractions dropped). */
  async function summaryRows() {
    const [gaps] = await services.sql.query<any[]>('SELECT store_key, dir, day, gap, members FROM store_visit_gaps WHERE members <> 0 ORDER BY store_key, dir, day, gap');
    const [days] = await services.sql.query<any[]>('SELECT store_key, day, orders, sales FROM store_day_sales WHERE orders <> 0 OR sales <> 0 ORDER BY store_key, day');
    const [cohorts] = await services.sql.query<any[]>('SELECT * FROM store_cohorts ORDER BY store_id, end_month, month');
    return { gaps, days, cohorts };
  }

  /**
   * Two live members with orders: the duplicate in a cohort the dashboard shows (registered in
   * the six months before NOW's month) with an order in its first three months, at `store`.
   */
  async function pair(store: number, skip: number[]) {
    const raw = await loadRaw(services.sql);
    const month = (t: number) => new Date(t + CHINA).toISOString().slice(0, 7);
    const ordersOf = (id: number) => raw.orders.filter((o) => o.member === id);
    const live = raw.members.filter((m) => m.status === 'active' && !skip.includes(m.id) && ordersOf(m.id).length >= 2);
    const dup = live.find((m) => m.store === store && month(m.registered) >= '2026-05' && month(m.registered) <= '2026-09' && expectedStats(raw, m.id).cohortOrders !== 0)!;
    const survivor = live.find((m) => m.id !== dup?.id && m.store !== store && ordersOf(m.id).length >= 5)!;
    expect(dup && survivor).toBeTruthy();
    return { S: survivor.id, M: dup.id, store, raw };
  }

  it('after a merge both member_stats rows, the visit summary, the cohorts and the dashboards equal the raw computation', async () => {
    const { S, M, store, raw: before } = await pair(1, []);
    // Dashboards first: they materialize the stored cohorts, which the merge must then adjust.
    await expectDashboards(admin, [1, 2, 3]);
    await expectDashboards(staff('store_manager', [store]), [store]);
    await adjustPoints(access(admin), { memberId: M, delta: 250, reason: '消费奖励' });
    const ordersS = before.orders.filter((o) => o.member === S).length;
    const ordersM = before.orders.filter((o) => o.member === M).length;

    const r = await mergeMembers(access(admin), { survivorId: S, mergedId: M, reason: '同一人' });
    expect(r.moved).toMatchObject({ orders: ordersM, points: 250 });

    const raw = await loadRaw(services.sql);
    expect(raw.orders.filter((o) => o.member === S)).toHaveLength(ordersS + ordersM);
    expect(await storedStats(S)).toEqual(expectedStats(raw, S));
    expect(await storedStats(M)).toEqual(expectedStats(raw, M));
    expect((await storedStats(M)).orderCount).toBe(0);
    await expectDashboards(admin, [1, 2, 3]);
    await expectDashboards(staff('store_manager', [store]), [store]);
    // The cohort the duplicate belonged to is one member smaller.
    const monthOfM = new Date(before.members.find((m) => m.id === M)!.registered + CHINA).toISOString().slice(0, 7);
    const size = (rows: ReturnType<typeof expectedCohorts>) => rows.find((c) => c.month === monthOfM)!.size;
    expect(size(expectedCohorts(raw, [store], NOW.getTime(), 6))).toBe(size(expectedCohorts(before, [store], NOW.getTime(), 6)) - 1);
    const [ledger] = await services.sql.query<any[]>("SELECT member_id, delta, balance_after FROM points_ledger WHERE kind = 'merge' ORDER BY id");
    expect(ledger.map((e) => [Number(e.member_id), e.delta, e.balance_after])).toEqual([[M, -250, 0], [S, 250, 250]]);
    // The incremental summary equals a full rebuild's (which recomputes the visit summary; cohorts on next use).
    const incremental = await summaryRows();
    await rebuildMemberStats(services.sql, NOW);
    await expectDashboards(admin, [1, 2, 3]);
    await expectDashboards(staff('store_manager', [store]), [store]);
    expect(await summaryRows()).toEqual(incremental);
  }, 120_000);

  it('a merge that fails at its last step leaves orders, ledger, member_stats and every summary unchanged', async () => {
    const [[done]] = await services.sql.query<any[]>('SELECT survivor_id, merged_id FROM member_merges');
    const { S, M, store } = await pair(2, [Number(done.survivor_id), Number(done.merged_id)]);
    await expectDashboards(staff('store_manager', [store]), [store]); // cohorts stored again after the rebuild
    await adjustPoints(access(admin), { memberId: M, delta: 80, reason: '消费奖励' });
    const snapshot = async () => {
      const [orders] = await services.sql.query<any[]>('SELECT id, member_id FROM orders WHERE member_id IN (?) ORDER BY id', [[S, M]]);
      const [ledger] = await services.sql.query<any[]>('SELECT * FROM points_ledger ORDER BY id');
      const [members] = await services.sql.query<any[]>('SELECT id, status, points, growth_value, merged_into_id FROM members WHERE id IN (?) ORDER BY id', [[S, M]]);
      return { orders, ledger, members, statsS: await storedStats(S), statsM: await storedStats(M), summary: await summaryRows() };
    };
    const before = await snapshot();
    expect(before.orders.length).toBeGreaterThan(0);
    // The merge's last write is the member_merges row: make it fail, everything before must undo.
    await services.sql.query("CREATE TRIGGER fail_merge_rollups BEFORE INSERT ON member_merges FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected'");
    try {
      await expect(mergeMembers(access(admin), { survivorId: S, mergedId: M })).rejects.toThrow(/injected/);
    } finally {
      await services.sql.query('DROP TRIGGER fail_merge_rollups');
    }
    expect(await snapshot()).toEqual(before);
    await expectDashboards(staff('store_manager', [store]), [store]);
  }, 120_000);

  it('an erased member leaves their registration cohort at once; their orders keep counting', async () => {
    const [merges] = await services.sql.query<any[]>('SELECT survivor_id, merged_id FROM member_merges');
    const { M, store, raw: before } = await pair(3, merges.flatMap((m) => [Number(m.survivor_id), Number(m.merged_id)]));
    await expectDashboards(staff('store_manager', [store]), [store]); // stores this month's cohorts
    await eraseMember(access(admin), { memberId: M, reason: 'PIPL 删除请求' });
    const raw = await loadRaw(services.sql);
    expect(raw.members.find((m) => m.id === M)!.status).toBe('deleted');
    expect(raw.orders.filter((o) => o.member === M)).toHaveLength(before.orders.filter((o) => o.member === M).length);
    const monthOfM = new Date(before.members.find((m) => m.id === M)!.registered + CHINA).toISOString().slice(0, 7);
    const size = (rows: ReturnType<typeof expectedCohorts>) => rows.find((c) => c.month === monthOfM)!.size;
    expect(size(expectedCohorts(raw, [store], NOW.getTime(), 6))).toBe(size(expectedCohorts(before, [store], NOW.getTime(), 6)) - 1);
    await expectDashboards(staff('store_manager', [store]), [store]);
    await expectDashboards(admin, [1, 2, 3]);
  }, 120_000);
});
