import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffAccess, StaffActor } from '../../src/crm/kernel/index.ts';
import { recordOrderBatch, recordPaidOrder, recordRefund } from '../../src/crm/lifecycle/index.ts';
import { rebuildMemberStats } from '../../src/crm/sales/rollup.ts';
import { createFixture } from '../support/crm/fixture.ts';
import { NOW } from '../support/crm/fixture.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';

/**
 * The batch writer against the same orders one by one: two databases with the same
 * fixture; one gets a mixed batch (several orders of one member, an upgrade mid-batch, a new
 * member by phone) through recordOrderBatch, the other the same orders through recordPaidOrder
 * one after the other; then the same refunds in both. Every row the writes touch must be equal,
 * and the rollups equal a rebuild.
 */
describe('order writer: a batch equals the same orders one by one', () => {
  let a: TestEnv;
  let b: TestEnv;
  let hqA: StaffActor;
  let hqB: StaffActor;
  beforeAll(async () => {
    a = await createTestEnv('ord_eq_a', {}, { now: () => NOW });
    b = await createTestEnv('ord_eq_b', {}, { now: () => NOW });
    hqA = (await createFixture(a.services)).staff.hq;
    hqB = (await createFixture(b.services)).staff.hq;
    for (const e of [a, b]) await rebuildMemberStats(e.services.sql, NOW);
  });
  afterAll(async () => {
    await a?.cleanup();
    await b?.cleanup();
  });

  const at = (h: number) => new Date(NOW.getTime() - h * 3600_000).toISOString();
  const orders = [
    { orderNo: 'EQ-1', memberNo: 'M00000001', storeCode: 'S1', amount: '88.50', paidAt: at(30), paymentMethod: 'wechat', items: [{ name: '面', qty: 1, price: '88.50' }] },
    { orderNo: 'EQ-2', memberNo: 'M00000001', storeCode: 'S1', amount: '3000.00', paidAt: at(20), paymentMethod: 'card', items: [{ name: '宴席', qty: 1, price: '3000.00' }] },
    { orderNo: 'EQ-3', memberNo: 'M00000001', storeCode: 'S2', amount: '120.00', paidAt: at(10), paymentMethod: 'cash', items: [{ name: '鱼', qty: 2, price: '60.00' }] },
    { orderNo: 'EQ-4', memberNo: 'M00000004', storeCode: 'S1', amount: '45.00', paidAt: at(5), paymentMethod: 'wechat', items: [{ name: '茶', qty: 3, price: '15.00' }] },
    { orderNo: 'EQ-5', phone: '13912345678', createMember: true, storeCode: 'S1', amount: '66.00', paidAt: at(4), paymentMethod: 'alipay', items: [{ name: '饭', qty: 1, price: '66.00' }] },
    { orderNo: 'EQ-6', phone: '13912345678', createMember: true, storeCode: 'S1', amount: '10.00', paidAt: at(3), paymentMethod: 'alipay', items: [{ name: '汤', qty: 1, price: '10.00' }] },
    { orderNo: 'EQ-7', memberNo: 'M00000004', storeCode: 'S2', amount: '500.00', paidAt: at(2), paymentMethod: 'wechat', items: [{ name: '蟹', qty: 1, price: '500.00' }] },
  ];
  const refunds: [string, { refundNo: string; amount?: string }][] = [
    ['EQ-2', { refundNo: 'EQR-1', amount: '1000.00' }],
    ['EQ-4', { refundNo: 'EQR-2' }],
  ];

  const rows = async (e: TestEnv) => {
    const q = async (query: string) => (await e.services.sql.query<RowDataPacket[]>(query))[0];
    return {
      orders: (await q('SELECT order_no, member_id, store_id, amount, refunded_amount, paid_at, request_hash, intake FROM orders ORDER BY order_no')).map((r) => ({ ...r, intake: r.intake ? { ...(typeof r.intake === 'string' ? JSON.parse(r.intake) : r.intake), orderId: undefined } : null })),
      members: await q('SELECT member_no, phone_hash, points, level, level_expires_at, home_store_id FROM members ORDER BY member_no'),
      stats: (await q('SELECT * FROM member_stats ORDER BY member_id')).map(({ as_of: _, ...r }) => r),
      ledger: await q('SELECT member_id, delta, balance_after, kind, reason, ref, expires_at, idempotency_key FROM points_ledger ORDER BY member_id, id'),
      levels: await q('SELECT member_id, from_level, to_level, kind, reason FROM member_level_history ORDER BY member_id, id'),
      gaps: await q('SELECT store_key, dir, day, gap, members FROM store_visit_gaps WHERE members <> 0 ORDER BY store_key, dir, day, gap'),
      days: await q('SELECT store_key, day, orders, sales FROM store_day_sales WHERE orders <> 0 OR sales <> 0 ORDER BY store_key, day'),
      refunds: await q('SELECT refund_no, amount, refunded_total, points_reversed, points_shortfall FROM order_refunds ORDER BY refund_no'),
    };
  };

  it('writes exactly the same rows, and the rollups equal a rebuild', async () => {
    const accessA: StaffAccess = { services: a.services, actor: hqA, channel: 'api', requestId: 'eq' };
    const accessB: StaffAccess = { services: b.services, actor: hqB, channel: 'api', requestId: 'eq' };
    const batch = await recordOrderBatch(accessA, orders);
    expect(batch.map((r) => r.status)).toEqual(orders.map(() => 201));
    const single = [];
    for (const o of orders) single.push((await recordPaidOrder(accessB, o as never)).receipt);
    const strip = (r: object) => ({ ...r, orderId: undefined });
    expect(batch.map((r) => ('order' in r ? strip(r.order) : r))).toEqual(single.map(strip));
    // Some order must have upgraded its member, or the test would not cover levels.
    expect(single.some((r) => r.levelUp !== null)).toBe(true);
    for (const [no, r] of refunds) {
      await recordRefund(accessA, no, r);
      await recordRefund(accessB, no, r);
    }
    const ra = await rows(a);
    expect(ra).toEqual(await rows(b));
    await rebuildMemberStats(a.services.sql, NOW);
    const rebuilt = await rows(a);
    expect({ stats: rebuilt.stats, gaps: rebuilt.gaps, days: rebuilt.days }).toEqual({ stats: ra.stats, gaps: ra.gaps, days: ra.days });
  });
});
