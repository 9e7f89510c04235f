import type { Services } from '../services.ts';
import type { InboundMessage } from './types.ts';

/** How long a message id is remembered; WeCom retries within seconds, a day is ample. */
const DEDUPE_TTL_S = 24 * 3600;

const dedupeKey = (services: Services, msg: Pick<InboundMessage, 'channel' | 'messageId'>) => services.key('dedupe', msg.channel, msg.messageId);

/**
 * Stage 1 — dedupe. WeCom retries an unanswered callback up to 3 times (docs/wecom.md,
 * protocol rules), so the same MsgId (or event payload hash) must be processed once. SET NX is atomic,
 * so two concurrent deliveries cannot both win.
 */
export async function claimMessage(services: Services, msg: Pick<InboundMessage, 'channel' | 'messageId'>): Promise<boolean> {
  const res = await services.redis.set(dedupeKey(services, msg), '1', 'EX', DEDUPE_TTL_S, 'NX');
  return res === 'OK';
}

/** Forgets a claimed message after a failure, so a retry of it is processed. */
export async function releaseMessage(services: Services, msg: Pick<InboundMessage, 'channel' | 'messageId'>): Promise<void> {
  await services.redis.del(dedupeKey(services, msg));
}
