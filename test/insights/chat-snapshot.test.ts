import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/pipeline.ts';
import type { BotAnswer, HandleMessage } from '../../src/bot/types.ts';
import { previewTree, runScoring, type ChurnList, type HealthDashboard, type RfmOverview } from '../../src/crm/insights/index.ts';
import { createCustomer } from '../../src/crm/lifecycle/index.ts';
import { recordOrder } from '../../src/crm/sales/rollup.ts';
import { getIntent, intents } from '../../src/intents/catalogue.ts';
import { parsePhrase } from '../../src/intents/parse/segment-phrase.ts';
import { chinaStamp } from '../../src/intents/render/insights.ts';
import { processSegmentCount } from '../../src/jobs/segment-refresh.ts';
import { createRuleRouter } from '../../src/intents/router/index.ts';
import { useCrmTestEnv } from '../support/crm/crm-test-env.ts';
import { NOW } from '../support/crm/fixture.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Store-wide chat answers read the scoring run's snapshot (src/crm/insights/scores/snapshot.ts):
 * right after a run, every figure the chat gives equals a fresh computation over member_scores,
 * members and member_stats (the queries the answers ran on every turn before); a change after
 * the run shows only after the next run, and the reply says as of when.
 */
describe('store-wide chat answers from the nightly snapshot', () => {
  const t = useCrmTestEnv('chat_snapshot');
  let bot: HandleMessage;
  const userOf = { manager1: 'store_manager_01', manager2: 'store_manager_02', hq: 'hq_ops_01', marketer: 'marketer_01' } as const;
  const say = async (who: keyof typeof userOf, text: string): Promise<BotAnswer> => {
    const out = await bot({ channel: 'console', messageId: randomUUID(), from: userOf[who], text, receivedAt: t.now(), requestId: randomUUID() });
    if (out.kind !== 'answer') throw new Error(`no answer: ${out.kind}`);
    return out.answer;
  };
  const storesOf = (who: 'manager1' | 'manager2' | 'hq') => (who === 'hq' ? null : t.fx.staff[who].storeIds);

  /** The RFM overview counted over every scored member of the stores, as rfmOverview did on each turn. */
  async function freshRfm(stores: number[] | null) {
    const filter = stores === null ? '' : 'AND m.home_store_id IN (?)';
    const params = stores === null ? [] : [stores];
    const q = async (sql: string) => (await t.services.sql.query<any[]>(sql, params))[0];
    const cells = await q(`SELECT s.rfm_cell AS k, COUNT(*) AS n, AVG(ms.total_spend) AS spend FROM member_scores s JOIN members m ON m.id = s.member_id JOIN member_stats ms ON ms.member_id = s.member_id WHERE m.status <> 'deleted' ${filter} GROUP BY s.rfm_cell`);
    const quads = await q(`SELECT s.value_quadrant AS k, COUNT(*) AS n FROM member_scores s JOIN members m ON m.id = s.member_id WHERE m.status <> 'deleted' ${filter} GROUP BY s.value_quadrant`);
    const levels = await q(`SELECT s.churn_level AS k, COUNT(*) AS n FROM member_scores s JOIN members m ON m.id = s.member_id WHERE m.status <> 'deleted' ${filter} GROUP BY s.churn_level`);
    return {
      cells: Object.fromEntries(cells.map((r: any) => [r.k, { members: Number(r.n), avgSpend: Number(r.spend).toFixed(2) }])),
      quadrants: Object.fromEntries(quads.map((r: any) => [r.k, Number(r.n)])),
      levels: Object.fromEntries(levels.map((r: any) => [r.k, Number(r.n)])),
    };
  }
  const shownRfm = (o: RfmOverview) => ({
    cells: Object.fromEntries(o.cells.filter((c) => c.members > 0).map((c) => [c.cell, { members: c.members, avgSpend: c.avgSpend }])),
    quadrants: Object.fromEntries(o.quadrants.filter((q) => q.members > 0).map((q) => [q.quadrant, q.members])),
    levels: Object.fromEntries(Object.entries(o.churnLevels).filter(([, n]) => n > 0)),
  });

  /** The churn list sorted over every qualifying row, as churnList did on each turn. */
  async function freshChurn(stores: number[] | null, opts: { minDays?: number; minSpend?: string } = {}) {
    const now = t.now();
    const where = ["m.status = 'active'", "s.churn_level = 'high'", 'ms.order_count > 0'];
    const params: unknown[] = [];
    if (stores !== null) where.push('m.home_store_id IN (?)'), params.push(stores);
    if (opts.minDays !== undefined) where.push('TIMESTAMPDIFF(DAY, ms.last_order_at, ?) > ?'), params.push(now, opts.minDays);
    else where.push('ms.last_order_at > ? - INTERVAL 365 DAY'), params.push(now);
    if (opts.minSpend !== undefined) where.push('ms.total_spend >= CAST(? AS DECIMAL(14,2))'), params.push(opts.minSpend);
    const [rows] = await t.services.sql.query<any[]>(
      `SELECT m.member_no FROM member_scores s JOIN members m ON m.id = s.member_id JOIN member_stats ms ON ms.member_id = s.member_id
        WHERE ${where.join(' AND ')} ORDER BY ROUND(s.churn_risk, 2) DESC, ms.total_spend DESC, m.id`,
      params,
    );
    return { total: rows.length, top: rows.slice(0, 10).map((r) => String(r.member_no)) };
  }
  const shownChurn = (l: ChurnList) => ({ total: l.total, top: l.entries.map((e) => e.memberNo) });

  beforeAll(() => {
    bot = createBot({ services: t.services, router: createRuleRouter(intents), getIntent });
  });

  it('right after scoring, the RFM overview and the churn list (default, days and spend floors) equal a fresh computation, with the as-of time', async () => {
    // A lost member (one order 400 days ago, beyond the list's window): listed only under a days floor.
    await recordOrder(t.services, { orderNo: 'SNAP-0', memberId: t.id('M00000009'), storeId: t.fx.stores.S1, amount: '260.00', items: [], paymentMethod: 'wechat', paidAt: new Date(NOW.getTime() - 400 * DAY) });
    const at = t.at(new Date(NOW.getTime() + 2 * HOUR));
    await runScoring(t.as('hq'));
    for (const who of ['manager1', 'manager2', 'hq'] as const) {
      const rfm = await say(who, '本店RFM分布');
      expect(rfm.intent).toBe('insights.rfm');
      const o = rfm.data as RfmOverview;
      expect(o.scoredAt).toEqual(at);
      expect(shownRfm(o)).toEqual(await freshRfm(storesOf(who)));
      expect(rfm.text).toContain(`数据截至 ${chinaStamp(at)} 的评分`);

      const churn = await say(who, '本店流失预警名单');
      expect(churn.intent).toBe('churn.list');
      expect(shownChurn(churn.data as ChurnList)).toEqual(await freshChurn(storesOf(who)));
      expect(churn.text).toContain(`截至 ${chinaStamp(at)} 的评分`);
      const quiet = await say(who, '超过120天没来的流失会员');
      expect(quiet.slots).toMatchObject({ days: 120 });
      expect(shownChurn(quiet.data as ChurnList)).toEqual(await freshChurn(storesOf(who), { minDays: 120 }));
      const big = await say(who, '累计消费500元以上的流失会员');
      expect(big.slots).toMatchObject({ minSpend: '500.00' });
      expect(shownChurn(big.data as ChurnList)).toEqual(await freshChurn(storesOf(who), { minSpend: '500.00' }));
    }
    // Read from the run's snapshot: its per-store counts and the churn list's ranks were written by the run.
    const [[snap]] = await t.services.sql.query<any[]>("SELECT SUM(c.members) AS n FROM store_score_counts c JOIN model_runs r ON r.id = c.run_id WHERE r.as_of = ? AND c.dim = 'cell'", [at]);
    expect(Number(snap.n)).toBe(((await say('hq', '本店RFM分布')).data as RfmOverview).members);
    const [[ranked]] = await t.services.sql.query<any[]>('SELECT COUNT(*) AS n FROM member_scores WHERE churn_rank IS NOT NULL');
    expect(Number(ranked.n)).toBeGreaterThan(0);
    // The run ranks the candidates within the list's 365-day window first, then the lost ones:
    // the default list is the first ranks of a level; a days floor merges both parts, and the
    // fixture has high-risk members in both, so the floors below exercise the merge.
    const [parts] = await t.services.sql.query<any[]>(
      "SELECT last_order_at > ? - INTERVAL 365 DAY AS within, MIN(churn_rank) AS first, MAX(churn_rank) AS last, SUM(churn_level = 'high') AS high FROM member_scores WHERE churn_rank IS NOT NULL GROUP BY within ORDER BY within DESC",
      [at],
    );
    expect(parts.map((p: any) => Number(p.within))).toEqual([1, 0]);
    expect(Number(parts[0].first)).toBe(1);
    expect(Number(parts[1].first)).toBe(Number(parts[0].last) + 1);
    expect(parts.every((p: any) => Number(p.high) > 0)).toBe(true);
    // The fixture is meaningful: the lapsed regular 李娜 (M00000004) is on store 1's list.
    expect((await freshChurn([t.fx.stores.S1])).top).toContain('M00000004');
    // Days floors on either side of a member's exact silence agree with the whole-days rule.
    for (const minDays of [94, 95, 96, 149, 150, 151]) {
      const l = await say('hq', `超过${minDays}天没来的流失会员`);
      expect(shownChurn(l.data as ChurnList)).toEqual(await freshChurn(null, { minDays }));
    }
  });

  it('a new order after the run shows only after the next run, which equals a fresh computation again', async () => {
    const first = t.now();
    const before = (await say('manager1', '本店RFM分布')).data as RfmOverview;
    const listed = (await say('manager1', '本店流失预警名单')).data as ChurnList;
    expect(listed.entries.map((e) => e.memberNo)).toContain('M00000004');

    // 李娜 comes back: a large order an hour after the run.
    t.at(new Date(first.getTime() + HOUR));
    await recordOrder(t.services, { orderNo: 'SNAP-1', memberId: t.id('M00000004'), storeId: t.fx.stores.S1, amount: '888.00', items: [], paymentMethod: 'wechat', paidAt: t.now() });
    const stale = (await say('manager1', '本店RFM分布')).data as RfmOverview;
    expect(stale).toEqual(before); // as of the run: unchanged, and it says so
    expect(((await say('manager1', '本店流失预警名单')).data as ChurnList).total).toBe(listed.total);

    // The next night's run.
    const next = t.at(new Date(first.getTime() + DAY));
    await runScoring(t.as('hq'));
    const after = (await say('manager1', '本店RFM分布')).data as RfmOverview;
    expect(after.scoredAt).toEqual(next);
    expect(shownRfm(after)).toEqual(await freshRfm([t.fx.stores.S1]));
    expect(shownRfm(after)).not.toEqual(shownRfm(before));
    const churn = (await say('manager1', '本店流失预警名单')).data as ChurnList;
    expect(shownChurn(churn)).toEqual(await freshChurn([t.fx.stores.S1]));
    expect(churn.entries.map((e) => e.memberNo)).not.toContain('M00000004');
    // Old runs' counts are pruned: only the newest runs keep theirs.
    const [[runs]] = await t.services.sql.query<any[]>('SELECT COUNT(DISTINCT run_id) AS n FROM store_score_counts');
    expect(Number(runs.n)).toBeLessThanOrEqual(3);
  });

  it('a member removed after the run is never listed, though the count stays as of the run', async () => {
    const l = (await say('hq', '本店流失预警名单')).data as ChurnList;
    const gone = l.entries[0]!;
    await t.services.sql.query("UPDATE members SET status = 'frozen' WHERE id = ?", [gone.memberId]);
    const again = (await say('hq', '本店流失预警名单')).data as ChurnList;
    expect(again.entries.map((e) => e.memberNo)).not.toContain(gone.memberNo);
    expect(again.total).toBe(l.total);
    await t.services.sql.query("UPDATE members SET status = 'active' WHERE id = ?", [gone.memberId]);
  });

  it('member counts (the whole scope, one membership level) are the run\'s counts, equal to a fresh count right after it, with the as-of time in zh and en', async () => {
    const run = t.at(new Date(t.now().getTime() + DAY));
    await runScoring(t.as('hq'));
    const fresh = async (stores: number[] | null, level?: number) => {
      const where = ["status <> 'deleted'", ...(stores === null ? [] : ['home_store_id IN (?)']), ...(level === undefined ? [] : ['level = ?'])];
      const [[r]] = await t.services.sql.query<any[]>(`SELECT COUNT(*) AS n FROM members WHERE ${where.join(' AND ')}`, [...(stores === null ? [] : [stores]), ...(level === undefined ? [] : [level])]);
      return Number(r.n);
    };
    for (const who of ['manager1', 'manager2', 'hq'] as const) {
      const all = await say(who, '本店有多少会员');
      expect(all.intent).toBe('members.query');
      expect(all.data).toMatchObject({ count: await fresh(storesOf(who)), total: await fresh(storesOf(who)), asOf: run });
      expect(all.text).toContain(`共有会员 ${await fresh(storesOf(who))} 人`);
      expect(all.text).toContain(`人数截至 ${chinaStamp(run)}`);
      const l2 = await say(who, '2级会员有几个');
      expect(l2.intent).toBe('members.query');
      expect(l2.data).toMatchObject({ count: await fresh(storesOf(who), 2), total: await fresh(storesOf(who)), level: 2 });
    }
    expect(await fresh(null, 2)).toBeGreaterThan(0);
    // Asked in English, answered in English, as of the same run.
    const en = await say('hq', 'how many members do we have');
    expect(en.intent).toBe('members.query');
    expect(en.text).toContain(`Counted as of ${chinaStamp(run)}`);

    // A member leaves after the run: the count stays as of the run until the next one, which equals a fresh count again.
    const before = (await say('hq', '本店有多少会员')).data as { count: number };
    await t.services.sql.query("UPDATE members SET status = 'deleted' WHERE member_no = 'M00000012'");
    expect(((await say('hq', '本店有多少会员')).data as { count: number }).count).toBe(before.count);
    const next = t.at(new Date(run.getTime() + DAY));
    await runScoring(t.as('hq'));
    const after = await say('hq', '本店有多少会员');
    expect(after.data).toMatchObject({ count: before.count - 1, asOf: next });
    expect((after.data as { count: number }).count).toBe(await fresh(null));
    await t.services.sql.query("UPDATE members SET status = 'active' WHERE member_no = 'M00000012'");
  });

  it('the health dashboard\'s member totals and new members (periods, stores, trend) are the run\'s registration counts plus those since, equal to a fresh count', async () => {
    const run = t.at(new Date(t.now().getTime() + DAY));
    await runScoring(t.as('hq'));
    const fresh = async (stores: number[], from: Date | null, to: Date) => {
      const [[r]] = await t.services.sql.query<any[]>(
        `SELECT COUNT(*) AS n FROM members WHERE status <> 'deleted' AND home_store_id IN (?) AND registered_at < ?${from ? ' AND registered_at >= ?' : ''}`,
        [stores, to, ...(from ? [from] : [])],
      );
      return Number(r.n);
    };
    // A member registered after the run counts at once (live), beside the run's counts.
    t.at(new Date(run.getTime() + HOUR));
    await createCustomer(t.as('manager1'), { name: '晨新', phone: '13900000078', homeStoreId: t.fx.stores.S1 });
    for (const [who, text] of [['hq', '本店会员健康度'], ['manager1', '会员健康度 本月'], ['hq', '上周新增会员有多少'], ['manager2', '本店会员健康度 月报']] as const) {
      const a = await say(who, text);
      expect(a.intent).toBe('insights.health');
      const d = a.data as HealthDashboard;
      const ids = d.stores.map((s) => s.id);
      for (const f of [d.current, d.previous, d.lastYear]) {
        expect({ total: f.total, new: f.new }).toEqual({ total: await fresh(ids, null, f.end), new: await fresh(ids, f.start, f.end) });
      }
      for (const p of d.perStore) expect(p.figures.total).toBe(await fresh([p.storeId], null, p.figures.end));
      for (const p of d.trend) expect(p.new).toBe(await fresh(ids, p.start, p.end));
    }
    // The rolling period runs past the run (its members since are counted live); the earlier ones end before it.
    const d = (await say('hq', '本店会员健康度')).data as HealthDashboard;
    expect(d.current.end.getTime()).toBeGreaterThan(run.getTime());
    expect(d.previous.end.getTime()).toBeLessThanOrEqual(run.getTime());
    expect(d.membersAsOf).toEqual(run);
    const health = await say('hq', '本店会员健康度');
    expect(health.text).toContain(`会员总数与新增：${chinaStamp(run)} 评分时的注册统计`);
    expect((await say('hq', 'member health dashboard')).text).toContain(`scoring run of ${chinaStamp(run)}`);
  }, 180_000); // nine dashboards, each with a chart drawn: minutes on a loaded machine

  it('a segment count is its last run while the conditions are unchanged (with its time); asked to recompute, it is re-evaluated', async () => {
    const phrase = '最近90天没消费 且 累计消费大于500';
    const created = await say('marketer', `创建人群包 沉睡大客：${phrase}`);
    expect(created.intent).toBe('segment.create');
    // Counted by its job (src/jobs/segment-refresh.ts), as the segment-refresh worker runs it.
    const [[seg]] = await t.services.sql.query<any[]>("SELECT id FROM segments WHERE name = '沉睡大客'");
    await processSegmentCount(t.services, { kind: 'segment-count', segmentId: Number(seg.id) });
    const fresh = async () => (await previewTree(t.as('marketer'), parsePhrase(phrase, t.now()).tree)).count;
    const runs = async () => Number((await t.services.sql.query<any[]>("SELECT COUNT(*) AS n FROM segment_runs r JOIN segments s ON s.id = r.segment_id WHERE s.name = '沉睡大客'"))[0][0].n);
    const n0 = await fresh();
    expect(n0).toBeGreaterThan(0);
    expect(await runs()).toBe(1);

    const count = await say('marketer', '人群包 沉睡大客 有多少人');
    expect(count.intent).toBe('segment.count');
    expect(count.text).toContain(`人群包「沉睡大客」现有 ${n0} 人`);
    expect(count.text).toContain('截至');
    expect(await runs()).toBe(1); // not re-evaluated

    // One of its members orders: the count stays as of the last run until a run.
    const [[member]] = await t.services.sql.query<any[]>("SELECT sm.member_id AS id, m.home_store_id AS store FROM segment_members sm JOIN segments s ON s.id = sm.segment_id JOIN members m ON m.id = sm.member_id WHERE s.name = '沉睡大客' LIMIT 1");
    t.at(new Date(t.now().getTime() + HOUR));
    await recordOrder(t.services, { orderNo: 'SNAP-2', memberId: member.id, storeId: member.store, amount: '10.00', items: [], paymentMethod: 'wechat', paidAt: t.now() });
    expect((await say('marketer', '人群包 沉睡大客 有多少人')).text).toContain(`现有 ${n0} 人`);
    expect(await runs()).toBe(1);

    const recount = await say('marketer', '重新计算人群包 沉睡大客 有多少人');
    expect(recount.intent).toBe('segment.count');
    expect(await runs()).toBe(2);
    expect(await fresh()).toBe(n0 - 1);
    expect(recount.text).toContain(`现有 ${n0 - 1} 人`);
    expect(recount.text).toContain('移出 1 人');
  }, 120_000);
});
