/**
 * The port through which the quota ledger asks a channel's own platform allowance: rules kept by
 * the platform per conversation, which the channel at the edge counts (微信客服's reply window —
 * 48 hours and 5 messages after the customer's message —, the AI bot's replies per conversation
 * per 24 h and pushes per conversation per day). The domain declares the port; each channel
 * implements it (src/channels/kf/allowance.ts, src/channels/aibot/quota.ts) and asks the ledger
 * (`decideReply`, ./ledger.ts), so one place answers for every channel with one set of reason
 * codes, and the domain never imports a channel.
 */
import type { QuotaReason } from './ledger.ts';

/** The channels whose allowance is the platform's, asked per send by the channel itself. */
export const REPLY_CHANNELS = ['wecom_kf', 'aibot_reply', 'aibot_push'] as const;
export type ReplyChannel = (typeof REPLY_CHANNELS)[number];

/** One send of the allowance taken, or why not and (when it will be) when one is free again. */
export type AllowanceAnswer = { ok: true } | { ok: false; reason: QuotaReason; detail: string; until?: Date };

export interface ChannelAllowance {
  /**
   * Takes one send of `who`'s allowance at `now` (atomically: two callers never both get the
   * last one). `ref` names the message being answered when the platform counts per message
   * (WeCom's retries of one AI-bot message are one reply).
   */
  take(who: string, now: Date, ref?: string): Promise<AllowanceAnswer>;
}

export type ChannelAllowances = Partial<Record<ReplyChannel, ChannelAllowance>>;
