import type { Services } from '../../services.ts';
import { speakerKey, type Speaker } from '../conversation.ts';

/** A detail the bot asked for (one question at a time); `content`: a dictated write's text (the write gate asked for it). */
export type Need = 'member' | 'tag' | 'points' | 'reason' | 'amount' | 'content';

/** A member of a list the bot showed when a name matched several: what "第二个" picks. */
export interface Candidate {
  memberNo: string;
  /** Shown on the pick's card button beside the member number. */
  name?: string;
  /** The last four digits of the phone shown beside it (kept in clear for "尾号1234"): what "尾号0003" picks. */
  tail?: string;
  /** The member's home store shown beside it: what "静安那个" picks. */
  store?: string;
  /** The member's id and level: what "VIP那个" (its tags) and "L5那个" pick (pick-trait.ts). */
  id?: number;
  level?: number;
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
  /** The rows the answer listed, in order (a recall's number, a member's number): what "停掉第一个", "第一名的详细数据" point at (list-pick.ts). */
  items?: ListedItem[];
  /** The tickets the answer showed (a member's tickets, today's due ones): what "李娜那张", "投诉那个", "第一个" pick (ticket-pick.ts). */
  tickets?: ShownTicket[];
  /** The members the answer showed, with what describes them: what "那个静安的", "包间那个" pick (shown-pick.ts). */
  members?: ShownMember[];
}

/** One member of a list the bot showed: their number, and their id, name, home store and the note or ticket beside them. */
export interface ShownMember {
  memberNo: string;
  memberId?: number;
  name?: string;
  store?: string;
  words?: string;
}

/** One ticket of a list the bot showed: its number and what staff may describe it by. */
export interface ShownTicket {
  ticketNo: string;
  type: string;
  title: string;
  memberName?: string;
}

/** One row of a list the bot showed: the record's number or the member's. */
export interface ListedItem {
  id?: number;
  memberNo?: string;
}

// Per (conversation, sender) in a group chat, per sender otherwise (InboundMessage.conversationId);
// read and written with the rest of the speaker's memory by src/bot/memory.ts.
export const pendingKey = (services: Pick<Services, 'key'>, msg: Speaker) => speakerKey(services, msg, 'dialogue', 'pending');
export const lastKey = (services: Pick<Services, 'key'>, msg: Speaker) => speakerKey(services, msg, 'dialogue', 'last');
export const shownKey = (services: Pick<Services, 'key'>, msg: Speaker) => speakerKey(services, msg, 'dialogue', 'shown');

/** The bot's open question to this speaker, read outside a turn (a card click checks it is still the one asked). */
export async function loadPending(services: Services, msg: Speaker): Promise<Pending | null> {
  const raw = await services.redis.get(pendingKey(services, msg));
  return raw ? (JSON.parse(raw) as Pending) : null;
}
