import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/support/env.ts';
import type { Actor, MemberActor, StaffActor } from '../bot/types.ts';
import { createFixture, NOW, type Fixture } from '../../test/support/crm/fixture.ts';
import type { Lang } from '../i18n/index.ts';
import type { Services } from '../services.ts';
import { getIntent, intents } from './catalogue.ts';
import { createRuleRouter } from './router/rules.ts';

// The intents of issue 11 §5 end to end against MariaDB: message → rule router → slots → run(),
// in both languages, with the store scope of a manager (never another store's figures).
// NOW is Saturday 2026-11-21 12:00 China time.
describe('what staff ask for: members.query, recall.status, work.today, my.tickets, smalltalk, health metrics', () => {
  let env: TestEnv;
  let services: Services;
  let fx: Fixture;
  let seq = 0;
  const router = createRuleRouter(intents);
  const HOUR = 3_600_000;
  const DAY = 86_400_000;

  beforeAll(async () => {
    env = await createTestEnv('coverage_intents');
    services = { ...env.services, now: () => NOW };
    fx = await createFixture(services);
  });
  afterAll(async () => env?.cleanup());

  async function say(actor: Actor, text: string, expectIntent: string, lang: Lang = 'zh') {
    const r = await router.route(text, { audience: actor.kind === 'staff' ? 'staff' : 'member', actor, services });
    expect(r.intent, text).toBe(expectIntent);
    const intent = getIntent(r.intent)!;
    expect(intent.effect).toBe('read');
    const ctx = { services, actor, channel: 'console' as const, requestId: `cov-${++seq}`, lang, text };
    const result = await intent.run(ctx, intent.slots.parse(r.slots));
    return { ...result, slots: r.slots, requestId: ctx.requestId };
  }
  const member = (no: string, name = '张伟'): MemberActor => ({ kind: 'member', memberId: fx.memberIds[no]!, name, phone: `1380000${no.slice(-4)}`, homeStoreId: fx.stores.S1 });

  describe('members.query', () => {
    it('counts members by tag in the actor’s stores only', async () => {
      const m1 = await say(fx.staff.manager1, 'VIP标签的会员有几个', 'members.query');
      expect(m1.text).toBe('你门店带「VIP」标签的会员共 1 人（占你门店会员 9 人的 11.1%）。');
      expect(m1.slots).toMatchObject({ tag: 'VIP' });
      // The other store's manager: 张伟 of 上海一店 is not theirs.
      expect((await say(fx.staff.manager2, '有VIP标签的会员有几个', 'members.query')).text).toBe('你门店没有带「VIP」标签的会员。');
      expect((await say(fx.staff.hq, '有VIP标签的会员有几个', 'members.query')).text).toContain('全部门店带「VIP」标签的会员共 1 人（占全部门店会员 11 人');
    });

    it('lists by store and level, refuses a store outside the scope, says when a tag does not exist', async () => {
      const list = await say(fx.staff.manager1, '上海一店2级会员都有谁', 'members.query');
      expect(list.slots).toMatchObject({ store: '上海一店', level: 2 });
      const lines = list.text.split('\n');
      expect(lines[0]).toBe('上海一店2级的会员共 9 人：');
      expect(lines.filter((l) => l.startsWith('· '))).toHaveLength(9);
      expect(list.text).toContain('李娜（M00000004）L2 13800000004');
      expect(list.text).not.toContain('赵磊');
      expect(list.text).not.toContain('孙丽'); // deleted
      // Another store by name: refused, nothing of it shown.
      const other = await say(fx.staff.manager1, '北京二店2级会员都有谁', 'members.query');
      expect(other.text).toBe('「北京二店」不在你可查看的门店范围内。');
      expect(other.data).toBeUndefined();
      // A tag that is not in the dictionary ("有没有" and other pointing or question words are no tag name at all).
      expect((await say(fx.staff.manager1, '有土豪标签的会员有几个', 'members.query')).text).toMatch(/^没有「土豪」这个标签/);
      // Phones masked for an agent (no member.phone.view).
      expect((await say(fx.staff.agent, '2级会员名单', 'members.query')).text).toContain('李娜（M00000004）L2 138****0004');
    });

    it('answers in English', async () => {
      const en = await say(fx.staff.manager1, 'how many members are tagged VIP', 'members.query', 'en');
      expect(en.text).toBe('Members tagged “VIP” in your stores: 1 (of 9, 11.1%).');
      const names = await say(fx.staff.manager1, 'list members tagged VIP', 'members.query', 'en');
      expect(names.text.split('\n')).toEqual(['Members tagged “VIP” in your stores: 1:', '· 张伟 (M00000001) L2 13800000001 · 上海一店', expect.stringMatching(/^To keep following/)]);
    });
  });

  describe('recall.status', () => {
    let s1Recall = 0;
    let hqRecall = 0;
    beforeAll(async () => {
      const launched = new Date(NOW.getTime() - 3 * DAY);
      const recall = async (storeId: number | null, staff: StaffActor, audience: string, members: [string, 'sent' | 'failed' | null][]) => {
        const j = await services.db.journey.create({ data: { name: `召回：${audience}`, status: 'active', triggerType: 'manual', storeId, createdBy: staff.wecomUserId } });
        const r = await services.db.recall.create({ data: { journeyId: j.id, staffId: staff.staffId, staffUserId: staff.wecomUserId, channel: 'console', audience, memberCount: members.length, couponAmount: '20.00', launchedAt: launched } });
        for (const [no, result] of members) {
          const memberId = fx.memberIds[no]!;
          const e = await services.db.journeyEnrollment.create({ data: { journeyId: j.id, version: 1, memberId, dedupeKey: `r${r.id}-${memberId}`, recallId: r.id, enteredAt: launched, updatedAt: launched } });
          if (result) await services.db.journeyStepExecution.create({ data: { memberId, journeyId: j.id, enrollmentId: e.id, stepId: 'message', stepType: 'action', channel: 'sms', result, createdAt: launched } });
        }
        return r.id;
      };
      s1Recall = await recall(fx.stores.S1, fx.staff.manager1, '流失预警名单', [['M00000004', 'sent'], ['M00000007', null]]);
      hqRecall = await recall(null, fx.staff.hq, '人群包「沉睡VIP」', [['M00000012', 'failed'], ['M00000008', 'sent']]);
      // 李娜 came back two days after the launch; 赵磊 (北京二店) too.
      for (const no of ['M00000004', 'M00000008']) {
        await services.db.order.create({ data: { orderNo: `R-${no}`, memberId: fx.memberIds[no]!, storeId: no === 'M00000008' ? fx.stores.S2 : fx.stores.S1, amount: '128.00', items: [], paymentMethod: 'wechat', paidAt: new Date(NOW.getTime() - DAY) } });
      }
    });

    it('is a question about launched recalls, never a new one, with progress and conversions', async () => {
      const r = await say(fx.staff.manager1, '召回做得怎么样了', 'recall.status');
      const lines = r.text.split('\n');
      expect(lines[0]).toBe('最近 2 次召回（只统计你门店的会员）：');
      expect(r.text).toContain('11-18 12:00 流失预警名单，王店长发起，20 元券：2 位，发送中：已发送 1，失败 0，无法触达 0，处理中 1');
      expect(r.text).toContain('回流：发起后 3 天内 1 位再次消费（50.0%），带来营收 ¥128.00');
      // The HQ recall counted over this store's member only (周杰), never 赵磊 of 北京二店.
      expect(r.text).toContain('人群包「沉睡VIP」，总部运营发起，20 元券：1 位，已完成：已发送 0，失败 1');
      expect((r.data as { recallId: number }[]).map((x) => x.recallId)).toEqual([hqRecall, s1Recall]);
      expect(await services.db.recall.count()).toBe(2); // nothing launched
      expect((await say(fx.staff.manager1, '上次召回发出去多少', 'recall.status')).text).toContain('已发送 1');
    });

    it('shows another store only its own share, HQ everything, and answers in English', async () => {
      const m2 = await say(fx.staff.manager2, '召回效果怎么样', 'recall.status');
      expect(m2.text).not.toContain('流失预警名单');
      expect(m2.text).toContain('人群包「沉睡VIP」，总部运营发起，20 元券：1 位，已完成：已发送 1');
      const hq = await say(fx.staff.hq, 'how did the recall go', 'recall.status', 'en');
      expect(hq.text.split('\n')[0]).toBe('The last 2 recalls:');
      expect(hq.text).toContain('人群包「沉睡VIP」, launched by 总部运营, 20 yuan coupon: 2 members, finished: 1 sent, 1 failed, 0 unreachable');
      expect(hq.text).toContain('Conversion: 1 ordered again within 3 days of the launch (50.0%), revenue ¥128.00');
      // An agent has no journey.read: the CRM layer refuses.
      const intent = getIntent('recall.status')!;
      await expect(intent.run({ services, actor: fx.staff.agent, channel: 'console', requestId: 'cov-agent', lang: 'zh' }, {})).rejects.toThrow();
    });
  });

  describe('work.today', () => {
    beforeAll(async () => {
      const fu = async (no: string, at: Date, done = false) =>
        services.db.interaction.create({ data: { memberId: fx.memberIds[no]!, storeId: no === 'M00000008' ? fx.stores.S2 : fx.stores.S1, type: 'consultation', channel: 'call', content: `回访 ${no}`, followUpAt: at, followUpDoneAt: done ? NOW : null, nextAction: no === 'M00000001' ? '确认包间' : null } });
      await fu('M00000001', new Date(NOW.getTime() - 2 * DAY)); // overdue by two days
      await fu('M00000003', new Date('2026-11-21T15:59:59.999Z')); // 23:59:59.999 tonight, China time
      await fu('M00000004', new Date('2026-11-21T16:00:00.000Z')); // 00:00 tomorrow: not today
      await fu('M00000005', new Date(NOW.getTime() - DAY), true); // done
      await fu('M00000008', new Date(NOW.getTime() - HOUR)); // 北京二店
      const ticket = async (no: string, n: number, dueIn: number, status: 'open' | 'in_progress' | 'resolved' = 'open') =>
        services.db.ticket.create({ data: { ticketNo: `T20261121${String(n).padStart(6, '0')}`, memberId: fx.memberIds[no]!, storeId: no === 'M00000008' ? fx.stores.S2 : fx.stores.S1, type: 'repair', status, title: `空调 ${n}`, createdBy: 'system', createdAt: NOW, responseDueAt: NOW, resolveDueAt: new Date(NOW.getTime() + dueIn), assigneeId: no === 'M00000001' ? fx.staff.agent.staffId : null } });
      await ticket('M00000001', 1, 2 * HOUR);
      await ticket('M00000003', 2, -5 * HOUR, 'in_progress');
      await ticket('M00000004', 3, 3 * DAY);
      await ticket('M00000005', 4, -DAY, 'resolved');
      await ticket('M00000008', 5, -HOUR);
    });

    it('lists today’s and overdue follow-ups (China day) and tickets near or past their deadline, in the actor’s stores', async () => {
      const r = await say(fx.staff.manager1, "what's on my list today", 'work.today');
      expect(r.text.split('\n')).toEqual([
        '今天（2026-11-21）的待办：',
        '待回访 2 位（其中 1 位已逾期）：',
        '· 张伟（M00000001）逾期 2 天：回访 M00000001 → 确认包间',
        '· 张伟（M00000003）今天：回访 M00000003',
        '24 小时内到期或已超时的工单 2 张（其中 1 张已超时）：',
        '· T20261121000002 维修：空调 2 · 张伟 · 处理中 · 已超时 5 小时',
        '· T20261121000001 维修：空调 1 · 张伟 · 待处理 · 11-21 14:00 到期 @客服小刘',
      ]);
      const m2 = await say(fx.staff.manager2, '今天要回访谁', 'work.today');
      expect(m2.text).toContain('待回访 1 位');
      expect(m2.text).toContain('赵磊（M00000008）');
      expect(m2.text).not.toContain('工单'); // only the follow-ups were asked for
      expect(m2.text).not.toContain('张伟');
    });

    it('answers one kind when only one is asked, in English too', async () => {
      const tickets = await say(fx.staff.manager1, '哪些工单快超时了', 'work.today');
      expect(tickets.text).not.toContain('回访');
      expect(tickets.text).toContain('24 小时内到期或已超时的工单 2 张');
      const en = await say(fx.staff.manager2, 'overdue tickets', 'work.today', 'en');
      expect(en.text.split('\n')).toEqual(['Today (2026-11-21):', '1 tickets due within 24 hours or overdue (1 overdue):', '· T20261121000005 repair: 空调 5 · 赵磊 · open · overdue by 1 h']);
    });
  });

  describe('my.tickets', () => {
    it('shows a member their own tickets only, with status, in their language', async () => {
      const mine = await say(member('M00000001'), '我的投诉处理得怎么样了', 'my.tickets');
      expect(mine.text.split('\n')).toEqual(['你的服务工单（共 1 张）：', '· T20261121000001 维修：空调 1 — 待处理（2026-11-21 提交），我们正在处理，会尽快给你答复']);
      expect(mine.text).not.toContain('客服小刘');
      const en = await say(member('M00000005', '王芳'), 'status of my complaint', 'my.tickets', 'en');
      expect(en.text).toBe('Your service tickets (1 in all):\n· T20261121000004 repair: 空调 4 — resolved (filed 2026-11-21)');
      expect((await say(member('M00000009', '张伟华'), '报修进度', 'my.tickets')).text).toMatch(/^你目前没有服务工单/);
      expect(await services.db.ticket.count()).toBe(5); // asking never opens one
    });
  });

  describe('smalltalk', () => {
    it('answers thanks and compliments with the conversation’s one line and two examples of the actor’s own requests', async () => {
      const zh = await say(fx.staff.manager1, '谢谢', 'smalltalk');
      const lines = zh.text.split('\n');
      expect(lines[0]).toBe('不客气！还有需要随时找我，例如：');
      expect(lines.slice(1)).toEqual([expect.stringMatching(/^· .+：.+/), expect.stringMatching(/^· .+：.+/)]);
      const en = await say(fx.staff.manager1, 'thanks!', 'smalltalk', 'en');
      expect(en.text.split('\n')[0]).toBe('You are welcome! Anything else, just ask, e.g.:');
      const m = await say(member('M00000001'), '你们真棒', 'my.smalltalk');
      expect(m.text.split('\n')[0]).toBe('这个我帮不上忙～ 你可以这样问我：');
      const titles = new Set(intents.filter((i) => i.audience === 'member').map((i) => i.title));
      for (const l of m.text.split('\n').slice(1)) expect(titles.has(/^· (.+?)：/.exec(l)![1]!), l).toBe(true);
      // Greetings are small talk (test/intents/blind-brief.md) answered with the help text; a confirmation word stays action.confirm.
      expect((await router.route('你好', { audience: 'staff', actor: fx.staff.manager1, services })).intent).toBe('smalltalk');
      const hello = await say(fx.staff.manager1, '你好', 'smalltalk');
      expect(hello.text).toBe((await say(fx.staff.manager1, '帮助', 'help')).text);
      expect((await router.route('好的', { audience: 'staff', actor: fx.staff.manager1, services })).intent).toBe('action.confirm');
    });
  });

  describe('insights.health metrics and named periods', () => {
    beforeAll(async () => {
      // 北京二店: one order a second before November (China time), one at midnight.
      for (const [no, at, amount] of [['E1', '2026-10-31T15:59:59.000Z', '10.00'], ['E2', '2026-10-31T16:00:00.000Z', '30.00']] as const) {
        await services.db.order.create({ data: { orderNo: no, memberId: fx.memberIds.M00000002!, storeId: fx.stores.S2, amount, items: [], paymentMethod: 'wechat', paidAt: new Date(at) } });
      }
    });

    it('puts the named metric first, over a calendar month cut at China midnight', async () => {
      // A year earlier: 赵磊's ¥200.00 order of 2025-10-17.
      const oct = await say(fx.staff.manager2, '10月客单价', 'insights.health');
      expect(oct.text.split('\n')[0]).toBe('北京二店10月（10-01 至 10-31）客单价 ¥10.00（环比 —，同比 -95.0%）');
      const nov = await say(fx.staff.manager2, '本月客单价多少', 'insights.health');
      // So far this month (¥30.00 at midnight, 赵磊's ¥128.00 yesterday) against October's and last
      // November's first 20½ days (赵磊's ¥200.00 of 2025-11-16).
      expect(nov.text.split('\n')[0]).toBe('北京二店本月（11-01 至 11-21）（截至现在）客单价 ¥79.00（环比 —，同比 -60.5%）');
      // Without a metric the dashboard as before.
      expect((await say(fx.staff.manager2, '本店会员健康度', 'insights.health')).text.startsWith('北京二店会员健康度')).toBe(true);
    });

    it('reads last week, quarters and years, and answers in English', async () => {
      const week = await say(fx.staff.manager1, '上周流失率多少', 'insights.health');
      expect(week.text.split('\n')[0]).toMatch(/^上海一店上周（11-09 至 11-15）流失率 \d+\.\d%（环比 /);
      const q = await say(fx.staff.hq, '上季度复购率', 'insights.health');
      expect(q.text.split('\n')[0]).toMatch(/^全部门店上季度（07-01 至 09-30）复购率 /);
      const year = await say(fx.staff.manager1, '今年新增会员有多少', 'insights.health');
      expect(year.text.split('\n')[0]).toBe('上海一店今年（01-01 至 11-21）（截至现在）新增会员 0 人（环比 —，同比 —）');
      const en = await say(fx.staff.manager2, 'average order value last month', 'insights.health', 'en');
      expect(en.text.split('\n')[0]).toBe('Average order value last month (10-01 to 10-31) (北京二店): ¥10.00 (vs previous period —, vs last year -95.0%)');
      const ret = await say(fx.staff.manager1, '留存率怎么样', 'insights.health');
      expect(ret.text.split('\n')[0]).toMatch(/^上海一店(?:还没有可计算次月留存的注册月份。|\d{4}-\d{2} 注册的)/);
    });
  });

  describe('staff words for existing intents', () => {
    it('圈一批 … without a name says how many it picks and asks for a name, saving nothing', async () => {
      const r = await router.route('圈一批最近90天没消费的人', { audience: 'staff', actor: fx.staff.manager1, services });
      expect(r.intent).toBe('segment.create');
      const intent = getIntent(r.intent)!;
      const out = await intent.run({ services, actor: fx.staff.manager1, channel: 'console', requestId: 'cov-circle', lang: 'zh' }, intent.slots.parse(r.slots));
      expect(out.text).toMatch(/^按「最近90天没消费的人」现在能圈到 \d+ 人。要保存成人群包，请给它起个名字/);
      expect(await services.db.segment.count()).toBe(0);
    });

    it('售后单 / 起单 open a ticket whose title is what happened, not the words for a ticket', async () => {
      const r = await router.route('给 13800000006 起个售后单 外卖少送一份', { audience: 'staff', actor: fx.staff.manager1, services });
      expect(r).toMatchObject({ intent: 'ticket.create', slots: { phone: '13800000006' } });
      const intent = getIntent(r.intent)!;
      const out = await intent.run({ services, actor: fx.staff.manager1, channel: 'console', requestId: 'cov-ticket', lang: 'zh' }, intent.slots.parse(r.slots));
      expect(out.text).toContain('售后 · 优先级普通');
      expect(out.text).toContain('内容 外卖少送一份');
    });
  });
});
