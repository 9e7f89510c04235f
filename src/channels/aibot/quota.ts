/**
 * The AI bot's quotas, counted by the kernel's one rate limiter (src/crm/kernel/rate-limit.ts):
 * WeCom accepts a limited number of replies per conversation in 24 hours (AIBOT_REPLIES_PER_DAY)
 * and of proactive pushes per conversation per day (AIBOT_PUSHES_PER_DAY). A conversation is a
 * group's chatid, or the user in a one-to-one chat. A message is counted once, however often
 * WeCom retries it (a marker per msgid). The channel asks through the quota ledger
 * (askReply / askPush → decideReply), whose decision carries the reason code.
 */
import { decideReply, type ChannelAllowances, type QuotaDecision } from '../../crm/automation/index.ts';
import { rateLimiter } from '../../crm/kernel/index.ts';
import type { Services } from '../../services.ts';

type QuotaServices = Pick<Services, 'redis' | 'key' | 'now' | 'config'>;

const DAY_MS = 24 * 3600_000;
/** China-time days for the daily push cap (windows start at 00:00 UTC+8). */
const CHINA_OFFSET_MS = 8 * 3600_000;

/** The conversation a quota is counted in. */
export const conversationOf = (m: { from: string; conversationId?: string }): string => (m.conversationId ? `group:${m.conversationId}` : `user:${m.from}`);

/** Takes one reply of the conversation's 24-hour quota for message `messageId`; 0 = go, else ms until a reply is free. */
async function takeReply(services: QuotaServices, conversation: string, messageId: string): Promise<number> {
  // Counted once per message: WeCom's retries of it are the same reply.
  const first = await services.redis.set(services.key('aibot', 'counted', messageId), '1', 'EX', 24 * 3600, 'NX');
  if (first !== 'OK') return 0;
  const wait = await rateLimiter(services).windows(`aibot-reply:${conversation}`, [{ limit: services.config.AIBOT_REPLIES_PER_DAY, ms: DAY_MS }]);
  if (wait > 0) await services.redis.del(services.key('aibot', 'counted', messageId));
  return wait;
}

/** Takes one proactive push of the conversation's daily quota; 0 = go, else ms until tomorrow. */
async function takePush(services: QuotaServices, conversation: string): Promise<number> {
  return rateLimiter(services).windows(`aibot-push:${conversation}`, [{ limit: services.config.AIBOT_PUSHES_PER_DAY, ms: DAY_MS, offsetMs: CHINA_OFFSET_MS }]);
}

/**
 * The AI bot's quotas as the quota ledger's allowance port (src/crm/automation/quota/allowances.ts):
 * `who` is the conversation (conversationOf), `ref` the message a reply answers. Over a quota →
 * the time it frees up, so the ledger says deferred (the channel does not wait: the message is
 * not answered, the push goes as an app message).
 */
export function aibotAllowances(services: QuotaServices): Required<Pick<ChannelAllowances, 'aibot_reply' | 'aibot_push'>> {
  return {
    aibot_reply: {
      async take(conversation, now, ref) {
        const wait = await takeReply(services, conversation, ref ?? `${conversation}:${now.getTime()}`);
        if (wait === 0) return { ok: true };
        return { ok: false, reason: 'aibot_reply_quota', detail: `${services.config.AIBOT_REPLIES_PER_DAY} replies in 24 hours used`, until: new Date(now.getTime() + wait) };
      },
    },
    aibot_push: {
      async take(conversation, now) {
        const wait = await takePush(services, conversation);
        if (wait === 0) return { ok: true };
        return { ok: false, reason: 'aibot_push_quota', detail: `${services.config.AIBOT_PUSHES_PER_DAY} pushes today used`, until: new Date(now.getTime() + wait) };
      },
    },
  };
}

/** Asks the quota ledger for one reply to `m` (its conversation's 24-hour quota): the ledger's decision with its reason code. */
export function askReply(services: QuotaServices, m: { from: string; conversationId?: string; messageId: string }): Promise<QuotaDecision> {
  return decideReply(aibotAllowances(services), { channel: 'aibot_reply', who: conversationOf(m), now: services.now(), ref: m.messageId });
}

/** Asks the quota ledger for one proactive push to `m`'s conversation (its daily quota). */
export function askPush(services: QuotaServices, m: { from: string; conversationId?: string }): Promise<QuotaDecision> {
  return decideReply(aibotAllowances(services), { channel: 'aibot_push', who: conversationOf(m), now: services.now() });
}
