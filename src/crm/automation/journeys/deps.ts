/**
 * What the engine needs from the outside world, and the port through which it gets it: the
 * outbound senders (SMS, email, WeCom external contact, group robot, mini-program subscribe
 * message) are adapters of the edge (src/channels/outbound), handed in by the composition
 * (src/jobs/journey-deps.ts), so the domain never imports a channel and tests swap only the
 * outside world (fakes behind config URLs, never mocks of our own modules). Also here: the Redis
 * rate limiter and the retry policy.
 */
import type { ErrorCode } from '../../kernel/index.ts';
import type { Services } from '../../../services.ts';
import { createRateLimiter, type RateLimiter } from '../../kernel/index.ts';

/** One message for one recipient, as a sender receives it. */
export interface OutboundMessage {
  /**
   * The step's idempotency key (member+journey+enrollment+step): senders whose provider collapses
   * a resend by it (SMS and email: `Idempotency-Key`) pass it on.
   */
  key: string;
  /** The recipient in the sender's terms: phone, e-mail address, WeCom external userid, openid. The group robot ignores it (its webhook key names the group). */
  to: string;
  text: string;
  /** E-mail subject. */
  subject?: string;
  /** Mini-program subscribe message: the template and its fields (the text is not sent). */
  subscribe?: { templateId: string; data: Record<string, string>; page?: string };
}

/**
 * What became of one send:
 * - `sent`: the provider accepted it;
 * - `unreachable`: the provider says this recipient cannot be reached on this channel (bad or
 *   unsubscribed address, not a contact, no subscription left): the engine tries the next channel;
 * - `failed`: the provider refused or could not be reached; `retryable` says whether another try
 *   can help (5xx, rate limits, transport errors) or not (a permanent refusal);
 * - `in_doubt`: the request went out but no answer came back (a timeout): it may have been
 *   delivered. `retryable` is the sender's verdict on trying again.
 */
export type SendResult =
  | { status: 'sent'; providerId?: string }
  | { status: 'unreachable'; reason: string }
  | { status: 'failed' | 'in_doubt'; code: ErrorCode; message: string; retryable: boolean };

/**
 * What the provider knows of a send whose answer we never got (the process stopped, the
 * database failed before the answer was written, or the provider did not answer in time):
 * - `delivered`: the provider has the message (its id when it gives one);
 * - `absent`: the provider has no such message, so sending it now sends it once;
 * - `unknown`: the provider could not be asked (an error); `retryable` says whether asking later can help.
 */
export type Reconciled =
  | { status: 'delivered'; providerId?: string }
  | { status: 'absent' }
  | { status: 'unknown'; reason: string; retryable: boolean };

/**
 * What became of a WeCom 群发 (externalcontact/add_msg_template) for one customer: WeCom sends it
 * only once the staff member confirms it in their WeCom client.
 * - `awaiting`: not sent yet (the staff member has not confirmed);
 * - `sent`: the staff member confirmed and it reached the customer (`sender`: their userid);
 * - `not_friend`: the customer is no longer the staff member's contact, so it never reached them;
 * - `over_limit`: the customer had received their 群发 allowance already (WeCom's own receive cap);
 * - `unknown`: WeCom could not be asked; `retryable` says whether asking later can help.
 */
export type MassTracked =
  | { status: 'awaiting'; sender?: string }
  | { status: 'sent'; sender: string; sentAt?: Date }
  | { status: 'not_friend' | 'over_limit'; sender: string }
  | { status: 'unknown'; reason: string; retryable: boolean };

/** One outbound channel adapter. */
export interface OutboundSender {
  /** Names the provider in logs and error codes: sms, email, wecom, robot, miniprogram. */
  readonly name: string;
  /**
   * True when a resend with the same key is collapsed by the provider (SMS, e-mail: the
   * Idempotency-Key), so resending an interrupted send is how it is reconciled: the provider's
   * answer to the resend is the truth.
   */
  readonly idempotent: boolean;
  send(message: OutboundMessage): Promise<SendResult>;
  /**
   * For a provider without an idempotency key that can be asked what it received (WeCom: the
   * msgid of a mass message and its recipients): did the message of an interrupted send, tried
   * at `since` or later, reach it? A sender with neither (the mini-program) cannot reconcile,
   * and the engine records the send `unknown` instead of risking a second message.
   */
  reconcile?(message: OutboundMessage, since: Date): Promise<Reconciled>;
  /**
   * The longest one send can take (its timeouts, a token refresh and the retry included): an
   * attempt younger than this may still be in a live worker's hands, so it is neither resent nor
   * looked up yet (./delivery.ts).
   */
  readonly inFlightMs?: number;
  /**
   * For a channel whose platform grants a per-recipient allowance (the mini-program's one-time
   * subscriptions): how many sends of this message the recipient has left. The quota ledger asks
   * before the send (../quota/ledger.ts); a snapshot, the sender still spends atomically.
   */
  quota?(message: OutboundMessage): Promise<number>;
  /**
   * For a send that waits for a person (WeCom 群发: the staff member confirms it in their client):
   * what became of the message `providerId` for the recipient `message.to`. The 群发 journey
   * action asks until it is sent or its confirmation time runs out.
   */
  track?(providerId: string, message: OutboundMessage): Promise<MassTracked>;
  /** Withdraws a send still waiting for its person (WeCom cancel_groupmsg_send) once the journey stops waiting. */
  withdraw?(providerId: string): Promise<void>;
}

/** The senders a deployment has; WeCom, the mini-program and the robot only when configured. */
export interface OutboundSenders {
  sms: OutboundSender;
  email: OutboundSender;
  wecom?: OutboundSender;
  miniprogram?: OutboundSender;
  /** The group robot for staff alerts (WECOM_ROBOT_KEY). */
  robot?: OutboundSender;
}

export interface JourneyDeps {
  services: Services;
  senders: OutboundSenders;
  limiter: RateLimiter;
  /** Provider errors are retried with exponential backoff this many times in all, then recorded failed. */
  attempts: number;
  backoffMs: number;
}

/** The engine's deps over `senders` (built by the composition from config). */
export function createJourneyDeps(services: Services, senders: OutboundSenders, overrides: Partial<Omit<JourneyDeps, 'services' | 'senders'>> = {}): JourneyDeps {
  return {
    services,
    senders,
    limiter: createRateLimiter(services.redis, services.key, services.now),
    attempts: 5,
    backoffMs: 2000,
    ...overrides,
  };
}
