import type { Hook, OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { AppError, badRequest, requirePermission } from '../crm/kernel/index.ts';
import type { AnyRoute, ApiEnv } from './route.ts';

/** Zod issues as the error body carries them: where, what, which check. */
export function issuesOf(error: z.ZodError) {
  return error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message, code: i.code }));
}

const WHERE = { param: 'path', query: 'query', json: 'body' } as Record<string, string>;

/** Input that breaks a route's schema, as the error body: a body is 422 (unprocessable), a bad path or query string 400. */
function invalid(target: string, error: z.ZodError): AppError {
  const where = WHERE[target] ?? target;
  const issues = issuesOf(error);
  const first = issues[0];
  const message = `invalid ${where}${first ? `: ${first.path.join('.') || '(root)'} — ${first.message}` : ''}`;
  return new AppError(where === 'body' ? 'validation_failed' : 'invalid_request', message, { details: { issues } });
}

/** The validators' hook (OpenAPIHono's defaultHook): a failed check throws, for the API's one error handler. */
export const validationHook: Hook<unknown, ApiEnv, string, undefined> = (result) => {
  if (!result.success) throw invalid(result.target, result.error);
  return undefined;
};

/** 403 before looking at the input: the role must hold the route's permission. */
function permit(route: AnyRoute['route']): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    requirePermission(c.var.actor, route['x-permission']);
    await next();
  };
}

/** The media types @hono/zod-openapi's body gate lets through to the JSON validator. */
const JSON_REQUEST = /^application\/([a-z-.]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;

/**
 * Before the JSON validator of a route with a body: an empty body is checked against the schema
 * like a missing value (422), a body that is not JSON is `invalid_json` (400), and a body sent
 * without a JSON content type is 415 — each with the API's error body (the library's own
 * answers to these are plain-text HTTPExceptions).
 */
function jsonBodyGuard(schema: z.ZodType): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const text = await c.req.text();
    if (text === '') {
      const r = schema.safeParse(undefined);
      if (!r.success) throw invalid('json', r.error);
    } else {
      try {
        JSON.parse(text);
      } catch {
        throw badRequest('invalid_json', 'the request body is not valid JSON');
      }
      if (!JSON_REQUEST.test(c.req.header('content-type') ?? '')) {
        throw new AppError('unsupported_media_type', 'send the JSON body with content-type: application/json');
      }
    }
    await next();
  };
}

/** What the validators put on the request (a target without a schema stays undefined). */
type ValidatedInput = { out: { param: unknown; query: unknown; json: unknown } };

type Media = { schema?: unknown };
type Responses = Record<string, { content?: Record<string, Media> }>;

/** The one success response of a route: its status and, for JSON, its schema. */
function success(route: AnyRoute['route']): { status: ContentfulStatusCode; schema?: z.ZodType } {
  const entries = Object.entries(route.responses as Responses).filter(([code]) => code.startsWith('2'));
  if (entries.length !== 1) throw new Error(`${route.operationId}: declare exactly one success response`);
  const [code, response] = entries[0]!;
  return { status: Number(code) as ContentfulStatusCode, schema: response.content?.['application/json']?.schema as z.ZodType | undefined };
}

function bodySchema(route: AnyRoute['route']): z.ZodType | undefined {
  return (route.request?.body?.content as Record<string, Media> | undefined)?.['application/json']?.schema as z.ZodType | undefined;
}

/** A declaration the document would misdescribe is refused when the app starts. */
function checkDeclaration(route: AnyRoute['route']): void {
  const codes = Object.keys(route.responses);
  const missing = ['400', '401', '403', ...(bodySchema(route) ? ['415', '422'] : [])].filter((c) => !codes.includes(c));
  if (!route.operationId || !route['x-permission'] || missing.length) {
    throw new Error(`${route.method} ${route.path}: needs an operationId, requires(...) and the error responses ${missing.join(', ')}`);
  }
  success(route);
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
    const x = segs(a.route.path);
    const y = segs(b.route.path);
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
 * Mounts each declared route on the OpenAPIHono app with `app.openapi`: the permission check
 * (403, before looking at the input), the body guard, then the library's zod validators of path,
 * query and body (400/422 with the issues, through `validationHook`), then the handler, whose
 * result is checked against the declared response schema so the document stays true (a mismatch
 * is our bug: 500, logged). The document lists the routes in their declared order.
 */
export function mountRoutes(app: OpenAPIHono<ApiEnv>, routes: readonly AnyRoute[]): void {
  for (const { route } of routes) checkDeclaration(route);
  for (const { route, handler } of staticFirst(routes)) {
    const ok = success(route);
    const body = bodySchema(route);
    const middleware = [permit(route), ...(body ? [jsonBodyGuard(body)] : [])];
    app.openapi({ ...route, hide: true, middleware }, async (c: Context<ApiEnv, string, ValidatedInput>) => {
      const result = await handler({ params: c.req.valid('param'), query: c.req.valid('query'), body: c.req.valid('json'), access: c.var.access, c });
      if (result instanceof Response) {
        if (ok.schema) throw new AppError('response_invalid', `${route.operationId} returned a raw response but declares JSON`);
        return result;
      }
      if (!ok.schema) throw new AppError('response_invalid', `${route.operationId} declares a download but returned JSON`);
      const checked = ok.schema.safeParse(result);
      if (!checked.success) {
        throw new AppError('response_invalid', `response of ${route.operationId} does not match its schema: ${JSON.stringify(issuesOf(checked.error).slice(0, 3))}`);
      }
      return c.json(checked.data as object, ok.status);
    });
  }
  for (const { route } of routes) app.openAPIRegistry.registerPath(route);
}
