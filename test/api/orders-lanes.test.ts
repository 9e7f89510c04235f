import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffAccess } from '../../src/crm/kernel/index.ts';
import { recordOrderBatch, recordPaidOrder } from '../../src/crm/lifecycle/index.ts';
import { splitLanes } from '../../src/crm/lifecycle/intake/lanes.ts';
import { rebuildMemberStats } from '../../src/crm/sales/rollup.ts';
import { createFixture, NOW } from '../support/crm/fixture.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';

/**
 * Lanes (src/crm/lifecycle/intake/lanes.ts): a batch split by member over transactions written
 * side by side, and batches in flight at once. Every lane shares the stores and days (the visit
 * summary, day sales and cohort rows) with the others; the written rows must equal the same
 * orders one after the other, and the rollups a rebuild.
 */
const MEMBERS = ['M00000001', 'M00000002', 'M00000003', 'M00000004', 'M00000005', 'M00000006', 'M00000007', 'M00000008', 'M00000010', 'M00000012'];
const at = (h: number) => new Date(NOW.getTime() - h * 3600_000).toISOString();
/** n orders over the fixture's members and both stores, several per member, some large enough to upgrade a level. */
const ordersOf = (prefix: string, n: number, hourOffset = 0) =>
  Array.from({ length: n }, (_, i) => {
    const amount = i % 7 === 3 ? '2500.00' : `${10 + ((i * 37) % 190)}.${String((i * 13) % 100).padStart(2, '0')}`;
    return { orderNo: `${prefix}-${i}`, memberNo: MEMBERS[(i * 3) % MEMBERS.length]!, storeCode: i % 3 ? 'S1' : 'S2', amount, paidAt: at(hourOffset + 40 - (i % 40)), paymentMethod: 'wechat', items: [{ name: '套餐', qty: 1, price: amount }] };
  });

const rows = async (e: TestEnv) => {
  const q = async (query: string) => (await e.services.sql.query<RowDataPacket[]>(query))[0];
  return {
    orders: (await q('SELECT order_no, member_id, store_id, amount, paid_at, request_hash, intake FROM orders ORDER BY order_no')).map((r) => ({ ...r, intake: r.intake ? { ...(typeof r.intake === 'string' ? JSON.parse(r.intake) : r.intake), orderId: undefined } : null })),
    members: await q('SELECT member_no, points, level, level_expires_at FROM members ORDER BY member_no'),
    stats: (await q('SELECT * FROM member_stats ORDER BY member_id')).map(({ as_of: _, ...r }) => r),
    ledger: await q('SELECT member_id, delta, balance_after, kind, ref, idempotency_key FROM points_ledger ORDER BY member_id, id'),
    levels: await q('SELECT member_id, from_level, to_level, kind, reason FROM member_level_history ORDER BY member_id, id'),
    gaps: await q('SELECT store_key, dir, day, gap, members FROM store_visit_gaps WHERE members <> 0 ORDER BY store_key, dir, day, gap'),
    days: await q('SELECT store_key, day, orders, sales FROM store_day_sales WHERE orders <> 0 OR sales <> 0 ORDER BY store_key, day'),
    feed: await q("SELECT object_type, object_id FROM change_feed WHERE object_type = 'order' ORDER BY object_id"),
  };
};

describe('order writer lanes', () => {
  let a: TestEnv;
  let b: TestEnv;
  let accessA: StaffAccess;
  let accessB: StaffAccess;
  beforeAll(async () => {
    a = await createTestEnv('ord_lanes_a', {}, { now: () => NOW });
    b = await createTestEnv('ord_lanes_b', {}, { now: () => NOW });
    accessA = { services: a.services, actor: (await createFixture(a.services)).staff.hq, channel: 'api', requestId: 'lanes' };
    accessB = { services: b.services, actor: (await createFixture(b.services)).staff.hq, channel: 'api', requestId: 'lanes' };
    for (const e of [a, b]) await rebuildMemberStats(e.services.sql, NOW);
  }, 300_000);
  afterAll(async () => {
    await a?.cleanup();
    await b?.cleanup();
  });

  it('splits by member only: each member in one lane in batch order; mixed member keys stay in one lane', () => {
    const items = ordersOf('SP', 60).map((input, at) => ({ input, at }));
    const lanes = splitLanes(items, 3);
    expect(lanes.length).toBeGreaterThan(1);
    expect(lanes.flat().map((p) => p.at).sort((x, y) => x - y)).toEqual(items.map((p) => p.at));
    const laneOf = new Map<string, number>();
    lanes.forEach((lane, k) => {
      expect(lane.map((p) => p.at)).toEqual([...lane.map((p) => p.at)].sort((x, y) => x - y));
      for (const p of lane) {
        expect(laneOf.get(p.input.memberNo) ?? k).toBe(k);
        laneOf.set(p.input.memberNo, k);
      }
    });
    const mixed = [...items, { input: { ...items[0]!.input, memberNo: undefined, phone: '13800000001' } as never, at: 60 }];
    expect(splitLanes(mixed, 3)).toEqual([mixed]);
    // Below the size threshold a batch is one lane unless told otherwise.
    expect(splitLanes(items)).toEqual([items]);
  });

  it('a batch in three lanes writes exactly what the same orders one by one write, and the rollups equal a rebuild', async () => {
    const orders = ordersOf('LN', 90);
    const batch = await recordOrderBatch(accessA, orders, {}, { lanes: 3 });
    expect(batch.map((r) => r.status)).toEqual(orders.map(() => 201));
    const single = [];
    for (const o of orders) single.push((await recordPaidOrder(accessB, o as never)).receipt);
    // Some order upgraded its member, so levels reached mid-batch are covered.
    expect(single.some((r) => r.levelUp !== null)).toBe(true);
    const strip = (r: object) => ({ ...r, orderId: undefined });
    expect(batch.map((r) => ('order' in r ? strip(r.order) : r))).toEqual(single.map(strip));
    const written = await rows(a);
    expect(written).toEqual(await rows(b));
    await rebuildMemberStats(a.services.sql, NOW);
    const rebuilt = await rows(a);
    expect({ stats: rebuilt.stats, gaps: rebuilt.gaps, days: rebuilt.days }).toEqual({ stats: written.stats, gaps: written.gaps, days: written.days });
  }, 300_000);

  it('is idempotent: the same batch again answers every order as replayed and writes nothing', async () => {
    const orders = ordersOf('LN', 90);
    const before = await rows(a);
    const again = await recordOrderBatch(accessA, orders, {}, { lanes: 3 });
    expect(again.every((r) => r.status === 201 && 'order' in r && r.replayed)).toBe(true);
    expect(await rows(a)).toEqual(before);
  }, 120_000);

  it('batches in flight at once, sharing members, stores and days, leave exact rollups and every point', async () => {
    const first = ordersOf('CA', 80, 1);
    const second = ordersOf('CB', 80, 2);
    const third = ordersOf('CC', 80, 3);
    const [points0] = await a.services.sql.query<RowDataPacket[]>('SELECT COALESCE(SUM(points), 0) AS p FROM members');
    const answers = await Promise.all([first, second, third].map((o) => recordOrderBatch(accessA, o, {}, { lanes: 2 })));
    expect(answers.flat().filter((r) => r.status !== 201)).toEqual([]);
    const earned = answers.flat().reduce((s, r) => s + ('order' in r ? r.order.pointsEarned : 0), 0);
    expect(earned).toBeGreaterThan(0);
    const [points1] = await a.services.sql.query<RowDataPacket[]>('SELECT COALESCE(SUM(points), 0) AS p FROM members');
    expect(Number(points1[0]!.p) - Number(points0[0]!.p)).toBe(earned);
    const [ledger] = await a.services.sql.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM points_ledger WHERE idempotency_key LIKE 'order:C%'");
    expect(Number(ledger[0]!.n)).toBe(answers.flat().filter((r) => 'order' in r && r.order.pointsEarned > 0).length);
    const written = await rows(a);
    expect(written.feed.filter((f) => /^C[ABC]-/.test(String(f.object_id))).length).toBe(240);
    await rebuildMemberStats(a.services.sql, NOW);
    const rebuilt = await rows(a);
    expect({ stats: rebuilt.stats, gaps: rebuilt.gaps, days: rebuilt.days }).toEqual({ stats: written.stats, gaps: written.gaps, days: written.days });
  }, 300_000);
});
