import { describe, expect, it } from 'vitest';
import { logInteraction } from '../../service/interactions/index.ts';
import { enrolKoc, kocLeaderboard, kocStats, recordReferral } from '../../loyalty/koc/index.ts';
import { enrolMember, memberLevelStatus, reviewMemberLevel, setMemberLevel, upsertLevel } from '../../loyalty/membership/index.ts';
import { memberSummary } from '../../customers/summary.ts';
import { NOW } from '../../../../test/support/crm/fixture.ts';
import { useCrmTestEnv } from '../../../../test/support/crm/crm-test-env.ts';
import { batchTag, createTag, listTags, mergeTags } from './manage.ts';
import { createTagRule, runTagRule, updateTagRule } from './rule-config.ts';
import { evaluateAllTagRules } from './rules.ts';

// Rule tags, tag dictionary operations, membership levels and KOC figures against MariaDB.
describe('tags, membership and KOC', () => {
  const crm = useCrmTestEnv('tag_rules');
  const { as, id, at } = crm;
  /** Tag rules are an admin setting (settings.manage); the fixture's HQ operator acting as admin. */
  const admin = () => ({ ...as('hq'), actor: { ...as('hq').actor, role: 'admin' as const } });
  const holders = async (tag: string) =>
    (await crm.services.db.memberTag.findMany({ where: { tag: { name: tag } }, include: { member: { select: { memberNo: true } } } })).map((t) => `${t.member.memberNo}:${t.source}`).sort();

  it('"spent ≥ 1000 in 180 days" tags exactly the members whose DECIMAL sum reaches it', async () => {
    // M1: 100.20 + 0.10 + 0.20 + 99.90 + 34.30 in 180 days (+1000.10 at 160 days) = 1234.80 ≥ 1000.
    // M4: 520 + 480.50 + 520 + 480.50 + … within 250 days; in 180 days: 480.50 (170) + 520 (150) = 1000.50.
    const r = await createTagRule(admin(), { tag: '半年消费千元', category: 'value', rule: { kind: 'spend', min: '1000', days: 180 } });
    expect(r.description).toBe('近 180 天消费 ≥ ¥1000');
    expect(await holders('半年消费千元')).toEqual([]); // saving a rule tags nobody; a run does
    await runTagRule(admin(), r.id);
    expect(await holders('半年消费千元')).toEqual(['M00000001:rule', 'M00000004:rule']);
    // A boundary a float sum would get wrong: 1000.50 ≥ 1000.50.
    await updateTagRule(admin(), r.id, { rule: { kind: 'spend', min: '1000.50', days: 180 } });
    await runTagRule(admin(), r.id);
    expect(await holders('半年消费千元')).toEqual(['M00000001:rule', 'M00000004:rule']);
    await updateTagRule(admin(), r.id, { rule: { kind: 'spend', min: '1000.51', days: 180 } });
    expect(await runTagRule(admin(), r.id)).toMatchObject({ added: 0, removed: 1, matched: 1 });
    expect(await holders('半年消费千元')).toEqual(['M00000001:rule']);
    await expect(createTagRule(as('marketer'), { tag: 'x', rule: { kind: 'points', min: 1 } })).rejects.toMatchObject({ code: 'permission_denied' });
    await expect(createTagRule(admin(), { tag: 'x', rule: { kind: 'spend', min: 'lots' } })).rejects.toMatchObject({ code: 'invalid_tag_rule', status: 400 });
  });

  it('"participated in ≥ 3 activities" is re-evaluated when an activity is logged, and on schedule', async () => {
    const rule0 = await createTagRule(admin(), { tag: '活动达人', category: 'behaviour', rule: { kind: 'interaction_count', type: 'activity', min: 3 } });
    await runTagRule(admin(), rule0.id);
    expect(await holders('活动达人')).toEqual([]);
    for (let i = 0; i < 3; i++) await logInteraction(as('manager1'), { memberId: id('M00000005'), type: 'activity', channel: 'store', content: `品鉴会 ${i + 1}` });
    expect(await holders('活动达人')).toEqual(['M00000005:rule']);
    // A manual tag on someone who does not qualify survives the scheduled run; the rule tag of
    // someone who no longer qualifies goes.
    await crm.services.db.memberTag.create({ data: { memberId: id('M00000006'), tagId: (await crm.services.db.tag.findUniqueOrThrow({ where: { name: '活动达人' } })).id, source: 'manual' } });
    await crm.services.db.interaction.deleteMany({ where: { memberId: id('M00000005'), content: '品鉴会 1' } });
    const runs = await evaluateAllTagRules(crm.services);
    expect(runs.find((r) => r.tag === '活动达人')).toMatchObject({ removed: 1, matched: 1 });
    expect(await holders('活动达人')).toEqual(['M00000006:manual']);
    const rule = await crm.services.db.tagRule.findFirstOrThrow({ where: { tag: { name: '活动达人' } } });
    expect(rule.lastEvaluatedAt?.toISOString()).toBe(NOW.toISOString());
  });

  it('merges two tags and applies or removes one on many members within scope', async () => {
    await crm.services.db.memberTag.create({ data: { memberId: id('M00000004'), tagId: (await crm.services.db.tag.findUniqueOrThrow({ where: { name: '高价值客户' } })).id } });
    await crm.services.db.memberTag.create({ data: { memberId: id('M00000001'), tagId: (await crm.services.db.tag.findUniqueOrThrow({ where: { name: '高价值客户' } })).id } });
    await crm.services.db.memberTag.create({ data: { memberId: id('M00000001'), tagId: (await crm.services.db.tag.findUniqueOrThrow({ where: { name: '高价值' } })).id } });
    const r = await mergeTags(as('marketer'), '高价值客户', '高价值');
    expect(r).toEqual({ moved: 1, alreadyHad: 1, into: '高价值' });
    expect(await crm.services.db.tag.findUnique({ where: { name: '高价值客户' } })).toBeNull();
    expect((await holders('高价值')).map((h) => h.split(':')[0])).toEqual(['M00000001', 'M00000004']);

    const b = await batchTag(as('manager1'), { tag: '新客', op: 'apply', memberIds: [id('M00000001'), id('M00000002'), id('M00000003')] });
    expect(b).toEqual({ changed: 2, skipped: [id('M00000002')] });
    expect((await batchTag(as('manager1'), { tag: '新客', op: 'remove', memberIds: [id('M00000001')] })).changed).toBe(1);
    await createTag(as('marketer'), { name: '素食', category: 'demographic' });
    await expect(createTag(as('marketer'), { name: '素食', category: 'demographic' })).rejects.toMatchObject({ code: 'tag_exists', status: 409 });
    const tags = await listTags(as('agent'));
    expect(tags.find((t) => t.name === '活动达人')).toMatchObject({ category: 'behaviour', members: 1 });
    expect(tags.find((t) => t.name === '活动达人')?.rule?.rule).toEqual({ kind: 'interaction_count', type: 'activity', min: 3 });
  });

  it('enrols, upgrades automatically, downgrades at expiry unless kept, and keeps the history', async () => {
    const M = id('M00000004');
    await enrolMember(as('hq'), { memberId: M, level: 1, source: 'purchase' });
    await upsertLevel(as('hq'), { level: 2, name: '银卡会员', minSpend: '2000', keepMinSpend: '1500', validityMonths: 12, benefits: { discount: 0.98 } });
    // M4 spent 3000.50 in the last 12 months (6 orders, 1200 points): 金卡 needs ¥2500 → straight to L3.
    const up = await reviewMemberLevel(crm.services, M);
    expect(up).toEqual({ from: 1, to: 3, kind: 'upgrade' });
    at(new Date(NOW.getTime() + 400 * 86_400_000)); // a year on, no new orders: downgrade
    const down = await reviewMemberLevel(crm.services, M);
    expect(down).toEqual({ from: 3, to: 1, kind: 'downgrade' });
    await expect(setMemberLevel(as('manager1'), { memberId: M, level: 4, reason: '补偿' })).rejects.toMatchObject({ code: 'permission_denied' });
    at(new Date(crm.now().getTime() + 60_000));
    expect(await setMemberLevel(as('hq'), { memberId: M, level: 4, reason: '投诉补偿' })).toEqual({ from: 1, to: 4, changed: true });
    at(NOW);
    const st = await memberLevelStatus(as('manager1'), M);
    expect(st).toMatchObject({ level: 4, levelName: '铂金会员', next: { level: 5, name: '钻石会员' } });
    expect(st.history.map((h) => `${h.kind}:${h.source}:${h.fromLevel}->${h.toLevel}`)).toEqual(['upgrade:manual:1->4', 'downgrade:auto:3->1', 'upgrade:auto:1->3', 'enrol:purchase:2->1']);
  });

  it('reports KOC referrals, redemptions and earnings, and puts KOC and service facts on the 360 card', async () => {
    const K = id('M00000005');
    const { referralCode } = await enrolKoc(as('hq'), K, 2);
    await recordReferral(as('hq'), { referralCode, referredMemberId: id('M00000009') });
    await recordReferral(as('hq'), { referralCode, referredMemberId: id('M00000010'), orderId: 1, commission: '12.30' });
    await recordReferral(as('hq'), { referralCode, orderId: 2, commission: '0.20' });
    expect(await kocStats(as('manager1'), K)).toMatchObject({ level: 2, referrals: 3, redemptions: 2, earnings: '12.50' });
    expect(await kocStats(as('manager1'), id('M00000001'))).toBeNull();
    await expect(kocStats(as('manager2'), K)).rejects.toMatchObject({ code: 'member_not_found' });
    expect((await kocLeaderboard(as('manager1')))[0]).toMatchObject({ memberNo: 'M00000005', earnings: '12.50' });
    expect(await kocLeaderboard(as('manager2'))).toEqual([]);

    await logInteraction(as('manager1'), { memberId: K, type: 'complaint', channel: 'call', content: '排队太久' });
    const s = await memberSummary(as('manager1'), { memberNo: 'M00000005' });
    if (s.kind !== 'one') throw new Error('expected one');
    expect(s.summary.koc).toEqual({ level: 2, referrals: 3, redemptions: 2, earnings: '12.50' });
    expect(s.summary.openTickets.map((t) => [t.type, t.status, t.title])).toEqual([['complaint', 'open', '排队太久']]);
    expect(s.summary.recentComplaints.map((c) => c.content)).toEqual(['排队太久']);
    expect(s.summary.levelName).toBe('银卡会员');
  });
});
