import { describe, expect, it } from 'vitest';
import { fixedReading } from '../../../test/support/fixed-classifier.ts';
import { intents } from '../catalogue.ts';
import { offlineContext } from '../classifier/tuning.ts';
import { EVAL_DICTIONARIES } from '../eval/evaluate.ts';
import { doneQuestion } from '../parse/done-question.ts';
import { parseTicket } from '../parse/service-text.ts';
import { createCombinedRouter, DEFAULT_COMBINATION } from './combined.ts';
import { besideIdentifier, findName, findPhones } from './extract.ts';
import { createRuleAnalyser } from './rules.ts';
import { isVague } from './vague.ts';

const staff = offlineContext('staff');
// The rules' own reading (the classifier's share is measured by the eval, not here).
const rules = createRuleAnalyser(intents, EVAL_DICTIONARIES);
const ruled = async (text: string, intent: string) => {
  const a = await rules.analyse(text, staff);
  return a.slotsFor(intents.find((i) => i.name === intent)!);
};
// The whole router with a model that says nothing: the rules and the steps after them.
const router = createCombinedRouter(intents, { ...EVAL_DICTIONARIES, classifier: fixedReading({}), combination: DEFAULT_COMBINATION });

/** Session 26 (s26-router): the router's classes from the singles of s26a / s26b, each in wordings of our own. */
describe('session 26 router classes', () => {
  it('keeps a name said right beside the identifier, before or after it, glued or spaced', async () => {
    expect(await ruled('郑浩 13800000009 最近买了啥', 'member.orders')).toMatchObject({ phone: '13800000009', name: '郑浩' });
    expect(await ruled('帮吴敏M00000011建个售后单 外卖少送了一份', 'ticket.create')).toMatchObject({ memberNo: 'M00000011', name: '吴敏' });
    expect(await ruled('13800000006刘洋今天到店表扬了厨师 记一下', 'interaction.log')).toMatchObject({ phone: '13800000006', name: '刘洋' });
    expect(await ruled('赵磊(13800000008)的积分', 'member.lookup')).toMatchObject({ phone: '13800000008', name: '赵磊' });
    const name = findName('郑浩 13800000009 最近买了啥', []);
    expect(besideIdentifier('郑浩 13800000009 最近买了啥', { start: 3, end: 14 }, name)?.value).toBe('郑浩');
  });

  it('reads no name beside an identifier that is only a word of what is asked, nor a name elsewhere in the message', async () => {
    expect(await ruled('M00000009 余分', 'member.lookup')).not.toHaveProperty('name');
    expect(await ruled('13800000009 积分', 'member.lookup')).not.toHaveProperty('name');
    // Someone named away from the identifier may be anyone (the staff member who asked): the identifier alone.
    expect(await ruled('查一下13800000009 王店长让查的', 'member.lookup')).not.toHaveProperty('name');
  });

  it('reads a mobile read out digit by digit in characters (voice input), 幺 for 1', async () => {
    expect(findPhones('帮我看下一三九零零零零零零零七的订单').map((p) => p.value)).toEqual(['13900000007']);
    expect(findPhones('幺三八 零零零零 零零一二 积分').map((p) => p.value)).toEqual(['13800000012']);
    // Ten characters, or an amount with 十 / 百: no phone.
    expect(findPhones('一三八零零零零零零零')).toEqual([]);
    expect(findPhones('加一百三十八分')).toEqual([]);
    expect(await ruled('一三八零零零零零零一一最近的工单', 'member.tickets')).toMatchObject({ phone: '13800000011' });
  });

  it('reads 大 typed for 打 before a tag ("给X大个…标签"), and no other 大', async () => {
    expect(await ruled('给郑浩大个老客标签', 'tag.add')).toMatchObject({ name: '郑浩', tag: '老客' });
    expect((await router.route('吴敏大上VIP标签', staff)).intent).toBe('tag.add');
    // 大客户 / 大单 are words of their own.
    expect(await ruled('给王芳打个大单标签', 'tag.add')).toMatchObject({ tag: '大单' });
  });

  it('reads "还是不能用" as a fault told, not a question how things stand', () => {
    expect(doneQuestion('记一下吴敏打电话说卡还是不能用')).toBeNull();
    expect(doneQuestion('她说优惠券还是不好用 记录下')).toBeNull();
    // … while the A-not-A and the end still ask.
    expect(doneQuestion('她还是不是VIP')).toBe('state');
    expect(doneQuestion('他还是VIP不')).toBe('state');
  });

  it('reads a visit or call told with its next contact in days as a note, not a ticket to handle now', async () => {
    const r = await router.route('电话回访了郑浩 他投诉上菜慢 5天后再跟进', staff);
    expect(r.intent).toBe('interaction.log');
    expect(r.slots).toMatchObject({ name: '郑浩', type: 'complaint', channel: 'call', followUpDays: 5 });
    // A problem and a request to handle it is still a ticket.
    expect((await router.route('吴敏投诉上菜慢 你跟进一下', staff)).intent).toBe('ticket.create');
  });

  it('reads a fitting of the room that does not do its job as a repair', () => {
    expect(parseTicket('包厢空调不制冷 开个单', []).stated.type).toBe('repair');
    expect(parseTicket('大厅的灯不亮了', []).stated.type).toBe('repair');
    expect(parseTicket('热水器不出热水', []).stated.type).toBe('repair');
    expect(parseTicket('菜不热', []).stated.type).toBeUndefined();
  });

  it("reads the day's follow-ups named alone as today's work, and with a member as that member's records", async () => {
    for (const text of ['follow-ups', 'my callbacks', 'followups today?']) {
      const r = await router.route(text, staff);
      expect(r.intent, text).toBe('work.today');
      expect(r.slots.kind).toBe('followups');
    }
    expect((await router.route('郑浩 follow-ups', staff)).intent).not.toBe('work.today');
  });

  it("states a range of dates of a dashboard question as from / to, read against the request's clock, and none without one", async () => {
    const clocked = { ...staff, services: { now: () => new Date('2026-11-21T04:00:00Z') } } as unknown as typeof staff;
    const health = intents.find((i) => i.name === 'insights.health')!;
    expect(await (await rules.analyse('10月8号到20号的留存率', clocked)).slotsFor(health)).toMatchObject({ from: '2026-10-08', to: '2026-10-20' });
    expect((await router.route('静安 11.2-11.9 新会员几个', clocked)).slots).toMatchObject({ from: '2026-11-02', to: '2026-11-09', store: '上海静安店' });
    // Offline (no clock) the intent reads the words at run time; a transfer's from / to are people, never dates.
    expect(await ruled('10月8号到20号的留存率', 'insights.health')).not.toHaveProperty('from');
    const transfer = intents.find((i) => i.name === 'contacts.transfer')!;
    expect(String((await (await rules.analyse('把小刘10月8号到20号的客户转给王店长', clocked)).slotsFor(transfer)).from ?? '')).not.toMatch(/^\d{4}-/);
  });

  it('reads "那个谁" (a person whose name will not come) as too vague to act on', () => {
    for (const text of ['那个谁', '那谁来着', '这个谁呢']) expect(isVague(text), text).toBe(true);
    expect(isVague('谁')).toBe(false);
    expect(isVague('跟进谁')).toBe(false);
  });
});

/** Session 26, lead: classes the retrain with s26a/s26b read differently, now by rule rather than the model's luck. */
describe('session 26 lead: terse batch tags and the count of the answer as it stands', () => {
  it('the churn list with a tagging verb and its measure word (打个 / 贴个 / 标为) is a batch tag; a call is not', async () => {
    const read = async (text: string) => (await rules.analyse(text, staff)).result.intent;
    expect(await read('流失名单 打个老客')).toBe('tag.batch');
    expect(await read('流失的人 贴个VIP')).toBe('tag.batch');
    expect(await read('流失会员标为流失风险')).toBe('tag.batch');
    expect(await read('流失名单打个电话')).not.toBe('tag.batch');
  });
});
