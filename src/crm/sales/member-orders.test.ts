import { describe, expect, it } from 'vitest';
import { NOW } from '../../../test/support/crm/fixture.ts';
import { useCrmTestEnv } from '../../../test/support/crm/crm-test-env.ts';
import { manyOrders } from '../../../test/support/crm/many-orders.ts';
import { memberOrders, ordersOf } from './member-orders.ts';

// member.orders' page (one statement, kernel newestJson) against MariaDB: a member with more
// orders than the page, four of them paid in the same millisecond across the page's edges.
describe('member orders page', () => {
  const crm = useCrmTestEnv('member_orders');
  const { as, id } = crm;

  it('pages newest first by (paid time, id) through a tie, in a window, and past the end', async () => {
    const member = id('M00000006');
    const all = await manyOrders(crm.services, member, crm.fx.stores.S1, 'PAGE');
    const page = async (opts: { limit: number; offset?: number; days?: number }) => {
      const r = await memberOrders(as('agent'), { memberNo: 'M00000006' }, opts);
      if (r.kind !== 'one') throw new Error('expected one member');
      return r.orders;
    };
    // Cuts at 5 (inside the 4th–7th tie), 3 + 3 (both edges inside it), 2 + 4, and the last page.
    for (const [offset, limit] of [[0, 5], [3, 3], [2, 4], [14, 5], [16, 5]] as const) {
      const got = await page({ offset, limit });
      expect(got.total).toBe(16);
      expect(got.orders.map((o) => o.id)).toEqual(all.slice(offset, offset + limit).map((o) => o.id));
    }
    // The last 3 days hold the 1 h, 2 h and 3 h old orders only: a page of 2 after 1.
    const recent = await page({ days: 3, offset: 1, limit: 2 });
    const inWindow = all.filter((o) => o.paidAt.getTime() >= NOW.getTime() - 3 * 86_400_000);
    expect(recent.total).toBe(inWindow.length);
    expect(recent.orders.map((o) => o.orderNo)).toEqual(inWindow.slice(1, 3).map((o) => o.orderNo));
    // The member's own reader (my.orders) goes through the same statement by id.
    const own = await ordersOf(crm.services, (await page({ limit: 1 })).member, { limit: 6 });
    expect(own.orders.map((o) => [o.orderNo, o.amount, o.paidAt.getTime()])).toEqual(all.slice(0, 6).map((o) => [o.orderNo, o.amount, o.paidAt.getTime()]));
  });
});
