/**
 * The AI bot's callbacks at the Workers edge under workerd (miniflare, offline): the production
 * bundle verifies and decrypts them with the origin's own adapter (src/channels/aibot/adapter.ts),
 * opens the stream with 处理中… at once, hands the message to the real origin (signed), and relays
 * WeCom's stream refreshes to the origin, whose answer — the stream's current content — is WeCom's.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Miniflare, Response as MfResponse, type Request as MfRequest } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedbackOn, streamIdOf } from '../../src/channels/aibot/index.ts';
import type { RawRequest } from '../../src/channels/types.ts';
import { seedDemo } from '../../src/demo/index.ts';
import { parseHandoff, type Handoff } from '../../src/edge/handoff.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { AIBOT_KEYS as keys, aibotCallback, aibotVerification, eventMessage, readAiBotReply, streamRefresh, textMessage } from '../support/aibot-callback-builder.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { waitFor as until } from '../support/wait-for.ts';

const root = join(import.meta.dirname, '..', '..');
const HANDOFF_SECRET = 'aibot-edge-handoff-secret-0123456789abcdef';
type Fetcher = { fetch(url: string, init?: RequestInit): Promise<Response> };

let dir: string;
let mf: Miniflare;
let edge: Fetcher;
let env: TestEnv;
let rt: Runtime;
const handoffs: Handoff[] = [];

const toEdge = async (req: RawRequest) => {
  const res = await edge.fetch(`https://edge.test/aibot/callback?${new URLSearchParams(req.query)}`, { method: req.method, headers: req.headers, ...(req.method === 'POST' ? { body: req.body } : {}) });
  const body = await res.text();
  return { status: res.status, body, reply: res.status === 200 && req.method === 'POST' && body ? readAiBotReply(keys, { body }) : null };
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aibot-edge-'));
  const bundle = join(dir, 'worker.js');
  const build = new Promise<void>((resolve, reject) => execFile(process.execPath, ['scripts/build-edge.mjs', '--out', bundle], { cwd: root }, (err) => (err ? reject(err) : resolve())));
  const origin = (async () => {
    env = await createTestEnv('edge_aibot', { AIBOT_MODE: 'callback', AIBOT_TOKEN: keys.token, AIBOT_AES_KEY: keys.aesKey, EDGE_HANDOFF_SECRET: HANDOFF_SECRET });
    await seedDemo(env.services.sql, { members: 120, seed: 11, now: new Date('2026-11-01T00:00:00Z') });
    rt = createRuntime(env.services);
    // Warm the pipeline (router, classifier): the timed first chunk below is not a cold start.
    await rt.handle({ channel: 'console', messageId: 'warm-up', from: 'store_manager_03', text: '查一下 13800000005', receivedAt: new Date(), requestId: 'warm-up' });
  })();
  await Promise.all([build, origin]);
  mf = new Miniflare({
    workers: [
      {
        name: 'edge',
        scriptPath: bundle,
        modules: true,
        modulesRoot: '/',
        compatibilityDate: '2025-09-01',
        compatibilityFlags: ['nodejs_compat'],
        durableObjects: { EDGE_DEDUPE: { className: 'EdgeDedupe', useSQLite: true } },
        bindings: { AIBOT_TOKEN: keys.token, AIBOT_AES_KEY: keys.aesKey, EDGE_ORIGIN_URL: 'http://origin.test', EDGE_HANDOFF_SECRET: HANDOFF_SECRET, EDGE_ORIGIN_TIMEOUT_MS: '3000' },
        outboundService: async (req: MfRequest) => {
          const body = await req.text();
          const res = await rt.app.fetch(new Request(req.url, { method: req.method, headers: Object.fromEntries(req.headers), body }));
          if (res.ok) handoffs.push(parseHandoff(body));
          return new MfResponse(await res.text(), { status: res.status, headers: Object.fromEntries(res.headers) });
        },
      },
    ],
  });
  edge = (await mf.getWorker('edge')) as unknown as Fetcher;
}, 90_000);

afterAll(async () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  await mf?.dispose().catch(() => undefined);
  await Promise.allSettled([...(rt?.inflight ?? [])]);
  await rt?.stop();
  await env?.cleanup();
});


describe('AI-bot callbacks at the Workers edge', () => {
  it('answers the URL verification (receive id empty) at the edge', async () => {
    expect(await toEdge(aibotVerification(keys, 'edge-echo-7', new Date()))).toMatchObject({ status: 200, body: 'edge-echo-7' });
  });

  it('opens the stream at once, hands the message off once although delivered twice, and the refreshes bring the origin\'s answer', async () => {
    const req = aibotCallback(keys, textMessage('edge-ab-1', '查一下 13800000001', { from: 'hq_ops_01', chatid: 'group-edge' }), new Date());
    const t0 = performance.now();
    const first = await toEdge(req);
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(2000);
    console.info(`aibot edge: first chunk in ${ms.toFixed(0)} ms`);
    expect(first.reply).toMatchObject({ msgtype: 'stream', stream: { id: streamIdOf('edge-ab-1'), finish: false, content: '处理中…' } });
    expect((await toEdge(req)).reply).toMatchObject({ stream: { id: streamIdOf('edge-ab-1') } });
    const messages = handoffs.filter((h) => h.kind === 'message' && h.messageId === 'edge-ab-1');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ channel: 'wecom_aibot', from: 'hq_ops_01', text: '查一下 13800000001', conversationId: 'group-edge' });
    let n = 0;
    let last: Record<string, any> | null = null;
    await until(async () => {
      last = (await toEdge(aibotCallback(keys, streamRefresh(`edge-r${n++}`, streamIdOf('edge-ab-1'), { from: 'hq_ops_01', chatid: 'group-edge' }), new Date()))).reply;
      return last?.stream?.finish === true;
    });
    expect(last!.stream.content).toContain('M00000001');
  });

  it('welcomes on enter_chat at the edge, without the origin', async () => {
    const before = handoffs.length;
    const res = await toEdge(aibotCallback(keys, eventMessage('edge-enter', 'enter_chat', {}, { from: 'store_manager_01' }), new Date()));
    expect(res.reply).toMatchObject({ msgtype: 'text' });
    expect(handoffs.length).toBe(before);
  });

  it('hands feedback to the origin, where it is stored against the answer', async () => {
    const res = await toEdge(aibotCallback(keys, eventMessage('edge-fb', 'feedback_event', { id: 'edge-ab-1', type: 1 }, { from: 'hq_ops_01' }), new Date()));
    expect([res.status, res.body]).toEqual([200, '']);
    expect(await feedbackOn(env.services, 'edge-ab-1')).toMatchObject([{ messageId: 'edge-fb', type: 1, userid: 'hq_ops_01' }]);
  });

  it('refuses a mis-signed callback at the edge: nothing reaches the origin', async () => {
    const before = handoffs.length;
    const good = aibotCallback(keys, textMessage('edge-bad', 'help', { from: 'hq_ops_01' }), new Date());
    const res = await toEdge({ ...good, query: { ...good.query, msg_signature: 'f'.repeat(40) } });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body).error.code).toBe('bad_signature');
    expect(handoffs.length).toBe(before);
  });
});
