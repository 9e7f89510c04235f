/**
 * The mini-program channel, wired from config: the one call the runtime needs, plus the
 * messenger the journey engine uses for customer-service and subscribe messages.
 */
import { AppError } from '../../crm/kernel/index.ts';
import type { Services } from '../../services.ts';
import { createMiniProgramAdapter, type MiniProgramAdapter, type MpEventData } from './adapter.ts';
import { createMpApiClient } from './api-client.ts';
import { createMessenger, type MpMessenger } from './messenger.ts';
import { createReplyWindow, type ReplyWindow } from '../shared/reply-window.ts';
import { createSubscriptionStore, type SubscriptionStore } from './subscriptions.ts';

export { createMiniProgramAdapter, MP_ACK, type MiniProgramAdapter, type MpAdapterOptions } from './adapter.ts';
export type { CustomerSendResult, MpMessenger, MpReachability, SubscribeRequest, SubscribeSendResult, UnreachableReason } from './messenger.ts';
export { renderSubscribeData, type RenderResult } from './subscribe-render.ts';

type MpServices = Pick<Services, 'config' | 'redis' | 'logger' | 'key' | 'sql' | 'now'>;

/** How long an event's payload hash is remembered (WeChat retries within seconds). */
const EVENT_DEDUPE_TTL_S = 24 * 3600;

export const replyWindowOf = (services: Pick<Services, 'redis' | 'key'>): ReplyWindow => createReplyWindow(services.redis, (openid) => services.key('mp', 'window', openid));

export const subscriptionStoreOf = (services: Pick<Services, 'sql'>): SubscriptionStore => createSubscriptionStore(services.sql);

/**
 * Customer-service and subscribe-message sending for journeys (typed results, no throws for
 * platform refusals). Needs MP_APP_ID and MP_APP_SECRET; undefined without them.
 */
export function createMiniProgramMessenger(services: MpServices): MpMessenger | undefined {
  const { config } = services;
  if (!config.MP_APP_ID || !config.MP_APP_SECRET) return undefined;
  return createMessenger({
    api: createMpApiClient(services),
    window: replyWindowOf(services),
    subscriptions: subscriptionStoreOf(services),
    redis: services.redis,
    logger: services.logger,
    key: services.key,
    now: services.now,
  });
}

/**
 * The adapter when the push callback is configured (MP_APP_ID, MP_TOKEN; MP_AES_KEY for safe
 * mode), else undefined (the route then answers 503). Answers need MP_APP_SECRET as well.
 */
export function createMiniProgramChannel(services: MpServices): MiniProgramAdapter | undefined {
  const { config, logger, redis, key } = services;
  if (!config.MP_APP_ID || !config.MP_TOKEN) return undefined;
  const window = replyWindowOf(services);
  const subscriptions = subscriptionStoreOf(services);
  const messenger = createMiniProgramMessenger(services);
  if (!messenger) logger.warn('MP_APP_SECRET not set: mini-program callbacks are received, but answers cannot be sent (customerServiceMessage needs an access token)');
  if (!config.MP_AES_KEY) logger.warn('MP_AES_KEY not set: the mini-program callback runs in plain mode (bodies are not authenticated); use safe mode in production');

  async function onEvent(data: MpEventData, eventId: string, now: Date): Promise<void> {
    const needed = data.event === 'user_enter_tempsession' || data.subscriptions.length > 0;
    if (!needed) return;
    // WeChat retries a push it got no answer to: count each subscription event once.
    const mark = key('mp', 'event', eventId);
    if ((await redis.set(mark, '1', 'EX', EVENT_DEDUPE_TTL_S, 'NX')) !== 'OK') return;
    try {
      if (data.event === 'user_enter_tempsession') await window.open(data.openid, now, 'session');
      if (data.subscriptions.length > 0) await subscriptions.applyEvent(data.openid, data.event, data.subscriptions, now);
    } catch (e) {
      await redis.del(mark).catch(() => undefined); // so WeChat's retry is processed
      throw e;
    }
  }

  return createMiniProgramAdapter({
    config: { appId: config.MP_APP_ID, token: config.MP_TOKEN, aesKey: config.MP_AES_KEY },
    hooks: {
      // WeChat retries a push it got no answer to: a retried message must not refill the window's
      // 5 messages already partly used (the window opens once per message id).
      onMemberMessage: async (openid, now, messageId) => {
        await window.open(openid, now, 'message', messageId);
      },
      onEvent,
      push: messenger
        ? async (openid, text, requestId) => {
            const r = await messenger.sendCustomerText(openid, text, requestId);
            if (r.status === 'sent') return;
            // Outside the window / over the limit: recorded by the messenger; not retryable (no retry storm).
            if (r.status === 'unreachable') throw new AppError('mp_unreachable', `member cannot be reached by customer-service message: ${r.reason}`, { details: r });
            // The status this path always had: 503 when retryable (mp_token_invalid's alsoStatus), else 502.
            throw new AppError(r.code, r.message, { status: r.retryable ? 503 : 502, details: r });
          }
        : undefined,
    },
  });
}
