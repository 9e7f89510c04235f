import { describe, expect, it } from 'vitest';
import { useCrmTestEnv } from '../../../../test/support/crm/crm-test-env.ts';
import { expectDashboards, expectedFigures, loadRaw, pick, rollingExpected } from '../../../../test/support/health-expected.ts';
import { createCustomer, recordPaidOrder, recordRefund } from '../../lifecycle/index.ts';
import { rebuildMemberStats, recordOrder } from '../../sales/rollup.ts';
import { healthDashboard } from './dashboard.ts';

// 数据实时: the dashboard counts today up to now. A member registered an hour ago and an order
// paid a minute ago (through the intake, as the API records them) show at once, on the visit
// summary (one store, all stores) and the order scan alike; refunds take orders out. The clock
// is the fixture's movable one: NOW is 2026-11-21 12:00 China time.
const HOUR = 3_600_000;

describe('health dashboard: today, live', () => {
  const crm = useCrmTestEnv('health_live', { afterFixture: (services) => rebuildMemberStats(services.sql, services.now()) });
  const { as } = crm;
  const check = () => ({ services: crm.services, access: (actor: (typeof crm.fx.staff)['hq']) => ({ services: crm.services, actor, channel: 'console' as const, requestId: 'live' }), now: () => crm.now() });

  it('a member registered an hour ago and an order paid a minute ago count in today’s figures at once', async () => {
    const now = crm.now();
    const before = await healthDashboard(as('manager1'), { granularity: 'day' });
    expect([before.current.start.getTime(), before.current.end.getTime(), before.partial]).toEqual([rollingExpected(1, now.getTime()).S, now.getTime(), true]);
    crm.at(new Date(now.getTime() - HOUR));
    const member = await createCustomer(as('manager1'), { name: '晨新', phone: '13900000077', homeStoreId: crm.fx.stores.S1 });
    crm.at(new Date(now.getTime() - 60_000));
    await recordPaidOrder(as('manager1'), { orderNo: 'LIVE-1', memberId: member.id, storeId: crm.fx.stores.S1, amount: '58.00', paidAt: new Date(now.getTime() - 60_000).toISOString(), paymentMethod: 'wechat', items: [{ name: '套餐', qty: 1, price: '58.00' }] });
    crm.at(now);
    const after = await healthDashboard(as('manager1'), { granularity: 'day' });
    expect(after.current.new).toBe(before.current.new + 1);
    expect(after.current.total).toBe(before.current.total + 1);
    expect(after.current.orders).toBe(before.current.orders + 1);
    expect(after.current.active).toBe(before.current.active + 1);
    expect(Number(after.current.sales)).toBeCloseTo(Number(before.current.sales) + 58, 2);
    // The last trend step is today so far.
    expect(after.trend.at(-1)).toMatchObject({ new: before.trend.at(-1)!.new + 1, orders: before.trend.at(-1)!.orders + 1 });
    // Every figure of every granularity against the raw rows: one store, and all stores with per-store figures.
    await expectDashboards(check(), crm.fx.staff.manager1, [crm.fx.stores.S1]);
    await expectDashboards(check(), crm.fx.staff.hq, [crm.fx.stores.S1, crm.fx.stores.S2]);
  });

  it('later the same day the comparisons move with the clock; a full refund takes the order out again', async () => {
    const now = crm.at(new Date(crm.now().getTime() + 5 * HOUR)); // 17:00 China time
    const { S, E, ref, previous, lastYear } = rollingExpected(7, now.getTime());
    const raw = await loadRaw(crm.services.sql);
    const d = await healthDashboard(as('manager1'), { granularity: 'week' });
    expect(pick(d.current)).toEqual(expectedFigures(raw, [crm.fx.stores.S1], S, E, ref));
    expect(pick(d.previous)).toEqual(expectedFigures(raw, [crm.fx.stores.S1], previous[0], previous[1]));
    expect(pick(d.lastYear)).toEqual(expectedFigures(raw, [crm.fx.stores.S1], lastYear[0], lastYear[1]));
    await recordRefund(as('manager1'), 'LIVE-1', { refundNo: 'LIVE-R1' });
    const refunded = await healthDashboard(as('manager1'), { granularity: 'week' });
    expect(refunded.current.orders).toBe(d.current.orders - 1);
    expect(refunded.current.active).toBe(d.current.active - 1);
    // A partial refund of 张伟's order 10 days ago (34.30): 10.00 less in sales, still an order.
    const [[o]] = await crm.services.sql.query<any[]>('SELECT order_no FROM orders WHERE member_id = ? ORDER BY paid_at DESC LIMIT 1', [crm.id('M00000001')]);
    await recordRefund(as('manager1'), String(o.order_no), { refundNo: 'LIVE-R2', amount: '10.00' });
    const month = await healthDashboard(as('manager1'), { granularity: 'month' });
    const monthBefore = rollingExpected(30, now.getTime());
    expect(pick(month.current)).toEqual(expectedFigures(await loadRaw(crm.services.sql), [crm.fx.stores.S1], monthBefore.S, monthBefore.E, monthBefore.ref));
    await expectDashboards(check(), crm.fx.staff.hq, [crm.fx.stores.S1, crm.fx.stores.S2]);
  });

  it('comparisons that end mid-day stay exact when orders fall just before and after that time on each edge day (summary + partial-day correction)', async () => {
    const now = crm.at('2026-11-21T09:00:00.000Z'); // 17:00 China time
    const DAY = 24 * HOUR;
    let k = 0;
    // For each granularity's previous and year-ago stretch, orders an hour before and an hour
    // after the cut time on the end day and on the days 90, 180 and 365 days before it, for
    // members of both stores (their membership of each window's edge is decided by the hour).
    for (const back of [1, 7, 30, 365, 366, 372, 395]) {
      for (const edge of [0, 90, 180, 365]) {
        for (const [i, shift] of [[0, -HOUR], [1, HOUR]] as const) {
          const memberNo = ['M00000001', 'M00000008', 'M00000005', 'M00000002'][(k + i) % 4]!;
          const store = memberNo === 'M00000008' || memberNo === 'M00000002' ? crm.fx.stores.S2 : crm.fx.stores.S1;
          const paidAt = new Date(now.getTime() - (back + edge) * DAY + shift);
          await recordOrder({ sql: crm.services.sql, now: () => now }, { orderNo: `EDGE-${k++}`, memberId: crm.id(memberNo), storeId: store, amount: '12.30', items: [], paymentMethod: 'wechat', paidAt });
        }
      }
    }
    await expectDashboards(check(), crm.fx.staff.manager1, [crm.fx.stores.S1]);
    await expectDashboards(check(), crm.fx.staff.manager2, [crm.fx.stores.S2]);
    await expectDashboards(check(), crm.fx.staff.hq, [crm.fx.stores.S1, crm.fx.stores.S2]);
  });

  it('a date range that reaches today runs until now; one that is over is whole; bad ranges are refused naming the field', async () => {
    crm.at('2026-11-21T04:00:00.000Z');
    const raw = await loadRaw(crm.services.sql);
    const stores = [crm.fx.stores.S1, crm.fx.stores.S2];
    const DAY = 86_400_000;
    const china = (ymd: string) => Date.parse(`${ymd}T00:00:00+08:00`);
    const open = await healthDashboard(as('hq'), { range: { from: '2026-11-15', to: '2026-11-30' } });
    expect(open).toMatchObject({ partial: true, range: { from: '2026-11-15', to: '2026-11-30' } });
    expect(pick(open.current)).toEqual(expectedFigures(raw, stores, china('2026-11-15'), crm.now().getTime(), china('2026-11-22')));
    const over = await healthDashboard(as('hq'), { range: { from: '2026-06-01', to: '2026-08-31' } });
    expect(over.partial).toBe(false);
    expect(pick(over.current)).toEqual(expectedFigures(raw, stores, china('2026-06-01'), china('2026-09-01')));
    expect(pick(over.previous)).toEqual(expectedFigures(raw, stores, china('2026-06-01') - 92 * DAY, china('2026-06-01')));
    expect(pick(over.lastYear)).toEqual(expectedFigures(raw, stores, china('2026-06-01') - 365 * DAY, china('2026-09-01') - 365 * DAY));
    const refused = async (range: { from: string; to: string }, field: string) =>
      expect(healthDashboard(as('hq'), { range })).rejects.toMatchObject({ code: 'invalid_period', status: 400, details: { issues: [{ path: [field] }] } });
    await refused({ from: '2026-11-15', to: '2026-11-01' }, 'to');
    await refused({ from: '2025-01-01', to: '2026-11-01' }, 'to');
    await refused({ from: '2026-11-22', to: '2026-11-30' }, 'from');
    await refused({ from: '2026-02-30', to: '2026-03-01' }, 'from');
  });
});
