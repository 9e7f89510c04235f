/**
 * A stop that hands a message over while its answer still waits on the LLM (src/bot/inbox/claim.ts,
 * handOverClaims; docs/operations.md "Start and stop"): the answer gives up at once with
 * `turn_handed_over` — no fallback reading, nothing recorded, nothing pushed — so the process can
 * close its pools without a turn still running into them, and the next process answers the message once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handOverClaims } from '../../src/bot/inbox/claim.ts';
import { inboxRow } from '../../src/bot/inbox/store.ts';
import type { InboundMessage } from '../../src/bot/types.ts';
import { isAppError } from '../../src/crm/kernel/index.ts';
import { withBudget } from '../../src/llm/client.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai.ts';
import { setupWeComApp, type WeComApp } from '../support/wecom-app.ts';

const SLOW_MS = 8000;
let ctx: WeComApp;
let llm: FakeOpenAI;
beforeAll(async () => {
  llm = await startFakeOpenAI();
  llm.respond(() => ({ kind: 'text', content: '好的', delayMs: SLOW_MS }));
  ctx = await setupWeComApp('e2e_inbox_handover', 3500, { LLM_BASE_URL: llm.baseURL, LLM_API_KEY: 'sk-test', LLM_MODEL: 'deepseek-chat', LLM_ROUTING: 'first', LLM_TIMEOUT_MS: '20000' });
}, 120_000);
afterAll(async () => {
  await ctx?.close();
  await llm?.close();
});

const message = (messageId: string): InboundMessage => ({ channel: 'wecom', messageId, from: 'store_manager_01', text: '查一下13800000003', receivedAt: new Date(), requestId: `req-${messageId}` });

describe('a message handed over at a stop', () => {
  it('withBudget: the caller\'s signal ends the wait with its own reason; the budget\'s timeout stays llm_timeout', async () => {
    const outer = new AbortController();
    const waited = withBudget(5000, (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted inside')))), outer.signal);
    setTimeout(() => outer.abort(new Error('given up')), 20);
    await expect(waited).rejects.toThrow('given up');
    await expect(withBudget(20, () => new Promise(() => undefined), new AbortController().signal)).rejects.toMatchObject({ code: 'llm_timeout' });
    const already = new AbortController();
    already.abort(new Error('before'));
    let called = false;
    await expect(withBudget(1000, async () => (called = true), already.signal)).rejects.toThrow('before');
    expect(called).toBe(false);
  });

  it('an answer waiting on the LLM gives up as soon as its claim is handed over: turn_handed_over, its claim released, nothing answered or pushed', async () => {
    const services = ctx.env.services;
    const msg = message('handover-llm-1');
    const pushesBefore = await services.queues.outbound.count();
    const started = performance.now();
    const answer = ctx.rt.handle(msg);
    answer.catch(() => undefined);
    // Handed over once the LLM has the request (the turn is then waiting on it).
    const until = Date.now() + 10_000;
    while (llm.requests.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(llm.requests.length).toBe(1);
    const keys = await handOverClaims(services);
    expect(keys).toEqual([{ channel: 'wecom', messageId: 'handover-llm-1' }]);
    const err = await answer.then(() => null, (e: unknown) => e);
    const tookMs = performance.now() - started;
    expect(isAppError(err) && err.code).toBe('turn_handed_over');
    expect(tookMs).toBeLessThan(SLOW_MS); // not held until the LLM answered
    // Given back for the next process (no answer recorded), and no reply pushed by this one.
    const row = await inboxRow(services, msg);
    expect(row?.state).not.toBe('answered');
    expect(row?.reply ?? null).toBeNull();
    expect(await services.queues.outbound.count()).toBe(pushesBefore);
    // Nothing new is taken while handed over: a later delivery is the next process's.
    expect(await ctx.rt.handle(message('handover-llm-2'))).toEqual({ kind: 'duplicate', state: 'busy' });
  }, 30_000);
});
