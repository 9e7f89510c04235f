import { rateLimiter } from '../crm/kernel/index.ts';
import { t, type Lang } from '../i18n/index.ts';
import type { IntentDef } from '../intents/types.ts';
import type { Services } from '../services.ts';
import type { Actor, IntentResult } from './types.ts';

/**
 * Flood control on chat actions that alert staff or write (docs/operations.md, flood control),
 * counted by the kernel's one rate limiter (src/crm/kernel/rate-limit.ts), shared by every process:
 * - a member: intents declaring `memberRateLimited` (hand-off, unsubscribe), at most
 *   MEMBER_ACTION_LIMIT per MEMBER_ACTION_WINDOW_S; repeated hand-offs within the limit already
 *   join the open ticket without a second alert (src/crm/service/handoff.ts);
 * - a staff member: every intent that writes, sends or exports, at most STAFF_ACTION_LIMIT per
 *   STAFF_ACTION_WINDOW_S (a confirmation is not counted again: the held action was).
 * Reads (my points, a member look-up) are never limited. Past the limit the answer is polite,
 * says when to try again, and carries the registered code `rate_limited` (retryable).
 */
export const RATE_LIMITED_TEXT = '你的操作有点频繁，请稍后再试。如果已经转了人工，工作人员会尽快联系你，不用重复发送。';

const WRITES = new Set(['write', 'send', 'export']);

/** The limit `intent` counts against for `actor`, or null when it is not limited. */
function limitOf(services: Services, actor: Actor, intent: IntentDef): { name: string; limit: number; windowS: number } | null {
  const c = services.config;
  if (actor.kind === 'member') return intent.memberRateLimited ? { name: `member-action:${actor.memberId}`, limit: c.MEMBER_ACTION_LIMIT, windowS: c.MEMBER_ACTION_WINDOW_S } : null;
  return WRITES.has(intent.effect) ? { name: `staff-action:${actor.wecomUserId}`, limit: c.STAFF_ACTION_LIMIT, windowS: c.STAFF_ACTION_WINDOW_S } : null;
}

/**
 * Counts this action; null when it may run, else the answer to give instead. With Redis down the
 * action runs (the degraded path declines writes anyway, and the hand-off's ticket guard holds in MySQL).
 */
export async function rateLimitedAnswer(services: Services, actor: Actor, intent: IntentDef, lang: Lang): Promise<IntentResult | null> {
  const limit = limitOf(services, actor, intent);
  if (!limit) return null;
  let waitMs: number;
  try {
    waitMs = await rateLimiter(services).windows(limit.name, [{ limit: limit.limit, ms: limit.windowS * 1000 }]);
  } catch (e) {
    services.logger.warn({ err: e, who: limit.name }, 'action rate limit unavailable; action allowed');
    return null;
  }
  if (waitMs === 0) return null;
  // The limiter's wait ends 1 ms into the next window: whole seconds, at least one.
  const retryAfterS = Math.max(1, Math.floor(waitMs / 1000));
  const text =
    actor.kind === 'member'
      ? t(lang, 'bot.rateLimited')
      : t(lang, 'bot.staffRateLimited', { limit: limit.limit, window: Math.max(1, Math.round(limit.windowS / 60)), minutes: Math.max(1, Math.ceil(retryAfterS / 60)) });
  return { text, data: { rateLimited: true, error: { code: 'rate_limited', retryable: true, retryAfterS } }, outcome: 'declined' };
}
