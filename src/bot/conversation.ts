import type { Lang } from '../i18n/index.ts';
import { slotTag } from '../redis.ts';
import type { Services } from '../services.ts';
import type { InboundMessage, RouteResult } from './types.ts';

/** A conversation is forgotten after this long without a message. */
export const CONVERSATION_TTL_S = 30 * 60;
export const MAX_TURNS = 10;

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

/**
 * A key of this speaker's memory (the turns, the focus, the dialogue's question and last answer):
 * each carries the speaker as its hash tag (src/redis.ts slotTag), so a turn reads all of them in
 * one pipeline and writes them in one MULTI, on a Redis Cluster too (src/bot/memory.ts).
 */
export const speakerKey = (services: Pick<Services, 'key'>, msg: Speaker, ...kind: string[]): string => services.key(...kind, slotTag(speakerParts(msg).join(':')));

/** Stage 3 — conversation memory in Redis: the last turns of this sender, with a TTL. */
export function conversationKey(services: Pick<Services, 'key'>, msg: Speaker): string {
  return speakerKey(services, msg, 'conv');
}

export async function recentTurns(services: Services, msg: InboundMessage): Promise<Turn[]> {
  const raw = await services.redis.lrange(conversationKey(services, msg), 0, MAX_TURNS - 1);
  return raw.map((r) => JSON.parse(r) as Turn);
}

/** The member a staff conversation is about: set by an answer about exactly one member. */
export interface Focus {
  memberId: number;
  memberNo: string;
}

/** The member in focus ("他最近买了什么" next refers to them), kept for the conversation's TTL (written by src/bot/memory.ts). */
export const focusKey = (services: Pick<Services, 'key'>, msg: Speaker) => speakerKey(services, msg, 'focus');

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
