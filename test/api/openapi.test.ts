import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { apiRouteList } from '../../src/api/routes/index.ts';
import { launchRecall } from '../../src/crm/automation/index.ts';
import { journeyDeps } from '../../src/jobs/journey-deps.ts';
import { createApiToken } from '../../src/api/tokens.ts';
import { ROLE_PERMISSIONS, type Permission } from '../../src/crm/kernel/index.ts';
import { NOW } from '../support/crm/fixture.ts';
import { createApiTestEnv, type ApiTestEnv } from './support.ts';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Follows a local JSON pointer (#/components/schemas/Error) through the document. */
function resolvePointer(doc: any, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<any>((node, key) => (node == null ? undefined : node[key]), doc);
}

function collectRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => collectRefs(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else collectRefs(v, out);
    }
  }
  return out;
}

describe('admin API: OpenAPI document and reference page', () => {
  let t: ApiTestEnv;
  let doc: any;
  beforeAll(async () => {
    t = await createApiTestEnv('api_openapi', {}, { now: () => NOW });
    const r = await t.call(null, 'GET', '/api/openapi.json');
    expect(r.status).toBe(200);
    doc = r.body;
  });
  afterAll(async () => t?.cleanup());

  it('is an OpenAPI 3.1 document with bearer security and the shared error schema', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBeTruthy();
    expect(doc.components.securitySchemes.bearerAuth).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.components.schemas.Error.properties.error.required).toEqual(expect.arrayContaining(['code', 'message', 'requestId']));
  });

  it('documents exactly the mounted /api/crm routes (same methods and paths)', () => {
    const mounted = new Set(
      t.rt.app.routes
        .filter((r) => r.path.startsWith('/api/crm/') && r.method !== 'ALL')
        .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`),
    );
    const documented = new Set<string>();
    for (const [path, ops] of Object.entries<any>(doc.paths)) for (const m of Object.keys(ops)) documented.add(`${m} ${path}`);
    expect([...documented].sort()).toEqual([...mounted].sort());
    expect(documented.size).toBe(apiRouteList().length);
    expect(documented.has('get /api/crm/customers/{id}')).toBe(true);
    expect(documented.has('post /api/crm/tags/apply')).toBe(true);
  });

  it('gives every operation an id, a summary, a permission, its path parameters, a success schema and the error responses; every $ref resolves', () => {
    const opIds = new Set<string>();
    for (const [path, ops] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        expect(METHODS).toContain(method);
        expect(op.operationId).toMatch(/^[a-zA-Z]+$/);
        expect(opIds.has(op.operationId)).toBe(false);
        opIds.add(op.operationId);
        expect(op.summary.length).toBeGreaterThan(5);
        expect(typeof op['x-permission']).toBe('string');
        expect(op['x-roles']).toContain('admin');
        const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        // An operation without parameters has no `parameters` list.
        const parameters = op.parameters ?? [];
        expect(parameters.filter((p: any) => p.in === 'path').map((p: any) => p.name)).toEqual(pathParams);
        for (const p of parameters) expect(p.schema && typeof p.schema === 'object').toBe(true);
        const success = Object.keys(op.responses).filter((c) => c.startsWith('2'));
        expect(success).toHaveLength(1);
        const content = op.responses[success[0]!].content;
        if (content['application/json']) {
          const js = content['application/json'].schema;
          // An object, or a union of objects (value-score: available true | false).
          for (const branch of js.oneOf ?? js.anyOf ?? [js]) expect(branch.type).toBe('object');
        }
        else expect(content['text/csv'].schema).toEqual({ type: 'string' });
        for (const code of ['400', '401', '403']) expect(op.responses[code].content['application/json'].schema.$ref).toBe('#/components/schemas/Error');
        if (op.requestBody) {
          expect(op.responses['422']).toBeTruthy();
          // An object, or a union of objects (an event: one object per type).
          const body = op.requestBody.content['application/json'].schema;
          for (const branch of body.oneOf ?? body.anyOf ?? [body]) expect(branch.type).toBe('object');
        }
      }
    }
    const refs = collectRefs(doc);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(resolvePointer(doc, ref), ref).toBeTruthy();
    expect(JSON.stringify(doc)).not.toContain('"$schema"');
  });

  it('describes real responses: every GET operation’s documented success schema accepts what it returns', async () => {
    const id = t.fx.memberIds.M00000001!;
    const ticket = await t.call(t.tokens.hq, 'POST', '/api/crm/tickets', { memberId: id, type: 'consultation', title: '问营业时间' });
    expect(ticket.status).toBe(201);
    await t.call(t.tokens.hq, 'POST', '/api/crm/interactions', { memberId: id, type: 'complaint', channel: 'call', content: '排队太久', followUpAt: NOW.toISOString() });
    // A journey for /crm/journeys/{id} and its stats.
    const journey = await t.call(t.tokens.hq, 'POST', '/api/crm/journeys', { name: 'openapi', definition: { trigger: { type: 'manual' }, steps: [{ id: 'done', type: 'exit' }] } });
    expect(journey.status).toBe(201);
    // An export waiting for its second approver, for /crm/exports/{id}.
    const pendingExport = await t.call(t.tokens.hq, 'POST', '/api/crm/exports', { fields: ['memberNo', 'phone'], unmaskPhone: true });
    expect(pendingExport.status).toBe(201);
    // A segment for /crm/segments/{id} and its customers and history.
    const segment = await t.call(t.tokens.hq, 'POST', '/api/crm/segments', { name: 'openapi', phrase: '累计消费大于100' });
    expect(segment.status).toBe(201);
    // Admin-only operations (settings, the audit log) are read with an admin token; a tag rule for /crm/tag-rules/{id}.
    await t.env.services.db.staff.create({ data: { wecomUserId: 'admin_01', name: '管理员', role: 'admin' } });
    const admin = (await createApiToken(t.env.services, { staff: 'admin_01', name: 'openapi-admin' })).token;
    const rule = await t.call(admin, 'POST', '/api/crm/tag-rules', { tag: 'openapi', rule: { kind: 'all', rules: [{ kind: 'points', min: 1 }, { kind: 'order_count', min: 1, days: 30 }] } });
    expect(rule.status).toBe(201);
    // A recall for /crm/recalls/{id} (launched as chat launches it; the API lists, shows and stops recalls).
    const recall = await launchRecall(journeyDeps(t.env.services), { services: t.env.services, actor: t.fx.staff.hq, channel: 'api', requestId: 'openapi-recall' }, { audience: { kind: 'churn' }, couponAmount: 20, memberIds: [id] });
    const example: Record<string, string> = { '/api/crm/interactions': '?pending_follow_up=true' };
    let checked = 0;
    for (const [path, methods] of Object.entries<any>(doc.paths)) {
      const op = methods.get;
      if (!op || !op.responses['200'].content['application/json']) continue;
      const url = path.replace('/tickets/{id}', `/tickets/${ticket.body.id}`).replace('/journeys/{id}', `/journeys/${journey.body.id}`).replace('/exports/{id}', `/exports/${pendingExport.body.id}`).replace('/segments/{id}', `/segments/${segment.body.id}`).replace('/recalls/{id}', `/recalls/${recall.recallId}`).replace('/tag-rules/{id}', `/tag-rules/${rule.body.id}`).replace('{id}', String(id)) + (example[path] ?? '');
      const hqMay = ROLE_PERMISSIONS.hq_operator.includes(op['x-permission'] as Permission);
      const r = await t.call(hqMay ? t.tokens.hq : admin, 'GET', url);
      expect(r.status, url).toBe(200);
      expect(r.requestId, url).toMatch(/^[\w-]{8,}$/);
      const schema = z.fromJSONSchema(op.responses['200'].content['application/json'].schema);
      const parsed = schema.safeParse(r.body);
      expect(parsed.success, `${url}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(15);
    // A POST too: the created ticket matches its documented 201 schema.
    const created = z.fromJSONSchema(doc.paths['/api/crm/tickets'].post.responses['201'].content['application/json'].schema);
    expect(created.safeParse(ticket.body).success).toBe(true);
    const err = await t.call(t.tokens.hq, 'GET', '/api/crm/customers/abc');
    expect(z.fromJSONSchema(doc.components.schemas.Error).safeParse(err.body).success).toBe(true);
  });

  it('documents query parameters as clients send them (strings coerced, defaults, enums)', () => {
    const list = doc.paths['/api/crm/customers'].get;
    const byName = Object.fromEntries(list.parameters.map((p: any) => [p.name, p]));
    expect(Object.keys(byName)).toEqual(expect.arrayContaining(['page', 'pageSize', 'q', 'store', 'level', 'status', 'tag', 'registeredFrom', 'registeredTo', 'sort']));
    expect(byName.pageSize.schema).toMatchObject({ type: 'integer', maximum: 100, default: 20 });
    expect(byName.sort.schema.enum).toContain('-registeredAt');
    expect(byName.q.description).toMatch(/prefix/);
    expect(byName.page.required).toBe(false);
  });

  it('serves the interactive reference (Scalar) and its script from this server, nothing from the internet', async () => {
    const root = await t.rt.app.request('/api');
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/api/docs');
    const res = await t.rt.app.request('/api/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    // The page loads the document of this server, and curl examples with the bearer token.
    expect(html).toContain('"url": "/api/openapi.json"');
    expect(html).toMatch(/"preferredSecurityScheme": "bearerAuth"/);
    expect(html).toMatch(/"clientKey": "curl"/);
    // No external URL at all: no CDN script, stylesheet, font or image; Scalar's default fonts are off.
    expect(html).not.toMatch(/https?:\/\/|(src|href)=["']?\/\/|@import/i);
    expect(html).toContain('"withDefaultFonts": false');
    const scripts = [...html.matchAll(/<script[^>]+src=["']([^"']+)["']/gi)].map((m) => m[1]!);
    expect(scripts).toHaveLength(1);
    expect(scripts[0]).toMatch(/^\/api\/docs\/scalar-[\w.-]+\.js$/);
    const js = await t.rt.app.request(scripts[0]!);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    const code = await js.text();
    expect(code.length).toBeGreaterThan(100_000);
    expect(code).toContain('createApiReference'); // what the page calls
    // Public, like the document: no token needed.
    expect((await t.call(null, 'GET', scripts[0]!)).status).toBe(200);
  });
});
