import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { apiRoutes } from '../api/index.ts';
import type { Channel } from '../bot/types.ts';
import { consolePage, signInPage } from '../channels/console/page.ts';
import type { ChannelAdapter } from '../channels/types.ts';
import { consoleEnabled, isProduction } from '../config.ts';
import { AppError, notFound } from '../crm/kernel/index.ts';
import type { Services } from '../services.ts';
import { exportRoutes } from '../api/segment-export-route.ts';
import { accessLog } from './access-log.ts';
import { authRoutes } from './auth-routes.ts';
import { identityOf, requireIdentity } from './identity.ts';
import { channelHandler, limitBody, type ChannelRouteDeps } from './channel-route.ts';
import { createHandoffAdapter } from './edge-handoff.ts';
import { HANDOFF_PATH } from '../edge/handoff.ts';
import type { AppEnv } from './env.ts';
import { handleHttpError, handleNotFound } from './errors.ts';
import { healthRoutes } from './health.ts';
import { metricsRoute } from '../metrics/index.ts';
import { QUEUE_BOARD_PATH } from './queue-board.ts';
import { weilingCallbackRoutes } from './weiling-callback.ts';
import type { WeilingSync } from '../integrations/weiling/index.ts';

export interface AppDeps extends ChannelRouteDeps {
  services: Services;
  /** Adapters of the configured channels; a channel without one answers 503 "not configured". */
  adapters: Partial<Record<Channel, ChannelAdapter>>;
  /** The queue dashboard (src/http/queue-board.ts), mounted at /admin/queues behind admin identity. */
  queueBoard?: Hono<AppEnv>;
  /** `ok`, or what keeps this process's queues from running; undefined when it runs no workers (/readyz). */
  jobsCheck?: () => string | undefined;
  /** The 卫瓴 sync (null: not configured; its callback answers 503) and the kick of a run after a callback. */
  weiling?: { sync: WeilingSync | null; kick: () => void };
}

/** Where each channel listens (docs/api.md: platforms are configured with these paths, keep them stable). */
const CHANNEL_PATHS: { channel: Channel; path: string; methods: ('GET' | 'POST')[]; configHint: string }[] = [
  { channel: 'wecom', path: '/wecom/callback', methods: ['GET', 'POST'], configHint: 'set WECOM_CORP_ID, WECOM_TOKEN and WECOM_AES_KEY' },
  { channel: 'wecom_aibot', path: '/aibot/callback', methods: ['GET', 'POST'], configHint: 'set AIBOT_MODE=callback, AIBOT_TOKEN and AIBOT_AES_KEY' },
  { channel: 'miniprogram', path: '/miniprogram/callback', methods: ['GET', 'POST'], configHint: 'set MP_APP_ID, MP_TOKEN and MP_AES_KEY' },
  { channel: 'console', path: '/console/messages', methods: ['POST'], configHint: '' },
];

/**
 * The HTTP edge: channels, health, sign-in, downloads and (when enabled) the console; every
 * response carries x-request-id. The console is off in production unless CONSOLE=on, and then
 * acts only as the signed-in person (docs/guides/administrator.md, "Signing in to the console").
 */
/** The HTTP side of a worker-only process (ROLE=worker): health checks and metrics, nothing else. */
export function createWorkerApp(services: Services, jobsCheck?: () => string | undefined): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(requestId({ headerName: 'x-request-id' }));
  app.onError(handleHttpError(services.logger));
  app.notFound(handleNotFound);
  app.route('/', healthRoutes(services, jobsCheck));
  app.route('/', metricsRoute(services));
  return app;
}

export function createApp(deps: AppDeps): Hono<AppEnv> {
  const { services } = deps;
  const app = new Hono<AppEnv>();
  app.use(requestId({ headerName: 'x-request-id' }));
  app.use(accessLog(services.logger));
  app.onError(handleHttpError(services.logger));
  app.notFound(handleNotFound);

  const production = isProduction(services.config);
  const withConsole = consoleEnabled(services.config);
  const wecomLogin = Boolean(services.config.WECOM_CORP_ID && services.config.WECOM_AGENT_ID && services.config.WECOM_SECRET);

  app.route('/', healthRoutes(services, deps.jobsCheck));
  app.route('/', metricsRoute(services));
  if (deps.queueBoard) app.route(QUEUE_BOARD_PATH, deps.queueBoard);
  app.route('/api', apiRoutes(services));
  app.route('/', authRoutes(services));
  app.route('/', exportRoutes(services));
  app.route('/', weilingCallbackRoutes(services, deps.weiling?.sync ?? null, deps.weiling?.kick ?? (() => undefined)));
  if (withConsole) {
    app.get('/', async (c) => {
      const who = await identityOf(services, c);
      // Production: nothing but the sign-in form until signed in. Development: the page picks its sender.
      if (production && !who) return c.html(signInPage({ wecomLogin }));
      return c.html(consolePage({ signedInAs: production ? who?.from : undefined }));
    });
    // The sender comes from the session or token; in production a request without one stops here.
    app.use('/console/messages', async (c, next) => {
      const who = production ? await requireIdentity(services, c) : await identityOf(services, c);
      if (who) c.set('identity', who);
      await next();
    });
  }

  for (const { channel, path, methods, configHint } of CHANNEL_PATHS) {
    if (channel === 'console' && !withConsole) continue; // off: a 404 like any unknown path
    const adapter = deps.adapters[channel];
    if (!adapter) {
      app.on(methods, path, () => {
        throw new AppError('channel_not_configured', `the ${channel} channel is not configured on this server (${configHint})`);
      });
      continue;
    }
    app.on(methods, path, limitBody(adapter), channelHandler(adapter, deps));
  }
  // The Cloudflare Workers edge hands verified callbacks over here (docs/deployment.md, "Edge (Cloudflare Workers)").
  for (const { channel, configHint } of CHANNEL_PATHS) {
    if (channel === 'console') continue;
    const adapter = deps.adapters[channel];
    const path = `${HANDOFF_PATH}/${channel}`;
    if (!adapter || !services.config.EDGE_HANDOFF_SECRET) {
      app.post(path, () => {
        throw new AppError('channel_not_configured', `the edge hand-off of ${channel} is not configured on this server (set EDGE_HANDOFF_SECRET${adapter ? '' : `; ${configHint}`})`);
      });
      continue;
    }
    const handoff = createHandoffAdapter(adapter, services.config);
    app.post(path, limitBody(handoff), channelHandler(handoff, deps));
  }
  if (withConsole) {
    app.all('/console/messages', () => {
      throw notFound('method_not_allowed', 'use POST /console/messages with {"text": "..."}');
    });
  }
  return app;
}
