/**
 * The durable inbox in one process (src/bot/inbox/, docs/wecom.md "What happens on a crash or a
 * retry"): concurrent duplicates, a claim left by a dead process, console ids per sender, and the
 * answer job that queues a recorded answer whose push was never queued.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimInbound, completeClaim, inboxRow, markDeferred, renewClaim } from '../../src/bot/inbox/store.ts';
import type { InboundMessage } from '../../src/bot/types.ts';
import { readPassiveReply } from '../support/wecom-callback-builder.ts';
import { callback, keys, post, setupWeComApp, type WeComApp } from '../support/wecom-app.ts';

const LEASE_MS = 800;
let ctx: WeComApp;
beforeAll(async () => {
  ctx = await setupWeComApp('e2e_inbox', 4000);
  // Same database and Redis, a short lease (the claim of a dead process lapses quickly).
  (ctx.env.services.config as { INBOX_LEASE_MS: number }).INBOX_LEASE_MS = LEASE_MS;
}, 120_000);
afterAll(async () => ctx?.close());

const message = (messageId: string, from = 'store_manager_01'): InboundMessage => ({ channel: 'wecom', messageId, from, text: '帮助', receivedAt: new Date(), requestId: `req-${messageId}` });

describe('durable inbox', () => {
  it('concurrent deliveries of one MsgId: answered once — a delivery waiting on the claim is acked empty, one arriving after the answer was recorded gets that same answer', async () => {
    const req = callback('帮助', 'inbox-concurrent-1');
    const responses = await Promise.all(Array.from({ length: 6 }, async () => {
      const res = await post(ctx.rt, req);
      return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: await res.text() };
    }));
    // Which deliveries overlap the first one's answer is timing: those that waited on its claim are
    // acked empty, a later one is a retry of an answered message and gets the recorded answer
    // replayed. Either way the message ran once and every reply WeCom got says the same.
    const replies = responses.filter((r) => r.body !== '');
    expect(replies.length).toBeGreaterThanOrEqual(1);
    expect(responses.every((r) => r.status === 200)).toBe(true);
    const contents = new Set(replies.map((r) => readPassiveReply(keys, r).Content));
    expect(contents.size).toBe(1);
    expect(await inboxRow(ctx.env.services, message('inbox-concurrent-1'))).toMatchObject({ state: 'answered', attempts: 1 });
  });

  it('a retry that finds the claim of a process that stopped renewing it waits out the lease and answers (an empty ack would end WeCom\'s re-sends unanswered)', async () => {
    const services = ctx.env.services;
    const dead = await claimInbound(services, message('inbox-stale-1')); // a process that died mid-answer
    expect(dead.kind).toBe('claimed');
    const early = await post(ctx.rt, callback('帮助', 'inbox-stale-1')); // still leased when it arrives
    expect(await early.text()).toContain('<Encrypt>');
    expect(await inboxRow(services, message('inbox-stale-1'))).toMatchObject({ state: 'answered', attempts: 2 });
    // The dead process's claim cannot complete over the retry's answer.
    if (dead.kind === 'claimed') expect(await completeClaim(services, { ...message('inbox-stale-1'), token: dead.token }, null)).toBe(false);
    // A later retry (WeCom did not get the response) gets the recorded answer; nothing runs again.
    const again = await (await post(ctx.rt, callback('帮助', 'inbox-stale-1'))).text();
    expect(again).toContain('<Encrypt>');
    expect(await inboxRow(services, message('inbox-stale-1'))).toMatchObject({ state: 'answered', attempts: 2 });
  });

  it('a retry whose message is still held by a live process after the wait is acked only with its answer job queued, which answers it once the holder is gone', async () => {
    const services = ctx.env.services;
    const msg = message('inbox-held-1');
    const held = await claimInbound(services, msg);
    if (held.kind !== 'claimed') throw new Error('not claimed');
    // The holder renews its lease (alive, answering slowly) while the retry waits.
    const beat = setInterval(() => void renewClaim(services, { ...msg, token: held.token }), LEASE_MS / 4);
    let res: Response;
    try {
      res = await post(ctx.rt, callback('帮助', 'inbox-held-1'));
    } finally {
      clearInterval(beat); // then it dies without answering
    }
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect(await inboxRow(services, msg)).toMatchObject({ state: 'claimed', deferred: true });
    const { startInboxAnswerWorker } = await import('../../src/jobs/inbox-answer.ts');
    const worker = startInboxAnswerWorker(services, ctx.rt.handle);
    try {
      const until = Date.now() + 15_000;
      while (!(await inboxRow(services, msg))?.pushed && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    } finally {
      await worker.close();
    }
    expect(await inboxRow(services, msg)).toMatchObject({ state: 'answered', attempts: 2, pushed: true });
    // Its one push, under the message's own job id (src/jobs/inbox-answer.ts).
    const push = await services.queues.outbound.getJob(`reply-${createHash('sha256').update('wecom\ninbox-held-1').digest('hex').slice(0, 40)}`);
    expect(push?.data).toMatchObject({ to: msg.from });
    expect(push?.data.text.length).toBeGreaterThan(0);
  });

  it('a live answer keeps its claim past the lease (renewed), so a retry meanwhile is not answered twice', async () => {
    const services = ctx.env.services;
    const msg = message('inbox-live-1');
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const { withInboxClaim } = await import('../../src/bot/inbox/claim.ts');
    const running = withInboxClaim(services, msg, services.logger, async () => {
      await slow;
      return { kind: 'answer', answer: { intent: 'help', slots: {}, confidence: 1, text: 'ok' } };
    });
    await new Promise((r) => setTimeout(r, LEASE_MS * 2.5));
    expect(await claimInbound(services, msg)).toEqual({ kind: 'busy' });
    release();
    expect((await running).kind).toBe('answer');
    expect(await claimInbound(services, msg)).toEqual({ kind: 'answered', recorded: 'ok' });
  });

  it('console message ids are scoped per sender: the same id from two users is answered for each, once', async () => {
    const send = (from: string) => ctx.rt.app.request('/console/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from, text: '帮助', id: 'same-client-id' }) });
    expect((await send('store_manager_01')).status).toBe(200);
    expect((await send('agent_01')).status).toBe(200);
    expect((await send('agent_01')).status).toBe(409);
    const [rows] = await ctx.env.services.sql.query<any[]>("SELECT sender, state FROM inbound_messages WHERE channel = 'console' AND message_id LIKE '%same-client-id' ORDER BY sender");
    expect(rows).toEqual([{ sender: 'agent_01', state: 'answered' }, { sender: 'store_manager_01', state: 'answered' }]);
  });

  it('an ack before the claim (the budget spent on arrival): the message is recorded as owed an answer, and the claim after it is a first claim', async () => {
    const services = ctx.env.services;
    const msg = message('inbox-ack-first-1');
    expect(await markDeferred(services, msg)).toBe('released');
    expect(await inboxRow(services, msg)).toMatchObject({ state: 'released', attempts: 0, deferred: true });
    // The recovery sweep sees it (it has the payload): a crash now still answers it.
    const [owed] = await services.sql.query<any[]>("SELECT payload IS NOT NULL AS p FROM inbound_messages WHERE channel = 'wecom' AND message_id = ?", [msg.messageId]);
    expect(Number(owed[0].p)).toBe(1);
    const claim = await claimInbound(services, msg);
    expect(claim).toMatchObject({ kind: 'claimed', takenOver: false });
    expect(await claimInbound(services, msg)).toEqual({ kind: 'busy' });
    expect(await inboxRow(services, msg)).toMatchObject({ state: 'claimed', attempts: 1, deferred: true });
    // Marking it again (a retry's ack) changes nothing.
    expect(await markDeferred(services, msg)).toBe('claimed');
  });

  it('the recorded reply keeps a chart only when the callback was deferred (a push carries it); a text reply is kept whole either way', async () => {
    const services = ctx.env.services;
    const image = { pngBase64: 'iVBORw0KGgo=', alt: '图' };
    const complete = async (id: string, deferred: boolean, reply: { text: string; image?: typeof image }) => {
      const msg = message(id);
      const claim = await claimInbound(services, msg);
      if (claim.kind !== 'claimed') throw new Error('not claimed');
      if (deferred) await markDeferred(services, msg);
      expect(await completeClaim(services, { ...msg, token: claim.token }, { channel: 'wecom', to: msg.from, requestId: msg.requestId, ...reply })).toBe(true);
      return (await inboxRow(services, msg))?.reply;
    };
    expect(await complete('inbox-reply-img-1', false, { text: '图表', image })).toEqual({ channel: 'wecom', to: 'store_manager_01', requestId: 'req-inbox-reply-img-1', text: '图表' });
    expect(await complete('inbox-reply-img-2', true, { text: '图表', image })).toMatchObject({ text: '图表', image });
    expect(await complete('inbox-reply-txt-1', false, { text: '答复 \'引号\' \\ 反斜杠' })).toMatchObject({ text: '答复 \'引号\' \\ 反斜杠' });
    expect(await complete('inbox-reply-txt-2', true, { text: '答复' })).toMatchObject({ text: '答复' });
  });

  it('a deferred answer recorded but never queued (a crash between the two) is queued by the answer job, once', async () => {
    const services = ctx.env.services;
    const msg = message('inbox-unqueued-1');
    const claim = await claimInbound(services, msg);
    await markDeferred(services, msg);
    if (claim.kind !== 'claimed') throw new Error('not claimed');
    await completeClaim(services, { ...msg, token: claim.token }, { channel: 'wecom', to: msg.from, text: '答复', requestId: msg.requestId });
    expect(await inboxRow(services, msg)).toMatchObject({ state: 'answered', pushed: false, reply: { text: '答复' } });
    const { startInboxAnswerWorker } = await import('../../src/jobs/inbox-answer.ts');
    const worker = startInboxAnswerWorker(services, ctx.rt.handle);
    try {
      await services.queues.inboxAnswer.add('answer', { channel: 'wecom', messageId: msg.messageId, from: msg.from, text: msg.text, requestId: msg.requestId, receivedAt: msg.receivedAt.toISOString() });
      const until = Date.now() + 10_000;
      while (!(await inboxRow(services, msg))?.pushed && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    } finally {
      await worker.close();
    }
    expect(await inboxRow(services, msg)).toMatchObject({ state: 'answered', pushed: true, reply: null });
    const waiting = await services.queues.outbound.getJobs(['waiting', 'delayed', 'active', 'completed']);
    expect(waiting.filter((j) => j.data.requestId === msg.requestId).map((j) => j.data.text)).toEqual(['答复']);
  });
});

describe('a claim taken over while answering', () => {
  it('gives no answer from the process that lost its claim, even when it wrote nothing: the holder answers', async () => {
    const services = ctx.env.services;
    const { withInboxClaim } = await import('../../src/bot/inbox/claim.ts');
    const msg = message('inbox-lost-claim-1');
    const out = await withInboxClaim(services, msg, services.logger, async () => {
      // Another process takes the claim meanwhile (this one stalled past its lease).
      await services.sql.query("UPDATE inbound_messages SET claim_token = 'someone-else', lease_until = NOW(3) + INTERVAL 5 SECOND WHERE channel = 'wecom' AND message_id = ?", [msg.messageId]);
      return { kind: 'answer', answer: { intent: 'help', slots: {}, confidence: 1, text: '答复' } };
    });
    expect(out).toEqual({ kind: 'duplicate', state: 'busy' });
    expect(await inboxRow(services, msg)).toMatchObject({ state: 'claimed' });
  });
});

describe('claims of different messages', () => {
  it('do not lock each other: one completed inside an open transaction leaves the others free to complete', async () => {
    const services = ctx.env.services;
    const [a, b] = [message('inbox-row-lock-a'), message('inbox-row-lock-b')];
    const [ca, cb] = [await claimInbound(services, a), await claimInbound(services, b)];
    if (ca.kind !== 'claimed' || cb.kind !== 'claimed') throw new Error('not claimed');
    // A's answer wrote something, so its completion runs in the answer's transaction, still open.
    const conn = await services.sql.getConnection();
    try {
      await conn.beginTransaction();
      expect(await completeClaim(services, { ...a, token: ca.token }, { text: '答复 a' }, conn)).toBe(true);
      // B's completion (and a lease renewal) must not wait for A's commit: a wait here is what
      // turned into a lock timeout or deadlock under load, and an answer pushed but not recorded.
      const late = new Promise<'blocked'>((r) => setTimeout(() => r('blocked'), 2000).unref());
      expect(await Promise.race([renewClaim(services, { ...b, token: cb.token }), late])).toBe(true);
      expect(await Promise.race([completeClaim(services, { ...b, token: cb.token }, { text: '答复 b' }), late])).toBe(true);
      await conn.commit();
    } finally {
      await conn.rollback().catch(() => undefined);
      conn.release();
    }
    expect(await inboxRow(services, a)).toMatchObject({ state: 'answered' });
    expect(await inboxRow(services, b)).toMatchObject({ state: 'answered' });
  });
});
