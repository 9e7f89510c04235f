import { fixedReading } from '../../../test/support/fixed-classifier.ts';
import { describe, expect, it } from 'vitest';
import { intents } from '../catalogue.ts';
import { offlineContext } from '../classifier/tuning.ts';
import { EVAL_DICTIONARIES } from '../eval/evaluate.ts';
import { createCombinedRouter, DEFAULT_COMBINATION } from './combined.ts';
import { slotsAs } from './rules.ts';

const router = (p: Record<string, number>) => createCombinedRouter(intents, { ...EVAL_DICTIONARIES, classifier: fixedReading(p), combination: DEFAULT_COMBINATION });
const staff = offlineContext('staff');

describe('the scope a message names', () => {
  it('reads a count by a tag with no segment word as an ad-hoc count, a named segment as the segment', async () => {
    const r = await router({ 'segment.count': 0.8 }).route('爱吃辣的有多少人', staff);
    expect([r.intent, r.slots.tag, r.slots.mode]).toEqual(['members.query', '爱吃辣', 'count']);
    expect((await router({ 'segment.count': 0.8 }).route('VIP的有几个', staff)).intent).toBe('members.query');
    // Named as a segment, it stays the segment's count; so does a name the tag dictionary does not know.
    expect((await router({ 'segment.count': 0.8 }).route('人群包 爱吃辣 有多少人', staff)).intent).toBe('segment.count');
    expect((await router({ 'segment.count': 0.8 }).route('高复购有多少人', staff)).intent).toBe('segment.count');
  });

  it('reads a store named with no member as no member request, and never a store as a name', async () => {
    const r = await router({ 'member.summary': 0.5, 'churn.list': 0.2 }).route('what about 上海静安店', staff);
    expect(r.intent).not.toBe('member.summary');
    expect(r.intent === 'churn.list' ? r.slots.store : r.alternatives?.find((a) => a.intent === 'churn.list')?.slots.store).toBe('上海静安店');
    // A pronoun points at the member in focus: the member's request stays.
    expect((await router({ 'member.orders': 0.8 }).route('她在静安店的订单', staff)).intent).toBe('member.orders');
    // The rules never take a store's words for a name, whichever intent reads them.
    const summary = intents.find((i) => i.name === 'member.summary')!;
    for (const text of ['what about 静安店', '静安店的详情']) expect((await slotsAs(summary, text, staff, EVAL_DICTIONARIES)).name).toBeUndefined();
    expect((await slotsAs(summary, '王芳的详情', staff, EVAL_DICTIONARIES)).name).toBe('王芳');
  });

  it('reads a count of members over a period or against one as the dashboard, a count by tag or level as the count', async () => {
    for (const text of ['本月会员数', '上月会员多少', '10月会员几个', '会员数 同比', '静安会员数 上月', 'member count trend']) {
      expect((await router({ 'members.query': 0.8 }).route(text, staff)).intent, text).toBe('insights.health');
    }
    for (const text of ['本店有多少会员', '本月VIP几个', '上月5级会员几个', '这个月生日的会员有几个']) {
      expect((await router({ 'members.query': 0.8 }).route(text, staff)).intent, text).toBe('members.query');
    }
  });

  it("reads a member named beside churn words as that member's read, the store's list when a list or count is asked", async () => {
    expect((await router({ 'churn.list': 0.6, 'member.orders': 0.2 }).route('陈静 多久没来了', staff)).intent).toBe('member.orders');
    const r = await router({ 'churn.list': 0.7, 'member.summary': 0.1 }).route('陈静是不是流失了', staff);
    expect([r.intent, r.slots.name]).toEqual(['member.summary', '陈静']);
    expect((await router({ 'churn.list': 0.7 }).route('13800000007 流失了吗', staff)).intent).toBe('member.summary');
    // A list or a count asked for: the store's churn list.
    expect((await router({ 'churn.list': 0.7 }).route('流失名单 前10', staff)).intent).toBe('churn.list');
    // A surname character before a word is no member ("高风险流失").
    expect((await router({ 'churn.list': 0.7 }).route('高风险流失', staff)).intent).toBe('churn.list');
  });
});
