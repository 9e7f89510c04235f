import type { MiddlewareHandler } from 'hono';
import { unauthorized } from '../crm/kernel/index.ts';
import type { Services } from '../services.ts';
import type { ApiEnv } from './route.ts';
import { authenticateToken } from './tokens.ts';

const BEARER = /^Bearer[ \t]+([\x21-\x7e]{1,512})[ \t]*$/i;

const REASONS = {
  unknown: 'the bearer token is not valid',
  revoked: 'the bearer token has been revoked',
  staff_inactive: "the token's staff member is deactivated",
} as const;

/**
 * `Authorization: Bearer <token>` → the staff actor (role and stores) every route acts as.
 * All refusals are 401 with code `unauthorized` and a `WWW-Authenticate` challenge (RFC 6750).
 */
export function bearerAuth(services: Services): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const challenge = () => c.header('WWW-Authenticate', 'Bearer realm="crm"');
    if (!header) {
      challenge();
      throw unauthorized('unauthorized', 'missing Authorization: Bearer <token> header');
    }
    const m = BEARER.exec(header);
    if (!m?.[1]) {
      challenge();
      throw unauthorized('unauthorized', 'the Authorization header must be "Bearer <token>"');
    }
    const check = await authenticateToken(services, m[1]);
    if (!check.ok) {
      challenge();
      services.logger.warn({ requestId: c.var.requestId, reason: check.reason, path: c.req.path }, 'api token refused');
      throw unauthorized('unauthorized', REASONS[check.reason]);
    }
    c.set('actor', check.actor);
    c.set('access', { services, actor: check.actor, channel: 'api', requestId: c.var.requestId });
    await next();
  };
}
