import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/pipeline.ts';
import { RATE_LIMITED_TEXT } from '../../src/bot/rate-limit.ts';
import { ERROR_CODES } from '../../src/crm/kernel/index.ts';
import type { BotAnswer, HandleMessage } from '../../src/bot/types.ts';
import { pointsChangeNeedsConfirmation } from '../../src/crm/loyalty/index.ts';
import { getIntent, intents } from '../../src/intents/catalogue.ts';
import { createRuleRouter } from '../../src/intents/router/rules.ts';
import { createFixture, NOW, type Fixture } from '../support/crm/fixture.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { answerOf } from '../support/bot-turn.ts';
import { heldPreview } from '../../src/intents/types.ts';

/** Flood control through the real pipeline over MariaDB and Redis (docs/operations.md, flood control). */
const MEMBER_ACTION_LIMIT = 5;
const STAFF_ACTION_LIMIT = 3;

describe('flood control', () => {
  let env: TestEnv;
  let fx: Fixture;
  let bot: HandleMessage;
  const say = (from: string, text: string): Promise<BotAnswer> => answerOf(bot, from, text, NOW);
  const ticketsOf = async (memberId: number) => (await env.services.sql.query<any[]>('SELECT id, ticket_no, type FROM tickets WHERE member_id = ?', [memberId]))[0];
  const alertsFor = async (ticketNo: string) =>
    (await env.services.queues.outbound.getJobs(['waiting', 'delayed', 'prioritized'])).filter((j) => j.name === 'handoff-alert' && String(j.data.text).includes(ticketNo));

  beforeAll(async () => {
    env = await createTestEnv('flood_control', { MEMBER_ACTION_LIMIT: String(MEMBER_ACTION_LIMIT), STAFF_ACTION_LIMIT: String(STAFF_ACTION_LIMIT), STAFF_ACTION_WINDOW_S: '600' }, { now: () => NOW });
    fx = await createFixture(env.services);
    bot = createBot({ services: env.services, router: createRuleRouter(intents), getIntent });
  });
  afterAll(async () => env?.cleanup());

  it('thirty 转人工 in a row open one ticket and alert the staff once; later ones say it is with staff, then to wait', async () => {
    const replies: BotAnswer[] = [];
    for (let i = 0; i < 30; i++) replies.push(await say('member:13800000001', '转人工'));
    expect(replies.every((r) => r.intent === 'handoff')).toBe(true);
    const tickets = await ticketsOf(fx.memberIds.M00000001!);
    expect(tickets).toHaveLength(1);
    const no = tickets[0].ticket_no as string;
    expect(replies[0]!.text).toContain(`已为你转接人工服务（工单号 ${no}）`);
    // The next four join the ticket; past the member's limit of five actions the answer asks them to wait.
    for (const r of replies.slice(1, MEMBER_ACTION_LIMIT)) expect(r.text).toContain(`你的请求已转给工作人员（工单号 ${no}）`);
    for (const r of replies.slice(MEMBER_ACTION_LIMIT)) expect(r.text).toBe(RATE_LIMITED_TEXT);
    // The refusal carries the registered, retryable code and when to try again (within the 10-minute window).
    const refused = replies[MEMBER_ACTION_LIMIT]!.data as { error: { code: keyof typeof ERROR_CODES; retryable: boolean; retryAfterS: number } };
    expect(refused.error).toMatchObject({ code: 'rate_limited', retryable: true });
    expect(ERROR_CODES[refused.error.code]).toMatchObject({ status: 429, retryable: true });
    expect(refused.error.retryAfterS).toBeGreaterThan(0);
    expect(refused.error.retryAfterS).toBeLessThanOrEqual(600);
    expect((await alertsFor(no)).map((j) => j.data.to)).toEqual(['store_manager_01']);
    // The limit covers actions that alert or write, not reads: unsubscribe waits, my points answers.
    expect((await say('member:13800000001', '退订')).text).toBe(RATE_LIMITED_TEXT);
    expect(await env.services.db.member.count({ where: { id: fx.memberIds.M00000001!, marketingOptOutAt: { not: null } } })).toBe(0);
    expect((await say('member:13800000001', '我还有多少积分')).intent).toBe('my.points');
    expect((await say('member:13800000001', '我还有多少积分')).text).not.toBe(RATE_LIMITED_TEXT);
    // Another member is not affected.
    expect((await say('member:13800000007', '退订')).text).toContain('已为你退订');
  });

  it('five simultaneous 转人工 from one member open one ticket and alert once', async () => {
    const replies = await Promise.all(Array.from({ length: 5 }, () => say('member:13800000004', '转人工')));
    expect(replies.every((r) => r.intent === 'handoff')).toBe(true);
    const tickets = await ticketsOf(fx.memberIds.M00000004!);
    expect(tickets).toHaveLength(1);
    const alerts = await alertsFor(tickets[0].ticket_no);
    expect(alerts).toHaveLength(1);
  });

  it('a deduction needs a confirmation whatever its size and wording; nothing is written until 确认', async () => {
    const ledger = () => env.services.db.pointsLedger.count({ where: { memberId: fx.memberIds.M00000005! } });
    const before = await ledger();
    const negative = await say('store_manager_01', '给 13800000005 加 -100 积分 原因 测试');
    expect(negative.intent).toBe('points.adjust');
    expect(negative.text).toContain('扣 100 积分');
    expect(negative.text).toMatch(/确认/);
    expect(await ledger()).toBe(before);
    const deduct = await say('store_manager_01', '13800000005 扣 100 积分 兑换饮品');
    expect(deduct.intent).toBe('points.adjust');
    expect(deduct.text).toContain('将给 王芳（M00000005） 扣 100 积分（原因：兑换饮品）');
    expect(await ledger()).toBe(before);
    const code = /编号 (\d{4})/.exec(deduct.text)?.[1];
    expect(code).toBeDefined();
    const done = await say('store_manager_01', `确认 ${code}`);
    expect(done.text).toContain('已给 王芳（M00000005） 扣 100 积分');
    expect(await ledger()).toBe(before + 1);
    // The LLM's negative delta slot is a deduction too: held, whatever the text says.
    const intent = getIntent('points.adjust')!;
    const ctx = { services: env.services, actor: fx.staff.manager1, channel: 'console' as const, requestId: randomUUID(), lang: 'zh' as const };
    const held = await intent.confirm!(ctx, intent.slots.parse({ memberNo: 'M00000005', delta: -5, reason: '测试', text: '给王芳加5积分' }));
    expect(held && heldPreview(held).text).toContain('扣 5 积分');
    expect(pointsChangeNeedsConfirmation(-1)).toBe(true);
    expect(pointsChangeNeedsConfirmation(1000)).toBe(false);
    expect(pointsChangeNeedsConfirmation(1001)).toBe(true);
  });

  it('a staff member past STAFF_ACTION_LIMIT writes in the window is asked to wait; nothing is written, reads still answer, other staff are not affected', async () => {
    const tags = async (memberId: number) => ((await env.services.sql.query<any[]>('SELECT t.name FROM member_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.member_id = ? ORDER BY t.name', [memberId]))[0] as { name: string }[]).map((r) => r.name);
    const member = fx.memberIds.M00000002!;
    const before = await tags(member);
    const written = ['VIP', '高价值', '新客'];
    for (const tag of written) {
      const r = await say('hq_ops_01', `给 13800000002 打标签 ${tag}`);
      expect(r.intent).toBe('tag.add');
      expect(r.outcome).toBe('done');
    }
    const over = await say('hq_ops_01', '给 13800000002 打标签 流失风险');
    expect(over.intent).toBe('tag.add');
    expect(over.outcome).toBe('declined');
    expect(over.text).toBe('你在 10 分钟内已执行了 3 次写入类操作，为防止误操作刷屏，请 10 分钟后再试。查询类操作不受影响。');
    expect(over.data).toMatchObject({ rateLimited: true, error: { code: 'rate_limited', retryable: true } });
    expect(await tags(member)).toEqual([...new Set([...before, ...written])].sort());
    // Reads are never limited.
    const read = await say('hq_ops_01', '查一下 13800000002');
    expect(read.intent).toBe('member.lookup');
    expect(read.text).toContain('M00000002');
    // The limit is per staff member.
    const other = await say('marketer_01', '给 13800000002 打标签 流失风险');
    expect(other.outcome).toBe('done');
    expect(await tags(member)).toContain('流失风险');
  });
});
