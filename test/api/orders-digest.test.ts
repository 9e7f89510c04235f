import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffAccess } from '../../src/crm/kernel/index.ts';
import { recordOrderBatch, recordRefund } from '../../src/crm/lifecycle/index.ts';
import { rebuildMemberStats } from '../../src/crm/sales/rollup.ts';
import { createFixture, NOW } from '../support/crm/fixture.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';

/**
 * The order writer folds the rollups from the members' digests (sales' member_order_digests:
 * each member's counted orders, one row) instead of reading their orders. Orders after the
 * member's last one, back-dated ones (between and before old orders), two on one day, a first
 * order, a member without a digest (whose orders are read) and a new member, then refunds and
 * orders after them: member_stats, the visit summary, day sales and the digests must equal a
 * rebuild from the orders, and a batch of members with digests reads no order row.
 */
describe('order writer: rollups from the members’ digests equal a rebuild', () => {
  let env: TestEnv;
  let access: StaffAccess;
  let ids: Record<string, number>;
  /** Statements run on the pool's connections while recording (by their text). */
  const statements: string[] = [];
  beforeAll(async () => {
    env = await createTestEnv('ord_digest', {}, { now: () => NOW });
    const fx = await createFixture(env.services);
    ids = fx.memberIds;
    access = { services: env.services, actor: fx.staff.hq, channel: 'api', requestId: 'digest' };
    // One member registered six weeks ago, so today's orders set cohort bits.
    await env.services.sql.query('UPDATE members SET registered_at = ? WHERE id = ?', [new Date(NOW.getTime() - 45 * 86_400_000), ids.M00000003]);
    await rebuildMemberStats(env.services.sql, NOW);
    const pool = env.services.sql as unknown as { getConnection: () => Promise<any> };
    const get = pool.getConnection.bind(pool);
    pool.getConnection = async () => {
      const c = await get();
      if (!c.__recorded) {
        const query = c.query.bind(c);
        c.query = (...a: any[]) => {
          statements.push(String(typeof a[0] === 'string' ? a[0] : a[0]?.sql));
          return query(...a);
        };
        c.__recorded = true;
      }
      return c;
    };
  }, 240_000);
  afterAll(async () => env?.cleanup());

  const q = async (query: string, params: unknown[] = []) => (await env.services.sql.query<RowDataPacket[]>(query, params))[0];
  const rollups = async () => ({
    stats: (await q('SELECT * FROM member_stats ORDER BY member_id')).map(({ as_of: _, ...r }) => r),
    gaps: await q('SELECT store_key, dir, day, gap, members FROM store_visit_gaps WHERE members <> 0 ORDER BY store_key, dir, day, gap'),
    days: await q('SELECT store_key, day, orders, sales FROM store_day_sales WHERE orders <> 0 OR sales <> 0 ORDER BY store_key, day'),
    digests: await q('SELECT member_id, orders FROM member_order_digests ORDER BY member_id'),
  });
  const at = (h: number) => new Date(NOW.getTime() - h * 3600_000).toISOString();
  const order = (orderNo: string, memberNo: string, storeCode: string, amount: string, hoursAgo: number) => ({
    orderNo,
    memberNo,
    storeCode,
    amount,
    paidAt: at(hoursAgo),
    paymentMethod: 'wechat',
    items: [{ name: '面', qty: 1, price: amount }],
  });
  const readsOrders = () => statements.some((s) => /FROM orders WHERE member_id IN/.test(s));

  it('every member has a digest after a rebuild, equal to their counted orders', async () => {
    const digests = await q('SELECT member_id, orders FROM member_order_digests ORDER BY member_id');
    expect(digests.length).toBe(Object.keys(ids).length);
    const m1 = digests.find((d) => Number(d.member_id) === ids.M00000001)!;
    expect(String(m1.orders).split(' ')).toHaveLength(6);
    expect(digests.find((d) => Number(d.member_id) === ids.M00000009)!.orders).toBe('');
  });

  it('mixed in-order and back-dated orders, a member without a digest, refunds after: the rollups equal a rebuild', async () => {
    // This member's digest is gone (as for data from before the digests): their orders are read.
    await q('DELETE FROM member_order_digests WHERE member_id = ?', [ids.M00000002]);
    statements.length = 0;
    const first = await recordOrderBatch(access, [
      order('DG-1', 'M00000001', 'S1', '88.50', 30), // after the last order
      order('DG-2', 'M00000001', 'S2', '12.00', 29), // the same day, another store
      order('DG-3', 'M00000005', 'S1', '66.00', 200 * 24), // between old orders (back-dated)
      order('DG-4', 'M00000007', 'S2', '45.00', 300 * 24), // before the first order
      order('DG-5', 'M00000009', 'S1', '19.90', 5), // a first order
      order('DG-6', 'M00000002', 'S2', '30.00', 4), // no digest
      order('DG-7', 'M00000003', 'S1', '25.00', 3), // a cohort bit
      { ...order('DG-8', '', 'S1', '10.00', 2), memberNo: undefined, phone: '13912345678', createMember: true },
    ]);
    expect(first.map((r) => r.status)).toEqual(first.map(() => 201));
    expect(readsOrders()).toBe(true);
    expect((await q('SELECT orders FROM member_order_digests WHERE member_id = ?', [ids.M00000002]))[0]!.orders).not.toBe('');

    await recordRefund(access, 'DG-1', { refundNo: 'DGR-1', amount: '40.00' });
    await recordRefund(access, 'DG-3', { refundNo: 'DGR-2' });
    const [old] = await q('SELECT order_no FROM orders WHERE member_id = ? ORDER BY paid_at LIMIT 1', [ids.M00000004]);
    await recordRefund(access, String(old!.order_no), { refundNo: 'DGR-3' });

    // Every member now has a digest: a batch reads none of their orders.
    statements.length = 0;
    const second = await recordOrderBatch(access, [
      order('DG-9', 'M00000001', 'S1', '20.00', 1), // after a partial refund
      order('DG-10', 'M00000005', 'S2', '77.70', 1), // after a full refund of a back-dated order
      order('DG-11', 'M00000004', 'S1', '15.00', 100 * 24), // back-dated, after a refund of the first order
      order('DG-12', 'M00000002', 'S2', '5.00', 1),
      order('DG-13', 'M00000003', 'S2', '8.00', 24 * 20),
    ]);
    expect(second.map((r) => r.status)).toEqual(second.map(() => 201));
    expect(statements.some((s) => /INSERT INTO orders/.test(s))).toBe(true);
    expect(readsOrders()).toBe(false);

    const written = await rollups();
    expect(written.stats.find((s) => Number(s.member_id) === ids.M00000003)!.cohort_orders).not.toBe(0);
    await rebuildMemberStats(env.services.sql, NOW);
    expect(written).toEqual(await rollups());
  }, 240_000);
});
