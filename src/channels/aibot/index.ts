/**
 * The WeCom AI bot (智能机器人) channel, wired from config (AIBOT_MODE, docs/wecom-setup.md):
 * `callback` — the adapter of GET|POST /aibot/callback; `websocket` — the long connection
 * (./long-connection.ts), started with the workers' side of the process; `off` — neither.
 */
import type { Services } from '../../services.ts';
import { weComClientOf } from '../wecom/index.ts';
import type { WeComApiClient } from '../wecom/api-client.ts';
import { createAiBotChannelAdapter } from './channel.ts';
import type { AiBotAdapter } from './adapter.ts';

export { createAiBotAdapter, AIBOT_RECEIVE_ID, type AiBotAdapter, type AiBotAdapterOptions } from './adapter.ts';
export { createAiBotChannelAdapter, relayAnswer } from './channel.ts';
export { feedbackOn, type FeedbackRow } from './feedback.ts';
export { streamIdOf } from './payload.ts';
export { longConnectionPushAdapter, startAiBotLongConnection, type AiBotLongConnection } from './long-connection.ts';
import { longConnectionPushAdapter } from './long-connection.ts';
import type { ChannelAdapter } from '../types.ts';

/** The WeCom app client the AI bot relays through, when the app is configured for pushes. */
export function relayClientOf(services: Services): WeComApiClient | undefined {
  const c = services.config;
  if (!(c.WECOM_CORP_ID && c.WECOM_SECRET && c.WECOM_AGENT_ID)) {
    services.logger.warn('AI bot: WECOM_CORP_ID / WECOM_SECRET / WECOM_AGENT_ID not set: answers a stream cannot carry (too long, too slow) cannot be relayed as app messages');
    return undefined;
  }
  return weComClientOf(services);
}

/** The callback adapter when AIBOT_MODE=callback, the relay-only adapter in long-connection mode, else undefined (the route answers 503). */
export function createAiBotChannel(services: Services): AiBotAdapter | ChannelAdapter | undefined {
  // Long connection: no callback URL; the adapter only relays what a stream cannot carry.
  if (services.config.AIBOT_MODE === 'websocket') return longConnectionPushAdapter(relayClientOf(services));
  if (services.config.AIBOT_MODE !== 'callback') return undefined;
  const api = relayClientOf(services);
  return createAiBotChannelAdapter(services, api ? { api } : {});
}
