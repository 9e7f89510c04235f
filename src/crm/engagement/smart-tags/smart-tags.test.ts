import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../../test/support/env.ts';
import { PHONE_COLUMNS, sealedPhoneValues } from '../../../../test/support/sealed-phone.ts';
import { CHURNING_RISK, CONFIDENCE_TOLERANCE, DORMANT_RISK, refreshSmartTagsRun } from './smart-tags.ts';

// The smart tags are the rules evaluated on member_scores: after a refresh, each churn tag's
// model rows are exactly the members the rule selects, with the risk (to 3 places) as confidence
// — on a kept row, the risk of the night it was last written while tonight's is within 0.01.
describe('smart tags from member_scores', () => {
  let env: TestEnv;
  const N = 400;
  const DAY = 86_400_000;
  const day1 = new Date('2026-11-20T16:00:00.000Z');
  const day2 = new Date('2026-11-21T16:00:00.000Z');
  // A fixed pseudo-random sequence (no Math.random: the test reads the same every run).
  let seed = 17;
  const rand = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
  type Score = { id: number; risk: number; silentDays: number; spend: number; m: number };
  let scores: Score[] = [];

  const load = async (rows: Score[], at: Date) => {
    await env.services.sql.query('DELETE FROM member_scores');
    await env.services.sql.query(
      `INSERT INTO member_scores (member_id, rfm_r, rfm_f, rfm_m, churn_risk, churn_level, churn_reasons, scored_at, last_order_at, total_spend) VALUES ?`,
      [rows.map((r) => [r.id, 3, 3, r.m, r.risk.toFixed(4), r.risk >= 0.7 ? 'high' : 'low', '[]', at, new Date(at.getTime() - r.silentDays * DAY), r.spend.toFixed(2)])],
    );
  };
  const modelRows = async (tag: string) =>
    (await env.services.sql.query<any[]>("SELECT mt.member_id, mt.confidence, mt.created_at FROM member_tags mt JOIN tags t ON t.id = mt.tag_id WHERE t.name = ? AND mt.source = 'model' ORDER BY mt.member_id", [tag]))[0].map((r) => ({
      id: Number(r.member_id), confidence: String(r.confidence), at: new Date(r.created_at).toISOString(),
    }));
  // The rules in JS, on the rows loaded (DECIMAL(5,4) risk, rounded to the confidence's 3 places as the database does).
  const round3 = (v: number) => (Math.round(Number(v.toFixed(4)) * 1000) / 1000).toFixed(3);
  // `stored`: the model rows before the refresh — a kept member's confidence is rewritten only
  // when tonight's risk (DECIMAL(5,4)) is more than CONFIDENCE_TOLERANCE from it.
  const expected = (rows: Score[], rule: (s: Score) => boolean, exclude: number[] = [], stored = new Map<number, string>()) =>
    rows
      .filter((s) => rule(s) && !exclude.includes(s.id))
      .sort((a, b) => a.id - b.id)
      .map((s) => {
        const was = stored.get(s.id);
        const risk = Number(s.risk.toFixed(4));
        return { id: s.id, confidence: was !== undefined && Math.abs(Number(was) - risk) <= CONFIDENCE_TOLERANCE + 1e-9 ? was : round3(risk) };
      });
  const churning = (s: Score) => s.risk >= CHURNING_RISK && s.silentDays < 180;
  const dormant = (s: Score) => s.silentDays >= 90 && s.risk >= DORMANT_RISK;

  beforeAll(async () => {
    env = await createTestEnv('smart_tags_scores');
    const ids = Array.from({ length: N }, (_, i) => i + 1);
    await env.services.sql.query(
      `INSERT INTO members (id, member_no, name, ${PHONE_COLUMNS}, registered_at, source_channel, status) VALUES ${ids.map(() => "(?, ?, ?, ?, ?, ?, ?, 'store', 'active')").join(', ')}`,
      ids.flatMap((id) => [id, `M${id}`, `m${id}`, ...sealedPhoneValues(`139${String(id).padStart(8, '0')}`), day1]),
    );
    scores = ids.map((id) => ({ id, risk: rand(), silentDays: Math.floor(rand() * 300), spend: Math.round(rand() * 1_000_000) / 100, m: 1 + Math.floor(rand() * 5) }));
  });
  afterAll(async () => env?.cleanup());

  it('equal the rules on the scores before and after they change; kept members keep the day they got the tag, and their confidence while it moved 0.01 or less', async () => {
    // A hand-made 沉睡会员 on a member the rule selects stays manual, and gets no model row.
    const manual = scores.find(dormant)!.id;
    await env.services.sql.query("INSERT INTO tags (name, category, created_at) VALUES ('沉睡会员', 'behaviour', ?)", [day1]);
    await env.services.sql.query("INSERT INTO member_tags (member_id, tag_id, source, confidence, created_by, created_at) SELECT ?, id, 'manual', 1, 'staff', ? FROM tags WHERE name = '沉睡会员'", [manual, day1]);
    await load(scores, day1);
    const first = await refreshSmartTagsRun(env.services.sql, day1);
    const churn1 = expected(scores, churning);
    const dorm1 = expected(scores, dormant, [manual]);
    expect(churn1.length).toBeGreaterThan(10);
    expect(dorm1.length).toBeGreaterThan(10);
    expect((await modelRows('易流失')).map(({ id, confidence }) => ({ id, confidence }))).toEqual(churn1);
    expect((await modelRows('沉睡会员')).map(({ id, confidence }) => ({ id, confidence }))).toEqual(dorm1);
    expect(first.held.沉睡会员).toBe(dorm1.length);
    expect(first.writes.沉睡会员).toBe(`−0 +${dorm1.length} ~0`);
    // 高消费: rfm_m = 5, confidence the spend's percent rank among the members with an rfm_m.
    const sorted = scores.map((s) => s.spend).sort((a, b) => a - b);
    const rank = (v: number) => sorted.findIndex((x) => x === v) / (sorted.length - 1);
    expect((await modelRows('高消费')).map(({ id, confidence }) => ({ id, confidence }))).toEqual(
      scores.filter((s) => s.m === 5).sort((a, b) => a.id - b.id).map((s) => ({ id: s.id, confidence: rank(s.spend).toFixed(3) })),
    );

    // Next night: a few members move for 易流失, and 沉睡会员's members mostly change — every
    // member silent 180 days or more (beyond 易流失's reach) trades places, in or out. Every
    // third member's risk creeps by 0.004 (kept, confidence not rewritten) or, every fifth, by
    // 0.015 (rewritten), as the risk does from night to night.
    const creep = (s: Score, i: number) => (i % 5 === 0 ? 0.015 : i % 3 === 0 ? 0.004 : 0) * (s.risk > 0.5 ? -1 : 1);
    const next = scores.map((s, i) => (i % 40 === 0 ? { ...s, risk: 1 - s.risk } : { ...s, risk: s.risk + creep(s, i) }));
    const night2 = next.map((s) => (s.silentDays < 180 ? s : dormant(s) ? { ...s, risk: rand() * DORMANT_RISK } : { ...s, risk: DORMANT_RISK + rand() * (1 - DORMANT_RISK) }));
    const before = new Map((await modelRows('沉睡会员')).map((r) => [r.id, r.at]));
    const churnBefore = new Map((await modelRows('易流失')).map((r) => [r.id, r.at]));
    const stored = new Map([...(await modelRows('沉睡会员')), ...(await modelRows('易流失'))].map((r) => [r.id, r.confidence]));
    await load(night2, day2);
    const second = await refreshSmartTagsRun(env.services.sql, day2);
    const churn2 = expected(night2, churning, [], stored);
    const dorm2 = expected(night2, dormant, [manual], stored);
    // Both kinds of kept rows are there: a confidence left within the tolerance, one rewritten.
    const keptChurn = churn2.filter((r) => churnBefore.has(r.id));
    expect(keptChurn.some((r) => r.confidence === stored.get(r.id) && r.confidence !== round3(Number(night2.find((s) => s.id === r.id)!.risk.toFixed(4))))).toBe(true);
    expect(keptChurn.some((r) => r.confidence !== stored.get(r.id))).toBe(true);
    const keptDorm = dorm2.filter((r) => before.has(r.id));
    expect(keptDorm.length).toBeGreaterThan(0);
    expect(keptDorm.length * 2).toBeLessThan(dorm2.length); // most of 沉睡会员 changed
    const dormRows = await modelRows('沉睡会员');
    expect(dormRows.map(({ id, confidence }) => ({ id, confidence }))).toEqual(dorm2);
    // Kept members keep the day they first got the tag; new ones get tonight's.
    for (const r of dormRows) expect(r.at).toBe(before.get(r.id) ?? day2.toISOString());
    const churnRows = await modelRows('易流失');
    expect(churnRows.map(({ id, confidence }) => ({ id, confidence }))).toEqual(churn2);
    for (const r of churnRows) expect(r.at).toBe(churnBefore.get(r.id) ?? day2.toISOString());
    // The manual row is as it was.
    const [[m]] = await env.services.sql.query<any[]>("SELECT source, confidence FROM member_tags mt JOIN tags t ON t.id = mt.tag_id WHERE t.name = '沉睡会员' AND mt.member_id = ?", [manual]);
    expect(m).toMatchObject({ source: 'manual', confidence: '1.000' });

    // The same scores again: nothing is written.
    const third = await refreshSmartTagsRun(env.services.sql, day2);
    expect(third.writes.沉睡会员).toBe('−0 +0 ~0');
    expect(third.writes.易流失).toBe('−0 +0 ~0');
    expect((await modelRows('沉睡会员'))).toEqual(dormRows);
  });

  it('skips members deleted since the scoring run', async () => {
    const dormantNow = (await modelRows('沉睡会员'))[0]!.id;
    await env.services.sql.query("UPDATE members SET status = 'deleted' WHERE id = ?", [dormantNow]);
    await refreshSmartTagsRun(env.services.sql, day2);
    expect((await modelRows('沉睡会员')).some((r) => r.id === dormantNow)).toBe(false);
  });

  it('KOC潜力 and 营销敏感 equal their rules on the scores, the interactions, the KOC profiles and the coupons', async () => {
    // Varied R and F grades, a few KOCs, interactions of every type inside and outside 180 days, coupons used or not.
    const rf = scores.map((s) => ({ id: s.id, r: 1 + Math.floor(rand() * 5), f: 1 + Math.floor(rand() * 5) }));
    for (const m of rf) await env.services.sql.query('UPDATE member_scores SET rfm_r = ?, rfm_f = ? WHERE member_id = ?', [m.r, m.f, m.id]);
    const kocs = scores.filter(() => rand() < 0.1).map((s) => s.id);
    await env.services.sql.query('INSERT INTO koc_profiles (member_id, level, referral_code, joined_at) VALUES ?', [kocs.map((id) => [id, 1, `R${id}`, day1])]);
    const types = ['consultation', 'complaint', 'praise', 'activity', 'koc_promotion'] as const;
    const interactions = Array.from({ length: 900 }, () => ({ member: 1 + Math.floor(rand() * N), type: types[Math.floor(rand() * types.length)]!, daysAgo: Math.floor(rand() * 300) }));
    await env.services.sql.query('INSERT INTO interactions (member_id, type, channel, content, created_at) VALUES ?', [
      interactions.map((i) => [i.member, i.type, 'store', 'bench', new Date(day2.getTime() - i.daysAgo * DAY - 1000)]),
    ]);
    const coupons = Array.from({ length: 700 }, (_, k) => ({ member: 1 + Math.floor(rand() * N), used: rand() < 0.5, k }));
    await env.services.sql.query('INSERT INTO member_coupons (member_id, code, title, status, issued_at, source) VALUES ?', [
      coupons.map((c) => [c.member, `C${c.k}`, 'coupon', c.used ? 'used' : 'issued', day1, 'manual']),
    ]);
    const deleted = new Set((await env.services.sql.query<any[]>("SELECT id FROM members WHERE status = 'deleted'"))[0].map((r) => Number(r.id)));
    const run = await refreshSmartTagsRun(env.services.sql, day2);

    const social = (id: number) => interactions.filter((i) => i.member === id && i.daysAgo < 180 && ['activity', 'praise', 'koc_promotion'].includes(i.type)).length;
    const koc = rf
      .filter((m) => m.r >= 4 && m.f >= 4 && !kocs.includes(m.id) && !deleted.has(m.id))
      .map((m) => ({ id: m.id, confidence: Math.min(0.95, 0.5 + 0.1 * social(m.id)).toFixed(3) }));
    expect(koc.length).toBeGreaterThan(10);
    expect(koc.some((k) => k.confidence !== '0.500')).toBe(true);
    expect((await modelRows('KOC潜力')).map(({ id, confidence }) => ({ id, confidence }))).toEqual(koc);
    const sensitive = [...new Set(coupons.map((c) => c.member))]
      .sort((a, b) => a - b)
      .map((id) => ({ id, all: coupons.filter((c) => c.member === id).length, used: coupons.filter((c) => c.member === id && c.used).length }))
      .filter((m) => m.all >= 2 && m.used / m.all >= 0.5 && !deleted.has(m.id))
      .map((m) => ({ id: m.id, confidence: (Math.round((m.used / m.all) * 1000) / 1000).toFixed(3) }));
    expect(sensitive.length).toBeGreaterThan(10);
    expect((await modelRows('营销敏感')).map(({ id, confidence }) => ({ id, confidence }))).toEqual(sensitive);
    expect(run.held.KOC潜力).toBe(koc.length);
    expect(run.held.营销敏感).toBe(sensitive.length);
  });
});
