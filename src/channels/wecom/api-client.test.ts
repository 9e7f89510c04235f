import { toWeComMarkdown } from './markdown.ts';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeQyapi, type FakeQyapi } from '../../../test/fakes/qyapi.ts';
import { createTestEnv, type TestEnv } from '../../../test/support/env.ts';
import { createWeComAdapter } from './adapter.ts';
import { createWeComChannel } from './index.ts';
import { createWeComApiClient, type WeComApiClient, type WeComApiClientOptions } from './api-client.ts';
import { IP_NOT_TRUSTED_EXPLANATION } from './api-errors.ts';
import { SAMPLE } from '../../../test/support/wecom-test-vectors.ts';
import { rejection } from '../../../test/support/rejection.ts';

const CORP = 'ww_test_corp';
const SECRET = 'test-secret-never-logged-0123456789';
const AGENT = '1000002';

let env: TestEnv;
let fake: FakeQyapi;
let logLines: string[];

beforeAll(async () => {
  env = await createTestEnv('wecom_api', { WECOM_CORP_ID: CORP, WECOM_SECRET: SECRET, WECOM_AGENT_ID: AGENT, WECOM_TOKEN: SAMPLE.token, WECOM_AES_KEY: SAMPLE.aesKey });
  // The shared connection has no offline queue: wait until it is up before the first command.
  if (env.services.redis.status !== 'ready') await once(env.services.redis, 'ready');
});
afterAll(async () => env?.cleanup());

beforeEach(async () => {
  fake = await startFakeQyapi({ corpId: CORP, corpSecret: SECRET, agentId: AGENT, knownUsers: ['store_manager_01', 'agent_01'] });
  logLines = [];
  const keys = await env.services.redis.keys(`${env.config.REDIS_PREFIX}:wecom:*`);
  if (keys.length) await env.services.redis.del(...keys);
});
afterEach(async () => fake.close());

/** A client as one process builds it: real Redis, a real pino logger whose lines we keep. */
function client(opts: WeComApiClientOptions = {}, overrides: Partial<TestEnv['config']> = {}): WeComApiClient {
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const logger = pino({ level: 'debug' }, sink);
  return createWeComApiClient({ ...env.services, logger, config: { ...env.config, WECOM_API_BASE: fake.url, ...overrides } }, opts);
}


describe('access token', () => {
  it('is fetched once and cached in Redis across sends, for expires_in minus a margin', async () => {
    const api = client();
    for (let i = 0; i < 5; i++) await api.sendText('store_manager_01', `msg ${i}`);
    expect(fake.tokenRequests).toBe(1);
    expect(fake.sent.map((m) => m.content)).toEqual(['msg 0', 'msg 1', 'msg 2', 'msg 3', 'msg 4']);
    expect(fake.sent[0]).toMatchObject({ touser: 'store_manager_01', msgtype: 'text', agentid: 1000002 });
    const ttl = await env.services.redis.ttl(env.services.key('wecom', 'token', CORP, AGENT));
    expect(ttl).toBeGreaterThan(6800);
    expect(ttl).toBeLessThanOrEqual(7200 - 300);
    // A second process (new client) reuses the cached token.
    await client().sendText('agent_01', 'from another process');
    expect(fake.tokenRequests).toBe(1);
  });

  it('concurrent sends in one process trigger a single refresh', async () => {
    fake.setDelay(50); // keep gettoken in flight while the others arrive
    const api = client();
    await Promise.all(Array.from({ length: 10 }, (_, i) => api.sendText('store_manager_01', `c${i}`)));
    expect(fake.tokenRequests).toBe(1);
    expect(fake.sent).toHaveLength(10);
  });

  it('concurrent sends from two processes trigger a single refresh (Redis lock)', async () => {
    fake.setDelay(100);
    const [a, b] = [client(), client()];
    await Promise.all([a, b, a, b].map((api, i) => api.sendText('agent_01', `p${i}`)));
    expect(fake.tokenRequests).toBe(1);
    expect(fake.sent).toHaveLength(4);
  });

  it('42001 (expired): refreshes and retries once, transparently', async () => {
    const api = client();
    await api.sendText('store_manager_01', 'one');
    fake.expireTokens();
    await api.sendText('store_manager_01', 'two');
    expect(fake.tokenRequests).toBe(2);
    expect(fake.sent.map((m) => m.content)).toEqual(['one', 'two']);
    expect(fake.sent[1]!.accessToken).not.toBe(fake.sent[0]!.accessToken);
  });

  it('40014 (invalid token) refreshes too, and expired tokens under concurrency cost one refresh', async () => {
    fake.setDelay(30);
    const api = client();
    await api.sendText('store_manager_01', 'warm up');
    fake.expireTokens();
    await Promise.all(Array.from({ length: 6 }, (_, i) => api.sendText('store_manager_01', `after ${i}`)));
    expect(fake.tokenRequests).toBe(2);
    fake.failNext(40014);
    await api.sendText('store_manager_01', 'after 40014');
    expect(fake.tokenRequests).toBe(3);
    expect(fake.sent).toHaveLength(8);
  });

  it('retries only once: a token error on the retry is thrown (retryable, for the job backoff)', async () => {
    const api = client();
    await api.sendText('store_manager_01', 'warm up');
    fake.failNext(42001, 2);
    const err = await rejection(api.sendText('store_manager_01', 'x'));
    expect(err).toMatchObject({ code: 'wecom_token_invalid', retryable: true, details: { errcode: 42001 } });
    expect(fake.sendRequests).toBe(3);
  });

  it('a wrong secret is a permanent error', async () => {
    const err = await rejection(client({}, { WECOM_SECRET: 'wrong' }).sendText('store_manager_01', 'x'));
    expect(err).toMatchObject({ code: 'wecom_api_error', retryable: false, details: { errcode: 40001 } });
  });
});

describe('error codes', () => {
  it('60020: explains the trusted-IP setting in the log and throws a non-retryable error', async () => {
    const api = client();
    fake.failNext(60020);
    const err = await rejection(api.sendText('store_manager_01', 'x'));
    expect(err).toMatchObject({ code: 'wecom_ip_not_trusted', retryable: false, details: { errcode: 60020 } });
    const logged = logLines.map((l) => JSON.parse(l) as { level: number; msg: string; errcode?: number });
    expect(logged.some((l) => l.level >= 50 && l.errcode === 60020 && l.msg === IP_NOT_TRUSTED_EXPLANATION)).toBe(true);
    expect(IP_NOT_TRUSTED_EXPLANATION).toMatch(/trusted IP/);
    expect(IP_NOT_TRUSTED_EXPLANATION).toMatch(/WECOM_API_BASE/);
    // Nothing crashed: the next send works.
    await api.sendText('store_manager_01', 'after');
    expect(fake.sent.map((m) => m.content)).toEqual(['after']);
  });

  it('45009 (frequency limit) and 45033 (concurrency limit) are retryable', async () => {
    const api = client();
    fake.failNext(45009);
    expect(await rejection(api.sendText('store_manager_01', 'x'))).toMatchObject({ code: 'wecom_rate_limited', retryable: true, details: { errcode: 45009 } });
    fake.failNext(45033);
    expect(await rejection(api.sendText('store_manager_01', 'x'))).toMatchObject({ code: 'wecom_busy', retryable: true, details: { errcode: 45033 } });
    await api.sendText('store_manager_01', 'later');
    expect(fake.sent).toHaveLength(1);
  });

  it('a recipient outside the app (81013) is permanent, with the errcode in details', async () => {
    const err = await rejection(client().sendText('nobody', 'x'));
    expect(err).toMatchObject({ code: 'wecom_api_error', retryable: false, details: { api: 'message/send', errcode: 81013 } });
  });

  it('HTTP 5xx, non-JSON bodies, timeouts and refused connections are retryable', async () => {
    const api = client({ timeoutMs: 200 });
    await api.sendText('store_manager_01', 'warm up');
    fake.failHttpNext(502);
    expect(await rejection(api.sendText('store_manager_01', 'x'))).toMatchObject({ code: 'wecom_unreachable', retryable: true });
    fake.failHttpNext(200); // a proxy's HTML page with 200
    expect(await rejection(api.sendText('store_manager_01', 'x'))).toMatchObject({ code: 'wecom_unreachable', retryable: true });
    fake.setDelay(1000);
    expect(await rejection(api.sendText('store_manager_01', 'x'))).toMatchObject({ code: 'wecom_unreachable', retryable: true });
    fake.setDelay(0);
    const url = fake.url;
    await fake.close();
    const dead = createWeComApiClient({ ...env.services, config: { ...env.config, WECOM_API_BASE: url } });
    expect(await rejection(dead.sendText('store_manager_01', 'x'))).toMatchObject({ code: 'wecom_unreachable', retryable: true });
    fake = await startFakeQyapi({ corpId: CORP, corpSecret: SECRET }); // for afterEach
  });

  it('never logs the access token or the secret', async () => {
    const api = client();
    await api.sendText('store_manager_01', 'x');
    fake.expireTokens();
    await api.sendText('store_manager_01', 'y');
    fake.failNext(60020);
    await rejection(api.sendText('store_manager_01', 'z'));
    const all = logLines.join('\n');
    expect(all).toContain('wecom access token refreshed');
    for (const m of fake.sent) expect(all).not.toContain(m.accessToken);
    expect(all).not.toContain(SECRET);
  });
});

describe('long texts', () => {
  const long = Array.from({ length: 80 }, (_, i) => `${i + 1}. 会员 张三丰 138****0001 最近消费 ¥1,280.00 🛍️`).join('\n');

  it('are split at 2048 UTF-8 bytes on line breaks, never inside a character', async () => {
    expect(Buffer.byteLength(long)).toBeGreaterThan(4096);
    const res = await client().sendText('store_manager_01', long);
    expect(res.chunks).toBe(fake.sent.length);
    expect(fake.sent.length).toBe(3);
    for (const m of fake.sent) {
      expect(m.truncated).toBe(false);
      expect(m.contentBytes).toBeLessThanOrEqual(2048);
      expect(m.content).not.toContain('\uFFFD');
    }
    // A list goes out as markdown (src/channels/wecom/markdown.ts): the same lines, masked phones in inline code.
    expect(fake.sent.every((m) => m.msgtype === 'markdown')).toBe(true);
    expect(fake.sent.map((m) => m.content).join('\n')).toBe(toWeComMarkdown(long));
  });

  it('a retried request resends only the chunks that did not go out (no duplicates)', async () => {
    const api = client();
    await api.getAccessToken();
    fake.failNext(45009); // the first chunk hits the limit …
    await rejection(api.sendText('store_manager_01', long, 'req-77'));
    expect(fake.sent).toHaveLength(0);
    const first = await api.sendText('store_manager_01', long, 'req-77'); // the job's retry
    expect(first).toEqual({ chunks: 3, sent: 3 });
    const again = await api.sendText('store_manager_01', long, 'req-77'); // a duplicate retry
    expect(again).toEqual({ chunks: 3, sent: 0 });
    expect(fake.sent).toHaveLength(3);
  });

  it('a failure mid-way resumes after the last delivered chunk', async () => {
    const api = client();
    await api.getAccessToken();
    fake.failNext(45009, 1, { after: 1 }); // chunk 1 goes out, chunk 2 hits the limit
    await rejection(api.sendText('store_manager_01', long, 'req-88'));
    expect(fake.sent).toHaveLength(1);
    expect(await api.sendText('store_manager_01', long, 'req-88')).toEqual({ chunks: 3, sent: 2 });
    expect(fake.sent.map((m) => m.content).join('\n')).toBe(toWeComMarkdown(long)); // each chunk exactly once, in order
    // Without a request id nothing is remembered: a new request sends everything.
    await api.sendText('store_manager_01', long);
    expect(fake.sent).toHaveLength(6);
  });
});

describe('the adapter push path', () => {
  it('push() delivers through message/send', async () => {
    const adapter = createWeComAdapter({ config: env.config, api: client() });
    await adapter.push('agent_01', '召回券已发送', 'req-9');
    expect(fake.sent).toMatchObject([{ touser: 'agent_01', content: '召回券已发送' }]);
  });

  it('push() surfaces the retryable flag for the outbound job', async () => {
    const adapter = createWeComAdapter({ config: env.config, api: client() });
    fake.failNext(45009);
    expect(await rejection(adapter.push('agent_01', 'x'))).toMatchObject({ retryable: true });
  });

  it('createWeComChannel wires the adapter and the API client from config', async () => {
    const channel = createWeComChannel({ ...env.services, config: { ...env.config, WECOM_API_BASE: fake.url } });
    await channel!.push('store_manager_01', 'wired');
    expect(fake.sent.map((m) => m.content)).toEqual(['wired']);
    expect(createWeComChannel({ ...env.services, config: { ...env.config, WECOM_TOKEN: undefined } })).toBeUndefined();
    const passiveOnly = createWeComChannel({ ...env.services, config: { ...env.config, WECOM_SECRET: undefined } });
    await expect(passiveOnly!.push('store_manager_01', 'x')).rejects.toMatchObject({ code: 'wecom_push_not_configured', retryable: false });
  });
});
