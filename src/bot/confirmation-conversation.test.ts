import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/support/env.ts';
import { createFixture, NOW, type Fixture } from '../../test/support/crm/fixture.ts';
import { getIntent, intents } from '../intents/catalogue.ts';
import { createRuleRouter } from '../intents/router/rules.ts';
import { peekAction } from './confirmation.ts';
import { createBot } from './pipeline.ts';
import type { BotAnswer, HandleMessage } from './types.ts';

/**
 * A held action belongs to the conversation it was asked in (AI-bot group chats): the same
 * person's "确认" in another group, or in their one-to-one chat, neither runs it nor drops it;
 * "确认" in its own group runs it once. Over the real pipeline, MariaDB and Redis.
 */
describe('held actions are per (conversation, person)', () => {
  let env: TestEnv;
  let fx: Fixture;
  let bot: HandleMessage;
  const say = async (text: string, conversationId?: string): Promise<BotAnswer> => {
    const out = await bot({ channel: 'wecom_aibot', messageId: randomUUID(), from: 'store_manager_01', text, receivedAt: NOW, requestId: randomUUID(), ...(conversationId ? { conversationId } : {}) });
    if (out.kind !== 'answer') throw new Error(`no answer: ${out.kind}`);
    return out.answer;
  };
  const tagged = async () => Number(((await env.services.sql.query<any[]>('SELECT COUNT(*) AS n FROM member_tags'))[0][0] as any).n);

  beforeAll(async () => {
    env = await createTestEnv('bot_confirm_conv', {}, { now: () => NOW });
    fx = await createFixture(env.services);
    bot = createBot({ services: env.services, router: createRuleRouter(intents), getIntent });
  });
  afterAll(async () => env?.cleanup());

  it('a confirmation typed in another group chat or the private chat does not run it; in its own group it runs once', async () => {
    const before = await tagged();
    const preview = await say('给流失名单打标签 新客', 'wrGroupA');
    expect(preview.outcome).toBe('held');
    const code = (preview.data as any).pending.code as string;

    // Another group: nothing pending there, by latest or by code.
    const elsewhere = await say('确认', 'wrGroupB');
    expect(elsewhere.outcome).not.toBe('done');
    const byCode = await say(`确认 ${code}`, 'wrGroupB');
    expect(byCode.outcome).not.toBe('done');
    // The private chat neither.
    expect((await say('确认')).outcome).not.toBe('done');
    expect(await tagged()).toBe(before);
    // Still held, and visible only from group A.
    expect((await peekAction(env.services, fx.staff.manager1, undefined, 'wrGroupA'))?.code).toBe(code);
    expect(await peekAction(env.services, fx.staff.manager1, undefined, 'wrGroupB')).toBeNull();
    expect(await peekAction(env.services, fx.staff.manager1)).toBeNull();

    const ok = await say('确认', 'wrGroupA');
    expect(ok.outcome).toBe('done');
    expect(await tagged()).toBe(before + 4);
    expect((await say('确认', 'wrGroupA')).outcome).not.toBe('done'); // once
    expect(await tagged()).toBe(before + 4);
  });

  it('two groups hold their own actions side by side: a newer preview in one does not replace the other', async () => {
    const a = await say('给流失名单打标签 流失风险', 'wrGroupA');
    const b = await say('给流失名单打标签 高价值客户', 'wrGroupB');
    const codeA = (a.data as any).pending.code as string;
    const codeB = (b.data as any).pending.code as string;
    expect((await peekAction(env.services, fx.staff.manager1, undefined, 'wrGroupA'))?.code).toBe(codeA);
    expect((await peekAction(env.services, fx.staff.manager1, undefined, 'wrGroupB'))?.code).toBe(codeB);
    const cancelled = await say('取消', 'wrGroupB');
    expect(cancelled.text).toContain(codeB);
    expect((await peekAction(env.services, fx.staff.manager1, undefined, 'wrGroupA'))?.code).toBe(codeA);
  });
  it('a read turn reminds of the action held in its conversation, not in another, and not once it is cancelled', async () => {
    // The turn's start reads whether an action is held (src/bot/memory.ts, confirmation.ts turnStartKeys); the reminder follows it.
    const preview = await say('给流失名单打标签 新客', 'wrGroupR');
    expect(preview.outcome).toBe('held');
    const code = (preview.data as any).pending.code as string;
    const lookup = await say('查一下 13800000004', 'wrGroupR');
    expect(lookup.intent).toBe('member.lookup');
    expect(lookup.text).toContain('李娜');
    expect(lookup.text).toContain(`确认 ${code}`);
    const elsewhere = await say('查一下 13800000004', 'wrGroupS');
    expect(elsewhere.text).toContain('李娜');
    expect(elsewhere.text).not.toContain(`确认 ${code}`);
    expect((await say(`取消 ${code}`, 'wrGroupR')).outcome).toBe('declined');
    const after = await say('查一下 13800000004', 'wrGroupR');
    expect(after.text).toContain('李娜');
    expect(after.text).not.toContain(`确认 ${code}`);
  });
});
