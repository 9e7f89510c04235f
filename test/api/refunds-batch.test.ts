import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffAccess } from '../../src/crm/kernel/index.ts';
import { isAppError } from '../../src/crm/kernel/index.ts';
import { recordOrderBatch, recordRefund, refundInputSchema } from '../../src/crm/lifecycle/index.ts';
import { rebuildMemberStats } from '../../src/crm/sales/rollup.ts';
import { createFixture, NOW } from '../support/crm/fixture.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { createApiTestEnv, type ApiTestEnv } from './support.ts';

/**
 * POST /api/crm/orders/refunds/batch against the same refunds one by one: two
 * databases with the same fixture and the same orders; one gets a mixed batch of refunds through
 * the HTTP route (partial then the rest of one order, a third refund of that order, a repeated
 * refund number with the same and with another body, more than is left, an unknown order, a
 * malformed item, a refund before its payment, a refund whose points were already spent), the
 * other the same refunds through recordRefund one after the other. Statuses, receipts and every
 * row the writes touch must be equal, the rollups equal a rebuild, and the batch sent again
 * answers as replays and writes nothing.
 */
describe('refund writer: a batch of refunds equals the same refunds one by one', () => {
  let a: ApiTestEnv;
  let b: TestEnv;
  let accessB: StaffAccess;
  beforeAll(async () => {
    a = await createApiTestEnv('rf_eq_a', {}, { now: () => NOW });
    b = await createTestEnv('rf_eq_b', {}, { now: () => NOW });
    const fxB = await createFixture(b.services);
    accessB = { services: b.services, actor: fxB.staff.hq, channel: 'api', requestId: 'rf' };
    const accessA: StaffAccess = { services: a.env.services, actor: a.fx.staff.hq, channel: 'api', requestId: 'rf' };
    const at = (h: number) => new Date(NOW.getTime() - h * 3600_000).toISOString();
    const order = (orderNo: string, memberNo: string, storeCode: string, amount: string, hoursAgo: number) => ({ orderNo, memberNo, storeCode, amount, paidAt: at(hoursAgo), paymentMethod: 'wechat', items: [{ name: '套餐', qty: 1, price: amount }] });
    const orders = [order('RQ-1', 'M00000001', 'S1', '200.00', 30), order('RQ-2', 'M00000001', 'S2', '300.00', 20), order('RQ-3', 'M00000004', 'S1', '150.00', 10), order('RQ-4', 'M00000004', 'S1', '80.00', 5), order('RQ-5', 'M00000003', 'S2', '100.00', 3)];
    for (const [e, access] of [[a.env, accessA], [b, accessB]] as const) {
      await rebuildMemberStats(e.services.sql, NOW);
      expect((await recordOrderBatch(access, orders)).map((r) => r.status)).toEqual(orders.map(() => 201));
      // M00000003 spent its points meanwhile: its refund can take back only 5 (the shortfall is recorded).
      await e.services.sql.query("UPDATE members SET points = 5 WHERE member_no = 'M00000003'");
    }
  });
  afterAll(async () => {
    await a?.cleanup();
    await b?.cleanup();
  });

  const refunds: Record<string, unknown>[] = [
    { orderNo: 'RQ-1', refundNo: 'R-1', amount: '50', reason: '菜品售罄' },
    { orderNo: 'RQ-1', refundNo: 'R-2' },
    { orderNo: 'RQ-1', refundNo: 'R-3' },
    { orderNo: 'RQ-2', refundNo: 'R-4', amount: '300.00' },
    { orderNo: 'RQ-3', refundNo: 'R-5', amount: '20.00' },
    { orderNo: 'RQ-3', refundNo: 'R-5', amount: '20' },
    { orderNo: 'RQ-3', refundNo: 'R-5', amount: '21.00' },
    { orderNo: 'RQ-4', refundNo: 'R-6', amount: '80.01' },
    { orderNo: 'NOPE-1', refundNo: 'R-7' },
    { orderNo: 'RQ-5', refundNo: 'R-8' },
    { orderNo: 'RQ-4', refundNo: 'R-9', amount: 'abc' },
    { orderNo: 'RQ-4', refundNo: 'R-10', refundedAt: new Date(NOW.getTime() - 6 * 3600_000).toISOString() },
    { orderNo: 'RQ-4', refundNo: 'R-11', amount: '30.00', refundedAt: new Date(NOW.getTime() - 3600_000).toISOString() },
  ];

  const rows = async (e: TestEnv) => {
    const q = async (query: string) => (await e.services.sql.query<RowDataPacket[]>(query))[0];
    return {
      orders: await q('SELECT order_no, member_id, amount, refunded_amount FROM orders ORDER BY order_no'),
      members: await q('SELECT member_no, points, level FROM members ORDER BY member_no'),
      stats: (await q('SELECT * FROM member_stats ORDER BY member_id')).map(({ as_of: _, ...r }) => r),
      ledger: await q('SELECT member_id, delta, balance_after, kind, reason, ref, idempotency_key FROM points_ledger ORDER BY member_id, id'),
      refunds: await q('SELECT r.refund_no, o.order_no, r.amount, r.refunded_total, r.reason, r.refunded_at, r.points_reversed, r.points_shortfall, r.request_hash FROM order_refunds r JOIN orders o ON o.id = r.order_id ORDER BY r.refund_no'),
      gaps: await q('SELECT store_key, dir, day, gap, members FROM store_visit_gaps WHERE members <> 0 ORDER BY store_key, dir, day, gap'),
      days: await q('SELECT store_key, day, orders, sales FROM store_day_sales WHERE orders <> 0 OR sales <> 0 ORDER BY store_key, day'),
      audits: await q("SELECT target_id, detail FROM audit_logs WHERE action = 'order.refund' ORDER BY id"),
    };
  };

  it('answers and writes as the refunds one by one, rollups equal a rebuild, and a replay writes nothing', async () => {
    const res = await a.call(a.tokens.hq, 'POST', '/api/crm/orders/refunds/batch', { refunds });
    expect(res.status).toBe(200);
    const batch = res.body.results as { index: number; status: number; replayed?: boolean; refund?: Record<string, unknown>; error?: { code: string } }[];

    // The same refunds one by one (the malformed one is the route's 422 before any writer: left out).
    const single: { status: number; receipt?: Record<string, unknown>; code?: string; replayed?: boolean }[] = [];
    for (const r of refunds) {
      const { orderNo, ...body } = r;
      const parsed = refundInputSchema.safeParse(body);
      if (!parsed.success) {
        single.push({ status: 422, code: 'validation_failed' });
        continue;
      }
      try {
        const out = await recordRefund(accessB, String(orderNo), parsed.data);
        single.push({ status: 201, receipt: out.receipt as unknown as Record<string, unknown>, replayed: out.replayed });
      } catch (e) {
        if (!isAppError(e)) throw e;
        single.push({ status: e.status, code: e.code });
      }
    }
    const strip = (r?: Record<string, unknown>) => (r ? { ...r, refundId: undefined } : undefined);
    expect(batch.map((r) => ({ status: r.status, code: r.error?.code, replayed: r.replayed, receipt: strip(r.refund) }))).toEqual(
      single.map((r) => ({ status: r.status, code: r.code, replayed: r.replayed, receipt: strip(r.receipt) })),
    );
    expect(batch.map((r) => r.status)).toEqual([201, 201, 409, 201, 201, 201, 409, 409, 404, 201, 422, 400, 201]);
    expect(res.body).toMatchObject({ recorded: 6, replayed: 1, failed: 6 });
    expect(batch[5]!.replayed).toBe(true);
    expect(batch[5]!.refund).toEqual(batch[4]!.refund);
    expect(batch[1]!.refund).toMatchObject({ amount: '150.00', refundedTotal: '200.00', fullyRefunded: true });
    // Points came back, and the spent ones are a shortfall, never a negative balance.
    expect(batch.some((r) => Number(r.refund?.pointsReversed) > 0)).toBe(true);
    expect(batch[9]!.refund).toMatchObject({ pointsReversed: 5 });
    expect(Number(batch[9]!.refund!.pointsShortfall)).toBeGreaterThan(0);

    const ra = await rows(a.env);
    expect(ra).toEqual(await rows(b));
    expect(ra.members.every((m) => Number(m.points) >= 0)).toBe(true);
    await rebuildMemberStats(a.env.services.sql, NOW);
    const rebuilt = await rows(a.env);
    expect({ stats: rebuilt.stats, gaps: rebuilt.gaps, days: rebuilt.days }).toEqual({ stats: ra.stats, gaps: ra.gaps, days: ra.days });

    // The same batch again: the recorded ones answer their first receipts, nothing is written.
    const again = await a.call(a.tokens.hq, 'POST', '/api/crm/orders/refunds/batch', { refunds });
    expect(again.status).toBe(200);
    const replay = again.body.results as typeof batch;
    for (const [i, r] of batch.entries()) {
      if (r.status !== 201 || i === 6) continue;
      expect(replay[i]).toMatchObject({ status: 201, replayed: true, refund: r.refund });
    }
    expect(again.body.recorded).toBe(0);
    expect(await rows(a.env)).toEqual(rebuilt);
  });

  it('takes at most 1,000 refunds and needs order.write', async () => {
    const many = Array.from({ length: 1001 }, (_, i) => ({ orderNo: 'RQ-4', refundNo: `X-${i}` }));
    expect((await a.call(a.tokens.hq, 'POST', '/api/crm/orders/refunds/batch', { refunds: many })).status).toBe(422);
    expect((await a.call(null, 'POST', '/api/crm/orders/refunds/batch', { refunds: [{ orderNo: 'RQ-4', refundNo: 'X-1' }] })).status).toBe(401);
  });
});
