/**
 * The durable inbox under a crash (docs/wecom.md, "What happens on a crash or a retry"): the
 * server runs in a child process and is killed (SIGKILL) mid-answer, then WeCom's retry is
 * delivered to a fresh process. The answer hangs on a slow LLM (LLM_ROUTING=first against a fake
 * provider), which is how the test knows the process is mid-answer when it kills it.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawRequest } from '../../src/channels/types.ts';
import { seedDemo } from '../../src/demo/index.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai.ts';
import { startFakeQyapi, type FakeQyapi } from '../fakes/qyapi.ts';
import { stopChildren } from '../support/child.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { startApp } from '../support/processes.ts';
import { readPassiveReply } from '../support/wecom-callback-builder.ts';
import { AGENT_ID, callback, keys, SECRET, weComEnv } from '../support/wecom-app.ts';
import { waitFor as shared } from '../support/wait-for.ts';

const BUDGET_MS = 4000;
const LEASE_MS = 1500;

/** The shared poll, with the server's last output in its error. */
const waitFor = (probe: () => boolean | Promise<boolean>, ms: number) => shared(probe, ms, () => `the condition; server output:\n${server?.out().slice(-3000) ?? ''}`, 100);

let env: TestEnv;
let qy: FakeQyapi;
let llm: FakeOpenAI;
let server: { child: ChildProcess; port: number; out: () => string } | undefined;

async function startServer() {
  const app = await startApp(env.config);
  server = { child: app.child, port: app.port, out: () => app.out.text };
  return server;
}

async function kill() {
  const child = server!.child;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await gone;
  server = undefined;
}

const deliver = (req: RawRequest) =>
  fetch(`http://127.0.0.1:${server!.port}/wecom/callback?${new URLSearchParams(req.query)}`, { method: 'POST', body: req.body, headers: req.headers });

const inbox = async (msgId: string) => ((await env.services.sql.query<any[]>('SELECT state, attempts, deferred_at IS NOT NULL AS deferred FROM inbound_messages WHERE message_id = ?', [msgId]))[0][0] as any);
const pushesTo = (user: string) => qy.sent.filter((m) => m.touser === user).length;

beforeAll(async () => {
  qy = await startFakeQyapi({ corpId: keys.corpId, corpSecret: SECRET, agentId: AGENT_ID });
  llm = await startFakeOpenAI();
  env = await createTestEnv('e2e_inbox_crash', {
    ...weComEnv(qy.url),
    WECOM_REPLY_BUDGET_MS: String(BUDGET_MS),
    INBOX_LEASE_MS: String(LEASE_MS),
    LLM_BASE_URL: llm.baseURL,
    LLM_API_KEY: 'sk-test',
    LLM_MODEL: 'deepseek-chat',
    LLM_ROUTING: 'first',
    LLM_TIMEOUT_MS: '30000',
  });
  await seedDemo(env.services.sql, { members: 60, seed: 11, now: new Date('2026-11-01T00:00:00Z') });
}, 120_000);

afterAll(async () => {
  await stopChildren();
  await env?.cleanup();
  await qy?.close();
  await llm?.close();
});

/**
 * A server killed while it answers `messageId` (the delivery hangs in the LLM: claimed, nothing
 * sent back), then started again and warmed up so a retry is answered within the reply budget.
 * Returns the delivery, to be sent again as WeCom's retry.
 */
async function crashMidAnswer(messageId: string, user: string, warmBefore: string, warmAfter: string) {
  await startServer();
  await (await deliver(callback('帮助', warmBefore, 'hq_ops_01'))).text(); // a warm process answers within the budget
  const req = callback('帮助', messageId, user);
  llm.reply({ kind: 'text', content: 'ok', delayMs: 60_000 }); // the first delivery hangs in the LLM
  const seen = llm.requests.length;
  const first = deliver(req).then(
    (r) => r.text(),
    () => 'connection lost',
  );
  await waitFor(() => llm.requests.length > seen, 20_000);
  await kill(); // mid-answer: claimed, nothing sent back
  expect(await first).toBe('connection lost');
  expect((await inbox(messageId)).state).toBe('claimed');
  await startServer(); // takes longer than the lease, as WeCom's next retry (~5 s later) does
  await (await deliver(callback('帮助', warmAfter, 'hq_ops_01'))).text();
  return req;
}

describe('a crash mid-answer', () => {
  it('passive path: the retry after a SIGKILL is answered once, and a retry of the answered message gets that answer again without running it', async () => {
    const req = await crashMidAnswer('crash-passive-1', 'store_manager_01', 'warm-up-1', 'warm-up-2');
    const replies: string[] = [];
    const llmBefore = llm.requests.length;
    for (let i = 0; i < 3; i++) replies.push(await (await deliver(req)).text());
    // Run once (one claim after the crash's); a retry after that gets the recorded answer again.
    expect(llm.requests.length - llmBefore).toBe(1);
    expect(await inbox('crash-passive-1')).toMatchObject({ state: 'answered', attempts: 2 });
    const contents = replies.map((b) => readPassiveReply(keys, { status: 200, contentType: 'application/xml', body: b }));
    expect(contents[0]!.ToUserName).toBe('store_manager_01');
    expect(contents[0]!.Content!.length).toBeGreaterThan(0);
    expect(new Set(contents.map((r) => r.Content)).size).toBe(1);
    expect(pushesTo('store_manager_01')).toBe(0);
    await kill();
  }, 150_000);

  it('passive path: a retry that reaches the restarted server while the dead process\'s lease still runs waits it out and is answered, not acked empty', async () => {
    const user = 'store_manager_02';
    const req = await crashMidAnswer('crash-leased-1', user, 'warm-up-5', 'warm-up-6');
    // The claim as a process killed right after renewing it leaves it: still leased when WeCom's
    // re-send arrives (a restart can be quicker than the lease: INBOX_LEASE_MS is 6 s by default).
    await env.services.sql.query('UPDATE inbound_messages SET lease_until = NOW(3) + INTERVAL 1400000 MICROSECOND WHERE message_id = ?', ['crash-leased-1']);
    const pushesBefore = pushesTo(user);
    const body = await (await deliver(req)).text();
    // Answered once: passively on this re-send (the wait ends within the reply budget), or acked and pushed.
    await waitFor(async () => (await inbox('crash-leased-1')).state === 'answered', 20_000);
    const passive = body === '' ? 0 : 1;
    if (!passive) await waitFor(() => pushesTo(user) > pushesBefore, 20_000);
    await new Promise((r) => setTimeout(r, LEASE_MS * 3));
    expect(passive + pushesTo(user) - pushesBefore).toBe(1);
    if (passive) expect(readPassiveReply(keys, { status: 200, contentType: 'application/xml', body }).Content!.length).toBeGreaterThan(0);
    expect(await inbox('crash-leased-1')).toMatchObject({ state: 'answered', attempts: 2 });
    await kill();
  }, 150_000);

  it('a crash after the answer was recorded, before WeCom got the response: the retry gets the recorded answer, not a second run', async () => {
    await startServer();
    // A warm process answers within the budget: a cold one under load may ack empty (the slow path) instead.
    await (await deliver(callback('帮助', 'warm-up-4', 'hq_ops_01'))).text();
    const pushesBefore = pushesTo('store_manager_01');
    const req = callback('帮助', 'crash-after-answer-1', 'store_manager_01');
    llm.reply({ kind: 'text', content: 'ok', delayMs: 300 });
    const seen = llm.requests.length;
    // WeCom's side of the connection is lost while the answer is computed; the server goes on.
    const aborted = new AbortController();
    const first = fetch(`http://127.0.0.1:${server!.port}/wecom/callback?${new URLSearchParams(req.query)}`, { method: 'POST', body: req.body, headers: req.headers, signal: aborted.signal }).catch(() => 'lost');
    await waitFor(() => llm.requests.length > seen, 20_000);
    aborted.abort();
    expect(await first).toBe('lost');
    await waitFor(async () => (await inbox('crash-after-answer-1'))?.state === 'answered', 20_000);
    await kill(); // the answer is recorded; the response never reached WeCom

    await startServer();
    await (await deliver(callback('帮助', 'warm-up-3', 'hq_ops_01'))).text();
    const runs = llm.requests.length;
    const retry = await (await deliver(req)).text();
    const reply = readPassiveReply(keys, { status: 200, contentType: 'application/xml', body: retry });
    expect(reply.ToUserName).toBe('store_manager_01');
    expect(reply.Content!.length).toBeGreaterThan(0);
    expect(llm.requests.length).toBe(runs); // not run again
    expect(await inbox('crash-after-answer-1')).toMatchObject({ state: 'answered', attempts: 1, deferred: 0 });
    expect(pushesTo('store_manager_01')).toBe(pushesBefore);
    await kill();
  }, 150_000);

  it('slow path: a SIGKILL after the ack cannot lose the message — the answer job answers it once after the restart', async () => {
    await startServer();
    const user = 'store_manager_01';
    const before = pushesTo(user);
    llm.reply({ kind: 'text', content: 'ok', delayMs: 60_000 });
    const res = await deliver(callback('帮助', 'crash-slow-1', user));
    // Acked empty past the budget: only after the answer job was queued.
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect(await inbox('crash-slow-1')).toMatchObject({ state: 'claimed', deferred: 1 });
    await kill();

    await startServer();
    await waitFor(() => pushesTo(user) > before, 40_000);
    expect((await inbox('crash-slow-1')).state).toBe('answered');
    await new Promise((r) => setTimeout(r, LEASE_MS * 3));
    expect(pushesTo(user)).toBe(before + 1); // exactly once
    await kill();
  }, 150_000);
});

describe('a graceful stop (SIGTERM) mid-answer', () => {
  it('acks the callback at once with its answer job queued, hands the claim over instead of leaving it to lapse, and the next process answers once', async () => {
    await startServer();
    await (await deliver(callback('帮助', 'warm-up-7', 'hq_ops_01'))).text();
    const user = 'store_manager_03';
    const before = pushesTo(user);
    llm.reply({ kind: 'text', content: 'ok', delayMs: 60_000 }); // still being answered when the stop comes
    const seen = llm.requests.length;
    const res = deliver(callback('帮助', 'term-slow-1', user)).then(async (r) => ({ status: r.status, body: await r.text() }));
    await waitFor(() => llm.requests.length > seen, 20_000);
    const child = server!.child;
    const out = server!.out;
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    // Acked (empty 200: WeCom will not re-send) only once something durable will answer it.
    expect(await res).toEqual({ status: 200, body: '' });
    expect(await exited).toBe(0);
    server = undefined;
    // Given back, not left claimed for a lease: the next process may take it at once.
    expect(await inbox('term-slow-1')).toMatchObject({ state: 'released', deferred: 1 });
    expect(out()).toContain('handed over to the next process');
    expect(out()).not.toMatch(/Pool is closed|EPIPE/);

    await startServer();
    await waitFor(() => pushesTo(user) > before, 40_000);
    expect(await inbox('term-slow-1')).toMatchObject({ state: 'answered', attempts: 2 });
    await new Promise((r) => setTimeout(r, LEASE_MS * 3));
    expect(pushesTo(user)).toBe(before + 1); // exactly once
    await kill();
  }, 150_000);
});
