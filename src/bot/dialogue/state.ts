import type { Services } from '../../services.ts';
import { CONVERSATION_TTL_S, speakerParts, type Speaker } from '../conversation.ts';

/** A detail the bot asked for (one question at a time); `content`: a dictated write's text (the write gate asked for it). */
export type Need = 'member' | 'tag' | 'points' | 'reason' | 'content';

/** A member of a list the bot showed when a name matched several: what "第二个" picks. */
export interface Candidate {
  memberNo: string;
  /** Shown on the pick's card button beside the member number. */
  name?: string;
}

/**
 * The bot's open question to this sender: the next message may answer it.
 * - choose: "你是想：1 … 2 …" — the options with the slots each would run with (and the task id of its card);
 * - fill: a required detail was missing — the intent, the slots found so far, what is missing;
 * - pick: a name matched several members — the intent to run once one is picked.
 * `text` is always the original request (the safety gate reads it, not the bare answer).
 */
export type Pending =
  | { kind: 'choose'; text: string; options: { intent: string; slots: Record<string, unknown> }[]; taskId?: string }
  | { kind: 'fill'; text: string; intent: string; slots: Record<string, unknown>; need: Need }
  | { kind: 'pick'; text: string; intent: string; slots: Record<string, unknown>; candidates: Candidate[]; taskId?: string };

/** The last answer to this sender: what "只要近30天的" or "导出吧" refines. */
export interface LastAnswer {
  intent: string;
  slots: Record<string, unknown>;
  text: string;
}

// Per (conversation, sender) in a group chat, per sender otherwise (InboundMessage.conversationId).
type Who = Speaker;
const pendingKey = (services: Services, msg: Who) => services.key('dialogue', 'pending', ...speakerParts(msg));
const lastKey = (services: Services, msg: Who) => services.key('dialogue', 'last', ...speakerParts(msg));
const shownKey = (services: Services, msg: Who) => services.key('dialogue', 'shown', ...speakerParts(msg));

async function read<T>(services: Services, key: string): Promise<T | null> {
  const raw = await services.redis.get(key);
  return raw ? (JSON.parse(raw) as T) : null;
}

/** Per sender, for the conversation's TTL: an unanswered question is forgotten with the conversation. */
export const loadPending = (services: Services, msg: Who) => read<Pending>(services, pendingKey(services, msg));
export async function savePending(services: Services, msg: Who, pending: Pending): Promise<void> {
  await services.redis.set(pendingKey(services, msg), JSON.stringify(pending), 'EX', CONVERSATION_TTL_S);
}
export async function clearPending(services: Services, msg: Who): Promise<void> {
  await services.redis.del(pendingKey(services, msg));
}

export const loadLast = (services: Services, msg: Who) => read<LastAnswer>(services, lastKey(services, msg));
export async function saveLast(services: Services, msg: Who, last: LastAnswer): Promise<void> {
  await services.redis.set(lastKey(services, msg), JSON.stringify(last), 'EX', CONVERSATION_TTL_S);
}

/**
 * The members of the last list the bot showed (a name that matched several): after one was
 * picked, "那第二个呢" asks the same about another of them. Kept for the conversation's TTL.
 */
export const loadShown = (services: Services, msg: Who) => read<Candidate[]>(services, shownKey(services, msg));
export async function saveShown(services: Services, msg: Who, candidates: readonly Candidate[]): Promise<void> {
  await services.redis.set(shownKey(services, msg), JSON.stringify(candidates), 'EX', CONVERSATION_TTL_S);
}
