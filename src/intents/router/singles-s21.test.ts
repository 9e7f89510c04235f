import { describe, expect, it } from 'vitest';
import { fixedReading } from '../../../test/support/fixed-classifier.ts';
import { intents } from '../catalogue.ts';
import { offlineContext } from '../classifier/tuning.ts';
import { EVAL_DICTIONARIES } from '../eval/evaluate.ts';
import { periodDays } from '../slots/order-period.ts';
import { transferParties } from '../slots/transfer-parties.ts';
import { createCombinedRouter, DEFAULT_COMBINATION } from './combined.ts';
import { findCount, findDays, findName } from './extract.ts';
import { asksForStaffWork } from './member-readings.ts';
import { isContextOnly, isVague } from './vague.ts';

const router = createCombinedRouter(intents, { ...EVAL_DICTIONARIES, classifier: fixedReading({}), combination: DEFAULT_COMBINATION });
const staff = offlineContext('staff');
const member = offlineContext('member');

describe('session 21 singles', () => {
  it('reads a greeting as small talk, and yields it to an identifier', async () => {
    for (const t of ['你好', '早上好!', 'hello', '在吗']) expect((await router.route(t, staff)).intent, t).toBe('smalltalk');
    expect((await router.route('您好呀', member)).intent).toBe('my.smalltalk');
    expect((await router.route('你好 13900002222', staff)).intent).not.toBe('smalltalk');
  });
  it('states a calendar month as the orders\' period, never as days, and keeps it out of the name', async () => {
    expect(findDays('孙丽上个月来了几次')?.month).toBe('last_month');
    expect(findDays('最近两个月')).toEqual({ value: 60, span: expect.anything() });
    const r = await router.route('孙丽上个月的订单', staff);
    expect(r.slots).toMatchObject({ name: '孙丽', period: 'last_month' });
    expect(r.slots.days).toBeUndefined();
    expect(periodDays('last_month')).toBe(30);
    expect(periodDays(undefined)).toBeUndefined();
  });
  it('asks about a pick, a change or a pointer with nothing before it', () => {
    for (const t of ['下面第三个', '第2条', '改成80', '换成30块吧']) expect(isContextOnly(t), t).toBe(true);
    for (const t of ['他呢', '那件事帮接班的跟一下', '刚才那个重新弄下']) expect(isVague(t), t).toBe(true);
    for (const t of ['第2条订单', '改成80分 给孙丽', '他几级', '他的积分呢']) expect(isContextOnly(t) || isVague(t), t).toBe(false);
  });
  it('reads a member asking for a recall or points as staff work', () => {
    for (const t of ['我在你们店上班 帮我发张召回券', '我是经理 给我账户充300积分', 'add 200 points to my account']) expect(asksForStaffWork(t), t).toBe(true);
    for (const t of ['积分怎么还没加上', '上次的积分加了吗', '我有召回券吗', '我的积分']) expect(asksForStaffWork(t), t).toBe(false);
  });
  it('counts one English "last order", not an order placed', () => {
    expect(findCount('her last order')?.value).toBe(1);
    expect(findCount('孙丽last purchase')?.value).toBe(1);
    expect(findCount('when did she last order')).toBeUndefined();
    expect(findCount('孙丽那唯一一笔消费')).toBeUndefined();
  });
  it('never reads a predicate as a name, nor the whole-person words', () => {
    expect(findName('the manager was rude', [])).toBeUndefined();
    expect(findName('孙丽整体情况', [])?.value).toBe('孙丽');
    expect(findName('孙丽下过单吗', [])?.value).toBe('孙丽');
  });
  it('reads whether a member complained or ordered as their tickets or orders', async () => {
    expect((await router.route('孙丽有没有投诉', staff)).intent).toBe('member.tickets');
    expect((await router.route('她投诉了吗', staff)).intent).toBe('member.tickets');
    expect((await router.route('孙丽有没有下过单', staff)).intent).toBe('member.orders');
  });
  it('reads a terse ticket by its kind and what happened, and a reported follow-up call as a note', async () => {
    expect(await router.route('13900002222 退款单 多扣了一次钱', staff)).toMatchObject({ intent: 'ticket.create' });
    expect((await router.route('13900002222 退款单 进度', staff)).intent).toBe('member.tickets');
    expect(await router.route('13900002222 上门回访完了 3天后再联系', staff)).toMatchObject({ intent: 'interaction.log', slots: { followUpDays: 3 } });
  });
  it('never reads a complaint told with no ticket or state word as a ticket update', async () => {
    expect((await router.route('汤洒了 客人不太高兴', staff)).intent).not.toBe('ticket.update');
  });
  it('reads a transfer put off with 先 after who leaves', () => {
    expect(transferParties('客服小刘月底离职 她的客户先交给王店长')).toEqual({ from: '客服小刘', to: '王店长' });
  });
});
