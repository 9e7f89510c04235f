import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/api/tokens.ts';
import { churnSettings, rescoreNow, rfmSettings } from '../../src/crm/insights/index.ts';
import { toStaffActor, STAFF_STORES, type StaffActor } from '../../src/crm/kernel/index.ts';
import { queueScoringNow, SCORING_QUEUE } from '../../src/jobs/scoring.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { sealedPhone } from '../support/sealed-phone.ts';

const NOW = new Date('2026-11-21T04:00:00.000Z');
const DAY = 86_400_000;

/**
 * Ten members whose RFM inputs are all different, so every grade below is worked out by hand:
 * member i has i orders (F = 1..10), spends SPEND[i] yuan in all, and last ordered DAYS[i] days ago.
 */
const DAYS = [3, 50, 20, 80, 10, 200, 5, 40, 120, 60];
const SPEND = [500, 100, 900, 300, 700, 1000, 200, 800, 400, 600];

/*
 * 3 grades: cut points at the 1/3 and 2/3 nearest-rank percentiles of 10 values, ranks ⌈10/3⌉ = 4
 * and ⌈20/3⌉ = 7. Days sorted 3 5 10 20 40 50 60 80 120 200 → cuts 20, 60 (R = 3 − cuts exceeded);
 * orders 1..10 → cuts 4, 7; spend 100..1000 → cuts 400, 700 (F, M = 1 + cuts exceeded).
 * Scaled to 1–5 the grades read 1, 3, 5: R ≥ 4 is grade 3, R ≥ 3 and R ≥ 2 are grade 2 or more.
 * Quadrant: recent = R grade ≥ 2, valuable = F + M ≥ 4.
 */
const THREE: [number, number, number, string, string][] = [
  // r, f, m, cell, quadrant
  [3, 1, 2, 'new', 'potential'], // R top, F bottom
  [2, 1, 1, 'need_attention', 'potential'],
  [3, 1, 3, 'new', 'high_value'],
  [1, 1, 1, 'lost', 'dormant'],
  [3, 2, 2, 'potential', 'high_value'],
  [1, 2, 3, 'at_risk', 'churn_risk'],
  [3, 2, 1, 'potential', 'potential'],
  [2, 3, 3, 'loyal', 'high_value'],
  [1, 3, 1, 'at_risk', 'churn_risk'],
  [2, 3, 2, 'loyal', 'high_value'],
];

/*
 * 10 grades: ranks ⌈10·k/10⌉ = k, so the cut points are the 1st..9th smallest values: R = 11 − the
 * rank of the days, F = the order count, M = spend / 100. Scaled to 1–5, R ≥ 4 is grade ≥ 8
 * ((g − 1)·4 ≥ 27), R ≥ 3 is grade ≥ 6, R ≥ 2 is grade ≥ 4. Quadrant: valuable = F + M ≥ 11.
 */
const TEN: [number, number, number, string, string][] = [
  [10, 1, 5, 'new', 'potential'],
  [5, 2, 1, 'hibernating', 'dormant'],
  [7, 3, 9, 'need_attention', 'high_value'],
  [3, 4, 3, 'lost', 'dormant'],
  [8, 5, 7, 'potential', 'high_value'],
  [1, 6, 10, 'at_risk', 'churn_risk'],
  [9, 7, 2, 'potential', 'potential'],
  [6, 8, 8, 'loyal', 'high_value'],
  [2, 9, 4, 'at_risk', 'churn_risk'],
  [4, 10, 6, 'at_risk', 'churn_risk'],
];

describe('RFM with 3 and 10 grades on a hand-computed dataset', () => {
  let env: TestEnv;
  let rt: Runtime;
  let token = '';
  let admin: StaffActor;
  const ids: number[] = [];

  beforeAll(async () => {
    env = await createTestEnv('api_rfm_grades', {}, { now: () => NOW });
    rt = createRuntime(env.services);
    const { db } = env.services;
    const store = await db.store.create({ data: { code: 'S1', name: '一店', city: '上海' } });
    admin = toStaffActor(await db.staff.create({ data: { wecomUserId: 'admin_01', name: '管理员', role: 'admin' }, include: STAFF_STORES }));
    token = (await createApiToken(env.services, { staff: 'admin_01', name: 'rfm' })).token;
    for (let i = 0; i < 10; i++) {
      const m = await db.member.create({
        data: { memberNo: `M${String(i + 1).padStart(8, '0')}`, name: `会员${i + 1}`, ...sealedPhone(`1390000${String(i + 1).padStart(4, '0')}`), registeredAt: new Date('2024-01-01T00:00:00Z'), sourceChannel: 'pos', homeStoreId: store.id },
      });
      ids.push(m.id);
      // i + 1 orders on different days, the last DAYS[i] days ago; one carries the rest of the spend.
      const n = i + 1;
      await db.order.createMany({
        data: Array.from({ length: n }, (_, k) => ({
          orderNo: `O-${i + 1}-${k}`,
          memberId: m.id,
          storeId: store.id,
          amount: k === 0 ? String(SPEND[i]! - (n - 1)) : '1.00',
          items: [],
          paymentMethod: 'wechat',
          paidAt: new Date(NOW.getTime() - (DAYS[i]! + k) * DAY - 3_600_000),
        })),
      });
    }
  });
  afterAll(async () => {
    await rt?.stop();
    await env?.cleanup();
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await rt.app.request(path, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, body: (await res.json()) as any };
  };
  /**
   * The quadrant worked out by hand from R, F and M, then the one rule on top (docs/models.md): a
   * member the churn risk calls gone (level high) is not recent, so 高价值 → 流失风险 and 潜力 → 沉睡.
   * Here every member bought on consecutive days, so the risk calls gone all but the two most
   * recent (3 and 5 days silent: low and medium); the churn levels are asserted below.
   */
  const quadrantOf = (byHand: string, churnLevel: string) => (churnLevel === 'high' ? ({ high_value: 'churn_risk', potential: 'dormant' } as Record<string, string>)[byHand] ?? byHand : byHand);
  const scores = async () => {
    const [rows] = await env.services.sql.query<any[]>('SELECT member_id, rfm_r, rfm_f, rfm_m, rfm_score, rfm_cell, value_quadrant, churn_level FROM member_scores');
    const by = new Map(rows.map((r) => [Number(r.member_id), r]));
    return ids.map((id) => by.get(id)!);
  };

  it('3 grades, R weighted double: every member scored as worked out by hand', async () => {
    const put = await call('PUT', '/api/crm/settings/rfm?recompute=true', { window: 'all', grades: 3, weights: { r: 2, f: 1, m: 1 } });
    expect(put.status).toBe(200);
    expect(put.body.recompute).toMatchObject({ status: 'done', members: 10 });
    const got = await scores();
    for (let i = 0; i < 10; i++) {
      const [r, f, m, cell, quadrant] = THREE[i]!;
      expect([i + 1, got[i].rfm_r, got[i].rfm_f, got[i].rfm_m, got[i].rfm_cell, got[i].value_quadrant]).toEqual([i + 1, r, f, m, cell, quadrantOf(quadrant, got[i].churn_level)]);
      expect(Number(got[i].rfm_score)).toBeCloseTo((2 * r + f + m) / 4, 2);
    }
    // Every member bought on consecutive days, so against that rhythm a silence of 10 days or more reads as gone.
    expect(got.map((g) => g.churn_level)).toEqual(['low', 'high', 'high', 'high', 'high', 'high', 'medium', 'high', 'high', 'high']);
    const [[run]] = await env.services.sql.query<any[]>("SELECT params FROM model_runs WHERE kind = 'scores' ORDER BY id DESC LIMIT 1");
    const params = typeof run.params === 'string' ? JSON.parse(run.params) : run.params;
    expect(params.rfm.cuts).toMatchObject({ r: [20, 60], f: [4, 7], m: [400, 700] });
  });

  it('10 grades: the cut points are the 1st..9th values and the cells use the grades scaled to 1–5', async () => {
    const put = await call('PUT', '/api/crm/settings/rfm?recompute=true', { window: 'all', grades: 10, weights: { r: 1, f: 1, m: 1 } });
    expect(put.status).toBe(200);
    const got = await scores();
    for (let i = 0; i < 10; i++) {
      const [r, f, m, cell, quadrant] = TEN[i]!;
      expect([i + 1, got[i].rfm_r, got[i].rfm_f, got[i].rfm_m, got[i].rfm_cell, got[i].value_quadrant]).toEqual([i + 1, r, f, m, cell, quadrantOf(quadrant, got[i].churn_level)]);
      expect(Number(got[i].rfm_score)).toBeCloseTo((r + f + m) / 3, 2);
    }
    // The overview counts the same cells.
    const o = await call('GET', '/api/crm/insights/rfm');
    const want = TEN.reduce<Record<string, number>>((a, x) => ({ ...a, [x[3]]: (a[x[3]] ?? 0) + 1 }), {});
    for (const c of o.body.cells) expect([c.cell, c.members]).toEqual([c.cell, want[c.cell] ?? 0]);
  });

  it('fixed cut points replace the percentiles (3 grades, R by 30 and 90 days)', async () => {
    const put = await call('PUT', '/api/crm/settings/rfm?recompute=true', { window: 'all', grades: 3, weights: { r: 1, f: 1, m: 1 }, cuts: { r: [30, 90] } });
    expect(put.status).toBe(200);
    const got = await scores();
    // ≤ 30 days: 3; 31–90: 2; more: 1.
    expect(got.map((g) => g.rfm_r)).toEqual(DAYS.map((d) => (d <= 30 ? 3 : d <= 90 ? 2 : 1)));
  });

  it('a chain too large to rescore in the request is deferred to one queued scoring run', async () => {
    const access = { services: env.services, actor: admin, channel: 'api' as const, requestId: 'rfm-defer' };
    expect(await rescoreNow(access, { inlineLimit: 5 })).toEqual({ status: 'deferred', members: 10 });
    const first = await queueScoringNow(env.services);
    const second = await queueScoringNow(env.services); // changes in a row: one run
    expect(second).toBe(first);
    const queue = new Queue(SCORING_QUEUE, { connection: env.services.bullRedis, prefix: env.services.config.REDIS_PREFIX });
    try {
      expect((await queue.getJobs(['waiting', 'delayed', 'prioritized'])).map((j) => j.id)).toEqual([first]);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
    await expect(rescoreNow({ ...access, actor: { ...admin, role: 'hq_operator' } })).rejects.toMatchObject({ code: 'permission_denied' });
  });

  it('the domain validates a value however it arrives: a 400 whose issues name the field, nothing stored', async () => {
    const access = { services: env.services, actor: admin, channel: 'api' as const, requestId: 'rfm-domain' };
    const before = await rfmSettings.read(env.services);
    await expect(rfmSettings.change(access, { window: 'all', grades: 4, weights: { r: 1, f: 1, m: 1 }, cuts: { m: [5, 1, 9] } })).rejects.toMatchObject({
      code: 'invalid_rfm_settings',
      status: 400,
      details: { issues: [{ path: ['cuts', 'm', 1] }] },
    });
    await expect(churnSettings.change(access, { levels: { high: 0.5, medium: 0.6 }, silenceDays: { low: 30, medium: 60, high: 90 } })).rejects.toMatchObject({
      code: 'invalid_churn_settings',
      details: { issues: [{ path: ['levels', 'medium'] }] },
    });
    expect(await rfmSettings.read(env.services)).toEqual(before);
    // A stored value this version cannot read counts as unset: the defaults, never a failed scoring run.
    await env.services.db.crmSetting.update({ where: { key: 'insights.rfm' }, data: { value: { grades: 42 } } });
    expect(await rfmSettings.read(env.services)).toEqual({ window: 'all', grades: 5, weights: { r: 1, f: 1, m: 1 } });
  });
});
