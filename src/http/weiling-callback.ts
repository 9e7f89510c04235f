import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { AppError, badRequest, unauthorized } from '../crm/kernel/index.ts';
import { receiveEvents } from '../crm/sync/index.ts';
import { parseWeilingCallback, type WeilingSync } from '../integrations/weiling/index.ts';
import type { Services } from '../services.ts';
import type { AppEnv } from './env.ts';

/** Where 卫瓴 posts its event callbacks (docs/sync.md: configured with `?token=WEILING_CALLBACK_TOKEN`). */
export const WEILING_CALLBACK_PATH = '/weiling/callback';
const MAX_BODY = 1024 * 1024;

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Verify, store raw, ack fast, process apart: the URL token and `header.to_app` (our app id) are
 * checked, the event is stored deduplicated (a repeat answers the same ack), 卫瓴 gets
 * `{code: 0, msg: "success"}` at once, and the sync run is kicked off without being awaited
 * (the periodic job catches up whatever the kick does not).
 */
export function weilingCallbackRoutes(services: Services, sync: WeilingSync | null, kick: () => void): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post(WEILING_CALLBACK_PATH, async (c) => {
    if (!sync) throw new AppError('sync_not_configured', 'the 卫瓴 sync is not configured on this server (set WEILING_API_BASE, WEILING_APP_ID and WEILING_APP_SECRET)');
    const token = c.req.query('token') ?? '';
    if (!sync.callbackToken || !same(token, sync.callbackToken)) throw unauthorized('sync_callback_rejected', '回调地址的 token 不对。');
    const raw = await c.req.text();
    if (raw.length > MAX_BODY) throw badRequest('sync_callback_invalid', 'callback body over 1 MB');
    const parsed = parseWeilingCallback(raw, sync.appId);
    if (!parsed.ok) {
      if (parsed.reason === 'wrong_app') throw unauthorized('sync_callback_rejected', 'header.to_app is not this app');
      throw badRequest('sync_callback_invalid', parsed.reason === 'encrypted' ? 'encrypted callbacks (encrypt_msg) are not supported: configure the callback unencrypted (docs/sync.md)' : 'not a 卫瓴 callback envelope');
    }
    const r = await receiveEvents(services, sync.ctx.connector.name, [parsed.event]);
    if (r.stored) kick();
    return c.json({ code: 0, msg: 'success' });
  });
  return app;
}
