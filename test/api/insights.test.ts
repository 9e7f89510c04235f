import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW } from '../support/crm/fixture.ts';
import { runScoring } from '../../src/crm/insights/scores/index.ts';
import { createApiTestEnv, type ApiTestEnv } from './support.ts';

// /api/crm/insights/* on the hand-made fixture: the churn list before and after the first
// scoring run, the RFM overview against SQL, the health dashboard with its chart, and scope.
describe('admin API: insights', () => {
  let t: ApiTestEnv;
  beforeAll(async () => {
    t = await createApiTestEnv('api_insights', {}, { now: () => NOW });
  });
  afterAll(async () => t?.cleanup());

  it('churn list: the rule list before any scoring run, then the model with reasons', async () => {
    const before = await t.call(t.tokens.manager1, 'GET', '/api/crm/insights/churn');
    expect(before.status).toBe(200);
    expect(before.body.source).toBe('rule');
    expect(before.body.entries.map((e: { memberNo: string }) => e.memberNo)).toEqual(['M00000004', 'M00000012', 'M00000010', 'M00000007']);
    await runScoring({ services: t.env.services });
    const after = await t.call(t.tokens.manager1, 'GET', '/api/crm/insights/churn?level=high');
    expect(after.status).toBe(200);
    expect(after.body.source).toBe('model');
    const [rows] = await t.env.services.sql.query<any[]>(
      `SELECT m.member_no FROM member_scores s JOIN members m ON m.id = s.member_id JOIN member_stats ms ON ms.member_id = m.id
       WHERE m.status = 'active' AND m.home_store_id = ? AND s.churn_level = 'high' AND ms.order_count > 0 AND ms.last_order_at > ? - INTERVAL 365 DAY
       ORDER BY ROUND(s.churn_risk, 2) DESC, ms.total_spend DESC, m.id`,
      [t.fx.stores.S1, NOW],
    );
    expect(after.body.entries.map((e: { memberNo: string }) => e.memberNo)).toEqual(rows.map((r) => r.member_no));
    expect(after.body.entries.every((e: { reasons: string[] }) => e.reasons.length > 0)).toBe(true);
    // The lapsed regular (every 20 days, silent 150) is on it, with that rhythm in words.
    const lina = after.body.entries.find((e: { memberNo: string }) => e.memberNo === 'M00000004');
    expect(lina.reasons[0]).toBe('150 天未消费，平时约 20 天一次');
  });

  it('RFM overview counts the scope’s members per cell', async () => {
    const r = await t.call(t.tokens.manager2, 'GET', '/api/crm/insights/rfm');
    expect(r.status).toBe(200);
    const [rows] = await t.env.services.sql.query<any[]>(
      "SELECT s.rfm_cell, COUNT(*) AS n FROM member_scores s JOIN members m ON m.id = s.member_id WHERE m.home_store_id = ? AND m.status <> 'deleted' GROUP BY s.rfm_cell",
      [t.fx.stores.S2],
    );
    expect(Object.fromEntries(r.body.cells.filter((c: { members: number }) => c.members).map((c: { cell: string; members: number }) => [c.cell, c.members]))).toEqual(
      Object.fromEntries(rows.map((x) => [x.rfm_cell, Number(x.n)])),
    );
  });

  it('health dashboard with the chart; another store is refused; agents lack churn.read', async () => {
    const r = await t.call(t.tokens.hq, 'GET', '/api/crm/insights/health?granularity=month&chart=true');
    expect(r.status).toBe(200);
    expect(r.body.perStore).toHaveLength(2);
    expect(r.body.trend).toHaveLength(12);
    expect(r.body.current.total).toBe(r.body.perStore.reduce((a: number, s: { figures: { total: number } }) => a + s.figures.total, 0));
    const png = Buffer.from(r.body.chart.pngBase64, 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(r.body.chart.width);
    expect((await t.call(t.tokens.manager1, 'GET', `/api/crm/insights/health?store=${t.fx.stores.S2}`)).status).toBe(403);
    expect((await t.call(t.tokens.agent, 'GET', '/api/crm/insights/health')).status).toBe(403);
  });

  it('health dashboard for this quarter, this year and a date range: figures equal SQL over the fixture; bad ranges are 400 naming the field', async () => {
    const sql = t.env.services.sql;
    const stores = [t.fx.stores.S1, t.fx.stores.S2];
    const china = (ymd: string) => new Date(`${ymd}T00:00:00+08:00`);
    // NOW is 2026-11-21 12:00 China time: the quarter and the year are still running, the range is over.
    const cases: [string, Date, Date][] = [
      ['period=this_quarter', china('2026-10-01'), NOW],
      ['period=this_year', china('2026-01-01'), NOW],
      ['from=2026-06-01&to=2026-08-15', china('2026-06-01'), china('2026-08-16')],
    ];
    for (const [query, start, end] of cases) {
      const r = await t.call(t.tokens.hq, 'GET', `/api/crm/insights/health?${query}`);
      expect(r.status, query).toBe(200);
      expect([r.body.current.start, r.body.current.end], query).toEqual([start.toISOString(), end.toISOString()]);
      expect(r.body.partial, query).toBe(end === NOW);
      const [[o]] = await sql.query<any[]>(
        `SELECT COUNT(*) AS orders, COALESCE(SUM(amount - refunded_amount), 0) AS sales, COUNT(DISTINCT member_id) AS active
         FROM orders WHERE store_id IN (?) AND paid_at >= ? AND paid_at < ? AND refunded_amount < amount`,
        [stores, start, end],
      );
      const [[m]] = await sql.query<any[]>(
        "SELECT SUM(registered_at < ?) AS total, SUM(registered_at >= ?) AS n FROM members WHERE home_store_id IN (?) AND registered_at < ? AND status <> 'deleted'",
        [end, start, stores, end],
      );
      expect(r.body.current, query).toMatchObject({ orders: Number(o.orders), sales: Number(o.sales).toFixed(2), active: Number(o.active), total: Number(m.total), new: Number(m.n ?? 0) });
      expect(r.body.current.orders, query).toBeGreaterThan(0);
    }
    expect((await t.call(t.tokens.hq, 'GET', '/api/crm/insights/health?period=this_quarter')).body.period).toEqual({ name: { unit: 'quarter', offset: 0 }, partial: true });
    const bad = async (query: string, status: number, code: string, field: string) => {
      const r = await t.call(t.tokens.hq, 'GET', `/api/crm/insights/health?${query}`);
      expect([r.status, r.body.error.code, r.body.error.issues?.[0]?.path], query).toEqual([status, code, [field]]);
    };
    await bad('from=2026-11-15&to=2026-11-01', 400, 'invalid_period', 'to');
    await bad('from=2025-01-01&to=2026-11-01', 400, 'invalid_period', 'to');
    await bad('from=2026-12-01&to=2026-12-05', 400, 'invalid_period', 'from');
    await bad('from=2026-11-01', 400, 'invalid_period', 'to');
    await bad('from=2026-11-01&to=2026-11-15&period=this_year', 400, 'invalid_period', 'period');
    await bad('from=11-01&to=2026-11-15', 400, 'invalid_request', 'from');
  });
});
