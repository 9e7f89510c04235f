import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { AppEnv } from './env.ts';
import type { Logger } from '../logger.ts';
import { httpDuration, httpRequests } from '../metrics/index.ts';
import { SpanKind, withSpan } from '../telemetry/index.ts';

/**
 * One JSON log line per request with its request id, status and duration (health probes at
 * debug), the same request counted in the HTTP metrics under its matched route pattern, and
 * (with traces on) a server span named by it, parent of everything the request does.
 */
export function accessLog(logger: Logger): MiddlewareHandler<AppEnv> {
  return (c, next) => withSpan(`HTTP ${c.req.method}`, { 'http.request.method': c.req.method }, async (span) => {
    const started = performance.now();
    c.set('arrivedAt', started);
    await next();
    const seconds = (performance.now() - started) / 1000;
    // The last matched route's pattern ('/api/crm/customers/:id'), never the raw path: bounded labels
    // (and no download token or phone from a path in a span).
    const route = routePath(c, -1) || 'unmatched';
    span?.updateName(`${c.req.method} ${route}`);
    span?.setAttributes({ 'http.route': route, 'http.response.status_code': c.res.status });
    httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) });
    httpDuration.observe({ method: c.req.method, route }, seconds);
    const quiet = c.req.path === '/healthz' || c.req.path === '/readyz' || c.req.path === '/metrics';
    logger[quiet ? 'debug' : 'info'](
      { requestId: c.get('requestId'), method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(seconds * 1000) },
      'http',
    );
  }, { kind: SpanKind.SERVER });
}
