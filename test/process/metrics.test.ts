/**
 * GET /metrics (docs/deployment.md, "Metrics"): Prometheus text with the HTTP requests by route,
 * queue depths and job latency per queue, LLM latency and tokens, outbound sends by result —
 * each observed here from real traffic through the runtime, against a fake LLM and a fake SMS
 * provider; and METRICS_TOKEN closing the endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboundSenders } from '../../src/channels/outbound/index.ts';
import { createWorkerApp } from '../../src/http/app.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai.ts';
import { startFakeTextProvider, type FakeTextProvider } from '../fakes/text-provider.ts';
import { createFixture } from '../support/crm/fixture.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';

let env: TestEnv;
let rt: Runtime;
let llm: FakeOpenAI;
let sms: FakeTextProvider;

/** The value of one sample line (`name{labels} value`), 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const inside = line.slice(line.indexOf('{') + 1, line.lastIndexOf('}'));
    if (want.every((w) => inside.split(',').includes(w))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

const scrape = async (headers: Record<string, string> = {}) => {
  const res = await rt.app.request('/metrics', { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return res.text();
};

beforeAll(async () => {
  llm = await startFakeOpenAI();
  sms = await startFakeTextProvider();
  env = await createTestEnv('metrics', { LLM_BASE_URL: llm.baseURL, LLM_API_KEY: 'sk-test', LLM_MODEL: 'm', LLM_ROUTING: 'first', SMS_PROVIDER_URL: sms.url });
  await createFixture(env.services);
  rt = createRuntime(env.services);
  rt.startWorkers();
}, 180_000);

afterAll(async () => {
  await rt?.stop();
  await env?.cleanup();
  await llm?.close();
  await sms?.close();
});

describe('GET /metrics', () => {
  it('counts HTTP requests under their route pattern, never the raw path', async () => {
    await rt.app.request('/api/crm/customers/424242', { headers: { authorization: 'Bearer nope' } });
    const res = await rt.app.request('/console/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: 'store_manager_01', text: '帮助' }) });
    expect(res.status).toBe(200);
    const text = await scrape();
    expect(sample(text, 'crm_http_requests_total', { method: 'POST', route: '/console/messages', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'crm_http_request_duration_seconds_count', { method: 'POST', route: '/console/messages' })).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain('customers/424242');
    expect(text).toMatch(/crm_process_resident_memory_bytes \d+/);
  });

  it('measures each LLM call and its tokens', async () => {
    llm.reply({ kind: 'tool', name: 'churn__list', arguments: '{"limit": 3}', usage: { prompt_tokens: 321, completion_tokens: 12 } });
    await rt.app.request('/console/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: 'store_manager_01', text: '看看流失名单' }) });
    expect(llm.requests.length).toBeGreaterThanOrEqual(1);
    const text = await scrape();
    expect(sample(text, 'crm_llm_call_duration_seconds_count', { outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'crm_llm_tokens_total', { kind: 'input' })).toBeGreaterThanOrEqual(321);
    expect(sample(text, 'crm_llm_tokens_total', { kind: 'output' })).toBeGreaterThanOrEqual(12);
  });

  it('counts outbound sends by channel and result', async () => {
    const senders = createOutboundSenders(env.services);
    expect(await senders.sms.send({ key: 'metrics-1', to: '13800000001', text: 'hi' })).toMatchObject({ status: 'sent' });
    sms.failNext(1, 500);
    const failed = await senders.sms.send({ key: 'metrics-2', to: '13800000001', text: 'hi' });
    expect(failed.status).not.toBe('sent');
    const text = await scrape();
    expect(sample(text, 'crm_outbound_sends_total', { channel: 'sms', result: 'sent' })).toBe(1);
    expect(sample(text, 'crm_outbound_sends_total', { channel: 'sms', result: failed.status })).toBe(1);
  });

  it('shows queue depth per queue and state, and job run time and wait per queue', async () => {
    await env.services.queues.outbound.add('push', { channel: 'console', to: 'store_manager_01', text: 'metrics test' }, { delay: 3_600_000 });
    let text = await scrape();
    expect(sample(text, 'crm_queue_jobs', { queue: 'outbound', state: 'delayed' })).toBeGreaterThanOrEqual(1);
    // the repeatable tasks run once at start: their jobs are measured when they finish
    const until = Date.now() + 30_000;
    while (sample((text = await scrape()), 'crm_job_duration_seconds_count', { queue: 'crm-maintenance', result: 'completed' }) < 1 && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    expect(sample(text, 'crm_job_duration_seconds_count', { queue: 'crm-maintenance', result: 'completed' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'crm_job_wait_seconds_count', { queue: 'crm-maintenance' })).toBeGreaterThanOrEqual(1);
  }, 40_000);

  it('with METRICS_TOKEN set, a scrape without the token is 401 and with it 200 (the worker process too)', async () => {
    const closed = await createTestEnv('metrics_token', { METRICS_TOKEN: 'scrape-secret-123' });
    try {
      const app = createWorkerApp(closed.services);
      const denied = await app.request('/metrics');
      expect(denied.status).toBe(401);
      expect(((await denied.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
      const ok = await app.request('/metrics', { headers: { authorization: 'Bearer scrape-secret-123' } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('crm_queue_jobs');
      expect((await app.request('/console/messages', { method: 'POST', body: '{}' })).status).toBe(404);
    } finally {
      await closed.cleanup();
    }
  });
});
