import { fixedReading } from '../../../test/support/fixed-classifier.ts';
import { describe, expect, it } from 'vitest';
import { intents } from '../catalogue.ts';
import { offlineContext } from '../classifier/tuning.ts';
import { EVAL_DICTIONARIES } from '../eval/evaluate.ts';
import { metricFromText } from '../parse/health-request.ts';
import { createCombinedRouter, DEFAULT_COMBINATION } from './combined.ts';

const router = (p: Record<string, number>) => createCombinedRouter(intents, { ...EVAL_DICTIONARIES, classifier: fixedReading(p), combination: DEFAULT_COMBINATION });
const staff = offlineContext('staff');

describe('terse readings', () => {
  it('reads a member reference + one object word as that object\'s read, whatever the model leaned to', async () => {
    // The model leans to the look-up (the identifier's weight) or to the summary; the fragment names the object.
    for (const [text, intent, slot] of [
      ['13800000003 lv', 'member.level', { phone: '13800000003' }],
      ['lv 王芳', 'member.level', { name: '王芳' }],
      ['李娜 dj', 'member.level', { name: '李娜' }],
      ['张伟 几星', 'member.level', { name: '张伟' }],
      ['王芳 lv?', 'member.level', { name: '王芳' }],
      ['pts 13800000012', 'member.lookup', { phone: '13800000012' }],
      ['陈静 jf', 'member.lookup', { name: '陈静' }],
      ['周杰 dd', 'member.orders', { name: '周杰' }],
      ['orders wang fang', 'member.orders', { name: 'wang fang' }],
      ['刘洋 gd', 'member.tickets', { name: '刘洋' }],
      ['M00000011 tix', 'member.tickets', { memberNo: 'M00000011' }],
      ['陈静 history', 'member.interactions', { name: '陈静' }],
      ['李娜 tags', 'member.summary', { name: '李娜' }],
      ['王芳积分呢？', 'member.lookup', { name: '王芳' }],
      ['李娜 单子呢😂', 'member.orders', { name: '李娜' }],
      ['王芳 pts pls', 'member.lookup', { name: '王芳' }],
      // A pointer at the member in focus in place of a name (the conversation gives the member).
      ['她 dj', 'member.level', {}],
      ['她的单', 'member.orders', {}],
      ['his pts', 'member.lookup', {}],
    ] as const) {
      const r = await router({ 'member.lookup': 0.3, 'member.summary': 0.3 }).route(text, staff);
      expect([r.intent, r.slots], text).toEqual([intent, expect.objectContaining(slot)]);
    }
  });

  it('reads a metric word with at most a period and a store as the dashboard, with the metric', async () => {
    for (const [text, metric] of [
      ['客单?', 'aov'],
      ['新客 上月', 'new_members'],
      ['本周新客', 'new_members'],
      ['新客数 本月', 'new_members'],
      ['复购 静安', 'repurchase_rate'],
      ['kdj', 'aov'],
    ] as const) {
      const r = await router({ 'member.tickets': 0.4, 'member.summary': 0.3 }).route(text, staff);
      expect([r.intent, r.slots.metric], text).toEqual(['insights.health', metric]);
    }
    // 新客 alone is a tag as much as a metric: no terse reading (the model decides).
    expect((await router({ 'members.query': 0.6 }).route('新客', staff)).intent).toBe('members.query');
    expect(metricFromText('上月新客')).toBe('new_members');
  });

  it('reads 今天 / today beside a metric word as the dashboard today so far, not the to-do list', async () => {
    for (const [text, metric] of [
      ['今天客单', 'aov'],
      ['今日新客', 'new_members'],
      ['aov today', 'aov'],
    ] as const) {
      const r = await router({ 'work.today': 0.8 }).route(text, staff);
      expect([r.intent, r.slots.metric, r.slots.period], text).toEqual(['insights.health', metric, 'today']);
    }
    // The to-do list's own words stay the to-do list.
    expect((await router({ 'work.today': 0.8 }).route('今天回访', staff)).intent).toBe('work.today');
  });

  it('reads a store + a report word as that report of the store', async () => {
    for (const [text, intent] of [
      ['静安 rfm', 'insights.rfm'],
      ['徐汇 流失', 'churn.list'],
      ['churn list jingan', 'churn.list'],
      ['静安 看板', 'insights.health'],
    ] as const) expect((await router({ 'member.summary': 0.5 }).route(text, staff)).intent, text).toBe(intent);
  });

  it('reads the shorthand object words of a member: L几 / 哪级, 备注 / 来电, 首单 / 上一单', async () => {
    for (const [text, intent] of [
      ['周杰 L几', 'member.level'],
      ['周杰 哪级', 'member.level'],
      ['王芳 备注', 'member.interactions'],
      ['王芳 来电', 'member.interactions'],
      ['王芳 首单', 'member.orders'],
      ['王芳 上一单', 'member.orders'],
      // Typed in full pinyin.
      ['李娜 gongdan', 'member.tickets'],
      ['王芳 dingdan', 'member.orders'],
      ['周杰 dengji', 'member.level'],
    ] as const) expect((await router({ 'member.summary': 0.5, 'member.tickets': 0.3 }).route(text, staff)).intent, text).toBe(intent);
  });

  it("reads the churn list's people with a count or a list word as the churn list, and 业绩 as the dashboard", async () => {
    for (const text of ['流失客户数量', '静安流失客户数量', '预警会员几个', '流失客户的数量是多少', '要流失的人有谁', '沉睡的有谁']) {
      expect((await router({ 'members.query': 0.6, 'insights.health': 0.2 }).route(text, staff)).intent, text).toBe('churn.list');
    }
    // A tag of the dictionary named: its members, maybe ("流失风险" is a tag too) — the model decides.
    expect((await router({ 'members.query': 0.9 }).route('流失风险客户数', staff)).intent).toBe('members.query');
    // A dormant count is the dashboard's figure.
    expect((await router({ 'members.query': 0.6 }).route('沉睡会员几个', staff)).intent).toBe('insights.health');
    for (const text of ['业绩', '本月业绩', '静安 业绩']) expect((await router({ 'koc.stats': 0.8 }).route(text, staff)).intent, text).toBe('insights.health');
  });

  it('never reads a write on terse evidence: a sign, an amount, a verb or a second word is no terse reading', async () => {
    // The model's write stays a write for the gate; the step adds nothing.
    expect((await router({ 'tag.add': 0.9 }).route('王芳 +vip', staff)).intent).toBe('tag.add');
    expect((await router({ 'points.adjust': 0.9 }).route('给王芳加100分', staff)).intent).toBe('points.adjust');
    expect((await router({ 'points.adjust': 0.9 }).route('13800000005 扣50 换饮料', staff)).intent).toBe('points.adjust');
    // A fragment with more than the object word is left to the model.
    expect((await router({ 'member.orders': 0.7 }).route('王芳 积分 订单', staff)).intent).not.toBe('member.lookup');
    // No member named: no member object reading ("积分" alone follows the focus in the dialogue).
    expect((await router({ 'help': 0.7 }).route('lv', staff)).intent).not.toBe('member.level');
  });
});
