import { createHash, randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { isProduction } from '../config.ts';
import type { Services } from '../services.ts';

/** The cookie of a console sign-in: an opaque random id; what it stands for lives in Redis. */
export const SESSION_COOKIE = 'crm_session';

/** How a session was opened: an API token, WeCom web login, or (outside production only) a chosen sender. */
export type SessionVia = 'token' | 'wecom' | 'dev';

export interface Session {
  /** The sender the console acts as: a staff WeCom userid (or, in development, `member:<phone>`). */
  from: string;
  via: SessionVia;
  createdAt: string;
  expiresAt: string;
}

type SessionServices = Pick<Services, 'redis' | 'key' | 'now' | 'config'>;

// Only a hash of the id is a Redis key, so reading Redis (a backup, MONITOR) yields no usable cookie.
const sessionKey = (services: SessionServices, id: string) => services.key('session', createHash('sha256').update(id).digest('hex'));

/**
 * Opens a server-side session (Redis, expiring after SESSION_TTL_S) and sets its cookie:
 * HttpOnly (no script reads it), SameSite=Lax (no cross-site POST carries it), Secure in production.
 */
export async function openSession(services: SessionServices, c: Context, from: string, via: SessionVia): Promise<Session> {
  const ttl = services.config.SESSION_TTL_S;
  const now = services.now();
  const session: Session = { from, via, createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + ttl * 1000).toISOString() };
  const previous = getCookie(c, SESSION_COOKIE);
  if (previous) await services.redis.del(sessionKey(services, previous));
  const id = randomBytes(32).toString('base64url');
  await services.redis.set(sessionKey(services, id), JSON.stringify(session), 'EX', ttl);
  setCookie(c, SESSION_COOKIE, id, { path: '/', httpOnly: true, sameSite: 'Lax', secure: isProduction(services.config), maxAge: ttl });
  return session;
}

/** The session of the request's cookie, or null (none, unknown, or past its expiry by the injected clock). */
export async function readSession(services: SessionServices, c: Context): Promise<Session | null> {
  const id = getCookie(c, SESSION_COOKIE);
  if (!id || !/^[A-Za-z0-9_-]{43}$/.test(id)) return null;
  const raw = await services.redis.get(sessionKey(services, id));
  if (!raw) return null;
  const session = JSON.parse(raw) as Session;
  if (new Date(session.expiresAt).getTime() <= services.now().getTime()) {
    await services.redis.del(sessionKey(services, id));
    return null;
  }
  return session;
}

/** Ends the request's session (sign-out) and clears its cookie. */
export async function closeSession(services: SessionServices, c: Context): Promise<void> {
  const id = getCookie(c, SESSION_COOKIE);
  if (id) await services.redis.del(sessionKey(services, id));
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isProduction(services.config) });
}
