import type { AppError } from '../crm/kernel/index.ts';
import type { BotAnswer, Channel, HandleOutcome, InboundMessage } from '../bot/types.ts';

/** A platform request reduced to what an adapter needs (no framework types leak in). */
export interface RawRequest {
  method: 'GET' | 'POST';
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
  /**
   * The sender the edge has authenticated (the console's signed-in session or API token), when
   * there is one; adapters that take their sender from the request body use this instead.
   */
  identity?: string;
}

/** A response an adapter wants sent back on the same HTTP request. */
export interface RawResponse {
  status: number;
  contentType: string;
  body: string;
}

export type ParseResult =
  | { ok: true; kind: 'verify'; response: RawResponse } // URL verification handshake (WeCom GET echostr)
  | { ok: true; kind: 'message'; message: InboundMessage }
  | { ok: true; kind: 'ignored'; reason: string; messageId: string; data?: unknown } // an event we do not answer (data: what onAccepted needs)
  | { ok: false; error: AppError }; // always 4xx: a client mistake never becomes a 5xx

/**
 * One small interface per platform (docs/architecture.md, conventions). parse() is pure given
 * the injected clock and never throws for bad input; routing lives only in src/bot.
 * test/channels/contract.test.ts runs the same suite against every adapter.
 */
export interface ChannelAdapter {
  readonly channel: Channel;
  /** Largest request body accepted, in bytes (checked before parse). */
  readonly maxBodyBytes: number;
  /**
   * How long the request may wait for the bot before answering with the empty ack and
   * pushing instead (WeCom: the 5-second rule). Undefined: always wait (console).
   */
  readonly replyBudgetMs?: number;
  /** Whether this answer can travel on the same request (e.g. WeCom passive replies carry one ≤2048-byte text). */
  canReplyInline?(answer: BotAnswer): boolean;
  /**
   * The platform resends a callback whose reply it did not get (WeCom): a resend of a message
   * already answered on its request gets the recorded answer again (never a second execution).
   * Unset (the console): such a resend is answered as a duplicate.
   */
  readonly replaysRecordedAnswer?: boolean;
  parse(req: RawRequest, now: Date, requestId: string): ParseResult;
  /** The synchronous answer on the same request: a passive reply, or the empty ack when answer is null. */
  reply(answer: BotAnswer | null, inbound: InboundMessage, now: Date): RawResponse;
  /**
   * Side effects of an authentic callback, awaited before the bot runs and before the ack (so a
   * failure becomes a 5xx and the platform retries): e.g. the mini-program's 48-hour reply window
   * and subscription quota. parse() stays pure; the adapter must make this idempotent under retries.
   * When it returns a response, the callback is answered with it and goes no further (the AI
   * bot's stream refresh and welcome, which need state; a message past the AI bot's quota).
   */
  onAccepted?(parsed: Extract<ParseResult, { ok: true }>, now: Date): Promise<void | RawResponse>;
  /**
   * The platform shows an answer's cards only when pushed (WeCom's template cards go through
   * message/send): the card of a passively answered message is queued on its own.
   */
  readonly pushesCards?: boolean;
  /**
   * How an answer that could not travel on its request (slower than the budget, or too long)
   * reaches the user; unset: pushed through the outbound queue (src/jobs/inbox-answer.ts
   * pushAnswer). The AI bot hands it to the open stream that WeCom keeps refreshing instead.
   */
  deliver?(msg: InboundMessage, outcome: HandleOutcome): Promise<void>;
  /**
   * A platform whose callback only signals and whose messages are pulled (微信客服: sync_msg)
   * turns each pulled item (a RawRequest whose body is the item) into a message here; pure and
   * never throwing, like parse(). Absent where messages arrive on the callback itself.
   */
  parsePulled?(item: RawRequest, now: Date, requestId: string): ParseResult;
  /** Delivers a text later, outside the request (slow path); absent where the platform has no push. */
  push?(to: string, text: string, requestId?: string): Promise<void>;
}
