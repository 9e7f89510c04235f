import type { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { requirePermission, type StaffAccess } from '../crm/kernel/index.ts';
import { AppError, badRequest } from '../crm/kernel/index.ts';
import type { Services } from '../services.ts';
import { honoPath, type AnyRoute, type ApiEnv } from './route.ts';

/** Zod issues as the error body carries them: where, what, which check. */
export function issuesOf(error: z.ZodError) {
  return error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message, code: i.code }));
}

function parseOrThrow<S extends z.ZodType>(schema: S | undefined, value: unknown, where: 'path' | 'query' | 'body'): unknown {
  if (!schema) return undefined;
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = issuesOf(r.error);
  const first = issues[0];
  const message = `invalid ${where}${first ? `: ${first.path.join('.') || '(root)'} — ${first.message}` : ''}`;
  // A body that is well-formed JSON but breaks the schema is 422 (unprocessable); a bad path
  // or query string is a malformed request, 400.
  throw new AppError(where === 'body' ? 'validation_failed' : 'invalid_request', message, where === 'body' ? 422 : 400, false, { issues });
}

/** Query strings as an object; a repeated key keeps its last value. */
function queryObject(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams.entries());
}

/**
 * The mounting order: segment by segment, a literal before a parameter (`/customers/duplicates`
 * before `/customers/{id}`), since Hono runs matching handlers in registration order and the
 * {id} route would answer 400 to "duplicates". A plain lexicographic order, so it is total; the
 * document keeps the declared order.
 */
export function staticFirst(routes: readonly AnyRoute[]): AnyRoute[] {
  const segs = (p: string) => p.split('/').filter(Boolean);
  const cmp = (a: AnyRoute, b: AnyRoute) => {
    const x = segs(a.path);
    const y = segs(b.path);
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const px = x[i]!.startsWith('{');
      const py = y[i]!.startsWith('{');
      if (px !== py) return px ? 1 : -1;
      if (!px && x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
    }
    return x.length - y.length;
  };
  return [...routes].sort(cmp);
}

/**
 * Mounts each declared route on the Hono app: checks the role's permission (403, before looking
 * at the input), validates path, query and body with the route's zod schemas (400/422 with the
 * issues), runs the handler, and validates the response against the declared schema so the
 * document stays true (a mismatch is our bug: 500, logged).
 */
export function mountRoutes(app: Hono<ApiEnv>, services: Services, routes: readonly AnyRoute[]): void {
  for (const route of staticFirst(routes)) {
    app.on(route.method.toUpperCase(), honoPath(route.path), async (c) => {
      const actor = c.get('actor');
      requirePermission(actor, route.permission);
      const params = parseOrThrow(route.params, c.req.param(), 'path');
      const query = parseOrThrow(route.query, queryObject(c.req.url), 'query');
      let body: unknown;
      if (route.body) {
        const text = await c.req.text();
        let json: unknown;
        try {
          json = text === '' ? undefined : JSON.parse(text);
        } catch {
          throw badRequest('invalid_json', 'the request body is not valid JSON');
        }
        body = parseOrThrow(route.body, json, 'body');
      }
      const access: StaffAccess = { services, actor, channel: 'api', requestId: c.get('requestId') };
      const result = await route.handler({ params, query, body, access, c });
      if (result instanceof Response) {
        if (!route.produces) throw new AppError('response_invalid', `${route.operationId} returned a raw response but declares JSON`, 500);
        return result;
      }
      const checked = route.response.safeParse(result);
      if (!checked.success) {
        throw new AppError('response_invalid', `response of ${route.operationId} does not match its schema: ${JSON.stringify(issuesOf(checked.error).slice(0, 3))}`, 500);
      }
      return c.json(checked.data as object, (route.status ?? 200) as ContentfulStatusCode);
    });
  }
}
