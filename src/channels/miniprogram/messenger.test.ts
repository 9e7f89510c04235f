import { once } from 'node:events';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeWeixin, type FakeWeixin } from '../../../test/fakes/weixin-api.ts';
import { createTestEnv, type TestEnv } from '../../../test/support/env.ts';
import { pushRequest, subscribeEventDoc, textDoc } from '../../../test/support/miniprogram-callback-builder.ts';
import { createMiniProgramChannel, createMiniProgramMessenger, replyWindowOf, subscriptionStoreOf } from './index.ts';
import type { MpMessenger } from './messenger.ts';
import { PHONE_COLUMNS, sealedPhoneValues } from '../../../test/support/sealed-phone.ts';

const APP_ID = 'wx0123456789abcdef';
const SECRET = 'mp-secret';
const TOKEN = 'mp-callback-token';
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const TPL = 'TPL_points_expiry_0000000000000000000000000';

let fake: FakeWeixin;
let env: TestEnv;
let clock = new Date('2026-11-22T08:00:00Z');
let mp: MpMessenger;
let n = 0;
/** A fresh openid per test, so tests share no window or quota. */
const openid = () => `oTest_${++n}_${Math.random().toString(36).slice(2, 8)}`;
const later = (ms: number) => (clock = new Date(clock.getTime() + ms));

beforeAll(async () => {
  fake = await startFakeWeixin({ appId: APP_ID, appSecret: SECRET });
  env = await createTestEnv('mp_messenger', { MP_APP_ID: APP_ID, MP_APP_SECRET: SECRET, MP_TOKEN: TOKEN, MP_AES_KEY: AES_KEY, MP_API_BASE: fake.url }, { now: () => clock });
  mp = createMiniProgramMessenger(env.services)!;
  // The shared connection has no offline queue: wait until it is up before the first command.
  if (env.services.redis.status !== 'ready') await once(env.services.redis, 'ready');
});
afterAll(async () => {
  await env?.cleanup();
  await fake?.close();
});
beforeEach(() => {
  fake.sent.length = 0;
});

const window = () => replyWindowOf(env.services);
const store = () => subscriptionStoreOf(env.services);
const customSends = () => fake.requests.custom;

describe('access token', () => {
  it('is fetched once and shared by concurrent sends; an expired or invalid token is refreshed once', async () => {
    const u = openid();
    await window().open(u, clock, 'message');
    const before = fake.requests.token;
    const results = await Promise.all([1, 2, 3].map((i) => mp.sendCustomerText(u, `hello ${i}`)));
    expect(results.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
    expect(fake.requests.token - before).toBeLessThanOrEqual(1);
    fake.expireTokens();
    expect((await mp.sendCustomerText(u, 'after 42001')).status).toBe('sent');
    fake.invalidateTokens();
    expect((await mp.sendCustomerText(u, 'after 40001')).status).toBe('sent');
    expect(fake.sent.map((s) => s.content)).toEqual(expect.arrayContaining(['after 42001', 'after 40001']));
    const tokens = new Set(fake.sent.map((s) => s.accessToken));
    expect(tokens.size).toBe(3);
    // The cache survives a new client (another process): no extra token call.
    const t0 = fake.requests.token;
    await createMiniProgramMessenger(env.services)!.sendCustomerText(u, 'from another process');
    expect(fake.requests.token).toBe(t0);
  });

  it('a bad secret is a permanent failure, not a retry loop', async () => {
    // Its own key space, so the good token cached by the other tests is not found.
    const services = { ...env.services, config: { ...env.services.config, MP_APP_SECRET: 'wrong' }, key: (...p: (string | number)[]) => env.services.key('badsecret', ...p) };
    const other = createMiniProgramMessenger(services)!;
    const u = openid();
    await replyWindowOf(services).open(u, clock, 'message');
    const tokenCalls = fake.requests.token;
    const r = await other.sendCustomerText(u, 'x');
    expect(r).toMatchObject({ status: 'failed', retryable: false, code: 'mp_api_error' });
    expect(fake.requests.token).toBe(tokenCalls + 1);
    expect((await replyWindowOf(services).state(u))!.left).toBe(5); // the slot was given back
  });
});

describe('customer-service messages and the 48-hour window', () => {
  it('never calls WeChat for a member who has not written: unreachable, recorded', async () => {
    const u = openid();
    const calls = customSends();
    expect(await mp.sendCustomerText(u, 'hi')).toEqual({ status: 'unreachable', reason: 'outside_window', sentChunks: 0 });
    expect(customSends()).toBe(calls);
    expect(await mp.lastUnreachable(u)).toMatchObject({ reason: 'outside_window', at: clock.getTime() });
  });

  it('opens 48 h / 5 messages on a member message; the 6th and anything after 48 h are refused locally', async () => {
    const u = openid();
    await window().open(u, clock, 'message');
    for (let i = 0; i < 5; i++) expect((await mp.sendCustomerText(u, `m${i}`)).status).toBe('sent');
    const calls = customSends();
    expect(await mp.sendCustomerText(u, 'm5')).toMatchObject({ status: 'unreachable', reason: 'window_exhausted' });
    expect(customSends()).toBe(calls);
    // A new member message resets the count.
    later(3600_000);
    await window().open(u, clock, 'message');
    expect((await mp.sendCustomerText(u, 'again')).status).toBe('sent');
    expect((await window().state(u))!.lastInbound).toBe(clock.getTime());
    later(48 * 3600_000 - 1000);
    expect((await mp.sendCustomerText(u, 'just inside')).status).toBe('sent');
    later(2000);
    expect(await mp.sendCustomerText(u, 'just outside')).toMatchObject({ status: 'unreachable', reason: 'outside_window' });
  });

  it('a session entry opens 1 minute / 2 messages and never shortens a 48-hour window', async () => {
    const u = openid();
    await window().open(u, clock, 'session');
    expect((await mp.sendCustomerText(u, 'a')).status).toBe('sent');
    later(61_000);
    expect((await mp.sendCustomerText(u, 'b')).status).toBe('unreachable');
    const v = openid();
    await window().open(v, clock, 'message');
    await window().open(v, clock, 'session');
    expect((await window().state(v))!).toMatchObject({ until: clock.getTime() + 48 * 3600_000, left: 5 });
  });

  it('45015 and 45047 from WeChat: recorded as unreachable, window closed, no retry', async () => {
    const u = openid();
    await window().open(u, clock, 'message');
    fake.failNext('custom', 45015);
    expect(await mp.sendCustomerText(u, 'x')).toMatchObject({ status: 'unreachable', reason: 'reply_time_limit', errcode: 45015 });
    const calls = customSends();
    expect((await mp.sendCustomerText(u, 'y')).status).toBe('unreachable');
    expect(customSends()).toBe(calls);
    expect(await mp.lastUnreachable(u)).toMatchObject({ reason: 'outside_window' });

    const v = openid();
    await window().open(v, clock, 'message');
    fake.failNext('custom', 45047);
    expect(await mp.sendCustomerText(v, 'x')).toMatchObject({ status: 'unreachable', reason: 'reply_count_limit', errcode: 45047 });
    expect(await mp.lastUnreachable(v)).toMatchObject({ reason: 'reply_count_limit', errcode: 45047 });
    expect((await window().state(v))!.left).toBe(0);
  });

  it('a busy API (-1) is retryable and gives the slot back', async () => {
    const u = openid();
    await window().open(u, clock, 'message');
    fake.failNext('custom', -1);
    expect(await mp.sendCustomerText(u, 'x')).toMatchObject({ status: 'failed', retryable: true });
    expect((await window().state(u))!.left).toBe(5);
  });

  it('splits long text at 2048 bytes and resumes a retried request after the chunks already sent', async () => {
    const u = openid();
    await window().open(u, clock, 'message');
    const text = `${'积'.repeat(700)}\n${'分'.repeat(700)}`; // 4201 bytes → 3 chunks
    fake.failNext('custom', -1, 1);
    // First chunk fails: nothing sent.
    expect((await mp.sendCustomerText(u, text, 'req-long')).status).toBe('failed');
    const r = await mp.sendCustomerText(u, text, 'req-long');
    expect(r).toEqual({ status: 'sent', chunks: 3, sent: 3 });
    expect(fake.sent.filter((s) => s.touser === u).map((s) => Buffer.byteLength(s.content!, 'utf8') <= 2048)).toEqual([true, true, true]);
    expect(fake.sent.filter((s) => s.touser === u).map((s) => s.content).join('').replace('\n', '')).toBe(text.replace('\n', ''));
    expect(await mp.sendCustomerText(u, text, 'req-long')).toEqual({ status: 'sent', chunks: 3, sent: 0 });
  });
});

describe('subscribe messages and the quota', () => {
  const data = { thing1: '您的积分将于本月底过期，请尽快使用兑换好礼', date2: '2026-11-30', number3: 1280 };

  it('never sends without an accepted subscription', async () => {
    const u = openid();
    const calls = fake.requests.subscribe;
    expect(await mp.sendSubscribe({ openid: u, templateId: TPL, data })).toEqual({ status: 'no_subscription' });
    expect(fake.requests.subscribe).toBe(calls);
  });

  it('records quota from popup events (+1 per accept, 0 on reject) and spends one per send', async () => {
    const u = openid();
    await store().applyEvent(u, 'subscribe_msg_popup_event', [{ templateId: TPL, status: 'accept' }], clock);
    await store().applyEvent(u, 'subscribe_msg_popup_event', [{ templateId: TPL, status: 'accept' }, { templateId: 'TPL_other', status: 'reject' }], clock);
    expect((await store().get(u, TPL))!.remaining).toBe(2);
    expect((await store().get(u, 'TPL_other'))!).toMatchObject({ remaining: 0, lastStatus: 'reject' });
    expect(await mp.sendSubscribe({ openid: u, templateId: TPL, data, page: 'pages/points/index' })).toEqual({ status: 'sent', remaining: 1 });
    const sent = fake.sent.find((s) => s.touser === u)!;
    expect(sent).toMatchObject({ api: 'subscribe', templateId: TPL, page: 'pages/points/index', miniprogramState: 'formal' });
    expect([...sent.data!.thing1!.value]).toHaveLength(20);
    expect(sent.data!.number3).toEqual({ value: '1280' });
    expect(await mp.sendSubscribe({ openid: u, templateId: TPL, data })).toEqual({ status: 'sent', remaining: 0 });
    expect(await mp.sendSubscribe({ openid: u, templateId: TPL, data })).toEqual({ status: 'no_subscription' });
    await store().applyEvent(u, 'subscribe_msg_change_event', [{ templateId: TPL, status: 'accept' }], clock);
    await store().applyEvent(u, 'subscribe_msg_change_event', [{ templateId: TPL, status: 'reject' }], clock);
    expect((await store().get(u, TPL))!.remaining).toBe(0);
  });

  it('spends each subscription once under concurrency', async () => {
    const u = openid();
    for (let i = 0; i < 3; i++) await store().applyEvent(u, 'subscribe_msg_popup_event', [{ templateId: TPL, status: 'accept' }], clock);
    const results = await Promise.all(Array.from({ length: 8 }, () => mp.sendSubscribe({ openid: u, templateId: TPL, data })));
    expect(results.filter((r) => r.status === 'sent')).toHaveLength(3);
    expect(results.filter((r) => r.status === 'no_subscription')).toHaveLength(5);
    expect(fake.sent.filter((s) => s.touser === u)).toHaveLength(3);
  });

  it('43101 from WeChat zeroes the quota; a sent-event with 43101 does too', async () => {
    const u = openid();
    for (let i = 0; i < 3; i++) await store().applyEvent(u, 'subscribe_msg_popup_event', [{ templateId: TPL, status: 'accept' }], clock);
    fake.failNext('subscribe', 43101);
    expect(await mp.sendSubscribe({ openid: u, templateId: TPL, data })).toEqual({ status: 'refused', errcode: 43101 });
    expect((await store().get(u, TPL))!.remaining).toBe(0);
    const v = openid();
    await store().applyEvent(v, 'subscribe_msg_popup_event', [{ templateId: TPL, status: 'accept' }], clock);
    await store().applyEvent(v, 'subscribe_msg_sent_event', [{ templateId: TPL, status: 'success', errorCode: '0' }], clock);
    expect((await store().get(v, TPL))!.remaining).toBe(1);
    await store().applyEvent(v, 'subscribe_msg_sent_event', [{ templateId: TPL, status: 'fail', errorCode: '43101' }], clock);
    expect((await store().get(v, TPL))!.remaining).toBe(0);
  });

  it('invalid data spends nothing; a transient failure gives the subscription back', async () => {
    const u = openid();
    await store().applyEvent(u, 'subscribe_msg_popup_event', [{ templateId: TPL, status: 'accept' }], clock);
    const bad = await mp.sendSubscribe({ openid: u, templateId: TPL, data: { phrase1: '这不是五个字以内' } });
    expect(bad).toMatchObject({ status: 'invalid_data', issues: [{ key: 'phrase1' }] });
    fake.failNext('subscribe', -1);
    expect(await mp.sendSubscribe({ openid: u, templateId: TPL, data })).toMatchObject({ status: 'failed', retryable: true });
    expect((await store().get(u, TPL))!.remaining).toBe(1);
    expect((await mp.sendSubscribe({ openid: u, templateId: TPL, data })).status).toBe('sent');
  });

  it('links the openid to the member when one exists', async () => {
    const u = openid();
    await env.services.sql.query(
      `INSERT INTO members (member_no, name, ${PHONE_COLUMNS}, registered_at, source_channel, openid) VALUES (?, '测试', ?, ?, ?, NOW(3), 'miniprogram', ?)`,
      [`T${n}`.padEnd(9, '0'), ...sealedPhoneValues(`139${String(Date.now()).slice(-8)}`), u],
    );
    await store().applyEvent(u, 'subscribe_msg_popup_event', [{ templateId: TPL, status: 'accept' }], clock);
    const [m] = await env.services.sql.query<any[]>('SELECT id FROM members WHERE openid = ?', [u]);
    expect((await store().get(u, TPL))!.memberId).toBe(Number(m[0].id));
  });
});

describe('reachability (recall previews)', () => {
  it('reports the open window and the templates with quota left', async () => {
    const u = openid();
    expect(await mp.reachability(u)).toEqual({ customerService: false, windowLeft: 0, subscriptions: {} });
    await window().open(u, clock, 'message');
    await store().applyEvent(u, 'subscribe_msg_popup_event', [{ templateId: TPL, status: 'accept' }, { templateId: 'TPL_none', status: 'reject' }], clock);
    expect(await mp.reachability(u)).toEqual({ customerService: true, windowLeft: 5, windowUntil: new Date(clock.getTime() + 48 * 3600_000), subscriptions: { [TPL]: 1 } });
    later(48 * 3600_000 + 1);
    expect((await mp.reachability(u)).customerService).toBe(false);
  });
});

describe('callback side effects through the channel (onAccepted)', () => {
  it('a subscription event retried by WeChat is counted once; a member message opens the window', async () => {
    const adapter = createMiniProgramChannel(env.services)!;
    const u = openid();
    const keys = { appId: APP_ID, token: TOKEN, aesKey: AES_KEY };
    const doc = subscribeEventDoc({ openid: u, event: 'subscribe_msg_popup_event', list: [{ TemplateId: TPL, SubscribeStatusString: 'accept', PopupScene: '0' }], at: clock });
    for (let i = 0; i < 3; i++) {
      const parsed = adapter.parse(pushRequest(keys, doc, 'xml', clock), clock, `r${i}`);
      if (!parsed.ok) throw parsed.error;
      await adapter.onAccepted!(parsed, clock);
    }
    expect((await store().get(u, TPL))!.remaining).toBe(1);
    const parsed = adapter.parse(pushRequest(keys, textDoc({ openid: u, text: 'hi', msgId: '42', at: clock }), 'json', clock), clock, 'rm');
    if (!parsed.ok) throw parsed.error;
    await adapter.onAccepted!(parsed, clock);
    expect((await window().state(u))!).toMatchObject({ left: 5, lastInbound: clock.getTime() });
    await adapter.push!(u, 'pushed answer');
    expect(fake.sent.find((s) => s.touser === u)?.content).toBe('pushed answer');
    const v = openid();
    await expect(adapter.push!(v, 'nobody asked')).rejects.toMatchObject({ code: 'mp_unreachable', retryable: false });
  });
});
