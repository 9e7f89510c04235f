import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildMemberStats } from '../../src/crm/sales/rollup.ts';
import { NOW } from '../support/crm/fixture.ts';
import { createApiTestEnv, type ApiTestEnv } from './support.ts';
import { openPhone } from '../support/sealed-phone.ts';

/**
 * POST /api/crm/orders, /orders/batch, /orders/{orderNo}/refunds on the real database:
 * each write's effects in one transaction — rollups equal to a rebuild from the orders, points by
 * the level's rule (membership_levels.points_per_yuan of the migration: L2 1.00, L3 1.20), the
 * upgrade at once, the order_paid journey trigger, recall attribution — idempotency on the order
 * and refund numbers, refunds (partial, full, points never below zero), store scope.
 */
describe('admin API: orders and refunds', () => {
  let t: ApiTestEnv;
  let orderJourney = 0;
  let registeredJourney = 0;
  const sql = () => t.env.services.sql;
  const q = async (query: string, params: unknown[] = []) => (await sql().query<RowDataPacket[]>(query, params))[0];
  const member = async (id: number) => (await q('SELECT points, level FROM members WHERE id = ?', [id]))[0]!;
  const stats = async (id: number) => (await q('SELECT order_count, total_spend, spend_90d, orders_90d FROM member_stats WHERE member_id = ?', [id]))[0]!;
  const count = async (table: string) => Number((await q(`SELECT COUNT(*) AS n FROM ${table}`))[0]!.n);
  const enrolled = async (journeyId: number, memberId: number) => (await q('SELECT dedupe_key FROM journey_enrollments WHERE journey_id = ? AND member_id = ?', [journeyId, memberId])).map((r) => String(r.dedupe_key));

  /** Every rollup the writes keep, compared with a rebuild from the orders afterwards. */
  const rollups = async () => ({
    stats: (await q('SELECT * FROM member_stats ORDER BY member_id')).map(({ as_of: _, ...r }) => r),
    gaps: await q('SELECT store_key, dir, day, gap, members FROM store_visit_gaps WHERE members <> 0 ORDER BY store_key, dir, day, gap'),
    days: await q('SELECT store_key, day, orders, sales FROM store_day_sales WHERE orders <> 0 OR sales <> 0 ORDER BY store_key, day'),
  });

  const journey = async (name: string, trigger: object) => {
    const j = await t.call(t.tokens.marketer, 'POST', '/api/crm/journeys', { name, definition: { trigger, steps: [{ id: 'done', type: 'exit' }] } });
    expect(j.status).toBe(201);
    expect((await t.call(t.tokens.marketer, 'POST', `/api/crm/journeys/${j.body.id}/activate`)).status).toBe(200);
    return j.body.id as number;
  };

  beforeAll(async () => {
    t = await createApiTestEnv('api_orders', {}, { now: () => NOW });
    // The fixture inserts its orders directly: build the rollups from them, as after any bulk load.
    await rebuildMemberStats(sql(), NOW);
    orderJourney = await journey('下单后关怀', { type: 'order_paid' });
    registeredJourney = await journey('新会员欢迎', { type: 'member_registered' });
  });
  afterAll(async () => t?.cleanup());

  const order = (over: Record<string, unknown> = {}) => ({
    orderNo: 'POS-1',
    phone: '13800000001',
    storeCode: 'S1',
    amount: '1300.00',
    paidAt: '2026-11-21T11:30:00+08:00',
    paymentMethod: 'wechat',
    channel: 'dine-in',
    items: [{ name: '水煮鱼', qty: 1, price: '1300.00', category: '热菜', sku: 'D-001' }],
    ...over,
  });
  const M1 = () => t.fx.memberIds.M00000001!;

  it('records an order: rollups as a rebuild, points by the level rule, upgrade at once, order_paid fired, newest first in the list', async () => {
    const before = await member(M1());
    const statsBefore = await stats(M1());
    expect(before).toMatchObject({ level: 2, points: 1200 });
    const r = await t.call(t.tokens.manager1, 'POST', '/api/crm/orders', order());
    expect(r.status).toBe(201);
    // 1,234.80 spent in the last year + 1,300.00 crosses 金卡's 2,500: L2 → L3 at once; points by L2's rule (1 per yuan).
    expect(r.body).toEqual({
      orderId: expect.any(Number),
      orderNo: 'POS-1',
      memberId: M1(),
      memberNo: 'M00000001',
      memberCreated: false,
      storeId: t.fx.stores.S1,
      amount: '1300.00',
      paidAt: '2026-11-21T03:30:00.000Z',
      pointsEarned: 1300,
      levelUp: { from: 2, to: 3 },
    });
    expect(r.headers.get('idempotent-replayed')).toBeNull();
    expect(await member(M1())).toMatchObject({ level: 3, points: 2500 });
    expect(await q("SELECT from_level, to_level, kind, source FROM member_level_history WHERE member_id = ?", [M1()])).toEqual([{ from_level: 2, to_level: 3, kind: 'upgrade', source: 'auto' }]);
    const ledger = (await q("SELECT delta, kind, ref, expires_at FROM points_ledger WHERE member_id = ? ORDER BY id", [M1()]))[0]!;
    expect(ledger).toMatchObject({ delta: 1300, kind: 'earn', ref: 'POS-1' });
    expect(ledger.expires_at).not.toBeNull();
    const s = await stats(M1());
    expect(s.order_count).toBe(statsBefore.order_count + 1);
    expect(s.total_spend).toBe('2534.80');
    expect(await enrolled(orderJourney, M1())).toEqual([expect.stringContaining(`order_paid:o${r.body.orderId}`)]);
    expect(await t.auditRows("action = 'order.record'")).toHaveLength(1);

    // The next order earns by the new level's rule (L3: 1.2 per yuan, rounded down).
    const second = await t.call(t.tokens.manager1, 'POST', '/api/crm/orders', order({ orderNo: 'POS-2', amount: '88.50', paidAt: '2026-11-21T11:45:00+08:00', items: [{ name: '酸梅汤', qty: 1, price: '88.5' }] }));
    expect(second.body).toMatchObject({ pointsEarned: 106, levelUp: null });

    const list = await t.call(t.tokens.manager1, 'GET', `/api/crm/customers/${M1()}/orders?pageSize=3`);
    expect(list.body.items.map((o: { orderNo: string }) => o.orderNo)).toEqual(['POS-2', 'POS-1', 'O00000006']);
    expect(list.body.total).toBe(8);

    const incremental = await rollups();
    await rebuildMemberStats(sql(), NOW);
    expect(incremental).toEqual(await rollups());
  });

  it('answers the same request again as the first time and writes nothing; another body under the same number is a 409', async () => {
    const first = await t.call(t.tokens.manager1, 'POST', '/api/crm/orders', order({ orderNo: 'POS-3', amount: '20', items: [{ name: '米饭', qty: 2, price: '10' }] }));
    expect(first.status).toBe(201);
    const tables = { orders: await count('orders'), ledger: await count('points_ledger'), audits: await count('audit_logs') };
    // The same order, spelled differently (amounts, the paid instant in another offset): a replay.
    const again = await t.call(t.tokens.manager1, 'POST', '/api/crm/orders', order({ orderNo: 'POS-3', amount: '20.00', paidAt: '2026-11-21T03:30:00Z', items: [{ name: '米饭', qty: 2, price: '10.00' }] }));
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    // The row keeps only the part of the receipt it does not hold already (a narrower INSERT) …
    const [row] = await q("SELECT intake FROM orders WHERE order_no = 'POS-3'");
    expect(typeof row!.intake === 'string' ? JSON.parse(row!.intake) : row!.intake).toEqual({ memberId: first.body.memberId, memberNo: first.body.memberNo, memberCreated: false, storeId: first.body.storeId, pointsEarned: first.body.pointsEarned, levelUp: first.body.levelUp });
    // … and an order recorded before that, its whole receipt in the row, answers as it did then.
    const { orderId: _id, ...whole } = first.body;
    await q("UPDATE orders SET intake = ? WHERE order_no = 'POS-3'", [JSON.stringify(whole)]);
    const older = await t.call(t.tokens.manager1, 'POST', '/api/crm/orders', order({ orderNo: 'POS-3', amount: '20', items: [{ name: '米饭', qty: 2, price: '10' }] }));
    expect(older.status).toBe(201);
    expect(older.body).toEqual(first.body);
    const other = await t.call(t.tokens.manager1, 'POST', '/api/crm/orders', order({ orderNo: 'POS-3', amount: '21.00', items: [{ name: '米饭', qty: 2, price: '10.50' }] }));
    expect(other.status).toBe(409);
    expect(other.body.error).toMatchObject({ code: 'order_conflict', requestId: expect.any(String) });
    // Ten identical requests racing: one order.
    const race = await Promise.all(Array.from({ length: 10 }, () => t.call(t.tokens.hq, 'POST', '/api/crm/orders', order({ orderNo: 'POS-RACE', phone: '13800000003', amount: '9.90', items: [{ name: '茶', qty: 1, price: '9.90' }] }))));
    expect(race.map((x) => x.status)).toEqual(Array(10).fill(201));
    expect(new Set(race.map((x) => x.body.orderId)).size).toBe(1);
    expect({ orders: await count('orders'), ledger: await count('points_ledger'), audits: await count('audit_logs') }).toEqual({ orders: tables.orders + 1, ledger: tables.ledger + 1, audits: tables.audits + 1 });
  });

  it('refuses malformed and impossible orders naming the field, writing nothing', async () => {
    const before = { orders: await count('orders'), members: await count('members') };
    const err = async (o: Record<string, unknown>) => {
      const r = await t.call(t.tokens.hq, 'POST', '/api/crm/orders', o);
      return { status: r.status, code: r.body.error?.code, path: r.body.error?.issues?.[0]?.path };
    };
    expect(await err(order({ orderNo: 'BAD-1', amount: 12.5 }))).toEqual({ status: 422, code: 'validation_failed', path: ['amount'] });
    expect(await err(order({ orderNo: 'BAD-2', paidAt: '2026-11-21 11:30:00' }))).toEqual({ status: 422, code: 'validation_failed', path: ['paidAt'] });
    expect(await err(order({ orderNo: 'BAD-3', items: [{ name: '鱼', qty: 1, price: 9.9 }] }))).toEqual({ status: 422, code: 'validation_failed', path: ['items', 0, 'price'] });
    // Two ways of naming the member: the issue names the second.
    expect(await err(order({ orderNo: 'BAD-4', memberNo: 'M00000001' }))).toEqual({ status: 422, code: 'validation_failed', path: ['phone'] });
    expect(await err(order({ orderNo: 'BAD-5', phone: '12345' }))).toEqual({ status: 400, code: 'invalid_phone', path: ['phone'] });
    expect(await err(order({ orderNo: 'BAD-6', storeCode: 'NOPE' }))).toEqual({ status: 400, code: 'invalid_order', path: ['storeCode'] });
    expect(await err(order({ orderNo: 'BAD-7', paidAt: '2026-11-22T11:30:00+08:00' }))).toEqual({ status: 400, code: 'invalid_order', path: ['paidAt'] });
    expect(await err(order({ orderNo: 'BAD-8', phone: '13912340000' }))).toMatchObject({ status: 404, code: 'member_not_found' });
    expect({ orders: await count('orders'), members: await count('members') }).toEqual(before);
  });

  it('creates the member of an unknown phone with createMember (home store = the order’s), firing member_registered too', async () => {
    const r = await t.call(t.tokens.manager1, 'POST', '/api/crm/orders', order({ orderNo: 'POS-NEW', phone: '139 1234 5678', createMember: true, memberName: '新顾客', amount: '66.00', items: [{ name: '面', qty: 1, price: '66' }], channel: 'mini-program' }));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ memberCreated: true, pointsEarned: 66, levelUp: null });
    const [m] = await q('SELECT name, phone_enc AS phone, home_store_id, source_channel, level, points FROM members WHERE id = ?', [r.body.memberId]);
    expect({ ...m, phone: openPhone(m!.phone) }).toEqual({ name: '新顾客', phone: '13912345678', home_store_id: t.fx.stores.S1, source_channel: 'mini-program', level: 1, points: 66 });
    expect(await enrolled(registeredJourney, r.body.memberId)).toHaveLength(1);
    expect(await enrolled(orderJourney, r.body.memberId)).toHaveLength(1);
    expect(await stats(r.body.memberId)).toMatchObject({ order_count: 1, total_spend: '66.00' });
  });

  it('keeps store roles to their own stores’ members, for orders, refunds and reads', async () => {
    const before = await count('orders');
    const other = await t.call(t.tokens.manager1, 'POST', '/api/crm/orders', order({ orderNo: 'POS-X1', phone: '13800000002' })); // S2's member
    expect(other.body.error.code).toBe('member_not_found');
    expect(other.status).toBe(404);
    const store = await t.call(t.tokens.manager1, 'POST', '/api/crm/orders', order({ orderNo: 'POS-X2', storeCode: 'S2' }));
    expect(store.status).toBe(403);
    expect((await t.call(t.tokens.manager2, 'POST', '/api/crm/orders/POS-1/refunds', { refundNo: 'RF-X' })).status).toBe(404);
    expect((await t.call(t.tokens.manager2, 'GET', `/api/crm/customers/${M1()}/orders`)).status).toBe(404);
    expect((await t.call(t.tokens.agent, 'POST', '/api/crm/orders', order({ orderNo: 'POS-X3' }))).status).toBe(403);
    expect(await count('orders')).toBe(before);
  });

  it('partial then full refund: spend and frequency drop, points come back in proportion, rollups as a rebuild', async () => {
    const id = t.fx.memberIds.M00000006!; // one order of 999.00 200 days ago
    const o = await t.call(t.tokens.manager1, 'POST', '/api/crm/orders', order({ orderNo: 'POS-R1', phone: '13800000006', amount: '200.00', items: [{ name: '套餐', qty: 1, price: '200' }] }));
    expect(o.body.pointsEarned).toBe(200);
    expect(await stats(id)).toMatchObject({ order_count: 2, total_spend: '1199.00', orders_90d: 1, spend_90d: '200.00' });
    const p = await t.call(t.tokens.manager1, 'POST', '/api/crm/orders/POS-R1/refunds', { refundNo: 'RF-1', amount: '50', reason: '菜品售罄' });
    expect(p.status).toBe(201);
    expect(p.body).toMatchObject({ refundNo: 'RF-1', orderNo: 'POS-R1', amount: '50.00', refundedTotal: '50.00', orderAmount: '200.00', fullyRefunded: false, pointsReversed: 50, pointsShortfall: 0 });
    expect(await stats(id)).toMatchObject({ order_count: 2, total_spend: '1149.00', spend_90d: '150.00' });
    // Replay, then a different body under the same refund number, then more than is left.
    const again = await t.call(t.tokens.manager1, 'POST', '/api/crm/orders/POS-R1/refunds', { refundNo: 'RF-1', amount: '50.00', reason: '菜品售罄' });
    expect(again.body).toEqual(p.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await t.call(t.tokens.manager1, 'POST', '/api/crm/orders/POS-R1/refunds', { refundNo: 'RF-1', amount: '60' })).body.error.code).toBe('order_conflict');
    const over = await t.call(t.tokens.manager1, 'POST', '/api/crm/orders/POS-R1/refunds', { refundNo: 'RF-2', amount: '150.01' });
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe('refund_exceeds_order');
    // Without an amount: the rest.
    const full = await t.call(t.tokens.manager1, 'POST', '/api/crm/orders/POS-R1/refunds', { refundNo: 'RF-2' });
    expect(full.body).toMatchObject({ amount: '150.00', refundedTotal: '200.00', fullyRefunded: true, pointsReversed: 150, pointsShortfall: 0 });
    expect(await member(id)).toMatchObject({ points: 1200 });
    // A fully refunded order is no purchase: back to the one old order.
    expect(await stats(id)).toMatchObject({ order_count: 1, total_spend: '999.00', orders_90d: 0, spend_90d: '0.00' });
    expect((await t.call(t.tokens.manager1, 'POST', '/api/crm/orders/POS-R1/refunds', { refundNo: 'RF-3' })).body.error.code).toBe('refund_exceeds_order');
    expect((await t.call(t.tokens.manager1, 'POST', '/api/crm/orders/NOPE/refunds', { refundNo: 'RF-4' })).status).toBe(404);
    const v = await t.call(t.tokens.manager1, 'GET', `/api/crm/customers/${id}`);
    expect(v.body.orders).toMatchObject({ count: 1, totalSpend: '999.00' });
    // The order list keeps the order as paid, with what was refunded of it.
    const list = await t.call(t.tokens.manager1, 'GET', `/api/crm/customers/${id}/orders`);
    expect(list.body.items[0]).toMatchObject({ orderNo: 'POS-R1', amount: '200.00', refundedAmount: '200.00', channel: 'dine-in' });
    expect(list.body.items[1]).toMatchObject({ refundedAmount: '0.00', channel: null });
    expect(await q('SELECT refund_no, amount, points_reversed, points_shortfall FROM order_refunds WHERE refund_no IN (?) ORDER BY id', [['RF-1', 'RF-2']])).toEqual([
      { refund_no: 'RF-1', amount: '50.00', points_reversed: 50, points_shortfall: 0 },
      { refund_no: 'RF-2', amount: '150.00', points_reversed: 150, points_shortfall: 0 },
    ]);

    const incremental = await rollups();
    await rebuildMemberStats(sql(), NOW);
    expect(incremental).toEqual(await rollups());
  });

  it('never takes points below zero on a refund: the shortfall is answered and recorded', async () => {
    const id = t.fx.memberIds.M00000007!;
    await t.call(t.tokens.manager1, 'POST', '/api/crm/orders', order({ orderNo: 'POS-S1', phone: '13800000007', amount: '500.00', items: [{ name: '宴席', qty: 1, price: '500' }] }));
    expect((await member(id)).points).toBe(1700);
    // The member spends most of the points meanwhile.
    expect((await t.call(t.tokens.manager1, 'POST', `/api/crm/customers/${id}/points`, { delta: -1500, reason: '兑换礼品' })).status).toBe(200);
    const r = await t.call(t.tokens.manager1, 'POST', '/api/crm/orders/POS-S1/refunds', { refundNo: 'RF-S1' });
    expect(r.body).toMatchObject({ fullyRefunded: true, pointsReversed: 200, pointsShortfall: 300 });
    expect((await member(id)).points).toBe(0);
    expect(await q("SELECT delta, balance_after, kind FROM points_ledger WHERE member_id = ? AND kind = 'refund'", [id])).toEqual([{ delta: -200, balance_after: 0, kind: 'refund' }]);
    expect((await q("SELECT points_shortfall FROM order_refunds WHERE refund_no = 'RF-S1'"))[0]).toEqual({ points_shortfall: 300 });
  });

  it('attributes an order to a running recall at once, and a full refund takes the conversion back', async () => {
    const id = t.fx.memberIds.M00000004!;
    const [j] = await sql().query<ResultSetHeader>("INSERT INTO journeys (name, status, current_version, trigger_type, created_by, created_at, updated_at) VALUES ('召回', 'active', 1, 'manual', 'test', ?, ?)", [NOW, NOW]);
    const [rc] = await sql().query<ResultSetHeader>("INSERT INTO recalls (journey_id, staff_id, staff_user_id, channel, audience, member_count, launched_at) VALUES (?, 1, 'store_manager_01', 'sms', '流失会员', 1, ?)", [j.insertId, new Date(NOW.getTime() - 3 * 86_400_000)]);
    await sql().query("INSERT INTO journey_enrollments (journey_id, version, member_id, dedupe_key, state, recall_id, entered_at, updated_at) VALUES (?, 1, ?, 'recall-test', 'completed', ?, ?, ?)", [j.insertId, id, rc.insertId, NOW, NOW]);
    const converted = async () => (await q('SELECT converted_at FROM journey_enrollments WHERE recall_id = ?', [rc.insertId]))[0]!.converted_at;
    expect(await converted()).toBeNull();
    await t.call(t.tokens.manager1, 'POST', '/api/crm/orders', order({ orderNo: 'POS-C1', phone: '13800000004', amount: '80.00', items: [{ name: '回归餐', qty: 1, price: '80' }] }));
    expect(await converted()).toEqual(new Date('2026-11-21T03:30:00.000Z'));
    await t.call(t.tokens.manager1, 'POST', '/api/crm/orders/POS-C1/refunds', { refundNo: 'RF-C1' });
    expect(await converted()).toBeNull();
  });

  it('lands parallel orders and refunds of a few members exactly, rollups as a rebuild, points as the ledger says', async () => {
    const phones = ['13800000005', '13800000010', '13800000012'];
    const ids = [t.fx.memberIds.M00000005!, t.fx.memberIds.M00000010!, t.fx.memberIds.M00000012!];
    const orders = Array.from({ length: 24 }, (_, i) =>
      order({ orderNo: `PAR-${i}`, phone: phones[i % 3], amount: `${10 + i}.50`, paidAt: new Date(NOW.getTime() - (i + 1) * 60_000).toISOString(), items: [{ name: '菜', qty: 1, price: `${10 + i}.50` }] }),
    );
    const placed = await Promise.all(orders.map((o) => t.call(t.tokens.hq, 'POST', '/api/crm/orders', o)));
    expect(placed.map((r) => r.status)).toEqual(Array(24).fill(201));
    // Refund every third order fully and every other third in part, in parallel with more orders.
    const more = Array.from({ length: 6 }, (_, i) => order({ orderNo: `PAR-M${i}`, phone: phones[i % 3], amount: '5.00', items: [{ name: '茶', qty: 1, price: '5' }] }));
    const mixed = await Promise.all([
      ...Array.from({ length: 8 }, (_, i) => t.call(t.tokens.hq, 'POST', `/api/crm/orders/PAR-${i * 3}/refunds`, { refundNo: `PAR-RF-${i}` })),
      ...Array.from({ length: 8 }, (_, i) => t.call(t.tokens.hq, 'POST', `/api/crm/orders/PAR-${i * 3 + 1}/refunds`, { refundNo: `PAR-RP-${i}`, amount: '3.25' })),
      ...more.map((o) => t.call(t.tokens.hq, 'POST', '/api/crm/orders', o)),
    ]);
    expect(mixed.map((r) => r.status)).toEqual(Array(22).fill(201));
    // Balances are the opening 1,200 plus the ledger; none below zero.
    for (const id of ids) {
      const [[l]] = await sql().query<RowDataPacket[]>('SELECT COALESCE(SUM(delta), 0) AS s FROM points_ledger WHERE member_id = ?', [id]);
      expect((await member(id)).points).toBe(1200 + Number(l!.s));
    }
    const incremental = await rollups();
    await rebuildMemberStats(sql(), NOW);
    expect(incremental).toEqual(await rollups());
  });

  it('records a batch with per-order results: good, malformed, conflicting, unknown member and a replay', async () => {
    const before = await count('orders');
    const r = await t.call(t.tokens.hq, 'POST', '/api/crm/orders/batch', {
      orders: [
        order({ orderNo: 'B-1', phone: '13800000009', amount: '30.00', items: [{ name: '粥', qty: 1, price: '30' }] }),
        order({ orderNo: 'B-2', amount: 'abc' }),
        order({ orderNo: 'POS-1', amount: '1.00' }),
        order({ orderNo: 'B-4', phone: '13911110000' }),
        order(),
        'not an order',
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body.results.map((x: { status: number }) => x.status)).toEqual([201, 422, 409, 404, 201, 422]);
    expect(r.body.results.map((x: { orderNo: string | null }) => x.orderNo)).toEqual(['B-1', 'B-2', 'POS-1', 'B-4', 'POS-1', null]);
    expect(r.body.results[1].error).toMatchObject({ code: 'validation_failed', issues: expect.arrayContaining([expect.objectContaining({ path: ['amount'] })]) });
    expect(r.body.results[2].error.code).toBe('order_conflict');
    expect(r.body.results[4]).toMatchObject({ replayed: true, order: { orderNo: 'POS-1', pointsEarned: 1300 } });
    expect(r.body).toMatchObject({ recorded: 1, replayed: 1, failed: 4 });
    expect(await count('orders')).toBe(before + 1);
    expect((await t.call(t.tokens.hq, 'POST', '/api/crm/orders/batch', { orders: [] })).status).toBe(422);
    expect((await t.call(t.tokens.hq, 'POST', '/api/crm/orders/batch', { orders: Array(1001).fill(order()) })).status).toBe(422);
  });

  it('finds a batch’s members by phone in any spelling (one locking read for all the phones): two spellings are one member, a deleted member’s phone a 404, a malformed one a 400', async () => {
    const m8 = t.fx.memberIds.M00000008!;
    const ledgerBefore = Number((await q("SELECT COUNT(*) AS n FROM points_ledger WHERE member_id = ? AND kind = 'earn'", [m8]))[0]!.n);
    const r = await t.call(t.tokens.hq, 'POST', '/api/crm/orders/batch', {
      orders: [
        order({ orderNo: 'PH-1', phone: '138 0000 0008', storeCode: 'S2', amount: '20.00', items: [{ name: '粥', qty: 1, price: '20' }] }),
        order({ orderNo: 'PH-2', phone: '13800000011', amount: '5.00', items: [{ name: '茶', qty: 1, price: '5' }] }),
        order({ orderNo: 'PH-3', phone: '12345', amount: '5.00', items: [{ name: '茶', qty: 1, price: '5' }] }),
        order({ orderNo: 'PH-4', phone: '+86 138-0000-0008', storeCode: 'S2', amount: '30.00', items: [{ name: '面', qty: 1, price: '30' }] }),
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body.results.map((x: { status: number }) => x.status)).toEqual([201, 404, 400, 201]);
    expect(r.body.results[1].error.code).toBe('member_not_found');
    expect(r.body.results[2].error).toMatchObject({ code: 'invalid_phone', issues: [expect.objectContaining({ path: ['phone'] })] });
    expect([r.body.results[0].order.memberId, r.body.results[3].order.memberId]).toEqual([m8, m8]);
    expect((await q("SELECT COUNT(*) AS n FROM points_ledger WHERE member_id = ? AND kind = 'earn'", [m8]))[0]!.n).toBe(ledgerBefore + 2);
    const written = await rollups();
    await rebuildMemberStats(sql(), NOW);
    expect(await rollups()).toEqual(written);
  });

  it('lands a batch whose order the ledger already holds the points of (no earn look-up for a batch): every order recorded, those points once', async () => {
    // A batch does not look up its orders' earn entries; one there anyway fails the batch's
    // transaction on the ledger's key and the batch reruns order by order, answering it again.
    const [a, b] = [t.fx.memberIds.M00000003!, t.fx.memberIds.M00000004!];
    const [[rule]] = await sql().query<RowDataPacket[]>('SELECT l.points_per_yuan AS ppy FROM members m LEFT JOIN membership_levels l ON l.level = m.level WHERE m.id = ?', [a]);
    const earn = Math.floor(100 * Number(rule?.ppy ?? 1));
    await q("INSERT INTO points_ledger (member_id, delta, balance_after, kind, reason, ref, idempotency_key, created_by, created_at) VALUES (?, ?, 0, 'earn', 'before', 'LEDGER-1', 'order:LEDGER-1', 'system', ?)", [a, earn, NOW]);
    const [pa, pb, orders] = [(await member(a)).points, (await member(b)).points, await count('orders')];
    const r = await t.call(t.tokens.hq, 'POST', '/api/crm/orders/batch', {
      orders: [
        order({ orderNo: 'LEDGER-1', phone: undefined, memberId: a, amount: '100.00', items: [{ name: '粥', qty: 1, price: '100' }] }),
        order({ orderNo: 'LEDGER-2', phone: undefined, memberId: b, amount: '100.00', items: [{ name: '粥', qty: 1, price: '100' }] }),
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body.results.map((x: { status: number }) => x.status)).toEqual([201, 201]);
    expect(r.body.results[0].order.pointsEarned).toBe(earn);
    expect(await count('orders')).toBe(orders + 2);
    // a's points were in the ledger already (not added again); b earned its own.
    expect((await member(a)).points).toBe(pa);
    expect((await member(b)).points).toBe(pb + r.body.results[1].order.pointsEarned);
    expect(await q("SELECT COUNT(*) AS n FROM points_ledger WHERE idempotency_key = 'order:LEDGER-1'")).toEqual([{ n: 1 }]);
    // One change-feed INSERT carries the orders' rows and the members' whose points moved.
    expect(await q("SELECT object_type, object_id FROM change_feed WHERE object_id IN ('LEDGER-2', ?) ORDER BY id", [String(b)])).toEqual(expect.arrayContaining([{ object_type: 'order', object_id: 'LEDGER-2' }, { object_type: 'member', object_id: String(b) }]));
  });
});
