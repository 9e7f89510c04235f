import type { IntentDef } from '../intents/types.ts';
import type { Services } from '../services.ts';
import type { Actor } from './types.ts';

/**
 * Per-member limit on member actions that alert staff or write (intents declaring
 * `memberRateLimited`: hand-off, unsubscribe): at most MEMBER_ACTION_LIMIT within
 * MEMBER_ACTION_WINDOW_S seconds per member, counted together in Redis (docs/intents.md, flood
 * control). Reads (my points, my coupons) are never limited.
 */
export const MEMBER_ACTION_LIMIT = 5;
export const MEMBER_ACTION_WINDOW_S = 10 * 60;

export const RATE_LIMITED_TEXT = '你的操作有点频繁，请稍后再试。如果已经转了人工，工作人员会尽快联系你，不用重复发送。';

/**
 * Counts this action and says whether it may run. The window starts at the member's first
 * counted action (SET NX with its expiry, then INCR: concurrent messages are all counted). With
 * Redis down the action runs (the hand-off's own ticket guard still holds in MySQL).
 */
export async function memberActionAllowed(services: Services, actor: Actor, intent: IntentDef): Promise<boolean> {
  if (actor.kind !== 'member' || !intent.memberRateLimited) return true;
  const key = services.key('rate', 'member-action', String(actor.memberId));
  try {
    await services.redis.set(key, 0, 'EX', MEMBER_ACTION_WINDOW_S, 'NX');
    return (await services.redis.incr(key)) <= MEMBER_ACTION_LIMIT;
  } catch (e) {
    services.logger.warn({ err: e, memberId: actor.memberId }, 'member rate limit unavailable; action allowed');
    return true;
  }
}
