import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.ts';
import type { Logger } from '../logger.ts';

/** One JSON log line per request with its request id, status and duration (health probes at debug). */
export function accessLog(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const quiet = c.req.path === '/healthz' || c.req.path === '/readyz';
    logger[quiet ? 'debug' : 'info'](
      { requestId: c.get('requestId'), method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) },
      'http',
    );
  };
}
