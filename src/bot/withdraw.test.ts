import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/support/env.ts';
import { createFixture, NOW } from '../../test/support/crm/fixture.ts';
import { getIntent, intents } from '../intents/catalogue.ts';
import { createRuleRouter } from '../intents/router/rules.ts';
import { createBot } from './pipeline.ts';
import type { BotAnswer, HandleMessage } from './types.ts';
import { answerOf } from '../../test/support/bot-turn.ts';

/**
 * Never act on a guess, end to end: a held action is withdrawn by "先别确认" / "等一下" / "不是这个
 * 标签" (never taken, never re-read as a request of its own); a negation with a final particle, a
 * disclaimer and a question with a trailing identifier never write; a write that did nothing
 * (an export of no such segment) never reports `done`.
 */
describe('withdrawing and not acting', () => {
  let env: TestEnv;
  let bot: HandleMessage;
  const say = (from: string, text: string): Promise<BotAnswer> => answerOf(bot, from, text, NOW);
  const count = async (sql: string, params: unknown[] = []) => Number(((await env.services.sql.query<any[]>(sql, params))[0][0] as any).n);
  const tagged = (tag: string) => count('SELECT COUNT(*) AS n FROM member_tags mt JOIN tags t ON t.id = mt.tag_id WHERE t.name = ?', [tag]);

  beforeAll(async () => {
    env = await createTestEnv('bot_withdraw', {}, { now: () => NOW });
    await createFixture(env.services);
    bot = createBot({ services: env.services, router: createRuleRouter(intents), getIntent });
  });
  afterAll(async () => env?.cleanup());

  it.each(['先别确认', '等一下', '不是这个标签', "don't confirm yet"])('"%s" while a batch tag is held withdraws it; a later 嗯 / 确认 runs nothing', async (text) => {
    const before = await tagged('流失风险');
    const vipBefore = await tagged('VIP');
    expect((await say('store_manager_01', '给流失名单打标签 流失风险')).outcome).toBe('held');
    const withdrawn = await say('store_manager_01', text);
    expect(withdrawn).toMatchObject({ intent: 'action.cancel', outcome: 'declined' });
    expect((await say('store_manager_01', '嗯')).outcome).not.toBe('done');
    expect((await say('store_manager_01', '确认')).outcome).not.toBe('done');
    expect(await tagged('流失风险')).toBe(before);
    // "不是这个标签" never removes a tag literally named 这个, nor any other.
    expect(await tagged('VIP')).toBe(vipBefore);
  });

  it('a withdrawal of what is held is 取消, whether it names the write or not; assent after either is small talk', async () => {
    const recalls = await count('SELECT COUNT(*) AS n FROM recalls');
    expect((await say('store_manager_01', '给流失会员发20元召回券')).outcome).toBe('held');
    expect(await say('store_manager_01', '先别发 我再想想')).toMatchObject({ intent: 'action.cancel', outcome: 'declined' });
    expect(await say('store_manager_01', '嗯')).toMatchObject({ intent: 'smalltalk', outcome: 'answered' });
    expect((await say('store_manager_01', '给流失名单打标签 流失风险')).outcome).toBe('held');
    expect(await say('store_manager_01', '行吧 我再想想')).toMatchObject({ intent: 'action.cancel', outcome: 'declined' });
    expect(await say('store_manager_01', 'ok')).toMatchObject({ intent: 'smalltalk', outcome: 'answered' });
    expect(await count('SELECT COUNT(*) AS n FROM recalls')).toBe(recalls);
  });

  it('"发了吗" / "did it go out?" while a recall is held is answered by the recall status and takes nothing', async () => {
    const recalls = await count('SELECT COUNT(*) AS n FROM recalls');
    for (const question of ['发了吗？', 'did it go out?']) {
      expect((await say('store_manager_01', '给流失会员发20元召回券')).outcome).toBe('held');
      const r = await say('store_manager_01', question);
      expect(r, question).toMatchObject({ intent: 'recall.status', outcome: 'answered' });
      expect(await count('SELECT COUNT(*) AS n FROM recalls')).toBe(recalls);
      expect((await say('store_manager_01', '取消')).outcome).toBe('declined');
    }
  });

  it('"不是这个标签" with nothing pending removes nothing', async () => {
    const before = await count('SELECT COUNT(*) AS n FROM member_tags');
    await say('store_manager_01', '查一下 13800000001');
    const r = await say('store_manager_01', '不是这个标签');
    expect(r.outcome).not.toBe('done');
    expect(await count('SELECT COUNT(*) AS n FROM member_tags')).toBe(before);
  });

  it('a question with the member number after it is answered, not carried out', async () => {
    const before = await count('SELECT COUNT(*) AS n FROM member_tags');
    const r = await say('store_manager_01', '给她打标签了吗 13800000005');
    expect(r).toMatchObject({ intent: 'member.summary', outcome: 'answered' });
    expect(await count('SELECT COUNT(*) AS n FROM member_tags')).toBe(before);
  });

  it('a member\'s negation with a final particle, and a disclaimer before a complaint, write nothing', async () => {
    for (const text of ['别给我退订啊', '我没说要退订啊']) expect(await say('member:13800000006', text), text).toMatchObject({ intent: 'unsubscribe', outcome: 'declined' });
    expect(await count('SELECT COUNT(*) AS n FROM members WHERE marketing_opt_out_at IS NOT NULL')).toBe(0);
    const tickets = await count('SELECT COUNT(*) AS n FROM tickets');
    const disclaimer = await say('member:13800000007', '我不是要投诉啊 就随便说说');
    expect(disclaimer.outcome).not.toBe('done');
    expect(await count('SELECT COUNT(*) AS n FROM tickets')).toBe(tickets);
    // The request itself still runs.
    expect((await say('member:13800000006', '退订')).outcome).toBe('done');
  });

  it('an export of a segment that does not exist is answered, not done', async () => {
    const r = await say('hq_ops_01', '导出人群包 根本没有这个包');
    expect(r.intent).toBe('segment.export');
    expect(r.outcome).toBe('answered');
  });
});
