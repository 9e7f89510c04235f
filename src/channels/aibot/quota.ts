/**
 * The AI bot's quotas, counted by the kernel's one rate limiter (src/crm/kernel/rate-limit.ts):
 * WeCom accepts a limited number of replies per conversation in 24 hours (AIBOT_REPLIES_PER_DAY)
 * and of proactive pushes per conversation per day (AIBOT_PUSHES_PER_DAY). A conversation is a
 * group's chatid, or the user in a one-to-one chat. A message is counted once, however often
 * WeCom retries it (a marker per msgid).
 */
import { rateLimiter } from '../../crm/kernel/index.ts';
import type { Services } from '../../services.ts';

type QuotaServices = Pick<Services, 'redis' | 'key' | 'now' | 'config'>;

const DAY_MS = 24 * 3600_000;
/** China-time days for the daily push cap (windows start at 00:00 UTC+8). */
const CHINA_OFFSET_MS = 8 * 3600_000;

/** The conversation a quota is counted in. */
export const conversationOf = (m: { from: string; conversationId?: string }): string => (m.conversationId ? `group:${m.conversationId}` : `user:${m.from}`);

/** Takes one reply of the conversation's 24-hour quota for message `messageId`; 0 = go, else ms until a reply is free. */
export async function takeReply(services: QuotaServices, m: { from: string; conversationId?: string; messageId: string }): Promise<number> {
  // Counted once per message: WeCom's retries of it are the same reply.
  const first = await services.redis.set(services.key('aibot', 'counted', m.messageId), '1', 'EX', 24 * 3600, 'NX');
  if (first !== 'OK') return 0;
  const wait = await rateLimiter(services).windows(`aibot-reply:${conversationOf(m)}`, [{ limit: services.config.AIBOT_REPLIES_PER_DAY, ms: DAY_MS }]);
  if (wait > 0) await services.redis.del(services.key('aibot', 'counted', m.messageId));
  return wait;
}

/** Takes one proactive push of the conversation's daily quota; 0 = go, else ms until tomorrow. */
export async function takePush(services: QuotaServices, m: { from: string; conversationId?: string }): Promise<number> {
  return rateLimiter(services).windows(`aibot-push:${conversationOf(m)}`, [{ limit: services.config.AIBOT_PUSHES_PER_DAY, ms: DAY_MS, offsetMs: CHINA_OFFSET_MS }]);
}
