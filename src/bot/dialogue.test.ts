import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/support/env.ts';
import { createFixture, NOW } from '../../test/support/crm/fixture.ts';
import { getIntent, intents } from '../intents/catalogue.ts';
import { createRuleRouter } from '../intents/router/rules.ts';
import { CLARIFY_INTENT, type Router } from '../intents/router/types.ts';
import { createBot } from './pipeline.ts';
import type { BotAnswer, HandleMessage } from './types.ts';
import { answerOf } from '../../test/support/bot-turn.ts';

/**
 * The conversation end to end over the real MariaDB and Redis: numbered clarification, slot
 * filling, the pick from a list of members, refinements of the last answer, focus, short replies.
 */
describe('conversation', () => {
  let env: TestEnv;
  let bot: HandleMessage;
  const rules = createRuleRouter(intents);
  // The rule router emits option names only; a router that also gives alternatives (with their slots) is what the classifier adds.
  const router: Router = {
    async route(text, ctx) {
      if (text === 'VIP那个张伟华' || text === '我在想要不要给张伟华打VIP') {
        return {
          intent: CLARIFY_INTENT,
          slots: { options: ['member.summary', 'tag.add'] },
          confidence: 0.5,
          alternatives: [
            { intent: 'member.summary', slots: { name: '张伟华' }, confidence: 0.5 },
            { intent: 'tag.add', slots: { name: '张伟华', tag: 'VIP' }, confidence: 0.45 },
          ],
        };
      }
      return rules.route(text, ctx);
    },
  };
  const say = (from: string, text: string): Promise<BotAnswer> => answerOf(bot, from, text, NOW);
  const tagged = async (memberNo: string) =>
    ((await env.services.sql.query<any[]>('SELECT t.name FROM member_tags mt JOIN tags t ON t.id = mt.tag_id JOIN members m ON m.id = mt.member_id WHERE m.member_no = ? ORDER BY t.name', [memberNo]))[0] as any[]).map((r) => r.name);

  beforeAll(async () => {
    env = await createTestEnv('bot_dialogue', {}, { now: () => NOW });
    await createFixture(env.services);
    bot = createBot({ services: env.services, router, getIntent });
  });
  // Each test starts a new conversation: no member in focus, no open question, no last answer.
  beforeEach(async () => {
    const keys = await env.services.redis.keys(env.services.key('*'));
    const conversation = keys.filter((k) => /:(?:focus|conv|dialogue):/.test(k));
    if (conversation.length) await env.services.redis.del(...conversation);
  });
  afterAll(async () => env?.cleanup());

  describe('numbered clarification', () => {
    it('asks with numbered options naming the member, and runs the one picked by number', async () => {
      const q = await say('store_manager_01', '张伟的订单和详情');
      expect(q).toMatchObject({ intent: 'clarify', outcome: 'asked' });
      expect(q.text.split('\n')).toEqual([
        '你是想：',
        `1. ${getIntent('member.orders')!.title}：张伟`,
        `2. ${getIntent('member.summary')!.title}：张伟`,
        '回复序号就行（如「1」）。',
      ]);
      // 张伟 is two members of store S1: the list is a question too.
      const list = await say('store_manager_01', '1');
      expect(list).toMatchObject({ intent: 'member.orders', slots: { name: '张伟' }, outcome: 'asked' });
      const shown = (list.data as any).members.map((m: any) => m.memberNo);
      expect(shown).toEqual(expect.arrayContaining(['M00000001', 'M00000003']));
      expect(list.text).toContain('也可以直接回复序号');
      const orders = await say('store_manager_01', '第二个');
      expect(orders).toMatchObject({ intent: 'member.orders', slots: { memberNo: shown[1] } });
      expect(orders.text).toContain(`（${shown[1]}）`);
      // Answered once: a second "第二个" is no choice any more.
      expect((await say('store_manager_01', '第二个')).intent).toBe('help');
    });

    it('asks in English and takes "the second"', async () => {
      const q = await say('hq_ops_01', 'detail of what 13800000004 bought');
      expect(q.text.split('\n')[0]).toBe('Did you mean:');
      expect(q.text).toContain('1. Member orders (what they bought): 13800000004');
      expect(q.text).toMatch(/^2\. Member 360 profile .*: 13800000004$/m);
      const r = await say('hq_ops_01', 'the second');
      // The pick reports the member it found by number (as a refinement does), not the phone first typed.
      expect(r).toMatchObject({ intent: 'member.summary', slots: { memberNo: 'M00000004' } });
      expect(r.text).toMatch(/李娜[（ (]+M00000004/);
    });

    it("runs a router alternative with its own slots, through the run path (a write only by the actor's permission)", async () => {
      const q = await say('agent_01', 'VIP那个张伟华');
      expect(q.text).toContain('2. 给会员打标签：张伟华 · VIP');
      const r = await say('agent_01', '2');
      expect(r).toMatchObject({ intent: 'tag.add', slots: { memberNo: 'M00000009', tag: 'VIP' } });
      expect(await tagged('M00000009')).toEqual(['VIP']);
    });

    it('asks no "did you mean" about a write that was not asked for: the gate declines it', async () => {
      const before = await tagged('M00000009');
      const r = await say('store_manager_01', '我在想要不要给张伟华打VIP');
      expect(r).toMatchObject({ intent: 'tag.add', outcome: 'declined' });
      // Nothing to pick afterwards.
      expect((await say('store_manager_01', '2')).intent).not.toBe('tag.add');
      expect(await tagged('M00000009')).toEqual(before);
    });

    it('forgets the options when the next message is a new request', async () => {
      await say('store_manager_01', '张伟的订单和详情');
      expect((await say('store_manager_01', '流失名单')).intent).toBe('churn.list');
      expect((await say('store_manager_01', '1')).intent).toBe('help');
    });
  });

  describe('slot filling', () => {
    it('asks which member, and a bare phone number completes the request', async () => {
      const q = await say('store_manager_01', '打个VIP标签');
      expect(q).toMatchObject({ intent: 'tag.add', outcome: 'asked', text: '哪位会员？请发手机号、会员号或姓名。' });
      expect(await tagged('M00000003')).toEqual([]);
      const done = await say('store_manager_01', '13800000003');
      expect(done).toMatchObject({ intent: 'tag.add', slots: { phone: '13800000003', tag: 'VIP' } });
      expect(await tagged('M00000003')).toEqual(['VIP']);
    });

    it('asks which tag', async () => {
      const q = await say('store_manager_01', '给 13800000006 打标签');
      expect(q).toMatchObject({ outcome: 'asked', text: '哪个标签？请发标签名，例如 VIP。' });
      await say('store_manager_01', '高价值');
      expect(await tagged('M00000006')).toEqual(['高价值']);
    });

    it('asks for the points, then the reason, then adds them', async () => {
      expect((await say('store_manager_01', '给 13800000005 加积分')).text).toBe('加或扣多少积分？例如「100」或「扣 50」。');
      expect((await say('store_manager_01', '200')).text).toBe('原因是什么？例如「生日福利」。');
      const done = await say('store_manager_01', '生日福利');
      expect(done).toMatchObject({ intent: 'points.adjust', slots: { phone: '13800000005', delta: 200, reason: '生日福利' } });
      expect(done.text).toContain('加 200 积分（原因：生日福利），当前积分 1,400');
    });

    it('asks in English, and takes a name as the answer', async () => {
      const q = await say('agent_01', 'his orders');
      expect(q).toMatchObject({ intent: 'member.orders', outcome: 'asked', text: 'Which member? Send a phone number, member number or name.' });
      const r = await say('agent_01', '李娜');
      expect(r).toMatchObject({ intent: 'member.orders', slots: { name: '李娜' } });
      expect(r.text).toMatch(/李娜[（ (]+M00000004/);
    });

    it('takes "算了" as no answer: nothing runs', async () => {
      await say('store_manager_01', '给 13800000007 打标签');
      const r = await say('store_manager_01', '不打了');
      expect(r).toMatchObject({ outcome: 'declined', text: '好的，这件事先不办了。' });
      expect(await tagged('M00000007')).toEqual([]);
      await say('store_manager_01', '给 13800000007 打标签');
      // "不用了" routes as action.cancel (which would also cancel a held action): with the question open it refuses
      // the question — reported as the write not done, declined — and it is no tag either.
      expect(await say('store_manager_01', '不用了')).toMatchObject({ intent: 'tag.add', outcome: 'declined' });
      expect(await tagged('M00000007')).toEqual([]);
    });

    it('takes the next message as the content a dictated write was missing', async () => {
      const q = await say('agent_01', '给李娜记一下');
      expect(q).toMatchObject({ intent: 'interaction.log', outcome: 'asked' });
      const count = async () => Number(((await env.services.sql.query<any[]>('SELECT COUNT(*) AS n FROM interactions'))[0][0] as any).n);
      const before = await count();
      const r = await say('agent_01', '今天到店说生日想订包间');
      expect(r).toMatchObject({ intent: 'interaction.log', outcome: 'done', slots: { name: '李娜' } });
      expect(await count()).toBe(before + 1);
      const [[row]] = await env.services.sql.query<any[]>('SELECT content FROM interactions ORDER BY id DESC LIMIT 1');
      expect(row.content).toContain('生日想订包间');
      // Asked once: the next message is a request of its own again.
      expect((await say('agent_01', '13800000004')).intent).toBe('member.lookup');
    });

    it('drops the question when the next message is clearly a new request', async () => {
      await say('agent_01', '他的订单');
      const other = await say('agent_01', '13800000001 详情');
      expect(other).toMatchObject({ intent: 'member.summary', slots: { phone: '13800000001' } });
      // Nothing pending any more: a bare number is a lookup, not the old request's member.
      expect((await say('agent_01', '13800000004')).intent).toBe('member.lookup');
    });
  });

  describe('a name matching several members', () => {
    it('takes the member number or phone of one of them as the pick', async () => {
      const list = await say('store_manager_01', '给张伟打上高价值标签');
      expect(list).toMatchObject({ intent: 'tag.add', outcome: 'asked' });
      expect(list.text).toContain('找到 2 位');
      const r = await say('store_manager_01', 'M00000003');
      expect(r).toMatchObject({ intent: 'tag.add', slots: { memberNo: 'M00000003', tag: '高价值' } });
      expect(await tagged('M00000003')).toContain('高价值');
      expect(await tagged('M00000001')).not.toContain('高价值');
      await say('store_manager_01', '查一下张伟');
      expect(await say('store_manager_01', '13800000003')).toMatchObject({ intent: 'member.lookup', slots: { phone: '13800000003' } });
    });

    it('takes the last four digits of a phone shown in the list as the pick ("尾号0003", "the one ending in 0001")', async () => {
      await say('store_manager_01', '张伟 订单');
      expect(await say('store_manager_01', '尾号0003')).toMatchObject({ intent: 'member.orders', slots: { memberNo: 'M00000003' } });
      await say('store_manager_01', 'look up 张伟');
      expect(await say('store_manager_01', 'the one ending in 0001')).toMatchObject({ intent: 'member.lookup', slots: { memberNo: 'M00000001' } });
    });
  });

  describe('answers in another shape', () => {
    it('takes a member named with a store beside it ("上海一店的王芳") as the member asked for', async () => {
      expect(await say('store_manager_01', '查订单')).toMatchObject({ intent: 'member.orders', outcome: 'asked' });
      expect(await say('store_manager_01', '上海一店的王芳')).toMatchObject({ intent: 'member.orders', slots: { name: '王芳' }, outcome: 'answered' });
    });

    it('changes a held figure said instead of the old one ("no, 20 not 30"), never cancelling it', async () => {
      expect(await say('store_manager_01', '13800000006 扣30分 兑换饮品')).toMatchObject({ intent: 'points.adjust', outcome: 'held' });
      const changed = await say('store_manager_01', 'no, 20 not 30');
      expect(changed).toMatchObject({ intent: 'points.adjust', slots: { phone: '13800000006', delta: -20 }, outcome: 'held' });
      expect(await say('store_manager_01', '取消')).toMatchObject({ intent: 'action.cancel' });
    });

    it('keeps the member of a held write in focus: a question about them while it is held names no one and is not asked back', async () => {
      expect(await say('store_manager_01', '13800000006 扣30分 兑换饮品')).toMatchObject({ intent: 'points.adjust', outcome: 'held' });
      const asked = await say('store_manager_01', '他积分够扣吗');
      expect(asked.outcome).not.toBe('asked');
      expect(asked.outcome).not.toBe('done');
      expect(asked.text).toContain('M00000006');
      // Still held: the confirmation takes it, for that member.
      expect(await say('store_manager_01', '确认')).toMatchObject({ intent: 'action.confirm', outcome: 'done' });
    });

    it('asks the last question about another member after "what about …", whatever read the router made of the name', async () => {
      await say('store_manager_01', '陈静 orders');
      expect(await say('store_manager_01', 'what about 周杰')).toMatchObject({ intent: 'member.orders', slots: { name: '周杰' } });
    });
  });

  describe('refinements of the last answer', () => {
    it('narrows a list by limit, amount and store, keeping what was asked before', async () => {
      const first = await say('hq_ops_01', '超过120天没来的流失会员');
      expect(first).toMatchObject({ intent: 'churn.list', slots: { days: 120 } });
      expect(await say('hq_ops_01', '只看前2个')).toMatchObject({ intent: 'churn.list', slots: { days: 120, limit: 2 } });
      expect(await say('hq_ops_01', '金额500以上的')).toMatchObject({ intent: 'churn.list', slots: { days: 120, limit: 2, minSpend: '500.00' } });
      const store = await say('hq_ops_01', '换成北京二店');
      expect(store).toMatchObject({ intent: 'churn.list', slots: { days: 120, store: '北京二店' } });
      expect(store.text).toContain('北京二店');
    });

    it('narrows with terse words after small talk, and keeps the store when only the metric changes', async () => {
      await say('hq_ops_01', '流失名单');
      // Thanks in between are no answer to refine: the list stays what "前2个就行" narrows.
      await say('hq_ops_01', '谢谢');
      expect(await say('hq_ops_01', '前2个就行')).toMatchObject({ intent: 'churn.list', slots: { limit: 2 } });
      expect(await say('hq_ops_01', '换 北京二店')).toMatchObject({ intent: 'churn.list', slots: { limit: 2, store: '北京二店' } });
      await say('hq_ops_01', '北京二店会员健康度');
      const metric = await say('hq_ops_01', '复购率呢');
      expect(metric).toMatchObject({ intent: 'insights.health', slots: { store: '北京二店', metric: 'repurchase_rate' } });
      expect(metric.text).toContain('北京二店');
    });

    it('asks the same about another member of the list after one was picked ("那第二个呢")', async () => {
      const list = await say('store_manager_01', '张伟 订单');
      const shown = (list.data as any).members.map((m: any) => m.memberNo);
      expect(await say('store_manager_01', '第一个')).toMatchObject({ intent: 'member.orders', slots: { memberNo: shown[0] } });
      const other = await say('store_manager_01', '那第二个呢');
      expect(other).toMatchObject({ intent: 'member.orders', slots: { memberNo: shown[1] } });
      expect(other.text).toContain(`（${shown[1]}）`);
    });

    it('narrows the period of a member’s orders, in Chinese and English', async () => {
      await say('store_manager_02', '13800000002 的订单');
      // The member found is named by number from then on (the phone resolved to M00000002).
      expect(await say('store_manager_02', '只要近250天的')).toMatchObject({ intent: 'member.orders', slots: { memberNo: 'M00000002', days: 250 } });
      const en = await say('store_manager_02', 'only the last 7 days');
      expect(en).toMatchObject({ intent: 'member.orders', slots: { memberNo: 'M00000002', days: 7 } });
    });

    it('exports after a segment answer (held for confirmation like any export)', async () => {
      expect((await say('marketer_01', '创建人群包 老客：累计消费大于100')).intent).toBe('segment.create');
      expect((await say('marketer_01', '人群包 老客 有多少人')).intent).toBe('segment.count');
      const ex = await say('marketer_01', '导出吧');
      expect(ex).toMatchObject({ intent: 'segment.export', slots: { text: '人群包 老客 有多少人' } });
      expect(ex.text).toContain('将导出人群包「老客」');
      expect((await say('marketer_01', '取消')).text).toContain('已取消');
    });

    it('is not a refinement when the message names something new', async () => {
      await say('store_manager_01', '流失名单');
      expect(await say('store_manager_01', '13800000001 最近30天的订单')).toMatchObject({ intent: 'member.orders', slots: { phone: '13800000001', days: 30 } });
    });
  });

  describe('corrections', () => {
    it('reads "不是她，是…" and "不对，…" as the request they correct, and moves the focus', async () => {
      await say('store_manager_01', '查下李娜');
      const r = await say('store_manager_01', '不是她，是王芳');
      expect(r).toMatchObject({ intent: 'member.lookup', slots: { name: '王芳' } });
      expect(await say('store_manager_01', '她的订单')).toMatchObject({ intent: 'member.orders', slots: { memberNo: 'M00000005' } });
      expect(await say('store_manager_01', '不对，我要的是她的工单')).toMatchObject({ intent: 'member.tickets', slots: { memberNo: 'M00000005' } });
    });
  });

  describe('focus', () => {
    it('keeps the member in focus across an unrelated question', async () => {
      await say('store_manager_01', '查一下 13800000004');
      expect((await say('store_manager_01', '流失名单')).intent).toBe('churn.list');
      const r = await say('store_manager_01', '他最近的订单呢');
      expect(r).toMatchObject({ intent: 'member.orders', slots: { memberNo: 'M00000004' } });
      expect(r.text).toMatch(/李娜[（ (]+M00000004/);
    });

    it('fills a write from the focus on the turn right after an answer about that member; later only when the request points at them', async () => {
      await say('store_manager_01', '查一下 13800000012');
      // Right after the look-up, the write can only be about the member just shown (session 19: what every blind writer expects).
      expect(await say('store_manager_01', '打个新客标签')).toMatchObject({ intent: 'tag.add', slots: { memberNo: 'M00000012', tag: '新客' }, outcome: 'done' });
      expect(await tagged('M00000012')).toEqual(['新客']);
      // An answer about no member in between: the member stays in focus, but a write without a pointer asks.
      await say('store_manager_01', '本店流失名单');
      expect(await say('store_manager_01', '打个VIP标签')).toMatchObject({ intent: 'tag.add', outcome: 'asked', text: '哪位会员？请发手机号、会员号或姓名。' });
      expect(await tagged('M00000012')).toEqual(['新客']);
      const r = await say('store_manager_01', '给他打个VIP标签');
      expect(r).toMatchObject({ intent: 'tag.add', slots: { memberNo: 'M00000012', tag: 'VIP' } });
      expect((await tagged('M00000012')).sort()).toEqual(['VIP', '新客'].sort());
    });
  });

  describe('short replies', () => {
    const lines = (a: BotAnswer) => a.text.split('\n');
    it('answers thanks and small talk with one line and two examples', async () => {
      const thanks = await say('store_manager_01', '谢谢');
      expect(thanks).toMatchObject({ intent: 'smalltalk', outcome: 'answered' });
      expect(lines(thanks)).toHaveLength(3);
      expect(lines(thanks)[0]).toBe('不客气！还有需要随时找我，例如：');
      const weather = await say('store_manager_01', '今天天气怎么样？');
      expect(lines(weather)[0]).toBe('这个我帮不上忙～ 你可以这样问我：');
      expect(lines(weather)).toHaveLength(3);
      expect(lines(await say('store_manager_01', '你好厉害'))).toHaveLength(3);
      expect(lines(await say('store_manager_01', 'thanks!'))[0]).toBe('You are welcome! Anything else, just ask, e.g.:');
    });

    it('answers what it does not understand with one line and two examples, the closest first', async () => {
      const r = await say('store_manager_01', '嗯嗯那个啥');
      expect(r).toMatchObject({ intent: 'help', outcome: 'asked' });
      expect(lines(r)).toHaveLength(3);
      expect(lines(r)[0]).toContain('没太明白');
      expect(lines(await say('store_manager_01', '会员的购买明细'))[1]).toContain(getIntent('member.orders')!.title);
    });

    it('gives the full help only when asked for it', async () => {
      const help = await say('store_manager_01', '帮助');
      expect(lines(help).length).toBeGreaterThan(10);
      expect(lines(await say('store_manager_01', 'what can you do')).length).toBeGreaterThan(10);
    });
  });
});
