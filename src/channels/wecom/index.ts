/**
 * The WeCom self-built app channel, wired from config: the one call the runtime needs.
 */
import type { Services } from '../../services.ts';
import { createWeComAdapter, type WeComAdapter } from './adapter.ts';
import { createWeComApiClient, type WeComApiClient } from './api-client.ts';
import { contactEventRunner } from './contact-events.ts';

export { createWeComAdapter, WECOM_MAX_BODY_BYTES, type WeComAdapter, type WeComAdapterOptions } from './adapter.ts';
export { createWeComApiClient, type SendTextResult, type WeComApiClient, type WeComApiClientOptions, type WeComApiReply } from './api-client.ts';

type ClientServices = Pick<Services, 'config' | 'redis' | 'logger' | 'key'>;
const clients = new WeakMap<ClientServices, WeComApiClient>();

/**
 * The one WeCom API client of a services object, shared by the chat channel and the outbound
 * senders, so a process has one token cache and one in-flight refresh. Throws (AppError
 * channel_not_configured) when WECOM_CORP_ID, WECOM_SECRET or WECOM_AGENT_ID is missing.
 */
export function weComClientOf(services: ClientServices): WeComApiClient {
  let client = clients.get(services);
  if (!client) {
    client = createWeComApiClient(services);
    clients.set(services, client);
  }
  return client;
}

/**
 * The adapter when the callback is configured (WECOM_TOKEN, WECOM_AES_KEY, WECOM_CORP_ID),
 * else undefined (the route then answers 503). Push needs WECOM_SECRET and WECOM_AGENT_ID as
 * well; without them only passive replies work (and 客户联系 events are dropped), which is logged once at start-up.
 */
export function createWeComChannel(services: Services): WeComAdapter | undefined {
  const { config, logger } = services;
  if (!config.WECOM_TOKEN || !config.WECOM_AES_KEY || !config.WECOM_CORP_ID) return undefined;
  const canPush = Boolean(config.WECOM_SECRET && config.WECOM_AGENT_ID);
  if (!canPush) logger.warn('WECOM_SECRET / WECOM_AGENT_ID not set: WeCom answers only passively; answers slower than the reply budget are dropped');
  const api = canPush ? weComClientOf(services) : undefined;
  // 客户联系 events need the API (externalcontact/get): without it they are acknowledged and dropped.
  return createWeComAdapter({ config, api, ...(api ? { onContactEvent: contactEventRunner(services, api) } : {}) });
}
