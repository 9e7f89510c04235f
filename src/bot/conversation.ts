import type { Services } from '../services.ts';
import type { Actor, InboundMessage, RouteResult } from './types.ts';

/** A conversation is forgotten after this long without a message. */
const CONVERSATION_TTL_S = 30 * 60;
const MAX_TURNS = 10;

export interface Turn {
  at: string;
  text: string;
  intent: string;
  slots: Record<string, unknown>;
}

/** Stage 3 — conversation memory in Redis: the last turns of this sender, with a TTL. */
export function conversationKey(services: Services, msg: Pick<InboundMessage, 'channel' | 'from'>): string {
  return services.key('conv', msg.channel, msg.from);
}

export async function recentTurns(services: Services, msg: InboundMessage): Promise<Turn[]> {
  const raw = await services.redis.lrange(conversationKey(services, msg), 0, MAX_TURNS - 1);
  return raw.map((r) => JSON.parse(r) as Turn);
}

export async function recordTurn(services: Services, msg: InboundMessage, _actor: Actor, route: RouteResult): Promise<void> {
  const key = conversationKey(services, msg);
  const turn: Turn = { at: services.now().toISOString(), text: msg.text, intent: route.intent, slots: route.slots };
  await services.redis.multi().lpush(key, JSON.stringify(turn)).ltrim(key, 0, MAX_TURNS - 1).expire(key, CONVERSATION_TTL_S).exec();
}
