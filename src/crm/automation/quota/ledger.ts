/**
 * The quota ledger: the one place that says whether a journey message may go out on a channel
 * now, asked before every send (src/crm/automation/journeys/engine.ts). It knows each rule's
 * own count and keeps none of its own:
 *
 *   quiet hours            China time, the journey's `quietHours` or JOURNEY_QUIET_HOURS → deferred to their end
 *   frequency cap          marketing messages per member per week, `journey_frequency`
 *                          (JOURNEY_WEEKLY_CAP; the engine takes the slot atomically with the send) → suppressed
 *   群发 per customer        WeCom 客户联系 mass messages per period (./mass-cap.ts), counted from the journey log
 *                          and reserved atomically with the count (reserveMass) → suppressed
 *   mini-program quota     the member's one-time subscriptions for the template (`mp_subscriptions`,
 *                          through the sender's `quota`) → fallback to the step's next channel
 *   WeCom per recipient    30/min and 1000/hour (docs/wecom.md, protocol rules: excess is dropped
 *                          silently by WeCom), the kernel rate limiter's windows → deferred until the
 *                          window ends (`wecom_rate_minute` or `wecom_rate_hour`, whichever is full)
 *
 * Channels whose allowance the platform keeps per conversation (微信客服, the AI bot) ask
 * `decideReply` through their port (./allowances.ts) with the same decisions and reason codes.
 *
 * Checks that count (the rate limiter) come last, so a message held back by another rule takes
 * no slot. Each decision carries a reason code (`QUOTA_REASONS`), recorded on the execution row.
 */
import type { RowDataPacket } from 'mysql2/promise';
import type { MessageChannel } from '../journeys/definition.ts';
import type { JourneyDeps, OutboundMessage } from '../journeys/deps.ts';
import { WECOM_PER_RECIPIENT } from '../journeys/channel-limits.ts';
import { parseQuietHours, quietUntil, weekStart } from '../journeys/time.ts';
import { withTransaction } from '../../kernel/index.ts';
import type { ChannelAllowances, ReplyChannel } from './allowances.ts';
import { getMassCap, massPeriod } from './mass-cap.ts';

export const QUOTA_REASONS = [
  'ok',
  'quiet_hours',
  'frequency_cap',
  'wecom_mass_cap',
  'mp_subscribe_quota',
  'wecom_rate_minute',
  'wecom_rate_hour',
  /** Rows recorded before the minute and hour windows were told apart (either window); never written now. */
  'wecom_rate_limit',
  /** 微信客服: more than 48 hours since the customer's last message (or none yet). */
  'kf_window_closed',
  /** 微信客服: the 5 messages after the customer's message are used. */
  'kf_window_used',
  /** AI bot: the conversation's replies of the last 24 hours are used. */
  'aibot_reply_quota',
  /** AI bot: the conversation's proactive pushes of the day are used. */
  'aibot_push_quota',
] as const;
export type QuotaReason = (typeof QUOTA_REASONS)[number];

export type QuotaDecision =
  | { decision: 'sent'; reason: 'ok' }
  | { decision: 'deferred'; reason: QuotaReason; until: Date }
  /** `to`: the next channel the step allows, or null when none is left. */
  | { decision: 'fallback'; reason: QuotaReason; to: MessageChannel | null }
  | { decision: 'suppressed'; reason: QuotaReason; detail: string };

export interface QuotaAsk {
  memberId: number;
  channel: MessageChannel;
  now: Date;
  /** Marketing messages are capped per week; service messages are not. */
  marketing: boolean;
  /** The journey's own quiet hours ("21:00-09:00"), else JOURNEY_QUIET_HOURS. */
  quietHours?: string;
  /** The channels the step allows, in order: where a fallback goes. */
  allowed: readonly MessageChannel[];
  /** The message as the channel's sender would get it. */
  message: OutboundMessage;
  /** This send's own execution row: not counted against itself. */
  executionId: number;
}

/** Quiet hours are a member-wide rule, decided once before any channel is tried. */
export function quietDecision(deps: JourneyDeps, memberId: number, now: Date, quietHours: string | undefined): QuotaDecision | undefined {
  const end = quietUntil(now, parseQuietHours(quietHours ?? deps.services.config.JOURNEY_QUIET_HOURS));
  // Spread over 10 minutes so the end of the night is not one burst.
  if (end) return { decision: 'deferred', reason: 'quiet_hours', until: new Date(end.getTime() + (memberId % 600) * 1000) };
  return undefined;
}

export async function decide(deps: JourneyDeps, q: QuotaAsk): Promise<QuotaDecision> {
  const { services } = deps;
  const quiet = quietDecision(deps, q.memberId, q.now, q.quietHours);
  if (quiet) return quiet;

  if (q.marketing) {
    const cap = services.config.JOURNEY_WEEKLY_CAP;
    const [rows] = await services.sql.query<RowDataPacket[]>('SELECT sent FROM journey_frequency WHERE member_id = ? AND week_start = ?', [q.memberId, weekStart(q.now)]);
    if (Number(rows[0]?.sent ?? 0) >= cap) return { decision: 'suppressed', reason: 'frequency_cap', detail: `${cap} marketing messages this week` };
  }

  if (q.channel === 'wecom') {
    const held = await reserveMass(deps, q);
    if (held) return held;
  }

  if (q.channel === 'miniprogram') {
    const sender = deps.senders.miniprogram;
    const left = sender?.quota ? await sender.quota(q.message) : undefined;
    if (left !== undefined && left <= 0) return { decision: 'fallback', reason: 'mp_subscribe_quota', to: nextChannel(q.allowed, q.channel) };
  }

  if (q.channel === 'wecom') {
    // The one limiter's windows (kernel rate-limit.ts): counts this send when it may go.
    const { waitMs, full } = await deps.limiter.windowsWhich(`wecom:${q.message.to}`, WECOM_PER_RECIPIENT);
    // Which window is full decides the reason: a minute's burst and an hour's volume are told apart.
    if (waitMs > 0) return { decision: 'deferred', reason: WECOM_PER_RECIPIENT[full!]!.ms <= 60_000 ? 'wecom_rate_minute' : 'wecom_rate_hour', until: new Date(q.now.getTime() + waitMs) };
  }
  return { decision: 'sent', reason: 'ok' };
}

/**
 * The 群发 cap, checked and reserved in one step: under a lock on the member's row, this
 * member's `wecom` rows that may have reached them (sent, sending — a 群发 awaiting the staff
 * member's confirmation is one —, unknown) are counted, and when one is left this send's own row
 * becomes `sending` on `wecom`, which is the reservation: a second send for the same member
 * waits for the lock and then counts it. The reservation is given back by whatever the row
 * becomes if the message does not go out (deferred, skipped, failed, unreachable, another
 * channel). undefined = reserved.
 */
async function reserveMass(deps: JourneyDeps, q: QuotaAsk): Promise<QuotaDecision | undefined> {
  const { services } = deps;
  const rule = await getMassCap(services);
  const period = massPeriod(rule, q.now);
  return withTransaction(services.sql, async (conn) => {
    await conn.query('SELECT id FROM members WHERE id = ? FOR UPDATE', [q.memberId]);
    // The transaction's first plain read: its snapshot is taken now, after the lock, so it sees
    // the reservation of whoever held the lock before (InnoDB takes the read view at the first
    // consistent read). No lock on the counted rows, so other members' claims are not held up.
    const [rows] = await conn.query<RowDataPacket[]>(
      "SELECT COUNT(*) AS n FROM journey_step_executions WHERE member_id = ? AND channel = 'wecom' AND result IN ('sent', 'sending', 'unknown') AND COALESCE(attempted_at, executed_at) >= ? AND id <> ?",
      [q.memberId, period.start, q.executionId],
    );
    const n = Number(rows[0]?.n ?? 0);
    if (n >= period.limit) return { decision: 'suppressed', reason: 'wecom_mass_cap', detail: `${n} of ${period.limit} 群发 per ${rule.per} used` } as const;
    await conn.query("UPDATE journey_step_executions SET result = 'sending', channel = 'wecom', attempted_at = COALESCE(attempted_at, ?) WHERE id = ? AND result IN ('pending', 'deferred', 'sending')", [q.now, q.executionId]);
    return undefined;
  });
}

/**
 * The ledger for the channels whose allowance the platform keeps per conversation (微信客服's
 * reply window, the AI bot's reply and push quotas: ./allowances.ts), asked by the channel
 * before each send with its own count behind the port. No quiet hours here: these answer the
 * customer's own message. A channel without a rule: sent. Refused with a time → deferred until
 * then; without one (the customer must write first) → suppressed. The reason code is the
 * channel's, one of QUOTA_REASONS.
 */
export async function decideReply(allowances: ChannelAllowances, ask: { channel: ReplyChannel; who: string; now: Date; ref?: string }): Promise<QuotaDecision> {
  const rule = allowances[ask.channel];
  if (!rule) return { decision: 'sent', reason: 'ok' };
  const a = await rule.take(ask.who, ask.now, ask.ref);
  if (a.ok) return { decision: 'sent', reason: 'ok' };
  if (a.until) return { decision: 'deferred', reason: a.reason, until: a.until };
  return { decision: 'suppressed', reason: a.reason, detail: a.detail };
}

function nextChannel(allowed: readonly MessageChannel[], ch: MessageChannel): MessageChannel | null {
  const i = allowed.indexOf(ch);
  return i >= 0 && i + 1 < allowed.length ? allowed[i + 1]! : null;
}
