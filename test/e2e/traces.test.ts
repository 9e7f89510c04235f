/**
 * OpenTelemetry traces (src/telemetry, docs/deployment.md "Traces") against a fake OTLP/HTTP
 * collector (test/fakes/otlp.ts): a member's console message "转人工" → the bot turn → the
 * hand-off alert job it queues → the worker's WeCom send (fake qyapi) form one trace, and no
 * span carries the message, the phone or the sender.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { flushTelemetry, startTelemetry, stopTelemetry } from '../../src/telemetry/index.ts';
import { startFakeOtlp, type CollectedSpan, type FakeOtlp } from '../fakes/otlp.ts';
import { startFakeQyapi, type FakeQyapi } from '../fakes/qyapi.ts';
import { createFixture } from '../support/crm/fixture.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';

let env: TestEnv;
let otlp: FakeOtlp;
let qyapi: FakeQyapi;
let rt: Runtime;

beforeAll(async () => {
  otlp = await startFakeOtlp();
  qyapi = await startFakeQyapi({ corpId: 'ww-otel', corpSecret: 'otel-secret', agentId: '1000002' });
  env = await createTestEnv('traces', {
    WECOM_CORP_ID: 'ww-otel', WECOM_SECRET: 'otel-secret', WECOM_AGENT_ID: '1000002', WECOM_TOKEN: 'tok', WECOM_AES_KEY: 'a'.repeat(43), WECOM_API_BASE: qyapi.url,
    OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_SERVICE_NAME: 'crm-test',
  });
  await createFixture(env.services);
  expect(await startTelemetry(env.config)).toBe(true);
  rt = createRuntime(env.services);
  rt.startWorkers();
}, 180_000);
afterAll(async () => {
  await rt?.stop();
  await stopTelemetry();
  await env?.cleanup();
  await qyapi?.close();
  await otlp?.close();
});

const waitFor = async (ok: () => boolean | Promise<boolean>, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('traces over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set', () => {
  it('one trace from the console request through the job it queued to the WeCom send, with no personal data', async () => {
    const res = await rt.app.request('/console/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: 'member:13800000001', text: '转人工，我的手机是13800000001' }) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { intent: string }).intent).toBe('handoff');
    await waitFor(() => qyapi.sent.length > 0); // the store manager's alert went out through the worker

    let http: CollectedSpan | undefined;
    await waitFor(async () => {
      await flushTelemetry();
      http = otlp.spans.find((s) => s.name === 'POST /console/messages');
      // Every span of the trace, not only the send: the job's span ends (and is exported) after the
      // send's, its child — a CI run read the trace between the two.
      const names = new Set(otlp.spans.filter((s) => s.traceId === http?.traceId).map((s) => s.name));
      return !!http && ['bot.turn', 'job outbound', 'send wecom'].every((n) => names.has(n));
    });
    const trace = otlp.spans.filter((s) => s.traceId === http!.traceId);
    const byName = (name: string) => trace.find((s) => s.name === name)!;
    expect(trace.map((s) => s.name)).toEqual(expect.arrayContaining(['POST /console/messages', 'bot.turn', 'job outbound', 'send wecom']));
    expect(http!.attributes).toMatchObject({ 'http.route': '/console/messages', 'http.request.method': 'POST', 'http.response.status_code': 200 });
    expect(http!.parentSpanId ?? '').toBe('');
    expect(byName('bot.turn')).toMatchObject({ parentSpanId: http!.spanId, attributes: { 'crm.intent': 'handoff', 'crm.channel': 'console' } });
    // The job continues the request's trace (traceparent in the job data), the send is inside the job.
    expect(byName('job outbound').parentSpanId).toBe(byName('bot.turn').spanId);
    expect(byName('job outbound').attributes).toMatchObject({ 'messaging.destination.name': 'outbound', 'crm.job.name': 'handoff-alert' });
    expect(byName('send wecom').parentSpanId).toBe(byName('job outbound').spanId);
    expect(http!.resource).toMatchObject({ 'service.name': 'crm-test', 'deployment.environment.name': 'test' });

    // Nothing personal leaves in a span: not the text, not the phone (full or masked), not the sender.
    const all = otlp.bodies.join('\n');
    for (const secret of ['13800000001', '138****0001', '转人工', 'member:', '张伟', 'M00000001', 'otel-secret']) expect(all).not.toContain(secret);
  }, 180_000);
});
