import { randomUUID } from 'node:crypto';
import type { BotAnswer, HandleMessage } from '../../src/bot/types.ts';

/**
 * One console message through the bot pipeline, as a test says it: a fresh message and request
 * id, the answer it gave (a message that got no answer — a duplicate, a deferral — fails the test).
 */
export async function answerOf(bot: HandleMessage, from: string, text: string, receivedAt: Date): Promise<BotAnswer> {
  const out = await bot({ channel: 'console', messageId: randomUUID(), from, text, receivedAt, requestId: randomUUID() });
  if (out.kind !== 'answer') throw new Error(`no answer: ${out.kind}`);
  return out.answer;
}
