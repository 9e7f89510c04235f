import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { getIntent as catalogue } from '../../intents/catalogue.ts';
import { defineIntent, type IntentDef } from '../../intents/types.ts';
import { refine, type RefineLookups } from './refine.ts';

/** An ad-hoc count/list by tag, level and store (the shape of members.query): "有多少人" switches its mode. */
const query = defineIntent({
  name: 'members.query',
  audience: 'staff',
  description: 'Count or list members by tag, level or store.',
  title: '按条件查会员',
  permission: 'member.read',
  effect: 'read',
  slots: z.object({ tag: z.string().optional(), level: z.number().optional(), store: z.string().optional(), mode: z.enum(['count', 'list']).optional() }),
  examples: [],
  rule: { keywords: ['会员'], extract: { tag: 'tag', level: 'level', store: 'store' } },
  async run() {
    return { text: '' };
  },
});

const lookups: RefineLookups = {
  stores: [{ id: 1, name: '上海静安店', aliases: ['上海静安店', '静安店', '静安'] }, { id: 2, name: '上海徐汇店', aliases: ['上海徐汇店', '徐汇店', '徐汇'] }],
  tagNames: ['VIP', '高价值'],
  getIntent: (name) => (name === query.name ? (query as unknown as IntentDef) : catalogue(name)),
};

describe('refine', () => {
  it('reads "more rows" beside the number wanted as the count, no count asked ("再多看几个 前8", "a few more, top 8")', () => {
    const last = { intent: 'churn.list', slots: { limit: 3 }, text: '流失名单 前3' };
    expect(refine('再多看几个 前8', last, lookups)).toMatchObject({ intent: { name: 'churn.list' }, slots: { limit: 8 } });
    expect(refine('多列一些 前10个', last, lookups)?.slots).toEqual({ limit: 10 });
    expect(refine('a few more, top 8', last, lookups)?.slots).toEqual({ limit: 8 });
    expect(refine('消费满1000的呢', { ...last, slots: { limit: 8 } }, lookups)?.slots).toEqual({ limit: 8, minSpend: '1000.00' });
  });

  it('keeps earlier figures when a condition is added, a count said with 就够, or after a reaction to an empty answer', () => {
    const last = { intent: 'churn.list', slots: { limit: 5 }, text: '本店流失名单' };
    expect(refine('再加个条件 消费1000以上', last, lookups)?.slots).toEqual({ limit: 5, minSpend: '1000.00' });
    expect(refine('top 3 就够', { ...last, slots: { limit: 10, minSpend: '1000.00' } }, lookups)?.slots).toEqual({ limit: 3, minSpend: '1000.00' });
    const orders = { intent: 'member.orders', slots: { memberNo: 'M00000004', days: 30 }, text: '李娜最近30天订单' };
    expect(refine('没有？那150天', orders, lookups)?.slots).toMatchObject({ memberNo: 'M00000004', days: 150 });
    // A reaction alone refines nothing; "没有消费的" is no reaction (no pause after 没有).
    expect(refine('没有？', orders, lookups)).toBeNull();
    expect(refine('加个VIP', last, lookups)).toBeNull();
  });

  it('a calendar month said after orders is their period, not days; days said anew replace a period', () => {
    const orders = { intent: 'member.orders', slots: { memberNo: 'M00000004', days: 90 }, text: '李娜最近90天订单' };
    const month = refine('只要上个月的', orders, lookups)?.slots;
    expect(month).toEqual({ memberNo: 'M00000004', period: 'last_month' });
    expect(refine('近7天的呢', { ...orders, slots: month! }, lookups)?.slots).toEqual({ memberNo: 'M00000004', days: 7 });
  });

  it('reads a trailing "only" as narrowing ("new members only" after a store dashboard keeps the store)', () => {
    const last = { intent: 'insights.health', slots: { store: '杭州西湖店', text: '西湖店会员健康度' }, text: '西湖店会员健康度' };
    expect(refine('new members only', last, lookups)?.slots).toMatchObject({ store: '杭州西湖店', metric: 'new_members' });
  });

  it('narrows the last list: period, limit, amount, store', () => {
    const last = { intent: 'churn.list', slots: { days: 120 }, text: '超过120天没来的流失会员' };
    expect(refine('只看前5个', last, lookups)).toMatchObject({ intent: { name: 'churn.list' }, slots: { days: 120, limit: 5 } });
    expect(refine('金额1000以上的', last, lookups)?.slots).toEqual({ days: 120, minSpend: '1000.00' });
    expect(refine('换成静安店', last, lookups)?.slots).toEqual({ days: 120, store: '上海静安店' });
    expect(refine('只要近30天的', last, lookups)?.slots).toEqual({ days: 30 });
    expect(refine('only the last 7 days', last, lookups)?.slots).toEqual({ days: 7 });
    // In traditional characters, read as the router reads them.
    expect(refine('只看前5個', last, lookups)?.slots).toEqual({ days: 120, limit: 5 });
    expect(refine('換成靜安店', last, lookups)?.slots).toEqual({ days: 120, store: '上海静安店' });
  });
  it("the churn list's own condition words around a number of days keep the rest ('超过200天没来的' after 静安)", () => {
    const last = { intent: 'churn.list', slots: { store: '上海静安店' }, text: '流失名单' };
    expect(refine('超过200天没来的', last, lookups)?.slots).toEqual({ store: '上海静安店', days: 200 });
    expect(refine('200天以上没消费的', last, lookups)?.slots).toEqual({ store: '上海静安店', days: 200 });
    expect(refine('silent for over 150 days', last, lookups)?.slots).toEqual({ store: '上海静安店', days: 150 });
    // Only that intent's words, and only beside a number of days: an order list is not narrowed by "没来".
    expect(refine('没来的', last, lookups)).toBeNull();
    expect(refine('花过500以上的', last, lookups)?.slots).toEqual({ store: '上海静安店', minSpend: '500.00' });
    // "名单里都有谁": the list just shown, listed.
    expect(refine('名单里都有谁', last, lookups)).toMatchObject({ intent: { name: 'churn.list' }, slots: { store: '上海静安店' } });
    expect(refine('超过30天没来的', { intent: 'member.orders', slots: { memberNo: 'M00000005' }, text: '王芳的订单' }, lookups)).toBeNull();
  });

  it('switches a list to its count and back, and by tag, level or store', () => {
    const last = { intent: 'members.query', slots: { tag: 'VIP', mode: 'list' }, text: '有VIP标签的会员' };
    expect(refine('有多少人', last, lookups)?.slots).toEqual({ tag: 'VIP', mode: 'count' });
    expect(refine('how many', last, lookups)?.slots).toEqual({ tag: 'VIP', mode: 'count' });
    expect(refine('列出来', { ...last, slots: { tag: 'VIP', mode: 'count' } }, lookups)?.slots).toEqual({ tag: 'VIP', mode: 'list' });
    expect(refine('只看徐汇店的', last, lookups)?.slots).toEqual({ tag: 'VIP', mode: 'list', store: '上海徐汇店' });
    expect(refine('换成高价值', last, lookups)?.slots).toEqual({ tag: '高价值', mode: 'list' });
  });

  it("reads count and list words as typed tersely, and a list's count as the list again", () => {
    const vip = { intent: 'members.query', slots: { tag: 'VIP', mode: 'count' }, text: 'vip几个' };
    expect(refine('都谁', vip, lookups)?.slots).toEqual({ tag: 'VIP', mode: 'list' });
    expect(refine('有谁', vip, lookups)?.slots).toEqual({ tag: 'VIP', mode: 'list' });
    // The churn list has no count of its own: its answer states how many.
    expect(refine('有几个', { intent: 'churn.list', slots: { store: '上海静安店' }, text: '流失 静安' }, lookups)).toMatchObject({ intent: { name: 'churn.list' }, slots: { store: '上海静安店' } });
    // One member's card is no list: "几个人" is a question of its own.
    expect(refine('几个人', { intent: 'member.lookup', slots: { name: '陈静' }, text: '陈静' }, lookups)).toBeNull();
  });

  it("takes the last intent's own word after a narrowing word (只看工单 after today's work)", () => {
    const last = { intent: 'work.today', slots: { text: '今天活儿' }, text: '今天活儿' };
    expect(refine('只看工单', last, { ...lookups, routedIntent: 'member.tickets' })).toMatchObject({ intent: { name: 'work.today' }, slots: { kind: 'tickets' } });
    expect(refine('只看回访', last, { ...lookups, routedIntent: 'work.today' })?.slots).toMatchObject({ kind: 'followups' });
    // Without the narrowing word, another intent's reading stands.
    expect(refine('工单', last, { ...lookups, routedIntent: 'member.tickets' })).toBeNull();
  });

  it('exports a segment after its count, with the same segment', () => {
    const last = { intent: 'segment.count', slots: { text: '人群包 老客 有多少人' }, text: '人群包 老客 有多少人' };
    expect(refine('导出吧', last, lookups)).toMatchObject({ intent: { name: 'segment.export' }, slots: { text: '人群包 老客 有多少人' } });
    expect(refine('export it', last, lookups)?.intent.name).toBe('segment.export');
  });

  it('reads the health dashboard period from the text', () => {
    const last = { intent: 'insights.health', slots: { text: '本店会员健康度' }, text: '本店会员健康度' };
    expect(refine('只看近30天', last, lookups)?.slots).toEqual({ text: '本店会员健康度 只看近30天' });
  });

  it('replaces a named period of the dashboard, keeping the metric asked for', () => {
    const last = { intent: 'insights.health', slots: { text: '上周复购率', metric: 'repurchase_rate', period: 'last_week' }, text: '上周复购率' };
    expect(refine('上个月的呢', last, lookups)?.slots).toEqual({ text: '上周复购率 上个月的呢', metric: 'repurchase_rate', period: 'last_month' });
    expect(refine('本季度的呢', last, lookups)?.slots).toMatchObject({ metric: 'repurchase_rate', period: 'this_quarter' });
    expect(refine('10月的', last, lookups)?.slots).toEqual({ text: '上周复购率 10月的', metric: 'repurchase_rate', month: 10 });
  });

  it('is nothing when the message says more than a refinement, or the last intent cannot take it', () => {
    const last = { intent: 'churn.list', slots: {}, text: '流失名单' };
    expect(refine('张伟最近30天的订单', last, lookups)).toBeNull();
    expect(refine('谢谢', last, lookups)).toBeNull();
    expect(refine('导出吧', last, lookups)).toBeNull(); // no export of the churn list
    expect(refine('只看VIP的', last, lookups)).toBeNull(); // churn.list takes no tag
    expect(refine('只要近30天的', { intent: 'segment.count', slots: { text: '人群包 老客 有多少人' }, text: '人群包 老客 有多少人' }, lookups)).toBeNull();
  });
});

describe('refine: round 8 rules', () => {
  it('"X呢" asks the last question about another of its own words', () => {
    const last = { intent: 'work.today', slots: { kind: 'followups' }, text: '今天要回访谁' };
    expect(refine('工单呢', last, { ...lookups, routedIntent: 'member.tickets' })).toMatchObject({ intent: { name: 'work.today' }, slots: { kind: 'tickets' } });
    // Not a word of the last intent: no refinement (the routed request stands).
    expect(refine('订单呢', { intent: 'churn.list', slots: {}, text: '流失名单' }, { ...lookups, routedIntent: 'member.orders' })).toBeNull();
  });

  it('"有多少人" after a count of the same family asks it again (a segment just created)', () => {
    const last = { intent: 'segment.count', slots: { text: '建个人群包 家庭客人群：有家庭客标签' }, text: '建个人群包 家庭客人群：有家庭客标签' };
    expect(refine('有多少人', last, lookups)).toMatchObject({ intent: { name: 'segment.count' }, slots: { text: last.slots.text } });
    // "现在" / "目前": the answer as it stands now (after a condition was added), no figure of its own.
    expect(refine('现在有几个人', last, lookups)).toMatchObject({ intent: { name: 'segment.count' }, slots: { text: last.slots.text } });
    expect(refine('目前多少人', last, lookups)).toMatchObject({ intent: { name: 'segment.count' } });
    expect(refine('导出来', last, lookups)).toMatchObject({ intent: { name: 'segment.export' }, slots: { text: last.slots.text } });
  });
});

describe('refine: words of the last intent must state something new', () => {
  it('a word its parser reads from nothing is a default, not a refinement ("他的订单呢" after a count)', () => {
    const last = { intent: 'members.query', slots: { tag: 'VIP', mode: 'count' }, text: 'VIP有几个' };
    const real = { ...lookups, getIntent: catalogue };
    for (const w of ['他的订单呢', '她的积分呢']) expect(refine(w, last, { ...real, routedIntent: 'member.orders' }), w).toBeNull();
    expect(refine('他的订单呢', { ...last, slots: { tag: 'VIP', mode: 'list' } }, { ...real, routedIntent: 'member.orders' })).toBeNull();
  });

  it('an English word of its own counts like a Chinese one ("what about retention")', () => {
    const last = { intent: 'insights.health', slots: { metric: 'repurchase_rate', period: 'last_month', text: 'repurchase rate last month' }, text: 'repurchase rate last month' };
    expect(refine('what about retention', last, { ...lookups, routedIntent: 'member.summary' })).toMatchObject({ intent: { name: 'insights.health' }, slots: { metric: 'retention', period: 'last_month' } });
  });
});

describe('refine (session 15 follow-ups): the earlier slots are kept', () => {
  const real = { ...lookups, getIntent: catalogue };
  it('a metric of several words, or one that filler words make up ("repeat rate", "新会员"), keeps the period', () => {
    const last = { intent: 'insights.health', slots: { metric: 'churn_rate', period: 'last_week', text: 'churn rate last week' }, text: 'churn rate last week' };
    expect(refine('and repeat rate?', last, { ...real, routedIntent: 'insights.health' })).toMatchObject({ slots: { metric: 'repurchase_rate', period: 'last_week' } });
    const zh = { intent: 'insights.health', slots: { metric: 'aov', period: 'last_month', text: '客单价 上个月' }, text: '客单价 上个月' };
    expect(refine('新会员呢', zh, { ...real, routedIntent: 'insights.health' })).toMatchObject({ slots: { metric: 'new_members', period: 'last_month' } });
  });

  it('a month said anew is the month slot ("10月的"); 去年10月 stays in the text', () => {
    const last = { intent: 'insights.health', slots: { metric: 'repurchase_rate', text: '复购率' }, text: '复购率' };
    expect(refine('10月的', last, real)?.slots).toMatchObject({ metric: 'repurchase_rate', month: 10 });
    expect(refine('去年10月的', last, real)?.slots.month).toBeUndefined();
  });

  it('an English spending filter narrows the churn list ("only ones who spent over 1000"), and the next limit keeps it', () => {
    const last = { intent: 'churn.list', slots: {}, text: 'churn list' };
    const first = refine('only ones who spent over 1000', last, { ...real, routedIntent: 'member.orders' });
    expect(first).toMatchObject({ intent: { name: 'churn.list' }, slots: { minSpend: '1000.00' } });
    expect(refine('only those who spent more than 800', last, real)?.slots).toEqual({ minSpend: '800.00' });
    expect(refine('top 3', { ...last, slots: first!.slots }, real)?.slots).toEqual({ minSpend: '1000.00', limit: 3 });
  });
  it('"just 3" / "只要3个" after a list is its count; a bare number is not', () => {
    const last = { intent: 'member.orders', slots: { memberNo: 'M00000005' }, text: '王芳的订单' };
    expect(refine('just 3', last, lookups)?.slots).toMatchObject({ memberNo: 'M00000005', limit: 3 });
    expect(refine('只要3个', last, lookups)?.slots).toMatchObject({ memberNo: 'M00000005', limit: 3 });
    expect(refine('3', last, lookups)).toBeNull();
  });
  // Session 22: words that carry no figure of their own — the file sent to the asker, the period compared with.
  it('an export "sent to me" and a figure "compared with" a period refine the last answer', () => {
    const counted = { intent: 'segment.count', slots: { text: '建个人群包 爱喝咖啡的VIP：标签VIP' }, text: '建个人群包 爱喝咖啡的VIP：标签VIP' };
    expect(refine('导出来发给我', counted, lookups)?.intent.name).toBe('segment.export');
    expect(refine('export it and send it to me', counted, lookups)?.intent.name).toBe('segment.export');
    const aov = { intent: 'insights.health', slots: { metric: 'aov' }, text: '门店客单价' };
    expect(refine('和上周对比一下呢', aov, lookups)?.slots).toMatchObject({ metric: 'aov' });
    // A comparison with nothing to compare with is no refinement.
    expect(refine('比一下', aov, lookups)).toBeNull();
  });
});

describe('session 22: a store said after the store-wide RFM answer', () => {
  it('is the RFM again for that store, not another report', () => {
    const last = { intent: 'insights.rfm', slots: {}, text: '会员分层' };
    expect(refine('那徐汇店呢', last, lookups)).toMatchObject({ intent: { name: 'insights.rfm' }, slots: { store: '上海徐汇店' } });
    expect(refine('静安的呢', last, lookups)?.slots).toEqual({ store: '上海静安店' });
  });
});
