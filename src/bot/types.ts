
export { channelSchema, type Actor, type Channel, type MemberActor, type StaffActor } from '../crm/kernel/index.ts';
import type { Channel } from '../crm/kernel/index.ts';

/** What every channel adapter turns a platform message into (docs/architecture.md, conventions). */
export interface InboundMessage {
  channel: Channel;
  /** Dedupe key: the platform MsgId, or a hash of the whole decrypted payload for events. */
  messageId: string;
  /** Platform sender: WeCom userid, "member:<phone>" on the console, openid on the mini-program. */
  from: string;
  text: string;
  receivedAt: Date;
  /** How many times the platform has delivered this message (WeCom retries 3 times). */
  retryCount?: number;
  requestId: string;
  /**
   * A click on an interactive card the bot sent (WeCom `template_card_event`, an AI-bot card
   * event): the card's task id and the button or option chosen. `text` is then empty; the
   * pipeline treats it as the typed 确认/取消/number of the same person, exactly once per task.
   */
  action?: CardAction;
  /**
   * The conversation the message belongs to when it is not the sender's one-to-one chat (an
   * AI-bot group chat id): the conversation's memory and focus are kept per (conversation, sender).
   */
  conversationId?: string;
}

/** A click on a card: which card (task id) and which button/option key; responseCode lets the platform's card be updated once. */
export interface CardAction {
  taskId: string;
  key: string;
  responseCode?: string;
}

/** Button keys of a confirm card (template_card button_list[].key, returned as the click's EventKey). */
export const CONFIRM_KEY = 'confirm';
export const CANCEL_KEY = 'cancel';

/**
 * An interactive element beside an answer's text. Channels that can show cards render it (WeCom
 * app: `template_card` via message/send; AI bot: a template_card reply); the others show only the
 * text, which always says how to answer by typing (确认/取消 with the code, or the option number).
 */
export type AnswerCard =
  /** A held mass or irreversible action: confirm and cancel buttons (texts contain 确认 and 取消). */
  | { kind: 'confirm'; taskId: string; title: string; summary: string; expiresAt: string }
  /** A clarification or a choice among a few options, answerable by clicking one. */
  | { kind: 'choice'; taskId: string; title: string; options: { key: string; label: string }[] };

/**
 * What a card shows once it has been answered (a click or the typed 确认/取消): one outcome line
 * in place of its buttons. `responseCode` is the click's (WeCom `template_card_event`
 * ResponseCode); without it the channel uses the code it got when it sent the card.
 */
export interface CardUpdate {
  taskId: string;
  responseCode?: string;
  text: string;
}

/** The router's verdict: the console contract (docs/api.md) reports exactly these three. */
export interface RouteResult {
  intent: string;
  slots: Record<string, unknown>;
  confidence: number;
  /**
   * The next-best readings, most likely first (at most three, never the chosen intent): what a
   * clarifying question offers and what the LLM is asked to choose among. Not part of the
   * console contract (docs/api.md reports intent, slots and confidence).
   */
  alternatives?: RouteAlternative[];
  /**
   * A write the message names without asking for it in words (src/intents/router/action-words.ts),
   * read as its read counterpart: the conversation hands it to the write gate when the message
   * refuses, supposes, defers, relays or weighs it (src/bot/dialogue/turn.ts). Never run as such.
   */
  unasked?: RouteAlternative;
}

/** One other reading of the same message, with the slots it would run with. */
export interface RouteAlternative {
  intent: string;
  slots: Record<string, unknown>;
  confidence: number;
}

/** What an intent produces: channel-neutral text (plain, with line breaks). */
export interface IntentResult {
  text: string;
  /** Structured data for the console/API consumers (e.g. the matched members). */
  data?: unknown;
  /** What the turn did, when the intent knows better than its effect (a write that found no member asked instead). */
  outcome?: TurnOutcome;
  /** The intent that actually answered, when the pipeline ran another than the routed one (a question about a write answered by its read counterpart). */
  intent?: string;
  /** The one member this answer was about: the conversation keeps it in focus for "他/his". */
  focus?: { memberId: number; memberNo: string };
  /** A chart rendered on the server (PNG) shown beside the text: inline on the console; WeCom image message (upload pending). */
  image?: AnswerImage;
  /** An interactive card to show with the text (a held action, a clarification). */
  card?: AnswerCard;
  /** A card answered by this turn: channels that showed it update it. */
  cardUpdate?: CardUpdate;
}

/** A server-rendered image of an answer (the health dashboard's trend chart). */
export interface AnswerImage {
  png: Buffer;
  /** What the image shows, in words (alt text; channels without images rely on the text). */
  alt: string;
}

/**
 * What the turn did, for the console, the logs and the evaluation: `answered` (read only),
 * `asked` (the bot asks: which member, which option, a missing detail, a pending reminder),
 * `held` (a mass or irreversible action previewed, waiting for 确认), `done` (a write or send
 * ran), `declined` (nothing done: the user said no, cancelled, or may not).
 */
export type TurnOutcome = 'answered' | 'asked' | 'held' | 'done' | 'declined';

/** The pipeline's answer to one message, before the channel renders it. */
export interface BotAnswer extends RouteResult {
  text: string;
  outcome?: TurnOutcome;
  data?: unknown;
  image?: AnswerImage;
  /** An interactive card shown with the text where the channel can (the text stays complete without it). */
  card?: AnswerCard;
  /** A card this turn answered (clicked, or confirmed by typing): shown with its outcome where the channel can. */
  cardUpdate?: CardUpdate;
}

/** What the pipeline did with one inbound message. */
export type HandleOutcome =
  // already answered, or being answered by a live process (platform retry): do nothing again.
  // `recorded`: the answer given on the request (not pushed), for a platform whose retry means it never got it.
  | { kind: 'duplicate'; state?: 'answered' | 'busy'; recorded?: BotAnswer }
  | { kind: 'ignored'; reason: string } // an event or message type the bot does not answer
  | { kind: 'answer'; answer: BotAnswer };

/** The bot as the channels see it: one call per inbound message. */
export type HandleMessage = (msg: InboundMessage) => Promise<HandleOutcome>;
