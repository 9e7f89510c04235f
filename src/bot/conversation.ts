import type { Lang } from '../i18n/index.ts';
import type { Services } from '../services.ts';
import type { Actor, InboundMessage, RouteResult } from './types.ts';

/** A conversation is forgotten after this long without a message. */
export const CONVERSATION_TTL_S = 30 * 60;
const MAX_TURNS = 10;

export interface Turn {
  at: string;
  text: string;
  intent: string;
  slots: Record<string, unknown>;
  /** The language the bot answered in (a reply of digits only keeps it). */
  lang?: Lang;
}

/** Who a conversation's memory belongs to: the sender, or the sender within a group chat. */
export type Speaker = Pick<InboundMessage, 'channel' | 'from' | 'conversationId'>;

/**
 * The key parts of a speaker's memory: per sender in a one-to-one chat, per (conversation,
 * sender) in a group (an AI-bot chatid), so two groups never share a focus or a question.
 */
export const speakerParts = (msg: Speaker): string[] => (msg.conversationId ? [msg.channel, 'g', msg.conversationId, msg.from] : [msg.channel, msg.from]);

/** Stage 3 — conversation memory in Redis: the last turns of this sender, with a TTL. */
export function conversationKey(services: Services, msg: Speaker): string {
  return services.key('conv', ...speakerParts(msg));
}

export async function recentTurns(services: Services, msg: InboundMessage): Promise<Turn[]> {
  const raw = await services.redis.lrange(conversationKey(services, msg), 0, MAX_TURNS - 1);
  return raw.map((r) => JSON.parse(r) as Turn);
}

export async function recordTurn(services: Services, msg: InboundMessage, _actor: Actor, route: RouteResult, lang: Lang): Promise<void> {
  const key = conversationKey(services, msg);
  const turn: Turn = { at: services.now().toISOString(), text: msg.text, intent: route.intent, slots: route.slots, lang };
  // The member in focus lives as long as the conversation: an unrelated question keeps it alive.
  // The MULTI touches the one list key; the focus key is renewed on its own (on a Redis Cluster it
  // may live in another hash slot, which a MULTI cannot span).
  await services.redis.multi().lpush(key, JSON.stringify(turn)).ltrim(key, 0, MAX_TURNS - 1).expire(key, CONVERSATION_TTL_S).exec();
  await services.redis.expire(focusKey(services, msg), CONVERSATION_TTL_S);
}

/** The member a staff conversation is about: set by an answer about exactly one member. */
export interface Focus {
  memberId: number;
  memberNo: string;
}

const focusKey = (services: Services, msg: Speaker) => services.key('focus', ...speakerParts(msg));

/** Remembers the member in focus ("他最近买了什么" next refers to them), for the conversation's TTL. */
export async function setFocus(services: Services, msg: InboundMessage, focus: Focus): Promise<void> {
  await services.redis.set(focusKey(services, msg), JSON.stringify(focus), 'EX', CONVERSATION_TTL_S);
}

export async function getFocus(services: Services, msg: InboundMessage): Promise<Focus | null> {
  const raw = await services.redis.get(focusKey(services, msg));
  return raw ? (JSON.parse(raw) as Focus) : null;
}

const MEMBER_REF = ['phone', 'memberNo', 'name'] as const;

/**
 * Fills the member of an intent that names one member ("他的订单", "his orders") from the
 * focus when the message named nobody. Only intents whose rule requires a member reference
 * take it; the CRM layer still checks the actor's store scope for the member.
 */
export function withFocus(intentRequires: readonly (readonly string[])[] | undefined, route: RouteResult, focus: Focus | null): RouteResult | null {
  if (!focus) return null;
  const needsMember = (intentRequires ?? []).some((group) => MEMBER_REF.every((s) => group.includes(s)));
  if (!needsMember || MEMBER_REF.some((s) => route.slots[s] !== undefined)) return null;
  return { ...route, slots: { ...route.slots, memberNo: focus.memberNo }, confidence: Math.max(route.confidence, 0.8) };
}

/** The language of the sender's last answered turn, if any (src/i18n replyLanguage falls back to it). */
export async function lastLanguage(services: Services, msg: InboundMessage): Promise<Lang | null> {
  const raw = await services.redis.lindex(conversationKey(services, msg), 0);
  return raw ? ((JSON.parse(raw) as Turn).lang ?? null) : null;
}
