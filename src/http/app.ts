import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { apiRoutes } from '../api/index.ts';
import type { Channel } from '../bot/types.ts';
import { CONSOLE_PAGE } from '../channels/console/page.ts';
import type { ChannelAdapter } from '../channels/types.ts';
import { AppError, notFound } from '../crm/kernel/index.ts';
import type { Services } from '../services.ts';
import { exportRoutes } from '../api/segment-export-route.ts';
import { accessLog } from './access-log.ts';
import { channelHandler, limitBody, type ChannelRouteDeps } from './channel-route.ts';
import type { AppEnv } from './env.ts';
import { handleHttpError, handleNotFound } from './errors.ts';
import { healthRoutes } from './health.ts';

export interface AppDeps extends ChannelRouteDeps {
  services: Services;
  /** Adapters of the configured channels; a channel without one answers 503 "not configured". */
  adapters: Partial<Record<Channel, ChannelAdapter>>;
}

/** Where each channel listens (docs/api.md: platforms are configured with these paths, keep them stable). */
const CHANNEL_PATHS: { channel: Channel; path: string; methods: ('GET' | 'POST')[]; configHint: string }[] = [
  { channel: 'wecom', path: '/wecom/callback', methods: ['GET', 'POST'], configHint: 'set WECOM_CORP_ID, WECOM_TOKEN and WECOM_AES_KEY' },
  { channel: 'miniprogram', path: '/miniprogram/callback', methods: ['GET', 'POST'], configHint: 'set MP_APP_ID, MP_TOKEN and MP_AES_KEY' },
  { channel: 'console', path: '/console/messages', methods: ['POST'], configHint: '' },
];

/** The HTTP edge: channels, health, the console page; every response carries x-request-id. */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const { services } = deps;
  const app = new Hono<AppEnv>();
  app.use(requestId({ headerName: 'x-request-id' }));
  app.use(accessLog(services.logger));
  app.onError(handleHttpError(services.logger));
  app.notFound(handleNotFound);

  app.route('/', healthRoutes(services));
  app.route('/api', apiRoutes(services));
  app.route('/', exportRoutes(services));
  app.get('/', (c) => c.html(CONSOLE_PAGE));

  for (const { channel, path, methods, configHint } of CHANNEL_PATHS) {
    const adapter = deps.adapters[channel];
    if (!adapter) {
      app.on(methods, path, () => {
        throw new AppError('channel_not_configured', `the ${channel} channel is not configured on this server (${configHint})`);
      });
      continue;
    }
    app.on(methods, path, limitBody(adapter), channelHandler(adapter, deps));
  }
  app.all('/console/messages', () => {
    throw notFound('method_not_allowed', 'use POST /console/messages with {"from": "...", "text": "..."}');
  });
  return app;
}
