import { fixedReading } from '../../../test/support/fixed-classifier.ts';
import { describe, expect, it } from 'vitest';
import { intents } from '../catalogue.ts';
import { offlineContext } from '../classifier/tuning.ts';
import { EVAL_DICTIONARIES } from '../eval/evaluate.ts';
import { createCombinedRouter, DEFAULT_COMBINATION } from './combined.ts';
import { isBareVerbQuestion, isMistypedPhone, isVague } from './vague.ts';
import { namesNothingToActOn } from './action-words.ts';

const router = (p: Record<string, number>) => createCombinedRouter(intents, { ...EVAL_DICTIONARIES, classifier: fixedReading(p), combination: DEFAULT_COMBINATION });
const staff = offlineContext('staff');

describe('paired asks', () => {
  it('asks which first when a message is only a list of object words of different reads, whatever the model leaned to', async () => {
    for (const [text, options] of [
      ['13800000004 工单 互动记录', ['member.interactions', 'member.tickets']],
      ['陈静详情还有她买了啥', ['member.orders', 'member.summary']],
      ['tickets and interactions for M00000004', ['member.interactions', 'member.tickets']],
      ["show me M00000012's level and tickets", ['member.level', 'member.tickets']],
      ['李娜是几级 最近买过啥', ['member.level', 'member.orders']],
      ['陳靜的訂單和工單', ['member.orders', 'member.tickets']],
      ['流失名单和RFM', ['churn.list', 'insights.rfm']],
      ['本店流失预警 还有 健康度', ['churn.list', 'insights.health']],
      ['召回效果跟流失名单', ['churn.list', 'recall.status']],
      ['王芳 订单还是工单', ['member.orders', 'member.tickets']],
      ['王芳积分等级', ['member.level', 'member.lookup']],
      ['13800000001 订单 详情', ['member.orders', 'member.summary']],
    ] as const) {
      const r = await router({ 'member.tickets': 0.8 }).route(text, staff);
      expect([text, r.intent, r.slots.options]).toEqual([text, 'clarify', options]);
      expect(r.alternatives?.map((a) => a.intent)).toEqual(options);
    }
  });

  it('answers a message that mentions a second object without listing it, or lists one read twice', async () => {
    for (const [text, intent] of [
      ['看下王芳工单 客人说是因为上次订单有问题', 'member.tickets'],
      ['李娜的跟进记录', 'member.interactions'],
      ['王芳 订单', 'member.orders'],
      ['流失名单 流失预警', 'churn.list'],
      // An object and its details glued together is that object, not a tie with the summary's 详情.
      ['王芳的订单详情', 'member.orders'],
      ['李娜 工单进度', 'member.tickets'],
      // A member's object word with no member is no member's ask: the recalls' history.
      ['召回活动 history', 'recall.status'],
    ] as const) {
      expect([text, (await router({ [intent]: 0.8 }).route(text, staff)).intent]).toEqual([text, intent]);
    }
  });
});

describe('paired asks of a member', () => {
  it('asks which first when a member lists two of their own reads', async () => {
    const member = offlineContext('member');
    for (const [text, options] of [
      ['我的订单还有优惠券', ['my.coupons', 'my.orders']],
      ['积分和等级', ['my.level', 'my.points']],
    ] as const) {
      const r = await router({ 'my.points': 0.8 }).route(text, member);
      expect([text, r.intent, r.slots.options]).toEqual([text, 'clarify', options]);
    }
    expect((await router({ 'my.points': 0.8 }).route('我的积分', member)).intent).toBe('my.points');
  });
});

describe('vague messages', () => {
  it('asks what is wanted when a message is only a generic verb or a pointer at nothing named', () => {
    for (const text of ['查一下', '帮我看看', '弄一下', '那个数据呢', '那个人呢', '情况怎么样', 'check this']) expect([text, isVague(text)]).toEqual([text, true]);
    for (const text of ['查一下订单', '看下王芳', '你能干啥', '人数呢', '谢谢', 'check 13800000001', '了']) expect([text, isVague(text)]).toEqual([text, false]);
    // Session 20: a person or a time pointed at and never named is vague; a name or an object word is not.
    for (const text of ['那个顾客呢', '之前那个', '这个会员']) expect([text, isVague(text)]).toEqual([text, true]);
    for (const text of ['那个顾客的订单', '之前那个郑浩', '会员', '帮我查下客户', '看一下会员']) expect([text, isVague(text)]).toEqual([text, false]);
    for (const text of ['1390000123', '139 0000 123 45']) expect([text, isMistypedPhone(text)]).toEqual([text, true]);
    for (const text of ['13900001234', '139000012', '1390000123 订单']) expect([text, isMistypedPhone(text)]).toEqual([text, false]);
    // Session 20: coupons to send with nobody named are not vague to the router: the write gate asks what they are for
    // (namesNothingToActOn — one reading of "a write with nothing to act on"); a list or a member names the object.
    for (const text of ['送点券吧', '帮我发张券', 'hand out coupons']) expect([text, isVague(text), namesNothingToActOn(text)]).toEqual([text, false, true]);
    for (const text of ['沉睡的 发券', '王芳 送券']) expect([text, namesNothingToActOn(text)]).toEqual([text, false]);
    // Session 24: one write verb asked and nothing else is asked about; a verb with its object is that request.
    for (const text of ['补?', '降？', '删 ?']) expect([text, isBareVerbQuestion(text)]).toEqual([text, true]);
    for (const text of ['建单?', '补', '王芳 降?', 'lv?']) expect([text, isBareVerbQuestion(text)]).toEqual([text, false]);
  });
});

describe('paired writes', () => {
  it('asks which first when two writes each name their own object, never running one of them', async () => {
    for (const [text, options] of [
      ['周杰加VIP 再加200积分 生日', ['points.adjust', 'tag.add']],
      ['tag 13800000012 VIP and add 100 points', ['points.adjust', 'tag.add']],
      ['去掉王芳的VIP 然后扣50分', ['points.adjust', 'tag.remove']],
    ] as const) {
      const r = await router({ 'points.adjust': 0.8 }).route(text, staff);
      expect([text, r.intent, r.slots.options]).toEqual([text, 'clarify', options]);
    }
  });

  it('one write with its reason is that write', async () => {
    for (const text of ['给周杰加200积分 生日', '给王芳打个VIP标签']) {
      const r = await router({ 'points.adjust': 0.5, 'tag.add': 0.3 }).route(text, staff);
      expect([text, r.intent]).not.toEqual([text, 'clarify']);
    }
  });
});
