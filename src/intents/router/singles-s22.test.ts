import { describe, expect, it } from 'vitest';
import { fixedReading } from '../../../test/support/fixed-classifier.ts';
import { intents } from '../catalogue.ts';
import { offlineContext } from '../classifier/tuning.ts';
import { EVAL_DICTIONARIES, EVAL_TAGS } from '../eval/evaluate.ts';
import { parseInteraction, parsePoints, parseTicket } from '../parse/service-text.ts';
import { createCombinedRouter, DEFAULT_COMBINATION } from './combined.ts';
import { findName, findTagPhrase, soundsLikeTag } from './extract.ts';
import { isVague } from './vague.ts';

const router = createCombinedRouter(intents, { ...EVAL_DICTIONARIES, classifier: fixedReading({}), combination: DEFAULT_COMBINATION });
const staff = offlineContext('staff');

describe('session 22 singles', () => {
  it('reads how many, asked before a tag, as the question and not the tag', async () => {
    expect(findTagPhrase('静安有多少个网红客标签的会员')?.value).toBe('网红客');
    expect(findTagPhrase('一共有几位带娃家庭标签的')?.value).toBe('带娃家庭');
    expect(findTagPhrase('有多少个标签')).toBeUndefined();
    const r = await router.route('西湖店有多少个爱吃辣标签的客人', staff);
    expect(r.slots).toMatchObject({ tag: '爱吃辣', store: '杭州西湖店', mode: 'count' });
  });

  it('reads a dictionary tag typed with one same-sounding character as that tag, and nothing looser', () => {
    const at = { start: 0, end: 4 };
    expect(soundsLikeTag({ value: '生日越', span: at }, EVAL_TAGS)?.value).toBe('生日月');
    expect(soundsLikeTag({ value: '爱吃拉', span: at }, EVAL_TAGS)?.value).toBe('爱吃辣');
    // Two characters off, or a different word: no tag (the intent asks "did you mean").
    expect(soundsLikeTag({ value: '声日越', span: at }, EVAL_TAGS)).toBeUndefined();
    expect(soundsLikeTag({ value: '家庭主妇', span: at }, EVAL_TAGS)).toBeUndefined();
  });

  it('reads a thing that does not work as a repair ticket', () => {
    expect(parseTicket('给陈静建个单 会员码扫不出来', ['陈静']).stated.type).toBe('repair');
    expect(parseTicket('13900001111 开工单 卡里的钱用不了', ['13900001111']).stated.type).toBe('repair');
    expect(parseTicket('open a ticket, the gift card won\'t work', []).stated.type).toBe('repair');
    // A kind the ticket is given still wins; a refund is after-sales.
    expect(parseTicket('开个投诉单 卡刷不了还态度差', []).stated.type).toBe('complaint');
    expect(parseTicket('建个单 退款一直没到', []).stated.type).toBe('after_sales');
  });

  it('reads staff asking the member as no consultation of the member\'s', () => {
    expect(parseInteraction('给刘洋回了个电话 问他下次什么时候来', ['刘洋']).stated.type).toBeUndefined();
    expect(parseInteraction('微信上问问她对新菜满不满意', []).stated.type).toBeUndefined();
    expect(parseInteraction('called her and asked her about the refund', []).stated.type).toBeUndefined();
    // The member asking stays a consultation, about their own record too.
    expect(parseInteraction('刘洋来电问年夜饭套餐', ['刘洋']).stated.type).toBe('consultation');
    expect(parseInteraction('她来店问她的储值卡余额', []).stated.type).toBe('consultation');
    expect(parseInteraction('客人对等位时间不满', []).stated.type).toBe('complaint');
  });

  it('asks what is meant by a thing said before and never named', () => {
    for (const t of ['呃 之前聊过的那个 处理一下', '就是上次讲的那个事', 'do that thing from before', 'sort out the stuff we talked about']) expect(isVague(t), t).toBe(true);
    for (const t of ['上次说的那个订单', 'do the orders from yesterday', 'do it']) expect(isVague(t), t).toBe(false);
  });

  it('never reads a word about a name as the name', () => {
    expect(findName('Li Na那个英文名的客户 看下积分', [])?.value).toBe('Li Na');
    expect(findName('中文名叫周杰的那个会员', [])?.value).toBe('周杰');
  });

  it('reads the figure after a go-ahead particle as the points', () => {
    expect(parsePoints('加吧 200 生日关怀', [])).toEqual({ delta: 200, reason: '生日关怀' });
    expect(parsePoints('扣呗 30 退菜', [])).toEqual({ delta: -30, reason: '退菜' });
    // 了 asks about a past write: no figure is read as an order.
    expect(parsePoints('加了 200', []).delta).toBeUndefined();
  });

  it('reads a follow-up in weeks as days', () => {
    expect(parseInteraction('给陈静记一下 微信沟通过了 两周后再联系', ['陈静']).stated.followUpDays).toBe(14);
    expect(parseInteraction('记一下 到店聊了新菜 1个礼拜后回访', []).stated.followUpDays).toBe(7);
    expect(parseInteraction('log a visit, follow up in 3 weeks', []).stated.followUpDays).toBe(21);
  });

  it('reads a member and only a verb of looking as the look-up', async () => {
    for (const t of ['麻烦查查吴敏', '郑浩 瞅一下', '帮我找一下赵磊']) expect((await router.route(t, staff)).intent, t).toBe('member.lookup');
    expect((await router.route('帮我查查吴敏的工单', staff)).intent).toBe('member.tickets');
  });

  it('never reads an order pointed at as a person', () => {
    expect(findName('这单是吴敏的生日宴 给她打个生日月', [])?.value).toBe('吴敏');
    expect(findName('那单是朋友聚餐', [])).toBeUndefined();
    expect(findName('这笔是请客 给他打个商务宴请', [])).toBeUndefined();
  });
});
