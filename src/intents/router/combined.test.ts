import { fixedReading } from '../../../test/support/fixed-classifier.ts';
import { describe, expect, it } from 'vitest';
import { intents } from '../catalogue.ts';
import type { Classifier } from '../classifier/model.ts';
import { NONE } from '../classifier/model.ts';
import { offlineContext } from '../classifier/tuning.ts';
import { EVAL_DICTIONARIES } from '../eval/evaluate.ts';
import { createCombinedRouter, DEFAULT_COMBINATION, THRESHOLDS } from './combined.ts';
import { CONFIDENCE, createRuleRouter } from './rules.ts';
import { CLARIFY_INTENT } from './types.ts';


const staff = offlineContext('staff');
const router = (p?: Record<string, number>) =>
  createCombinedRouter(intents, { ...EVAL_DICTIONARIES, ...(p ? { classifier: fixedReading(p), combination: DEFAULT_COMBINATION } : {}) });

describe('combined router', () => {
  it('reads a question whether an action happened as the action\'s read, never the action', async () => {
    // The model is sure it is the action; the question moves its weight to the read counterpart.
    const r = await router({ 'recall.launch': 0.9 }).route('券发出去了吗', staff);
    expect(r.intent).toBe('recall.status');
    const tag = await router({ 'tag.add': 0.9 }).route('王芳的VIP标签打上了没', staff);
    expect([tag.intent, tag.slots.name]).toEqual(['member.summary', '王芳']);
    // A polite request is still the request.
    expect((await router({ 'tag.add': 0.9 }).route('给王芳打个VIP标签好吗', staff)).intent).toBe('tag.add');
  });

  it('reads a write the message does not ask for in words, whichever source chose it', async () => {
    // The model is sure of the write; without a verb of it the message names its object, so it is read.
    expect((await router({ 'recall.launch': 0.9 }).route('王芳的优惠券', staff)).intent).not.toBe('recall.launch');
    // A points phrase is answered by the look-up card, which shows the balance.
    const points = await router({ 'points.adjust': 0.9 }).route('13800000003 100分', staff);
    expect([points.intent, points.slots.phone]).toEqual(['member.lookup', '13800000003']);
    expect((await router({ 'tag.add': 0.9 }).route('the customer asked for a VIP tag, M00000004', staff)).intent).toBe('member.summary');
    expect((await router({ 'tag.remove': 0.9 }).route('M00000004家庭客标签看一眼', staff)).intent).toBe('member.summary');
    expect((await router({ 'points.adjust': 0.9 }).route("take a look at 陈静's points", staff)).intent).toBe('member.lookup');
    // A rule trigger that is a noun ("recall") is no verb either.
    expect((await router({ 'recall.launch': 0.9 }).route('recall report', staff)).intent).toBe('recall.status');
    expect((await router({ 'recall.stop': 0.9 }).route('the recall history', staff)).intent).toBe('recall.list');
    // Asked in words — a verb, a sign, an English verb where a command puts it — the write stays.
    for (const [text, intent] of [
      ['给13800000003加100分', 'points.adjust'],
      ['M00000005 +VIP', 'tag.add'],
      ['给陈静 tag 一下 投诉过', 'tag.add'],
      ['tag 13800000003 VIP', 'tag.add'],
      ['take the VIP tag off M00000001', 'tag.remove'],
      ['take 30 points off 王芳, wrong order', 'points.adjust'],
      ['dock 李娜 15 points', 'points.adjust'],
      ['recall the churned members with a 20 yuan coupon', 'recall.launch'],
      ['stop recall 8', 'recall.stop'],
    ] as const) expect((await router({ [intent]: 0.9 }).route(text, staff)).intent, text).toBe(intent);
  });

  it('asks which one when two intents tie in the rules, each option carrying its slots', async () => {
    const r = await router().route('张伟的订单和详情', staff);
    expect(r.intent).toBe(CLARIFY_INTENT);
    expect(r.slots).toEqual({ options: ['member.orders', 'member.summary'] });
    expect(r.alternatives?.map((a) => [a.intent, a.slots]).sort()).toEqual([
      ['member.orders', { name: '张伟' }],
      ['member.summary', { name: '张伟' }],
    ]);
  });

  it('asks with at most three options, sorted, when the readings are close', async () => {
    // Four reads, none above clarifyReadBelow (a read is answered from there).
    const r = await router({ 'member.orders': 0.15, 'member.summary': 0.14, 'member.level': 0.14, 'member.lookup': 0.1 }).route('李娜那个', staff);
    expect(r.intent).toBe(CLARIFY_INTENT);
    const options = r.slots.options as string[];
    expect(options.length).toBeLessThanOrEqual(THRESHOLDS.maxOptions);
    expect(options).toEqual([...options].sort());
    expect(options).toEqual(['member.level', 'member.orders', 'member.summary']);
    for (const a of r.alternatives ?? []) expect(a.slots).toEqual({ name: '李娜' });
  });

  it('answers a likeliest read on a smaller lead than a likeliest write, which it asks about', async () => {
    // Readings close enough that the top one is below clarifyBelow but above clarifyReadBelow.
    const read = await router({ 'member.orders': 0.36, 'member.summary': 0.3 }).route('李娜那个', staff);
    expect(read.confidence).toBeLessThan(THRESHOLDS.clarifyBelow);
    expect(read.confidence).toBeGreaterThanOrEqual(THRESHOLDS.clarifyReadBelow);
    expect(read).toMatchObject({ intent: 'member.orders', slots: { name: '李娜' } });
    // Not the terse "member + verb + tag" fragment (write-readings.ts reads that as the write on its own).
    const write = await router({ 'tag.add': 0.36, 'member.summary': 0.3 }).route('李娜也弄个VIP', staff);
    expect(write.confidence).toBeLessThan(THRESHOLDS.clarifyBelow);
    expect(write.intent).toBe(CLARIFY_INTENT);
    expect(write.slots.options).toContain('tag.add');
  });

  it('lets a bare identifier be a lookup, whatever the classifier says (high-precision override)', async () => {
    expect(await router({ 'member.orders': 0.99 }).route('138 0000 0001', staff)).toEqual({ intent: 'member.lookup', slots: { phone: '13800000001' }, confidence: CONFIDENCE.bareRef });
  });

  it('keeps a sure rule match against a mildly disagreeing classifier', async () => {
    const r = await router({ 'member.summary': 0.6, 'member.orders': 0.3 }).route('张伟的订单', staff);
    expect(r).toMatchObject({ intent: 'member.orders', slots: { name: '张伟' } });
    expect(r.alternatives?.[0]).toMatchObject({ intent: 'member.summary', slots: { name: '张伟' } });
  });

  it('falls back with a low confidence when nothing is likely', async () => {
    const r = await router({ [NONE]: 0.95 }).route('今天好热', staff);
    expect(r.intent).toBe('help');
    expect(r.confidence).toBeLessThanOrEqual(THRESHOLDS.fallbackConfidence);
    const member = await router({ [NONE]: 0.95 }).route('今天好热', offlineContext('member'));
    expect(member.intent).toBe('my.help');
  });

  it('reads a list by level or by tag as members.query and what was said as the interactions, never one member\'s card', async () => {
    for (const [text, intent, slots] of [
      ['level 3 list', 'members.query', { level: 3, mode: 'list' }],
      ["who's on level 2", 'members.query', { level: 2, mode: 'list' }],
      ['谁有家庭客标签', 'members.query', { tag: '家庭客', mode: 'list' }],
      ["who's tagged 老客", 'members.query', { tag: '老客', mode: 'list' }],
      ['what did we talk about with 王芳', 'member.interactions', { name: '王芳' }],
      ['what level is 陈静 on', 'member.level', { name: '陈静' }],
      ['王芳有哪些标签', 'member.summary', { name: '王芳' }],
    ] as const) expect(await router().route(text, staff), text).toMatchObject({ intent, slots });
  });

  it('reads phrasings the rules miss, with the slots of the rules\' extractors (the shipped model)', async () => {
    const rules = createRuleRouter(intents, EVAL_DICTIONARIES);
    // (消费流水 became a member.orders keyword in session 10: the phrasing below is one the rules still miss.)
    expect((await rules.route('李娜最近在店里花钱的明细', staff)).intent).toBe('help');
    expect(await router().route('李娜最近在店里花钱的明细', staff)).toMatchObject({ intent: 'member.orders', slots: { name: '李娜' } });
    // A calendar month is no number of days (test/intents/blind-brief.md): the orders, no days.
    const lastMonth = await router().route('what did Li Na order last month', staff);
    expect(lastMonth).toMatchObject({ intent: 'member.orders', slots: { name: 'Li Na', period: 'last_month' } });
    expect(lastMonth.slots.days).toBeUndefined();
    const r = await router().route('上周新增会员', staff);
    expect(r).toMatchObject({ intent: 'insights.health', slots: { text: '上周新增会员' } });
    expect(r.confidence).toBeGreaterThan(0.5);
  });

  it('considers only the audience\'s intents', async () => {
    const r = await router().route('给 13800000001 打标签 VIP', offlineContext('member'));
    expect(intents.find((i) => i.name === r.intent)?.audience ?? 'member').toBe('member');
    for (const a of r.alternatives ?? []) expect(intents.find((i) => i.name === a.intent)?.audience).toBe('member');
  });

  it('drops help and small talk when a reading finds a member, a store or a metric in the message', async () => {
    // The model leans to small talk; the look-up's extractor finds 周杰: a member named is no chat.
    const r = await router({ smalltalk: 0.4, 'member.lookup': 0.3 }).route('周杰 电话', staff);
    expect(r.intent).toBe('member.lookup');
    expect(r.slots).toMatchObject({ name: '周杰' });
    // Nothing of the CRM named: small talk stands.
    expect((await router({ smalltalk: 0.6, 'member.lookup': 0.2 }).route('今天辛苦了', staff)).intent).toBe('smalltalk');
  });

  it('reads a Chinese name alone as a look-up, unless the model is sure it is talk', async () => {
    const r = await router({ 'member.summary': 0.3, [NONE]: 0.25 }).route('王芳', staff);
    expect(r).toMatchObject({ intent: 'member.lookup', slots: { name: '王芳' } });
    expect((await router({ smalltalk: 0.9 }).route('辛苦', staff)).intent).toBe('smalltalk');
  });
});
