import type { Context } from 'hono';
import { authenticateToken } from '../api/tokens.ts';
import { unauthorized } from '../crm/kernel/index.ts';
import type { Services } from '../services.ts';
import { readSession, type SessionVia } from './session.ts';

/** Who a request to the console or a download comes from: a signed-in session, or an API token. */
export interface Identity {
  /** The sender: a staff WeCom userid (or, in a development session, `member:<phone>`). */
  from: string;
  via: SessionVia | 'bearer';
}

const BEARER = /^Bearer[ \t]+([\x21-\x7e]{1,512})[ \t]*$/i;

/**
 * The identity of a request, or null: `Authorization: Bearer <api token>` first (scripts, the API's
 * own callers), else the session cookie. Never the request body (a body `from` once let anyone
 * act as anyone). A presented but refused token is a 401, not a fall-back to the cookie.
 */
export async function identityOf(services: Services, c: Context): Promise<Identity | null> {
  const header = c.req.header('authorization');
  if (header) {
    const token = BEARER.exec(header)?.[1];
    const check = token ? await authenticateToken(services, token) : undefined;
    if (!check?.ok) throw unauthorized('unauthorized', 'the bearer token is not valid');
    return { from: check.actor.wecomUserId, via: 'bearer' };
  }
  const session = await readSession(services, c);
  return session ? { from: session.from, via: session.via } : null;
}

/** identityOf, or a 401 telling the person to sign in. */
export async function requireIdentity(services: Services, c: Context): Promise<Identity> {
  const who = await identityOf(services, c);
  if (!who) throw unauthorized('unauthorized', 'sign in first: POST /auth/token with an API token, or GET /auth/wecom (WeCom login)');
  return who;
}
