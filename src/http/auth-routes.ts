import { randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { authenticateToken } from '../api/tokens.ts';
import { weComClientOf } from '../channels/wecom/index.ts';
import { isWeComBrowser, userIdByCode, webLoginUrl } from '../channels/wecom/web-login.ts';
import { isProduction } from '../config.ts';
import { AppError, activeStaffActor, badRequest, unauthorized } from '../crm/kernel/index.ts';
import type { Services } from '../services.ts';
import type { AppEnv } from './env.ts';
import { closeSession, openSession, readSession } from './session.ts';

/** The browser half of the WeCom login state (the other half is in Redis): a login started elsewhere cannot finish here. */
const STATE_COOKIE = 'crm_login_state';
/** How long a started WeCom login may take (WeCom's code itself lives 5 minutes). */
const LOGIN_STATE_TTL_S = 10 * 60;

/** Only a path of this site: never an absolute URL or `//host` (open redirect). */
const safeNext = (next: string | undefined) => (next && /^\/(?!\/)[\x21-\x7e]*$/.test(next) && !next.includes('\\') ? next : '/');

async function jsonBody(c: Context): Promise<unknown> {
  // JSON only: a cross-site HTML form cannot send application/json without a CORS preflight.
  if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) throw badRequest('invalid_request', 'send the body as application/json');
  try {
    return await c.req.json();
  } catch {
    throw badRequest('invalid_json', 'body must be JSON');
  }
}

const tokenLogin = z.object({ token: z.string().trim().min(1).max(512) });
const devLogin = z.object({ from: z.string().trim().min(1).max(64) });

/**
 * Signing in to the console and to downloads (docs/guides/administrator.md, "Signing in to the
 * console"). Every route opens or reads a server-side session (src/http/session.ts):
 * - `POST /auth/token` `{token}`: an API token (`npm run crm:token`) signs its staff member in;
 * - `GET /auth/wecom` → WeCom (silent OAuth inside the WeCom client, QR code elsewhere) →
 *   `GET /auth/wecom/callback?code=&state=` → auth/getuserinfo → an active staff member;
 * - `POST /auth/dev` `{from}`: outside production only, sign in as any sender (the console's "try it" mode);
 * - `GET /auth/me`, `POST /auth/logout`.
 */
export function authRoutes(services: Services): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { config } = services;
  const stateKey = (state: string) => services.key('login-state', state);

  app.post('/auth/token', async (c) => {
    const parsed = tokenLogin.safeParse(await jsonBody(c));
    if (!parsed.success) throw badRequest('invalid_request', 'body: {"token": "crm_…"}');
    const check = await authenticateToken(services, parsed.data.token);
    if (!check.ok) throw unauthorized('login_failed', 'the API token is not valid (unknown, revoked, or its staff member is deactivated)');
    const session = await openSession(services, c, check.actor.wecomUserId, 'token', check.tokenId);
    services.logger.info({ requestId: c.var.requestId, staff: session.from, via: 'token' }, 'console sign-in');
    return c.json({ from: session.from, name: check.actor.name, role: check.actor.role, via: session.via, expiresAt: session.expiresAt });
  });

  app.get('/auth/wecom', async (c) => {
    const { WECOM_CORP_ID: corpId, WECOM_AGENT_ID: agentId, WECOM_SECRET: secret } = config;
    if (!corpId || !agentId || !secret) throw new AppError('channel_not_configured', 'WeCom login needs WECOM_CORP_ID, WECOM_AGENT_ID and WECOM_SECRET; sign in with an API token instead');
    const state = randomBytes(18).toString('base64url');
    await services.redis.set(stateKey(state), JSON.stringify({ next: safeNext(c.req.query('next')) }), 'EX', LOGIN_STATE_TTL_S);
    setCookie(c, STATE_COOKIE, state, { path: '/auth/wecom', httpOnly: true, sameSite: 'Lax', secure: isProduction(config), maxAge: LOGIN_STATE_TTL_S });
    // The redirect_uri's domain must be the app's trusted domain: PUBLIC_BASE_URL names it behind a proxy.
    const base = (config.PUBLIC_BASE_URL ?? new URL(c.req.url).origin).replace(/\/+$/, '');
    const url = webLoginUrl({ corpId, agentId, redirectUri: `${base}/auth/wecom/callback`, state, inWeCom: c.req.query('via') !== 'qr' && isWeComBrowser(c.req.header('user-agent')) });
    return c.redirect(url, 302);
  });

  app.get('/auth/wecom/callback', async (c) => {
    const state = c.req.query('state') ?? '';
    const code = c.req.query('code');
    const cookieState = getCookie(c, STATE_COOKIE);
    deleteCookie(c, STATE_COOKIE, { path: '/auth/wecom' });
    // The state is single-use and must be the one this browser started with (CSRF: login into someone else's account).
    const raw = state && cookieState === state ? await services.redis.getdel(stateKey(state)) : null;
    if (!raw) throw unauthorized('login_failed', 'the login state is missing or expired: start the sign-in again');
    if (!code) throw unauthorized('login_failed', 'WeCom sent no code (the sign-in was refused)');
    if (code.length > 512) throw badRequest('invalid_request', 'code: at most 512 bytes');
    const userId = await userIdByCode(weComClientOf(services), code);
    const staff = await activeStaffActor(services, userId);
    if (!staff) throw new AppError('login_not_staff', `WeCom user ${userId} is not an active staff member of the CRM`);
    await openSession(services, c, staff.wecomUserId, 'wecom');
    services.logger.info({ requestId: c.var.requestId, staff: staff.wecomUserId, via: 'wecom' }, 'console sign-in');
    return c.redirect((JSON.parse(raw) as { next: string }).next, 302);
  });

  if (!isProduction(config)) {
    app.post('/auth/dev', async (c) => {
      const parsed = devLogin.safeParse(await jsonBody(c));
      if (!parsed.success) throw badRequest('invalid_request', 'body: {"from": "a staff WeCom userid or member:<phone>"}');
      const session = await openSession(services, c, parsed.data.from, 'dev');
      return c.json({ from: session.from, via: session.via, expiresAt: session.expiresAt });
    });
  }

  app.get('/auth/me', async (c) => {
    const session = await readSession(services, c);
    if (!session) throw unauthorized('unauthorized', 'not signed in');
    return c.json({ from: session.from, via: session.via, expiresAt: session.expiresAt });
  });

  app.post('/auth/logout', async (c) => {
    await closeSession(services, c);
    return c.body(null, 204);
  });
  return app;
}
