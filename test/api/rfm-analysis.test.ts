import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW } from '../support/crm/fixture.ts';
import { createApiTestEnv, type ApiTestEnv } from './support.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** The end of the range 2026-10-01 … 2026-11-20: midnight of 21 November in China. */
const END = Date.parse('2026-11-20T16:00:00Z');
const at = (ms: number) => new Date(ms).toISOString();

/*
 * POST /api/crm/insights/rfm/analysis (004 §2.3.1) on a dataset worked out by hand, in a store of
 * its own (S3) so the fixture's members stay out of it. Member i (1..9) has i orders of 100 yuan
 * in the range, the last one (10 − i)·3 days (and an hour) before its end, so R, F and M rank the
 * members the same way. With 3 grades the cut points are the 3rd and 6th of 9 values:
 * days 9 / 18, orders 3 / 6, spend 300 / 600 (member 5's 450 after a refund of 50 keeps its
 * rank) — members 7–9 grade 3, 4–6 grade 2, 1–3 grade 1. Left out: member 1's order before
 * the range, member 9's fully refunded extra order, member 10 (ordered only before the range)
 * and member 11 (only a fully refunded order in it).
 */
describe('admin API: RFM analysis over a date range', () => {
  let t: ApiTestEnv;
  const ids: number[] = [];
  let orderSeq = 0;

  const order = async (memberId: number, paidAtMs: number, amount: string) => {
    const orderNo = `RFM-${++orderSeq}`;
    const r = await t.call(t.tokens.hq, 'POST', '/api/crm/orders', { orderNo, memberId, storeCode: 'S3', amount, paidAt: at(paidAtMs), paymentMethod: 'wechat', items: [{ name: '套餐', qty: 1, price: amount }] });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return orderNo;
  };
  const refund = async (orderNo: string, amount?: string) => {
    const r = await t.call(t.tokens.hq, 'POST', `/api/crm/orders/${orderNo}/refunds`, { refundNo: `R-${orderNo}`, ...(amount ? { amount } : {}) });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  };
  const analyse = (token: string, body: object) => t.call(token, 'POST', '/api/crm/insights/rfm/analysis', body);

  beforeAll(async () => {
    t = await createApiTestEnv('api_rfm_analysis', {}, { now: () => NOW });
    await t.env.services.sql.query("INSERT INTO stores (code, name, city) VALUES ('S3', '杭州三店', '杭州')");
    for (let i = 1; i <= 11; i++) {
      const c = await t.call(t.tokens.hq, 'POST', '/api/crm/customers', { name: `分析${i}`, phone: `1371111${String(i).padStart(4, '0')}`, homeStore: 'S3' });
      expect(c.status, JSON.stringify(c.body)).toBe(201);
      ids.push(c.body.id);
    }
    for (let i = 1; i <= 9; i++) {
      const last = END - (10 - i) * 3 * DAY - HOUR;
      let lastNo = '';
      for (let k = i - 1; k >= 0; k--) lastNo = await order(ids[i - 1]!, last - k * DAY, '100.00');
      if (i === 5) await refund(lastNo, '50.00');
    }
    await order(ids[0]!, Date.parse('2026-09-15T04:00:00Z'), '300.00');
    await refund(await order(ids[8]!, END - 2 * DAY, '500.00'));
    await order(ids[9]!, Date.parse('2026-09-20T04:00:00Z'), '800.00');
    await refund(await order(ids[10]!, END - 5 * DAY, '200.00'));
  }, 180_000);
  afterAll(async () => t?.cleanup());

  it('grades the members of the range by hand-computed cut points, net of refunds, with each grade’s figures', async () => {
    const store = (await t.env.services.sql.query<any[]>("SELECT id FROM stores WHERE code = 'S3'"))[0][0].id;
    const r = await analyse(t.tokens.hq, { from: '2026-10-01', to: '2026-11-20', grades: 3, weights: { r: 1, f: 1, m: 1 }, storeId: store });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ from: '2026-10-01', to: '2026-11-20', partial: false, grades: 3, members: 9, cuts: { r: [9, 18], f: [3, 6], m: [300, 600] } });
    expect(r.body.byGrade.map((g: any) => [g.grade, g.members, g.totalSpend, g.avgRecencyDays, g.avgOrders])).toEqual([
      [3, 3, '2400.00', 6, 8],
      [2, 3, '1450.00', 15, 5],
      [1, 3, '600.00', 24, 2],
    ]);
    expect(r.body.byGrade[0].spendShare).toBeCloseTo(2400 / 4450, 4);
    expect(r.body.byGrade[0].share).toBeCloseTo(1 / 3, 4);
  });

  it('lists one grade’s members, best first and paged; phones masked for a reader without member.phone.view', async () => {
    const store = (await t.env.services.sql.query<any[]>("SELECT id FROM stores WHERE code = 'S3'"))[0][0].id;
    const page1 = await analyse(t.tokens.hq, { from: '2026-10-01', to: '2026-11-20', grades: 3, weights: { r: 1, f: 1, m: 1 }, storeId: store, grade: 3, pageSize: 2 });
    expect(page1.status).toBe(200);
    expect(page1.body.list).toMatchObject({ grade: 3, page: 1, pageSize: 2, total: 3 });
    // All three score 3.00: the member id breaks the tie, so pages never overlap.
    expect(page1.body.list.items.map((m: any) => [m.id, m.orders, m.spend, m.recencyDays, m.score])).toEqual([
      [ids[6], 7, '700.00', 9, 3],
      [ids[7], 8, '800.00', 6, 3],
    ]);
    expect(page1.body.list.items[0].phone).toBe('13711110007');
    const page2 = await analyse(t.tokens.marketer, { from: '2026-10-01', to: '2026-11-20', grades: 3, weights: { r: 1, f: 1, m: 1 }, storeId: store, grade: 3, pageSize: 2, page: 2 });
    expect(page2.body.list.items.map((m: any) => [m.id, m.phone])).toEqual([[ids[8], '137****0009']]);
    const audit = await t.auditRows("action = 'insights.rfm.analysis'");
    expect(audit.at(-1).detail.memberIds).toEqual([ids[8]]);
  });

  it('keeps to the caller’s stores: another store’s manager sees nobody of S3', async () => {
    const store = (await t.env.services.sql.query<any[]>("SELECT id FROM stores WHERE code = 'S3'"))[0][0].id;
    const r = await analyse(t.tokens.manager1, { from: '2026-10-01', to: '2026-11-20', grades: 3, storeId: store });
    expect(r.status).toBe(200);
    expect(r.body.members).toBe(0);
    expect(r.body.byGrade.every((g: any) => g.members === 0)).toBe(true);
  });

  it('answers 400 naming the field for a range that is not real, and for a grade beyond the grades', async () => {
    const backwards = await analyse(t.tokens.hq, { from: '2026-11-01', to: '2026-10-01' });
    expect([backwards.status, backwards.body.error.code, backwards.body.error.issues[0].path]).toEqual([400, 'invalid_period', ['to']]);
    const long = await analyse(t.tokens.hq, { from: '2020-01-01', to: '2026-11-20' });
    expect([long.status, long.body.error.code]).toEqual([400, 'invalid_period']);
    const future = await analyse(t.tokens.hq, { from: '2027-01-01', to: '2027-02-01' });
    expect([future.status, future.body.error.code, future.body.error.issues[0].path]).toEqual([400, 'invalid_period', ['from']]);
    const grade = await analyse(t.tokens.hq, { from: '2026-10-01', to: '2026-11-20', grades: 3, grade: 4 });
    expect([grade.status, grade.body.error.code, grade.body.error.issues[0].path]).toEqual([400, 'invalid_rfm_settings', ['grade']]);
    const grades = await analyse(t.tokens.hq, { from: '2026-10-01', to: '2026-11-20', grades: 11 });
    expect(grades.status).toBe(422);
    expect(grades.body.error.issues[0].path).toEqual(['grades']);
    const agent = await analyse(t.tokens.agent, { from: '2026-10-01', to: '2026-11-20' });
    expect(agent.status).toBe(403);
  });
});
