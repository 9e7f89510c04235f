import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isAppError, type StaffActor } from '../crm/kernel/index.ts';
import { mountRoutes, staticFirst, validationHook } from './mount.ts';
import { apiRoute, bodyErrors, errors, jsonBody, ok, requires, type AnyRoute, type ApiEnv } from './route.ts';
import { idParam } from './schemas.ts';

const r = (method: 'get' | 'post', path: string): AnyRoute =>
  apiRoute(createRoute({ method, path, operationId: path, summary: path, tags: ['t'], ...requires('member.read'), responses: { 200: ok(z.object({})), ...errors() } }), async () => ({}));

describe('route mounting order', () => {
  it('puts a literal segment before a parameter at the same depth, whatever the declared order', () => {
    const routes = [r('get', '/crm/customers/{id}'), r('get', '/crm/customers/{id}/orders'), r('get', '/crm/tags'), r('get', '/crm/customers/duplicates'), r('post', '/crm/tags/apply'), r('post', '/crm/customers')];
    const order = staticFirst(routes).map((x) => x.route.path);
    expect(order.indexOf('/crm/customers/duplicates')).toBeLessThan(order.indexOf('/crm/customers/{id}'));
    expect(order.indexOf('/crm/customers/duplicates')).toBeLessThan(order.indexOf('/crm/customers/{id}/orders'));
    expect(order).toHaveLength(routes.length);
    // A total order: sorting again, or from a shuffled start, gives the same sequence.
    expect(staticFirst([...routes].reverse()).map((x) => x.route.path)).toEqual(order);
  });

  it('turns OpenAPI path templates into Hono paths (@hono/zod-openapi mounts a route at its routing path)', () => {
    const honoPath = (path: string) => createRoute({ method: 'get', path, responses: {} }).getRoutingPath();
    expect(honoPath('/crm/tickets/{id}/assign')).toBe('/crm/tickets/:id/assign');
    expect(honoPath('/crm/membership/levels/{level}')).toBe('/crm/membership/levels/:level');
  });
});

describe('mounted route pipeline', () => {
  const echo = apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/things/{id}',
      operationId: 'echo',
      summary: 'echo the input',
      tags: ['t'],
      ...requires('tag.manage'),
      request: { params: idParam, query: z.object({ n: z.coerce.number().int().min(1).default(1) }), body: jsonBody(z.strictObject({ name: z.string().min(1) })) },
      responses: { 201: ok(z.object({ id: z.number().int(), n: z.number().int(), name: z.string() })), ...bodyErrors() },
    }),
    async ({ params, query, body }) => ({ id: params.id, n: query.n, name: body.name }),
  );
  const liar = apiRoute(
    createRoute({ method: 'get', path: '/crm/liar', operationId: 'liar', summary: 'returns a body its schema refuses', tags: ['t'], ...requires('member.read'), responses: { 200: ok(z.object({ count: z.number().int() })), ...errors() } }),
    // The handler's type is checked against the schema too; a cast stands for a bug that slips past it.
    async () => ({ count: 'many' }) as unknown as { count: number },
  );

  const app = (role: StaffActor['role']) => {
    const a = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
    a.onError((err, c) => (isAppError(err) ? c.json({ code: err.code, issues: (err.details as { issues?: unknown } | undefined)?.issues }, err.status as 400) : c.json({ code: 'internal' }, 500)));
    a.use('/crm/*', async (c, next) => {
      c.set('actor', { kind: 'staff', staffId: 1, wecomUserId: 'u1', name: 'U', role, storeIds: [1] });
      await next();
    });
    mountRoutes(a, [echo, liar]);
    return a;
  };
  const post = (a: OpenAPIHono<ApiEnv>, url: string, body?: string, type: string | null = 'application/json') =>
    a.request(url, { method: 'POST', headers: type ? { 'content-type': type } : {}, body });

  it('validates path, query and body, then checks the answer against its schema', async () => {
    const admin = app('admin');
    const good = await post(admin, '/crm/things/7?n=3', '{"name":"x"}');
    expect(good.status).toBe(201);
    expect(await good.json()).toEqual({ id: 7, n: 3, name: 'x' });
    const codes = async (res: Response) => [res.status, ((await res.json()) as { code: string }).code];
    expect(await codes(await post(admin, '/crm/things/abc', '{"name":"x"}'))).toEqual([400, 'invalid_request']);
    expect(await codes(await post(admin, '/crm/things/7?n=0', '{"name":"x"}'))).toEqual([400, 'invalid_request']);
    expect(await codes(await post(admin, '/crm/things/7', '{"name":""}'))).toEqual([422, 'validation_failed']);
    expect(await codes(await post(admin, '/crm/things/7', '{"name":"x","extra":1}'))).toEqual([422, 'validation_failed']);
    expect(await codes(await post(admin, '/crm/things/7', ''))).toEqual([422, 'validation_failed']);
    expect(await codes(await post(admin, '/crm/things/7', '', null))).toEqual([422, 'validation_failed']);
    expect(await codes(await post(admin, '/crm/things/7', '{"name":'))).toEqual([400, 'invalid_json']);
    // A JSON body needs a JSON content type.
    expect(await codes(await post(admin, '/crm/things/7', '{"name":"x"}', null))).toEqual([415, 'unsupported_media_type']);
    expect(await codes(await post(admin, '/crm/things/7', '{"name":"x"}', 'text/plain'))).toEqual([415, 'unsupported_media_type']);
    expect((await post(admin, '/crm/things/7', '{"name":"x"}', 'application/json; charset=utf-8')).status).toBe(201);
    // Our bug, not the client's: a response that breaks its declared schema is a 500.
    expect(await codes(await admin.request('/crm/liar'))).toEqual([500, 'response_invalid']);
  });

  it('refuses a role without the permission before looking at the input', async () => {
    const agent = app('agent');
    const res = await post(agent, '/crm/things/abc', 'not json');
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('permission_denied');
  });

  it('refuses a declaration that the document would misdescribe', () => {
    const noErrors = apiRoute(
      createRoute({ method: 'post', path: '/crm/x', operationId: 'x', summary: 'no 422', tags: ['t'], ...requires('member.read'), request: { body: jsonBody(z.object({})) }, responses: { 200: ok(z.object({})), ...errors() } }),
      async () => ({}),
    );
    expect(() => mountRoutes(new OpenAPIHono<ApiEnv>(), [noErrors])).toThrow(/415, 422/);
  });
});
