import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../../test/support/env.ts';
import { withTransaction, type StaffActor } from '../../kernel/index.ts';
import { createRuntime, type Runtime } from '../../../runtime.ts';
import type { Services } from '../../../services.ts';
import { assessChurn } from '../churn/assess.ts';
import { churnList } from '../churn/list.ts';
import { healthTrendChart } from '../../../intents/render/charts/health-chart.ts';
import { healthDashboard, warmHealthCache } from '../health/dashboard.ts';
import { CHINA, DAY, expectedCohorts, expectedFigures, expectedTrend, loadRaw, pick, rollingExpected, type RawMember, type RawOrder } from '../../../../test/support/health-expected.ts';
import { applyRfm, rfmCell } from '../rfm/rfm.ts';
import { seedDemo } from '../../../demo/index.ts';
import { previewTree } from '../segments/preview.ts';
import { refreshSmartTags } from '../../engagement/smart-tags/smart-tags.ts';
import { rebuildMemberStats, recordOrder, resyncMembers } from '../../sales/rollup.ts';
import { rfmOverview } from './index.ts';
import { recomputeScores } from './recompute.ts';

// Value models on a small seeded demo database, every figure checked against an independent
// computation here in JS from the raw orders/members rows (never from member_stats).
const NOW = new Date('2026-11-21T16:00:00.000Z'); // 2026-11-22 00:00 China time
type O = RawOrder;
type M = RawMember;

/** Nearest-rank 20/40/60/80 % cut points and a 1–5 score, computed independently. */
function quintileScore(values: number[], lowerIsBetter: boolean): (v: number) => number {
  const s = [...values].sort((a, b) => a - b);
  const cuts = [1, 2, 3, 4].map((k) => s[Math.max(1, Math.ceil((s.length * k) / 5)) - 1]!);
  return (v) => {
    const above = cuts.filter((c) => v > c).length;
    return lowerIsBetter ? 5 - above : 1 + above;
  };
}

describe('value models (member_stats, RFM, churn, CLV, smart tags, health)', () => {
  let env: TestEnv;
  let services: Services;
  let orders: O[];
  let members: M[];
  let byMember: Map<number, O[]>;
  const staff = (role: StaffActor['role'], storeIds: number[]): StaffActor => ({ kind: 'staff', staffId: 1, wecomUserId: `t_${role}`, name: 't', role, storeIds });
  const access = (actor: StaffActor) => ({ services, actor, channel: 'console' as const, requestId: 'r' });

  beforeAll(async () => {
    env = await createTestEnv('value_models', {}, { now: () => NOW });
    services = env.services;
    await seedDemo(services.sql, { members: 600, seed: 11, now: NOW });
    ({ orders, members } = await loadRaw(services.sql));
    byMember = new Map();
    for (const x of orders) byMember.set(x.member, [...(byMember.get(x.member) ?? []), x]);
    for (const list of byMember.values()) list.sort((a, b) => a.paid - b.paid);
    await recomputeScores(services.sql, { now: NOW });
  }, 120_000);
  afterAll(async () => env?.cleanup());

  const chinaDay = (t: number) => Math.floor((t + CHINA) / DAY);

  it('member_stats matches the orders for every member', async () => {
    const [rows] = await services.sql.query<any[]>('SELECT * FROM member_stats');
    expect(rows).toHaveLength(members.length);
    for (const r of rows) {
      const os = byMember.get(Number(r.member_id)) ?? [];
      const days = [...new Set(os.map((o) => chinaDay(o.paid)))].sort((a, b) => a - b);
      const gaps = days.slice(1).map((d, i) => d - days[i]!).sort((a, b) => a - b);
      const median = gaps.length === 0 ? null : gaps.length % 2 ? gaps[gaps.length >> 1]! : (gaps[gaps.length / 2 - 1]! + gaps[gaps.length / 2]!) / 2;
      const sum = (f: (o: O) => boolean) => (os.filter(f).reduce((a, o) => a + o.cents, 0) / 100).toFixed(2);
      expect({
        n: Number(r.order_count),
        days: Number(r.order_days),
        total: String(r.total_spend),
        first: String(r.first_day_spend),
        median: r.median_gap_days === null ? null : Number(r.median_gap_days),
        s90: String(r.spend_90d),
        sp90: String(r.spend_prev_90d),
        n365: Number(r.orders_365d),
        last: r.last_order_at === null ? null : new Date(r.last_order_at).getTime(),
      }).toEqual({
        n: os.length,
        days: days.length,
        total: sum(() => true),
        first: sum((o) => chinaDay(o.paid) === days[0]),
        median,
        s90: sum((o) => NOW.getTime() - o.paid < 90 * DAY),
        sp90: sum((o) => NOW.getTime() - o.paid >= 90 * DAY && NOW.getTime() - o.paid < 180 * DAY),
        n365: os.filter((o) => NOW.getTime() - o.paid < 365 * DAY).length,
        last: os.length ? os[os.length - 1]!.paid : null,
      });
    }
  });

  it('recordOrder inserts the order and refreshes only that member’s rollup, equal to a rebuild', async () => {
    const member = members.find((m) => m.status === 'active' && (byMember.get(m.id)?.length ?? 0) >= 3)!;
    const [[before]] = await services.sql.query<any[]>('SELECT order_count, total_spend FROM member_stats WHERE member_id = ?', [member.id]);
    const [[other]] = await services.sql.query<any[]>('SELECT * FROM member_stats WHERE member_id <> ? ORDER BY member_id LIMIT 1', [member.id]);
    await recordOrder(services, { orderNo: 'T-REC-1', memberId: member.id, storeId: 1, amount: '12.34', items: [], paymentMethod: 'wechat', paidAt: new Date(NOW.getTime() - 3_600_000) });
    const [[after]] = await services.sql.query<any[]>('SELECT * FROM member_stats WHERE member_id = ?', [member.id]);
    expect(Number(after.order_count)).toBe(Number(before.order_count) + 1);
    expect(String(after.total_spend)).toBe((Number(before.total_spend) + 12.34).toFixed(2));
    expect(new Date(after.last_order_at).getTime()).toBe(NOW.getTime() - 3_600_000);
    const [[otherAfter]] = await services.sql.query<any[]>('SELECT * FROM member_stats WHERE member_id = ?', [other.member_id]);
    expect(otherAfter).toEqual(other);
    await rebuildMemberStats(services.sql, NOW);
    const [[rebuilt]] = await services.sql.query<any[]>('SELECT * FROM member_stats WHERE member_id = ?', [member.id]);
    expect(rebuilt).toEqual(after);
    // Put the data back as the other tests expect it (through resyncMembers, so the store visit summary follows).
    await withTransaction(services.sql, (conn) =>
      resyncMembers(conn, NOW, [member.id], async () => {
        await conn.query("DELETE FROM orders WHERE order_no = 'T-REC-1'");
      }),
    );
  });

  it('RFM scores are the quintiles of recency, frequency and spend; cells follow the rules', async () => {
    const eligible = members.filter((m) => m.status !== 'deleted' && byMember.has(m.id));
    const rec = (m: M) => Math.floor((NOW.getTime() - byMember.get(m.id)!.at(-1)!.paid) / DAY);
    const freq = (m: M) => byMember.get(m.id)!.length;
    const mon = (m: M) => byMember.get(m.id)!.reduce((a, o) => a + o.cents, 0) / 100;
    const R = quintileScore(eligible.map(rec), true);
    const F = quintileScore(eligible.map(freq), false);
    const Mq = quintileScore(eligible.map(mon), false);
    const [rows] = await services.sql.query<any[]>('SELECT member_id, rfm_r, rfm_f, rfm_m, rfm_score, rfm_cell, value_quadrant, churn_level FROM member_scores');
    const got = new Map(rows.map((r) => [Number(r.member_id), r]));
    const cells = new Set<string>();
    for (const m of eligible) {
      const r = got.get(m.id)!;
      const want = { r: R(rec(m)), f: F(freq(m)), m: Mq(mon(m)) };
      expect({ r: r.rfm_r, f: r.rfm_f, m: r.rfm_m }).toEqual(want);
      expect(Number(r.rfm_score)).toBeCloseTo((want.r + want.f + want.m) / 3, 2);
      expect(r.rfm_cell).toBe(rfmCell(want.r, want.f, want.m));
      // A high churn level is never "recent" (the quadrant agrees with the churn risk).
      const recent = want.r >= 3 && r.churn_level !== 'high';
      const valuable = want.f + want.m >= 6;
      expect(r.value_quadrant).toBe(recent ? (valuable ? 'high_value' : 'potential') : valuable ? 'churn_risk' : 'dormant');
      cells.add(r.rfm_cell);
    }
    expect(cells.size).toBeGreaterThanOrEqual(6); // the data exercise most cells
    // The bulk SQL path (applyRfm, for a config change without rescoring) writes the same.
    await applyRfm(services.sql, NOW);
    const [again] = await services.sql.query<any[]>('SELECT member_id, rfm_r, rfm_f, rfm_m, rfm_score, rfm_cell, value_quadrant, churn_level FROM member_scores');
    expect(again).toEqual(rows);
    for (const m of members.filter((x) => x.status !== 'deleted' && !byMember.has(x.id))) expect(got.get(m.id)!.rfm_cell).toBe('no_orders');
  });

  it('writes churn risk, level, reasons, BG/NBD numbers and CLV for every member, and logs the fit', async () => {
    const [rows] = await services.sql.query<any[]>('SELECT s.*, ms.order_count FROM member_scores s JOIN member_stats ms USING (member_id)');
    expect(rows.length).toBe(members.filter((m) => m.status !== 'deleted').length);
    for (const r of rows) {
      const risk = Number(r.churn_risk);
      expect(risk).toBeGreaterThanOrEqual(0);
      expect(risk).toBeLessThanOrEqual(1);
      expect(r.churn_level).toBe(risk >= 0.7 ? 'high' : risk >= 0.4 ? 'medium' : 'low');
      if (Number(r.order_count) > 0) {
        expect(Number(r.p_alive)).toBeGreaterThanOrEqual(0);
        expect(Number(r.p_alive)).toBeLessThanOrEqual(1);
        expect(Number(r.expected_purchases_90d)).toBeGreaterThanOrEqual(0);
        expect(Number(r.clv)).toBeGreaterThanOrEqual(0);
      } else expect(r.p_alive).toBeNull();
    }
    // The fixed demo member who stopped 120 days ago after ~60 orders is high risk, with the reason in words.
    const [[lapsed]] = await services.sql.query<any[]>("SELECT s.* FROM member_scores s JOIN members m ON m.id = s.member_id WHERE m.member_no = 'M00000002'");
    expect(lapsed.churn_level).toBe('high');
    const texts = (lapsed.churn_reasons as { text: string }[]).map((x) => x.text).join('；');
    expect(texts).toMatch(/^1[12]\d 天未消费，平时约 \d+ 天一次/);
    // The weekly regular is low risk and expected to come back many times.
    const [[regular]] = await services.sql.query<any[]>("SELECT s.* FROM member_scores s JOIN members m ON m.id = s.member_id WHERE m.member_no = 'M00000001'");
    expect(regular.churn_level).toBe('low');
    expect(Number(regular.expected_purchases_90d)).toBeGreaterThan(5);
    const [[run]] = await services.sql.query<any[]>("SELECT * FROM model_runs WHERE kind = 'scores' ORDER BY id DESC LIMIT 1");
    expect(run.params.bgnbd.r).toBeGreaterThan(0);
    expect(run.params.rfm.cuts.r).toHaveLength(4);
  });

  it('churn reasons read like the documents', () => {
    const a = assessChurn({ daysSince: 94, daysRegistered: 700, orderDays: 30, medianGapDays: 12, spend90: 0, spendPrev90: 560, complaints60d: 2, pNoPurchase: 0.9, expected90: 0.4 });
    expect(a.level).toBe('high');
    expect(a.reasons.map((r) => r.text)).toEqual([
      '94 天未消费，平时约 12 天一次',
      '近 90 天消费 ¥0，比前 90 天 ¥560 下降 100%',
      '60 天内 2 次投诉',
      '模型预计未来 90 天消费 0.4 次（不再消费的概率 90%）',
    ]);
    const fresh = assessChurn({ daysSince: 3, daysRegistered: 300, orderDays: 20, medianGapDays: 7, spend90: 900, spendPrev90: 800, complaints60d: 0, pNoPurchase: 0.05, expected90: 9.1 });
    expect(fresh).toEqual({ risk: expect.any(Number), level: 'low', reasons: [] });
    const once = assessChurn({ daysSince: 200, daysRegistered: 210, orderDays: 1, medianGapDays: null, spend90: 0, spendPrev90: 0, complaints60d: 0, pNoPurchase: 0.8, expected90: 0.2 });
    expect(once.reasons[0]!.text).toBe('仅消费过 1 次，已 200 天未再来');
    expect(assessChurn({ daysSince: null, daysRegistered: 120, orderDays: 0, medianGapDays: null, spend90: 0, spendPrev90: 0, complaints60d: 0, pNoPurchase: null, expected90: null }).reasons[0]!.text).toBe('注册 120 天仍未消费');
  });

  it('complaints in the last 60 days raise the risk and show in the reasons', async () => {
    const [[m]] = await services.sql.query<any[]>("SELECT id FROM members WHERE member_no = 'M00000003'");
    const [[before]] = await services.sql.query<any[]>('SELECT churn_risk FROM member_scores WHERE member_id = ?', [m.id]);
    for (const d of [5, 20]) {
      await services.sql.query("INSERT INTO interactions (member_id, type, channel, content, created_at) VALUES (?, 'complaint', 'store', '菜凉了', ?)", [m.id, new Date(NOW.getTime() - d * DAY)]);
    }
    await recomputeScores(services.sql, { now: NOW });
    const [[after]] = await services.sql.query<any[]>('SELECT churn_risk, churn_reasons FROM member_scores WHERE member_id = ?', [m.id]);
    expect(Number(after.churn_risk)).toBeGreaterThan(Number(before.churn_risk));
    expect(after.churn_reasons.map((r: { text: string }) => r.text)).toContain('60 天内 2 次投诉');
  });

  it('smart tags: model rows with confidence match their definitions; manual tags are kept', async () => {
    const [[dormantTag]] = await services.sql.query<any[]>("SELECT id FROM tags WHERE name = '沉睡会员'");
    expect(dormantTag).toBeUndefined(); // created by the first refresh
    // A hand-made 高消费 on a small spender stays manual.
    const small = members.find((m) => m.status === 'active' && (byMember.get(m.id)?.length ?? 0) === 1)!;
    await services.sql.query("INSERT INTO tags (name, category, created_at) VALUES ('高消费', 'value', ?)", [NOW]);
    await services.sql.query("INSERT INTO member_tags (member_id, tag_id, source, created_at) SELECT ?, id, 'manual', ? FROM tags WHERE name = '高消费'", [small.id, NOW]);
    const counts = await refreshSmartTags(services.sql, NOW);
    const tagged = async (name: string) => {
      const [rows] = await services.sql.query<any[]>("SELECT mt.member_id, mt.source, mt.confidence FROM member_tags mt JOIN tags t ON t.id = mt.tag_id WHERE t.name = ? ORDER BY mt.member_id", [name]);
      return rows;
    };
    const live = members.filter((m) => m.status !== 'deleted');
    const [scores] = await services.sql.query<any[]>('SELECT member_id, rfm_m, churn_level, churn_risk FROM member_scores');
    const riskOf = new Map(scores.map((s) => [Number(s.member_id), Number(s.churn_risk)]));
    // 沉睡会员: 90 days without an order and a churn risk of at least 0.8; confidence = the risk.
    const dormant = live
      .filter((m) => byMember.has(m.id) && byMember.get(m.id)!.at(-1)!.paid <= NOW.getTime() - 90 * DAY && riskOf.get(m.id)! >= 0.8)
      .map((m) => m.id)
      .sort((a, b) => a - b);
    const dRows = await tagged('沉睡会员');
    expect(dormant.length).toBeGreaterThan(10);
    expect(dRows.map((r) => r.member_id)).toEqual(dormant);
    // confidence is DECIMAL(4,3), the risk DECIMAL(5,4)
    expect(dRows.every((r) => r.source === 'model' && Math.abs(Number(r.confidence) - riskOf.get(Number(r.member_id))!) <= 0.00051)).toBe(true);
    expect(counts.沉睡会员).toBe(dormant.length);
    const top = scores.filter((s) => s.rfm_m === 5).map((s) => Number(s.member_id));
    const hRows = await tagged('高消费');
    expect(hRows.filter((r) => r.source === 'model').map((r) => r.member_id)).toEqual(top.filter((id) => id !== small.id).sort((a, b) => a - b));
    expect(hRows.find((r) => r.member_id === small.id)?.source).toBe('manual');
    const churny = scores
      .filter((s) => Number(s.churn_risk) >= 0.9 && byMember.has(Number(s.member_id)) && byMember.get(Number(s.member_id))!.at(-1)!.paid > NOW.getTime() - 180 * DAY)
      .map((s) => Number(s.member_id))
      .sort((a, b) => a - b);
    expect((await tagged('易流失')).map((r) => r.member_id)).toEqual(churny);
    expect(counts.营销敏感).toBe(0); // no coupons issued in the demo data
    // A second refresh replaces, never duplicates.
    await refreshSmartTags(services.sql, NOW);
    expect((await tagged('沉睡会员')).length).toBe(dormant.length);
  });

  it('model scores are segment conditions (registered in the segment engine)', async () => {
    const hq = staff('hq_operator', []);
    const [rows] = await services.sql.query<any[]>("SELECT s.member_id FROM member_scores s JOIN members m ON m.id = s.member_id WHERE s.rfm_cell = 'champions' AND m.status <> 'deleted'");
    const p = await previewTree(access(hq), { version: 1, root: { score: 'rfm_cell', op: 'eq', value: 'champions' } });
    expect(p.count).toBe(rows.length);
    expect(p.count).toBeGreaterThan(0);
    expect(Object.keys(p.churnRisk ?? {}).sort()).toEqual(['high', 'low', 'medium'].filter((k) => p.churnRisk![k] !== undefined).sort());
    const risky = await previewTree(access(hq), { version: 1, root: { and: [{ score: 'churn_risk', op: 'gte', value: '0.7' }, { score: 'clv', op: 'gt', value: '100' }] } });
    const [[n]] = await services.sql.query<any[]>("SELECT COUNT(*) AS n FROM member_scores s JOIN members m ON m.id = s.member_id WHERE s.churn_risk >= 0.7 AND s.clv > 100 AND m.status <> 'deleted'");
    expect(risky.count).toBe(Number(n.n));
  });

  it('churn.list ranks by the model with reasons, within the store scope', async () => {
    const mgr = staff('store_manager', [1]);
    const l = await churnList(access(mgr), { limit: 100 });
    expect(l.source).toBe('model');
    expect(l.entries.length).toBeGreaterThan(0);
    const [want] = await services.sql.query<any[]>(
      `SELECT m.member_no FROM member_scores s JOIN members m ON m.id = s.member_id JOIN member_stats ms ON ms.member_id = m.id
       WHERE m.status = 'active' AND m.home_store_id = 1 AND s.churn_level = 'high' AND ms.order_count > 0 AND ms.last_order_at > ? - INTERVAL 365 DAY
       ORDER BY ROUND(s.churn_risk, 2) DESC, ms.total_spend DESC, m.id`,
      [NOW],
    );
    expect(l.total).toBe(want.length);
    expect(l.entries.map((e) => e.memberNo)).toEqual(want.slice(0, 100).map((r) => r.member_no));
    expect(l.entries.every((e) => e.level === 'high' && (e.reasons?.length ?? 0) > 0 && e.daysSinceLastOrder <= 365)).toBe(true);
    expect(l.entries[0]!.memberNo).toBe('M00000002'); // the lapsed big spender tops the list
  });

  it('RFM overview counts the actor’s stores', async () => {
    const o = await rfmOverview(access(staff('store_manager', [1])));
    const [rows] = await services.sql.query<any[]>("SELECT s.rfm_cell, COUNT(*) AS n FROM member_scores s JOIN members m ON m.id = s.member_id WHERE m.home_store_id = 1 AND m.status <> 'deleted' GROUP BY s.rfm_cell");
    expect(Object.fromEntries(o.cells.filter((c) => c.members).map((c) => [c.cell, c.members]))).toEqual(Object.fromEntries(rows.map((r) => [r.rfm_cell, Number(r.n)])));
  });

  it('health dashboard figures equal an independent computation; the chart is a PNG of the right size', async () => {
    const d = await healthDashboard(access(staff('store_manager', [1])), { granularity: 'month' });
    // NOW is 00:00 China time: the last 30 days, today included, are the 29 days before it and none of today.
    const { S, E, previous, lastYear } = rollingExpected(30, NOW.getTime());
    expect(E - S).toBe(29 * DAY);
    const raw = { orders, members };
    const cur = expectedFigures(raw, [1], S, E);
    expect(pick(d.current)).toEqual(cur);
    const prev = expectedFigures(raw, [1], previous[0], previous[1]);
    expect(pick(d.previous)).toEqual(prev);
    expect([cur, prev].every((f) => f.churnRate !== null && f.repurchaseRate !== null && f.aov !== null)).toBe(true); // every rate is exercised
    expect(d.vsPrevious.active).toBeCloseTo((cur.active - prev.active) / prev.active, 10);
    expect(pick(d.lastYear)).toEqual(expectedFigures(raw, [1], lastYear[0], lastYear[1]));
    // Trend: 12 periods of 30 days, oldest first.
    expect(d.trend.map((p) => p.end.getTime())).toEqual([...Array(12).keys()].map((k) => E - (11 - k) * 30 * DAY));
    expect(d.trend.map((p) => ({ active: p.active, orders: p.orders }))).toEqual(expectedTrend(raw, [1], E, 30 * DAY, 12));
    // Cohorts: members of store 1 registered in each of the last 6 months (China time), and their retention.
    expect(d.cohorts).toEqual(expectedCohorts(raw, [1], E, 6));
    expect(d.cohorts.at(-1)!.retention).toEqual([null, null, null]); // last month's cohort: no month after it is over
    const img = healthTrendChart(d, 640, 360);
    expect(img.png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(img.png.readUInt32BE(16)).toBe(640);
    expect(img.png.readUInt32BE(20)).toBe(360);
    expect(img.png.length).toBeGreaterThan(5000); // bars, lines and labels drawn, not a blank canvas
  });

  it('a period that is over is cached under the data stamp, read back identical; a back-dated order is a new key; a running period is never cached', async () => {
    const mgr = access(staff('store_manager', [2]));
    const keys = () => services.redis.keys(services.key('health', '2', '*'));
    const lastWeek = { unit: 'week', offset: -1 } as const;
    const first = await healthDashboard(mgr, { period: lastWeek });
    expect(await keys()).toHaveLength(1);
    const second = await healthDashboard(mgr, { period: lastWeek });
    expect(second).toEqual(first);
    expect(second.current.start).toBeInstanceOf(Date);
    // An order recorded today, paid last week (a late POS upload): not hidden behind the cache.
    await recordOrder(services, { orderNo: 'T-LATE-1', memberId: members.find((m) => m.store === 2 && m.status === 'active')!.id, storeId: 2, amount: '20.00', items: [], paymentMethod: 'cash', paidAt: new Date(first.current.start.getTime() + DAY) });
    const third = await healthDashboard(mgr, { period: lastWeek });
    expect(third.current.orders).toBe(first.current.orders + 1);
    expect(await keys()).toHaveLength(2);
    await healthDashboard(mgr, { granularity: 'day' });
    expect(await keys()).toHaveLength(2);
    expect(await warmHealthCache(services)).toBe(12); // 3 stores + all, × yesterday / last week / last month
  });

  it('store managers cannot open another store’s dashboard', async () => {
    await expect(healthDashboard(access(staff('store_manager', [1])), { storeId: 2 })).rejects.toMatchObject({ code: 'store_out_of_scope' });
  });

  describe('chat through the console', () => {
    let rt: Runtime;
    beforeAll(() => {
      rt = createRuntime(services);
    });
    afterAll(async () => rt?.stop());
    const say = async (from: string, text: string) => {
      const res = await rt.app.request('/console/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from, text }) });
      expect(res.status).toBe(200);
      return (await res.json()) as { reply: string; intent: string; confidence: number; image?: { dataUrl: string; alt: string } };
    };

    it('本店会员健康度 answers with the figures and the chart inline', async () => {
      const r = await say('store_manager_01', '本店会员健康度');
      expect(r.intent).toBe('insights.health');
      expect(r.reply).toContain('上海徐汇店会员健康度（近 7 天');
      expect(r.reply).toMatch(/活跃会员 [\d,]+（环比 [+-]\d+\.\d%/);
      expect(r.image?.dataUrl.startsWith('data:image/png;base64,')).toBe(true);
      const png = Buffer.from(r.image!.dataUrl.slice('data:image/png;base64,'.length), 'base64');
      expect(png.readUInt32BE(16)).toBe(800);
      expect((await say('store_manager_01', '会员健康度 本月')).reply).toContain('会员健康度（本月：11-01 至 11-22 00:00）');
    });

    it('RFM and the churn list', async () => {
      const r = await say('hq_ops_01', 'RFM 分析');
      expect(r.intent).toBe('insights.rfm');
      expect(r.reply).toMatch(/全部门店 RFM 会员分群（共 [\d,]+ 位/);
      expect(r.reply).toContain('冠军会员');
      const c = await say('store_manager_01', '本店流失预警名单');
      expect(c.intent).toBe('churn.list');
      expect(c.reply).toMatch(/^流失预警名单（你的门店共 \d+ 位，显示前 10 位）：\n1\. 陈建国 M00000002 13800000002 · 风险 高 \d+%/);
      expect(c.reply).toMatch(/天未消费，平时约 \d+ 天一次/);
      expect(c.image).toBeUndefined();
    });

    it('an agent without churn.read is refused', async () => {
      const r = await say('agent_01', '本店会员健康度');
      expect(r.reply).toMatch(/权限|churn\.read/);
    });
  });
});
