import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createBot } from '../../src/bot/pipeline.ts';
import type { BotAnswer, HandleMessage } from '../../src/bot/types.ts';
import { getIntent, intents } from '../../src/intents/catalogue.ts';
import { createRouter } from '../../src/intents/router/index.ts';
import { createFixture, NOW } from './crm/fixture.ts';
import { createTestEnv, type TestEnv } from './env.ts';

/**
 * One console message through the bot pipeline, as a test says it: a fresh message and request
 * id, the answer it gave (a message that got no answer — a duplicate, a deferral — fails the test).
 */
export async function answerOf(bot: HandleMessage, from: string, text: string, receivedAt: Date): Promise<BotAnswer> {
  const out = await bot({ channel: 'console', messageId: randomUUID(), from, text, receivedAt, requestId: randomUUID() });
  if (out.kind !== 'answer') throw new Error(`no answer: ${out.kind}`);
  return out.answer;
}

/**
 * A describe block's bot on the fixture world with the router the bot runs: its own database
 * (`name`), the fixture loaded once, and the conversation state (focus, pending questions, held
 * actions) cleared before each test, so each test is one conversation. Returns `say(from, text)`.
 */
export function useFixtureBot(name: string): { say: (from: string, text: string) => Promise<BotAnswer>; env: () => TestEnv } {
  let env: TestEnv;
  let bot: HandleMessage;
  beforeAll(async () => {
    env = await createTestEnv(name, {}, { now: () => NOW });
    await createFixture(env.services);
    bot = createBot({ services: env.services, router: createRouter(intents), getIntent });
  });
  beforeEach(async () => {
    const keys = await env.services.redis.keys(env.services.key('*'));
    const conversation = keys.filter((k) => /:(?:focus|conv|dialogue|pending|latest|confirm)/.test(k));
    if (conversation.length) await env.services.redis.del(...conversation);
  });
  afterAll(async () => env?.cleanup());
  return { say: (from, text) => answerOf(bot, from, text, NOW), env: () => env };
}
