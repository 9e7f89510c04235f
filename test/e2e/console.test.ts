import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/index.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';

/** The console channel end to end: HTTP → pipeline → rule router → CRM on the real database. */
describe('console channel (POST /console/messages)', () => {
  let env: TestEnv;
  let rt: Runtime;
  const say = async (from: string, text: string) => {
    const res = await rt.app.request('/console/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from, text }) });
    return { status: res.status, body: (await res.json()) as any, requestId: res.headers.get('x-request-id') };
  };
  const auditCount = async () => Number(((await env.services.sql.query<any[]>('SELECT COUNT(*) AS n FROM audit_logs'))[0][0] as any).n);

  beforeAll(async () => {
    env = await createTestEnv('e2e_console');
    await seedDemo(env.services.sql, { members: 200, seed: 7, now: new Date('2026-11-01T00:00:00Z') });
    rt = createRuntime(env.services);
  });
  afterAll(async () => {
    await rt?.stop();
    await env?.cleanup();
  });

  it('looks up a member by phone for a store manager, with the full phone, and audits the read', async () => {
    const before = await auditCount();
    const r = await say('store_manager_01', '查一下 13800000001');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ intent: 'member.lookup', slots: { phone: '13800000001' } });
    expect(r.body.confidence).toBeGreaterThan(0.5);
    expect(r.body.reply).toContain('13800000001');
    expect(r.body.reply).toContain('M00000001');
    expect(await auditCount()).toBe(before + 1);
    const [rows] = await env.services.sql.query<any[]>('SELECT actor_id, action, channel FROM audit_logs ORDER BY id DESC LIMIT 1');
    expect(rows[0]).toMatchObject({ actor_id: 'store_manager_01', channel: 'console' });
  });

  it('answers in English phrasing too, and masks the phone for a role without phone access', async () => {
    const r = await say('agent_01', 'look up 13800000001');
    expect(r.body.intent).toBe('member.lookup');
    expect(r.body.reply).toContain('138****0001');
    expect(r.body.reply).not.toContain('13800000001');
  });

  it('gives a polite "not registered" answer to an unknown sender', async () => {
    const r = await say('someone_else', '查一下 13800000001');
    expect(r.status).toBe(200);
    expect(r.body.intent).toBe('unregistered');
    expect(r.body.reply).toMatch(/登记|注册/);
  });

  it('answers small talk with one polite line and examples, never silence', async () => {
    const r = await say('store_manager_01', '今天天气怎么样');
    expect(r.body.intent).toBe('smalltalk');
    expect(r.body.reply.length).toBeGreaterThan(20);
    expect(r.body.reply).toContain('查');
  });

  it('rejects bad requests with a 4xx error body carrying the request id', async () => {
    const bad = await rt.app.request('/console/messages', { method: 'POST', body: '{not json' });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as any;
    expect(body.error.code).toBe('invalid_json');
    expect(body.error.requestId).toBe(bad.headers.get('x-request-id'));
    const missing = await say('store_manager_01', '');
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('invalid_request');
    const big = await rt.app.request('/console/messages', { method: 'POST', body: JSON.stringify({ from: 'x', text: 'a'.repeat(40_000) }) });
    expect(big.status).toBe(413);
  });

  it('answers a resend with the same client id once (409 after)', async () => {
    const send = () => rt.app.request('/console/messages', { method: 'POST', body: JSON.stringify({ from: 'store_manager_01', text: '帮助', id: 'client-msg-1' }) });
    expect((await send()).status).toBe(200);
    const again = await send();
    expect(again.status).toBe(409);
    expect(((await again.json()) as any).error.code).toBe('duplicate_message');
  });

  it('scopes message ids by sender: another sender’s message with the same id or x-request-id is answered', async () => {
    const post = (from: string, body: Record<string, string>, headers: Record<string, string> = {}) =>
      rt.app.request('/console/messages', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ from, text: '帮助', ...body }) });
    expect((await post('store_manager_01', { id: 'shared-id' })).status).toBe(200);
    expect((await post('agent_01', { id: 'shared-id' })).status).toBe(200);
    expect((await post('agent_01', { id: 'shared-id' })).status).toBe(409); // the same sender's resend still once
    const rid = { 'x-request-id': 'shared-request-id' };
    expect((await post('store_manager_01', {}, rid)).status).toBe(200);
    expect((await post('agent_01', {}, rid)).status).toBe(200);
    expect((await post('agent_01', {}, rid)).status).toBe(409);
  });

  it('serves the web chat page, health and readiness', async () => {
    const page = await rt.app.request('/');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/console/messages');
    expect((await rt.app.request('/healthz')).status).toBe(200);
    const ready = await rt.app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { mysql: 'ok', redis: 'ok' } });
    const nf = await rt.app.request('/nope');
    expect(nf.status).toBe(404);
    expect(((await nf.json()) as any).error.code).toBe('not_found');
  });

  it('says the WeCom channel is not configured rather than failing', async () => {
    const r = await rt.app.request('/wecom/callback?msg_signature=x&timestamp=1&nonce=1&echostr=x');
    expect(r.status).toBe(503);
    expect(((await r.json()) as any).error.code).toBe('channel_not_configured');
  });
});
