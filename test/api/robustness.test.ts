import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRouteList } from '../../src/api/routes/index.ts';
import { NOW } from '../support/crm/fixture.ts';
import { createApiTestEnv, type ApiTestEnv } from './support.ts';

const ADMIN_TOKEN = 'robustness-admin-token-0123456789abcdef';

/**
 * Client mistakes never cause a 500: every declared route, called by an admin (so the input is
 * what gets judged) with malformed path parameters, query values and bodies, answers a 4xx
 * with the error body and a request id. Ids that parse are ones that do not exist, so no real
 * row is touched.
 */
describe('admin API: malformed input never yields a 5xx', () => {
  let t: ApiTestEnv;
  beforeAll(async () => {
    t = await createApiTestEnv('api_robust', { ADMIN_TOKEN }, { now: () => NOW });
  });
  afterAll(async () => t?.cleanup());

  const BAD_IDS = ['abc', '-1', '0', '1.5', '%20', 'x'.repeat(300), '99999999999', '1e3', "1'%20OR%201=1"];
  const BAD_QUERY = ['', 'abc', '-1', '1e999', '%25', '[]', 'x'.repeat(2000), 'true,false', '0x10'];
  const BAD_BODIES = ['not json', '{}', '[]', 'null', '"x"', '{"a":1}', '{"memberId":"1"}', '{"memberIds":[-1]}', '{"delta":1e400}', '{"name":{"$gt":""}}'];

  const expect4xx = async (method: string, url: string, body?: string) => {
    const res = await t.rt.app.request(url, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body,
    });
    const text = await res.text();
    expect(res.status, `${method} ${url} ${body ?? ''} → ${res.status} ${text.slice(0, 200)}`).toBeLessThan(500);
    expect(res.headers.get('x-request-id')).toBeTruthy();
    if (res.status >= 400) expect(JSON.parse(text).error.requestId).toBe(res.headers.get('x-request-id'));
    return res.status;
  };

  it('path parameters', async () => {
    for (const { route: r } of apiRouteList().filter((x) => x.route.path.includes('{'))) {
      for (const bad of BAD_IDS) {
        const url = `/api${r.path.replace(/\{\w+\}/g, bad)}`;
        const status = await expect4xx(r.method.toUpperCase(), url, r.request?.body ? '{}' : undefined);
        expect([400, 404, 422]).toContain(status);
      }
    }
  });

  it('query values (every documented query parameter)', async () => {
    const doc = (await (await t.rt.app.request('/api/openapi.json')).json()) as any;
    let tried = 0;
    for (const [path, ops] of Object.entries<any>(doc.paths)) {
      const op = ops.get;
      if (!op) continue;
      const url = path.replace(/\{\w+\}/g, '999999');
      for (const p of (op.parameters ?? []).filter((x: any) => x.in === 'query')) {
        for (const bad of BAD_QUERY) await expect4xx('GET', `${url}?${p.name}=${encodeURIComponent(bad)}`);
        tried++;
      }
    }
    expect(tried).toBeGreaterThan(30);
  });

  it('request bodies, including one over the size limit', async () => {
    for (const { route: r } of apiRouteList().filter((x) => x.route.request?.body)) {
      const path = `/api${r.path.replace(/\{\w+\}/g, '999999')}`;
      for (const bad of BAD_BODIES) await expect4xx(r.method.toUpperCase(), path, bad);
    }
    const huge = JSON.stringify({ op: 'apply', tag: 'VIP', memberIds: [1], pad: 'x'.repeat(1_100_000) });
    const res = await t.rt.app.request('/api/crm/tags/apply', { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: huge });
    expect(res.status).toBe(413);
    expect(((await res.json()) as any).error.code).toBe('payload_too_large');
  });

  it('wrong methods and unknown paths are 404s with the error body', async () => {
    expect(await expect4xx('DELETE', '/api/crm/customers')).toBe(404);
    expect(await expect4xx('GET', '/api/crm/tags/apply')).toBe(404);
    expect(await expect4xx('GET', '/api/crm/unknown/thing')).toBe(404);
  });
});
