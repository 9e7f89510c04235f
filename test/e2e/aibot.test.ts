import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HandleMessage, InboundMessage } from '../../src/bot/types.ts';
import type { RawRequest } from '../../src/channels/types.ts';
import { feedbackOn, streamIdOf } from '../../src/channels/aibot/index.ts';
import { seedDemo } from '../../src/demo/index.ts';
import { createApp } from '../../src/http/app.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { startFakeQyapi, type FakeQyapi } from '../fakes/qyapi.ts';
import { AIBOT_KEYS as keys, aibotCallback, aibotVerification, eventMessage, imageMessage, mixedMessage, readAiBotReply, streamRefresh, textMessage } from '../support/aibot-callback-builder.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { AGENT_ID, SECRET, keys as wecomKeys, weComEnv } from '../support/wecom-app.ts';
import { waitFor as until } from '../support/wait-for.ts';

/**
 * The AI bot in callback mode, end to end over the real MariaDB and Redis: callbacks built and
 * encrypted as WeCom builds them, replies opened as WeCom opens them, app-message relays on the
 * fake qyapi. The clock is movable (WeCom's 6-minute stream limit), and the bot's answer can be
 * held back for a message (a slow answer) — the answer itself is the real pipeline's.
 */
const QUOTA = 6;
let env: TestEnv;
let rt: Runtime;
let fake: FakeQyapi;
let app: ReturnType<typeof createApp>;
let offsetMs = 0;
/** Messages whose answer waits until released (msgid → release). */
const held = new Map<string, () => void>();
const holds = new Map<string, Promise<void>>();
const hold = (msgid: string) => holds.set(msgid, new Promise<void>((r) => held.set(msgid, r)));
const release = (msgid: string) => held.get(msgid)!();

const post = async (req: RawRequest) => {
  const res = await app.request(`/aibot/callback?${new URLSearchParams(req.query)}`, { method: req.method, body: req.method === 'POST' ? req.body : undefined, headers: req.headers });
  const body = await res.text();
  return { status: res.status, body, reply: res.status === 200 && req.method === 'POST' ? readAiBotReply(keys, { body }) : null };
};
const now = () => new Date(Date.now() + offsetMs);
const say = (msgid: string, text: string, from = 'store_manager_01', chatid?: string) => post(aibotCallback(keys, textMessage(msgid, text, { from, ...(chatid ? { chatid } : {}) }), now()));
const refresh = (msgid: string, of: string, from = 'store_manager_01', chatid?: string) => post(aibotCallback(keys, streamRefresh(msgid, streamIdOf(of), { from, ...(chatid ? { chatid } : {}) }), now()));
/** Polls an asynchronous probe until it holds. */
const count = async (sql: string, args: unknown[] = []) => Number(((await env.services.sql.query<any[]>(sql, args))[0][0] as { n: number }).n);

beforeAll(async () => {
  fake = await startFakeQyapi({ corpId: wecomKeys.corpId, corpSecret: SECRET, agentId: AGENT_ID });
  env = await createTestEnv(
    'e2e_aibot',
    { ...weComEnv(fake.url), AIBOT_MODE: 'callback', AIBOT_TOKEN: keys.token, AIBOT_AES_KEY: keys.aesKey, AIBOT_REPLIES_PER_DAY: String(QUOTA) },
    { now },
  );
  await seedDemo(env.services.sql, { members: 120, seed: 11, now: new Date('2026-11-01T00:00:00Z') });
  rt = createRuntime(env.services);
  const handle: HandleMessage = async (msg: InboundMessage) => {
    await holds.get(msg.messageId);
    return rt.handle(msg);
  };
  app = createApp({ services: env.services, handle, adapters: rt.adapters, inflight: rt.inflight });
  // Warm the pipeline (router, classifier) so the first timed answer is not a cold start.
  await rt.handle({ channel: 'console', messageId: 'warm-up', from: 'store_manager_03', text: '查一下 13800000005', receivedAt: new Date(), requestId: 'warm-up' });
});
afterAll(async () => {
  await Promise.allSettled([...rt.inflight]);
  await rt?.stop();
  await env?.cleanup();
  await fake?.close();
});

describe('AI bot, callback mode', () => {
  it('passes URL verification (receive id empty) and refuses a mis-signed one', async () => {
    const ok = await post(aibotVerification(keys, '6271437521840345', now()));
    expect(ok).toMatchObject({ status: 200, body: '6271437521840345' });
    const bad = aibotVerification(keys, 'x', now());
    expect((await post({ ...bad, query: { ...bad.query, msg_signature: 'f'.repeat(40) } })).status).toBe(401);
  });

  it('answers a look-up as one finished stream carrying the feedback id, within the placeholder budget', async () => {
    const { status, reply } = await say('ab-1', '查一下 13800000001');
    expect(status).toBe(200);
    expect(reply).toMatchObject({ msgtype: 'stream', stream: { id: streamIdOf('ab-1'), finish: true, feedback: { id: 'ab-1' } } });
    expect(reply!.stream.content).toContain('M00000001');
    expect(fake.sent.length).toBe(0);
  });

  it('reads a mixed (图文混排) message by its text and answers a lone image with a note', async () => {
    const mixed = await post(aibotCallback(keys, mixedMessage('ab-2', [{ image: 'https://example.invalid/a.jpg' }, { text: '查一下 13800000003' }], { from: 'store_manager_01' }), now()));
    expect(mixed.reply!.stream.content).toContain('M00000003');
    const image = await post(aibotCallback(keys, imageMessage('ab-3', 'https://example.invalid/b.jpg', { from: 'store_manager_01' }), now()));
    expect(image.reply).toMatchObject({ msgtype: 'stream', stream: { finish: true } });
    expect(image.reply!.stream.content).toContain('文字');
  });

  it('sends 处理中… within 2 s when the answer is slow, then answers the refreshes until finish', async () => {
    hold('ab-slow');
    const t0 = Date.now();
    const first = await say('ab-slow', '查一下 13800000004', 'hq_ops_01');
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(first.reply).toMatchObject({ msgtype: 'stream', stream: { id: streamIdOf('ab-slow'), finish: false, content: '处理中…' } });
    // WeCom refreshes: still working.
    expect((await refresh('ab-r1', 'ab-slow', 'hq_ops_01')).reply).toMatchObject({ stream: { id: streamIdOf('ab-slow'), finish: false, content: '处理中…' } });
    release('ab-slow');
    await until(async () => (await refresh('ab-r2', 'ab-slow', 'hq_ops_01')).reply?.stream.finish === true);
    const done = await refresh('ab-r3', 'ab-slow', 'hq_ops_01');
    expect(done.reply).toMatchObject({ stream: { id: streamIdOf('ab-slow'), finish: true } });
    expect(done.reply!.stream.content).toContain('M00000004');
    // In the stream, so not relayed: the inbox notes it delivered and nothing went out as an app message.
    expect(fake.sent.filter((m) => m.touser === 'hq_ops_01').length).toBe(0);
    expect(await count(`SELECT COUNT(*) AS n FROM inbound_messages WHERE channel = 'wecom_aibot' AND message_id = 'ab-slow' AND state = 'answered' AND pushed_at IS NOT NULL`)).toBe(1);
  });

  it('finishes the stream before WeCom\'s 6 minutes run out and relays the late answer as an app message', async () => {
    hold('ab-late');
    const first = await say('ab-late', '查一下 13800000001', 'agent_01');
    expect(first.reply!.stream.finish).toBe(false);
    offsetMs += 5 * 60_000; // 5 min: still refreshed
    expect((await refresh('ab-l1', 'ab-late', 'agent_01')).reply!.stream.finish).toBe(false);
    offsetMs += 31_000; // past AIBOT_STREAM_MAX_MS (5 min 30 s)
    const cut = await refresh('ab-l2', 'ab-late', 'agent_01');
    expect(cut.reply).toMatchObject({ stream: { finish: true } });
    expect(cut.reply!.stream.content).toContain('应用消息');
    rt.startWorkers();
    release('ab-late');
    await until(() => fake.sent.some((m) => m.touser === 'agent_01'));
    const relayed = fake.sent.filter((m) => m.touser === 'agent_01');
    expect(relayed).toHaveLength(1);
    expect(relayed[0]!.content).toContain('M00000001');
    // A refresh after the cut-over keeps the stream finished.
    expect((await refresh('ab-l3', 'ab-late', 'agent_01')).reply!.stream.finish).toBe(true);
  });

  it('carries the head of an answer longer than a stream and relays the whole of it as app messages', async () => {
    hold('ab-long');
    const first = await say('ab-long', '帮助', 'store_manager_02');
    expect(first.reply!.stream.finish).toBe(false);
    const adapter = rt.adapters.wecom_aibot!;
    const long = `${'会员明细 '.repeat(3000)}完`; // ~39 KB: more than a stream's 20 480 bytes
    const msg: InboundMessage = { channel: 'wecom_aibot', messageId: 'ab-long', from: 'store_manager_02', text: '帮助', receivedAt: now(), requestId: 'r-long' };
    await adapter.deliver!(msg, { kind: 'answer', answer: { intent: 'help', slots: {}, confidence: 1, text: long } });
    const done = await refresh('ab-long-r', 'ab-long', 'store_manager_02');
    expect(done.reply).toMatchObject({ stream: { finish: true } });
    expect(Buffer.byteLength(done.reply!.stream.content)).toBeLessThanOrEqual(20480);
    expect(done.reply!.stream.content).toContain('应用消息');
    await until(() => fake.sent.filter((m) => m.touser === 'store_manager_02').map((m) => m.content).join('').includes('完'));
    expect(fake.sent.filter((m) => m.touser === 'store_manager_02').map((m) => m.content).join('')).toBe(long);
    release('ab-long');
  });

  it('answers @-mentions in groups with per-group context: two groups do not share focus', async () => {
    await say('ab-g1', '查一下 13800000001', 'store_manager_01', 'group-A');
    await say('ab-g2', '查一下 13800000003', 'store_manager_01', 'group-B');
    const a = await say('ab-g3', '他的订单', 'store_manager_01', 'group-A');
    const b = await say('ab-g4', '他的订单', 'store_manager_01', 'group-B');
    expect(a.reply!.stream.content).toContain('M00000001');
    expect(a.reply!.stream.content).not.toContain('M00000003');
    expect(b.reply!.stream.content).toContain('M00000003');
    // The one-to-one chat keeps its own memory too.
    expect((await say('ab-g5', '他的订单', 'store_manager_02')).reply!.stream.content).not.toContain('M00000001');
  });

  it('answers a message WeCom delivers three times once, with the same stream each time', async () => {
    const audits = () => count('SELECT COUNT(*) AS n FROM audit_logs');
    const before = await audits();
    const req = aibotCallback(keys, textMessage('ab-retry', '查一下 13800000001', { from: 'hq_ops_01', chatid: 'group-R' }), now());
    const replies = [await post(req), await post(req), await post(req)];
    expect(new Set(replies.map((r) => r.reply!.stream.id))).toEqual(new Set([streamIdOf('ab-retry')]));
    expect(new Set(replies.map((r) => r.reply!.stream.content)).size).toBe(1);
    expect(await audits()).toBe(before + 1);
    expect(await count(`SELECT COUNT(*) AS n FROM inbound_messages WHERE channel = 'wecom_aibot' AND message_id = 'ab-retry'`)).toBe(1);
  });

  it('stores feedback against the answer once, however often WeCom sends it', async () => {
    const fb = eventMessage('ab-fb1', 'feedback_event', { id: 'ab-1', type: 2, content: '会员等级不对', inaccurate_reason_list: [2, 4] }, { from: 'store_manager_01' });
    const res = await post(aibotCallback(keys, fb, now()));
    expect(res).toMatchObject({ status: 200, body: '' });
    await post(aibotCallback(keys, fb, now()));
    expect(await feedbackOn(env.services, 'ab-1')).toEqual([{ messageId: 'ab-fb1', feedbackId: 'ab-1', userid: 'store_manager_01', type: 2, content: '会员等级不对', reasons: [2, 4] }]);
  });

  it('welcomes a user on enter_chat with a text reply', async () => {
    const res = await post(aibotCallback(keys, eventMessage('ab-enter', 'enter_chat', {}, { from: 'store_manager_03' }), now()));
    expect(res.reply).toMatchObject({ msgtype: 'text' });
    expect(res.reply!.text.content).toContain('CRM');
  });

  it(`answers at most ${QUOTA} messages per conversation per 24 h and leaves the rest unanswered`, async () => {
    for (let i = 0; i < QUOTA; i++) expect((await say(`ab-q${i}`, 'help', 'store_manager_01', 'group-Q')).reply!.msgtype).toBe('stream');
    const refused = await say('ab-q-over', 'help', 'store_manager_01', 'group-Q');
    expect(refused).toMatchObject({ status: 200, body: '' });
    expect(await count(`SELECT COUNT(*) AS n FROM inbound_messages WHERE channel = 'wecom_aibot' AND message_id = 'ab-q-over'`)).toBe(0);
    // Another conversation is not affected.
    expect((await say('ab-q-other', 'help', 'store_manager_01', 'group-Q2')).reply!.msgtype).toBe('stream');
  });

  it('turns a card click into a card action and answers it by updating the card', async () => {
    const click = eventMessage('ab-click', 'template_card_event', { card_type: 'button_interaction', event_key: 'cancel', task_id: 'task-none' }, { from: 'store_manager_01' });
    const res = await post(aibotCallback(keys, click, now()));
    expect(res.status).toBe(200);
    if (res.reply) expect(res.reply).toMatchObject({ response_type: 'update_template_card', template_card: { task_id: 'task-none' } });
  });
});
