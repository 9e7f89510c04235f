import { describe, expect, it } from 'vitest';
import { intents } from '../catalogue.ts';
import { NONE, type Classifier } from '../classifier/model.ts';
import { offlineContext } from '../classifier/tuning.ts';
import { EVAL_DICTIONARIES } from '../eval/evaluate.ts';
import { withoutMembersQuestion } from '../parse/members-question.ts';
import { shortTicketRef } from '../parse/service-text.ts';
import { createCombinedRouter, DEFAULT_COMBINATION } from './combined.ts';

/** A classifier that reads every message as the member's records: the step, not the model, decides. */
function leaningToRecords(): Classifier {
  return {
    corpusHash: 'fixed',
    labels: (audience) => [...intents.filter((i) => i.audience === audience).map((i) => i.name), NONE],
    classify(_text, audience) {
      const labels = this.labels(audience);
      const p: Record<string, number> = { 'member.tickets': 0.4, 'member.interactions': 0.4 };
      const rest = 0.2 / labels.length;
      return labels.map((label) => ({ label, p: (p[label] ?? 0) + rest })).sort((a, b) => b.p - a.p);
    },
  };
}
const router = createCombinedRouter(intents, { ...EVAL_DICTIONARIES, classifier: leaningToRecords(), combination: DEFAULT_COMBINATION });
const staff = offlineContext('staff');
const route = (text: string) => router.route(text, staff);

describe('write readings', () => {
  it.each([
    ['周杰投诉服务员上错菜 帮忙跟进下', 'ticket.create'],
    ['13800000006 包间电视坏了 报一下', 'ticket.create'],
    ['刘洋说外卖少送了一份 要退款 你处理一下', 'ticket.create'],
    ['M00000012 投诉 紧急', 'ticket.create'],
    ['王芳的储值卡刷不了 挂个单', 'ticket.create'],
    ['13800000007 refund for a cold dish, pls look into it', 'ticket.create'],
    ['跟13800000012打了个电话 他想订周六的包间', 'interaction.log'],
    ['陈静 微信上问 停车怎么收费', 'interaction.log'],
    ['刘洋今天到店 表扬了厨师', 'interaction.log'],
    ['note: M00000006 phoned asking about opening hours', 'interaction.log'],
    ['M00000005 came in today complaining about the noise', 'interaction.log'],
    ['5号工单处理好了', 'ticket.update'],
    ['工单 12 升级一下', 'ticket.update'],
    ['ticket 4 resolved', 'ticket.update'],
    ['麻烦开个工单', 'ticket.create'],
    ['刘洋 +分', 'points.adjust'],
    ['13800000006 扣分', 'points.adjust'],
    // Session 19: a recall said tersely with its coupon's face value.
    ['log a store visit for him today, follow up in 14 days', 'interaction.log'],
    ['流失名单 召回 券50', 'recall.launch'],
    ['召回 20元券', 'recall.launch'],
    ['发召回 40', 'recall.launch'],
    ['流失的发20券', 'recall.launch'],
    // Session 20: a dictionary tag with its sign or one verb beside a member, nothing else.
    ['郑浩+商务宴请', 'tag.add'],
    ['13800000013 +生日月', 'tag.add'],
    ['M00000014 爱吃辣 打上', 'tag.add'],
    ['吴敏 -新客', 'tag.remove'],
    ['郑浩 商务宴请 撤', 'tag.remove'],
    ['吴敏 生日月取消', 'tag.remove'],
    ['赵磊 摘掉高价值', 'tag.remove'],
    ['麻烦 去掉 M00000013 新客 哈', 'tag.remove'],
    // … and an English ticket by its own lead, the member and what happened.
    ['ticket for 吴敏: wrong dish served', 'ticket.create'],
    ['log a case for M00000013 - overcharged', 'ticket.create'],
    ['raise a complaint ticket 13800000014 waiter was rude', 'ticket.create'],
  ])('%s → %s', async (text, intent) => expect((await route(text)).intent).toBe(intent));

  it('"tag" said first with only a member is an order to tag them, the tag asked next (session 23)', async () => {
    for (const text of ['tag 吴敏', 'label M00000013 pls', 'please tag 13800000014', 'Tag 郑浩']) {
      const r = await route(text);
      expect(r.intent, text).toBe('tag.add');
      expect(r.slots.tag, text).toBeUndefined();
    }
    // The member first, the plural, a question or more words: her tags, never an order.
    for (const text of ['吴敏 tag', 'tags for 郑浩', 'tag 吴敏?', 'tag 吴敏 history']) expect((await route(text)).intent, text).not.toBe('tag.add');
  });

  it('a terse recall reading needs the figure asked for and nothing else said (session 19)', async () => {
    // A bare figure after 召回 may be a recall's number; a question or a result asked is no launch.
    for (const text of ['召回 3', '召回 20元券?', '召回 20元券 效果', '召回 券50 发了吗']) expect((await route(text)).intent).not.toBe('recall.launch');
    for (const text of ["don't log a call for her", 'did you log a visit for him']) expect((await route(text)).intent).not.toBe('interaction.log');
  });

  it('a terse tag write needs a dictionary tag, the member and one asking word, nothing else (session 20)', async () => {
    // No sign or verb, a question, a figure: no tag write.
    for (const text of ['吴敏 生日月', '吴敏 生日月 有吗', '吴敏 +100']) expect(['tag.add', 'tag.remove']).not.toContain((await route(text)).intent);
    // Tickets named as records, or their state: the records.
    for (const text of ['tickets for 吴敏', 'ticket status for M00000013', 'ticket 郑浩']) expect((await route(text)).intent).not.toBe('ticket.create');
  });

  // Questions, views and reports with no request: a read or a question, never the write.
  it.each([
    '周杰投诉过几次',
    '刘洋的售后单处理得怎么样了',
    '13800000006 包间电视坏了吗',
    '跟13800000012打过电话吗',
    '陈静上次来电问了啥',
    '刘洋的来电记录',
    '5号工单处理好了吗',
    '5个工单',
    '李娜之前报修的单子查下',
    'pls tag M00000012 as 投诉过',
    '刘洋 积分',
    'did 13800000007 call about the refund?',
  ])('%s is no write', async (text) => {
    const r = await route(text);
    expect(['ticket.create', 'interaction.log', 'ticket.update', 'points.adjust']).not.toContain(r.intent);
  });

  it('asks between the ticket and the records when a fault is told and nothing asked; a kind word alone names the records', async () => {
    expect((await route('周杰的会员卡坏了')).slots.options).toEqual(['member.tickets', 'ticket.create']);
    expect((await route('周杰 报修')).intent).not.toBe('clarify');
    expect(['ticket.create', 'clarify']).not.toContain((await route('看下周杰的报修单')).intent);
  });

  it('a ticket by its short number: the number, never a count or a full ticket number', () => {
    expect(shortTicketRef('3号工单解决了')).toBe(3);
    expect(shortTicketRef('工单12 升级')).toBe(12);
    expect(shortTicketRef('ticket #7 done')).toBe(7);
    expect(shortTicketRef('5个工单')).toBeUndefined();
    expect(shortTicketRef('T20261121000001 已解决')).toBeUndefined();
  });

  it("a member's question told in a note is blanked; the staff's own question about the record is not", () => {
    expect(withoutMembersQuestion('周杰来电问生日宴怎么订')).not.toMatch(/怎么/);
    expect(withoutMembersQuestion('她微信上问包间还有没有空')).not.toMatch(/有没有/);
    expect(withoutMembersQuestion('陈静来电问了啥')).toBe('陈静来电问了啥');
    expect(withoutMembersQuestion('陈静来电问什么了')).toBe('陈静来电问什么了');
    expect(withoutMembersQuestion('我问她怎么订')).toBe('我问她怎么订');
  });
});
