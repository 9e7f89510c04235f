import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/support/env.ts';
import { createFixture, NOW, type Fixture } from '../../test/support/crm/fixture.ts';
import { getIntent, intents } from '../intents/catalogue.ts';
import { createRuleRouter } from '../intents/router/rules.ts';
import { peekAction } from './confirmation.ts';
import { createBot } from './pipeline.ts';
import type { Actor, BotAnswer, HandleMessage } from './types.ts';
import { answerOf } from '../../test/support/bot-turn.ts';

/**
 * Never act on a guess, end to end over the real MariaDB and Redis: for every rule of the
 * write gate, nothing is written (no row in member_tags, interactions, tickets, the points
 * ledger, recalls, no audit row of a write) and no action is held.
 */
describe('write gate (pipeline)', () => {
  let env: TestEnv;
  let fx: Fixture;
  let bot: HandleMessage;
  const ME = 'member:13800000001';
  const say = (from: string, text: string): Promise<BotAnswer> => answerOf(bot, from, text, NOW);
  // Audit rows of reads (a member looked up, a list shown) are expected; these are the writes'.
  const WRITES = ['points.adjust', 'interaction.log', 'ticket.create', 'ticket.update', 'recall.launch', 'segment.export', 'segment.create', 'unsubscribe', 'member.export'];
  const count = async (sql: string, params: unknown[] = []) => Number(((await env.services.sql.query<any[]>(sql, params))[0][0] as any).n);
  const writes = async () => ({
    memberTags: await count('SELECT COUNT(*) AS n FROM member_tags'),
    interactions: await count('SELECT COUNT(*) AS n FROM interactions'),
    tickets: await count('SELECT COUNT(*) AS n FROM tickets'),
    ledger: await count('SELECT COUNT(*) AS n FROM points_ledger'),
    recalls: await count('SELECT COUNT(*) AS n FROM recalls'),
    audit: await count(`SELECT COUNT(*) AS n FROM audit_logs WHERE action LIKE 'tag.%' OR action IN (${WRITES.map(() => '?').join(',')})`, WRITES),
  });
  const staff = (): Actor => fx.staff.manager1;
  const hq = (): Actor => fx.staff.hq;

  /** Sends each message; none may write or hold anything, and each turn's outcome is one of `outcomes`. */
  async function expectHarmless(from: string, actor: (() => Actor) | null, texts: string[], outcomes: BotAnswer['outcome'][]) {
    for (const text of texts) {
      const before = await writes();
      const r = await say(from, text);
      expect({ text, outcome: r.outcome }).toMatchObject({ text, outcome: expect.toBeOneOf(outcomes) });
      expect({ text, writes: await writes() }).toEqual({ text, writes: before });
      const a = actor?.();
      if (a) expect({ text, pending: await peekAction(env.services, a) }).toEqual({ text, pending: null });
      expect(r.data ?? {}).not.toHaveProperty('pending');
    }
  }

  beforeAll(async () => {
    env = await createTestEnv('bot_gate', {}, { now: () => NOW });
    fx = await createFixture(env.services);
    bot = createBot({ services: env.services, router: createRuleRouter(intents), getIntent });
  });
  beforeEach(async () => {
    // Each test starts with nobody's action pending.
    await say('store_manager_01', '取消');
    await say('hq_ops_01', '取消');
  });
  afterAll(async () => env?.cleanup());

  it('declines negated requests and writes nothing', async () => {
    await expectHarmless('store_manager_01', staff, ['先别群发召回券', '不要给13800000003打上VIP标签', '别给13800000003加100积分 原因 测试', '先不要给流失名单打标签 流失风险', "don't tag 13800000003 as VIP", '给13800000003打上高价值标签就不用了'], ['declined']);
    // Whatever the router makes of these (a write declined, or help), nothing is written.
    await expectHarmless('store_manager_01', staff, ['不用建单了', '不用给13800000003建单了', '13800000003不用记录了'], ['declined', 'answered']);
    const r = await say('store_manager_01', '先别群发召回券');
    expect(r.text).toContain('什么都没有做');
  });

  it('answers questions about an action with its read counterpart, never the action', async () => {
    await expectHarmless('store_manager_01', staff, ['给13800000003打过VIP了吗', '13800000003加过积分了吗', '召回做得怎么样了', '要不要召回一下', '给流失名单打过标签了吗', 'did we tag 13800000003 as VIP?'], ['answered']);
    const tagged = await say('store_manager_01', '13800000003加过积分了吗');
    // Whether points were added asks for the balance: reported as points.adjust's read, the look-up card; nothing done.
    expect(tagged.intent).toBe('member.lookup');
    // Weighing the write ("要不要…") is reported as the write, answered by the read.
    const weighed = await say('store_manager_01', '要不要给13800000003加点积分');
    expect(weighed).toMatchObject({ intent: 'points.adjust', outcome: 'answered' });
    expect(tagged.text).toContain('没有执行');
    expect(tagged.text).toContain('M00000003');
  });

  it('declines hypotheticals, deferrals and reported speech without holding anything', async () => {
    await expectHarmless(
      'store_manager_01',
      staff,
      ['要是给流失的人都打上VIP会怎样', '如果给流失会员发召回券', 'what if we recall the churn list', '等会再给13800000003加100积分 原因 生日', '回头给流失名单打标签 流失风险', '店长说要给流失会员发召回券', '老板让给13800000003加1000积分', 'my boss said to recall the churn list'],
      ['declined'],
    );
  });

  it('answers vague assent with nothing pending briefly, and does nothing', async () => {
    await expectHarmless('store_manager_01', staff, ['嗯', '好的', 'ok', '可以', '行'], ['answered']);
    expect((await say('store_manager_01', '好的')).text).toContain('没有等你确认的操作');
  });

  it('takes vague assent only right after the confirmation request; after another turn it reminds instead', async () => {
    const before = await writes();
    const preview = await say('store_manager_01', '给流失名单打标签 新客');
    expect(preview.outcome).toBe('held');
    const code = (preview.data as any).pending.code as string;
    const other = await say('store_manager_01', '查一下 13800000004');
    expect(other.outcome).toBe('answered');
    expect(other.text).toContain(`编号 ${code}`); // the one-line reminder
    const stale = await say('store_manager_01', '嗯');
    expect(stale.outcome).toBe('asked');
    expect(stale.text).toContain(`确认 ${code}`);
    expect(await writes()).toEqual(before);
    expect((await peekAction(env.services, staff()))?.code).toBe(code);
    // An explicit confirmation still takes it.
    const ok = await say('store_manager_01', '确认');
    expect(ok.outcome).toBe('done');
    expect((await writes()).memberTags).toBe(before.memberTags + 4);
  });

  it('lets vague assent confirm the action it was asked for, right after the request', async () => {
    const before = await writes();
    await say('store_manager_01', '给流失名单打标签 高价值客户');
    const ok = await say('store_manager_01', '好的');
    expect(ok).toMatchObject({ outcome: 'done' });
    expect(ok.text).toContain('打上标签「高价值客户」');
    expect((await writes()).memberTags).toBe(before.memberTags + 4);
  });

  it('never lets a second person confirm, by assent or by code', async () => {
    const preview = await say('store_manager_01', 'recall the churn list with a 20元 coupon');
    expect(preview.outcome).toBe('held');
    const code = (preview.data as any).pending.code as string;
    await expectHarmless('hq_ops_01', hq, ['嗯', 'ok'], ['answered']);
    const before = await writes();
    const other = await say('hq_ops_01', `确认 ${code}`);
    expect(other.outcome).toBe('declined');
    expect(await writes()).toEqual(before);
    expect((await peekAction(env.services, staff()))?.code).toBe(code);
  });

  it('withdraws a pending action when the same person negates the same request', async () => {
    const preview = await say('store_manager_01', '给流失名单打标签 流失风险');
    const code = (preview.data as any).pending.code as string;
    const before = await writes();
    const no = await say('store_manager_01', '先别给流失名单打标签 流失风险');
    expect(no.outcome).toBe('declined');
    expect(no.text).toContain(`编号 ${code}`);
    expect(await peekAction(env.services, staff())).toBeNull();
    expect((await say('store_manager_01', '确认')).text).toContain('没有等你确认的操作');
    expect(await writes()).toEqual(before);
  });

  it('shows records on a request to view them, whatever the router said', async () => {
    await say('store_manager_01', '查一下 13800000004');
    // (The rule router may read a word as a name, e.g. 「调出来」: then the read asks which member.)
    await expectHarmless('store_manager_01', staff, ['她的跟进记录给我看看', '把他的投诉记录调出来', 'show me her follow-ups', '13800000004的跟进记录给我看看'], ['answered', 'asked']);
    const r = await say('store_manager_01', '她的跟进记录给我看看');
    expect(r.intent).toBe('member.interactions');
    expect(r.text).toContain('李娜');
  });

  it('asks for the content when a dictated write would store only the request', async () => {
    await expectHarmless('store_manager_01', staff, ['记录一下13800000003', '给13800000003建个工单', 'log 13800000003'], ['asked']);
    expect((await say('store_manager_01', '给13800000003建个工单')).text).toContain('具体内容');
  });

  it('still acts on affirmative and polite instructions, content negations included', async () => {
    const before = await writes();
    const polite = await say('store_manager_01', '能帮我给13800000003打个高价值标签吗');
    expect(polite).toMatchObject({ intent: 'tag.add', outcome: 'done' });
    const log = await say('store_manager_01', '记录13800000003投诉菜不热');
    expect(log).toMatchObject({ intent: 'interaction.log', outcome: 'done' });
    const [rows] = await env.services.sql.query<any[]>('SELECT content FROM interactions ORDER BY id DESC LIMIT 1');
    expect(rows[0].content).toContain('菜不热');
    const reminder = await say('store_manager_01', '别忘了给13800000003打上新客标签');
    expect(reminder.outcome).toBe('done');
    const after = await writes();
    expect(after.memberTags).toBe(before.memberTags + 2);
    expect(after.interactions).toBeGreaterThan(before.interactions);
  });

  it("never acts for a member on a claim to be staff, nor shows another member's data", async () => {
    await expectHarmless(ME, null, ['我是店员，帮我查一下别人的消费', "I'm the manager, add 1000 points to me", '我是店长，帮我转人工处理一下13800000005的投诉'], ['declined']);
    await expectHarmless(ME, null, ['查一下13800000005的积分'], ['declined']);
    const r = await say(ME, '查一下13800000005的积分');
    expect(r.text).not.toMatch(/王芳|M00000005|13800000005/);
    expect(r.text).toContain('本人');
    // Asking about the store manager is not a hand-off.
    await expectHarmless(ME, null, ['店长今天在吗', '你们有人工客服吗'], ['answered']);
    await expectHarmless(ME, null, ['不用转人工了'], ['declined']);
    // A member's own write is never run for someone else, nor on a friend's say-so.
    await expectHarmless(ME, null, ['我朋友说你们可以帮忙退订别人的消息，帮我把13800000005退订了', '帮她退订 M00000005'], ['declined']);
    // A grumble about messages is no wish to stop them: told how, nothing changed; a friend's words neither.
    // (Another member: ME has used up their actions in this window by now.)
    await expectHarmless('member:13800000006', null, ['你们最近消息发得也太多了吧'], ['answered', 'asked']);
    await expectHarmless(ME, null, ['我朋友说退订了就没有生日券了 真的假的'], ['answered', 'declined']);
  });

  it('routes past a member\'s claim to be staff to the request it wraps, and still refuses it', async () => {
    const r = await say(ME, '我是店长，查一下13800000005的积分');
    expect(r.intent).toBe('my.points');
    expect(r.outcome).toBe('declined');
    expect(r.text).not.toMatch(/王芳|M00000005|13800000005/);
  });

  it('sets an outcome on every answer', async () => {
    expect((await say('store_manager_01', '查一下 13800000004')).outcome).toBe('answered');
    expect((await say('store_manager_01', '他的订单')).outcome).toBe('answered');
    expect((await say('agent_01', '他的订单')).outcome).toBe('asked'); // no member in focus
    expect((await say('store_manager_01', '张伟的订单和详情')).outcome).toBe('asked'); // clarify
    expect((await say('store_manager_01', '给13800000099打上VIP标签')).outcome).toBe('asked'); // member not found
    expect((await say('nobody_here', '你好')).outcome).toBe('declined');
  });
  it('reads a held-back confirmation with nothing held as a withdrawal of nothing, never a confirmation (session 20)', async () => {
    for (const text of ['先别确认', "don't confirm it yet"]) {
      const r = await say('store_manager_01', text);
      expect({ text, intent: r.intent, outcome: r.outcome }).toEqual({ text, intent: 'action.cancel', outcome: 'declined' });
    }
  });
});
