/**
 * One conformance suite for every outbound sender (src/channels/outbound), each against the fake
 * of its provider speaking the provider's wire format: a normal send, an access token the platform
 * dropped early (40014 / 40001) or expired (42001) — refreshed once, also when many sends meet it
 * at once —, a 5xx and an HTTP 429 from a gateway, the platform's own rate-limit errcode, a
 * permanent refusal, an unreachable recipient and a timeout. The table says what each case must
 * give; senders without an access token (SMS, e-mail, the group robot) skip the token cases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpTextSender, createMiniProgramSubscribeSender, createWeComExternalSender, createWeComRobotSender } from '../../src/channels/outbound/index.ts';
import { createMpApiClient } from '../../src/channels/miniprogram/api-client.ts';
import { replyWindowOf, subscriptionStoreOf } from '../../src/channels/miniprogram/index.ts';
import { createMessenger } from '../../src/channels/miniprogram/messenger.ts';
import { createWeComApiClient } from '../../src/channels/wecom/index.ts';
import type { OutboundMessage, OutboundSender, SendResult } from '../../src/crm/automation/index.ts';
import { startFakeQyapi, type FakeQyapi } from '../fakes/qyapi.ts';
import { startFakeTextProvider, type FakeTextProvider } from '../fakes/text-provider.ts';
import { startFakeWeixin, type FakeWeixin } from '../fakes/weixin-api.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';

const CORP_ID = 'wwoutboundcorp01';
const CORP_SECRET = 'outbound-secret';
const AGENT_ID = '1000002';
const ROBOT_KEY = 'robot-outbound';
const MP_APP_ID = 'wxoutboundapp0001';
const MP_SECRET = 'mp-outbound-secret';
const TEMPLATE = 'tpl-coupon-1';
/** The senders give up after this long; a slow fake answers after SLOW_MS. */
const TIMEOUT_MS = 400;
const SLOW_MS = 1200;
const BURST = 5;

/** What the suite needs of one sender and its fake. */
interface Subject {
  sender: OutboundSender;
  /** A fresh message to a reachable recipient (a new idempotency key each time). */
  message(): OutboundMessage;
  /** A message the provider answers "cannot reach this recipient" to (absent: no such notion). */
  unreachable?(): OutboundMessage;
  /** Messages the fake accepted so far. */
  delivered(): number;
  /** Token-bearing senders: gettoken calls so far, and the two ways the platform drops a token. */
  tokens?: { requests(): number; revoke(): void; expire(): void };
  /** The next request gets this HTTP status from a gateway in front of the provider. */
  httpStatus(status: number): void;
  /** The platform's own rate-limit answer (an errcode), when it has one besides HTTP 429. */
  rateLimit?(): void;
  /** A refusal another try cannot change. */
  permanent(): void;
  setDelay(ms: number): void;
}

interface Row {
  name: string;
  tokens: boolean;
  rateErrcode: boolean;
  unreachable: boolean;
}

const ROWS: Row[] = [
  { name: 'sms', tokens: false, rateErrcode: false, unreachable: true },
  { name: 'email', tokens: false, rateErrcode: false, unreachable: true },
  { name: 'wecom external contact', tokens: true, rateErrcode: true, unreachable: true },
  { name: 'wecom group robot', tokens: false, rateErrcode: true, unreachable: false },
  { name: 'mini-program subscribe', tokens: true, rateErrcode: true, unreachable: true },
];

let env: TestEnv;
let sms: FakeTextProvider;
let email: FakeTextProvider;
let qy: FakeQyapi;
let weixin: FakeWeixin;
const subjects = new Map<string, Subject>();
let seq = 0;
const key = () => `conformance-${++seq}`;

beforeAll(async () => {
  sms = await startFakeTextProvider({ invalid: (to) => to === '13900000000' });
  email = await startFakeTextProvider({ invalid: (to) => to === 'gone@example.com' });
  qy = await startFakeQyapi({ corpId: CORP_ID, corpSecret: CORP_SECRET, agentId: AGENT_ID, robotKey: ROBOT_KEY, contacts: (id) => id !== 'wm_gone' });
  weixin = await startFakeWeixin({ appId: MP_APP_ID, appSecret: MP_SECRET });
  env = await createTestEnv('outbound_conformance', {
    WECOM_API_BASE: qy.url,
    WECOM_CORP_ID: CORP_ID,
    WECOM_SECRET: CORP_SECRET,
    WECOM_AGENT_ID: AGENT_ID,
    WECOM_TOKEN: 'tok',
    WECOM_AES_KEY: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
    MP_TOKEN: 'mptoken',
    MP_API_BASE: weixin.url,
    MP_APP_ID,
    MP_APP_SECRET: MP_SECRET,
  });
  const { services } = env;

  const text = (fake: FakeTextProvider, name: 'sms' | 'email', to: string, gone: string): Subject => ({
    sender: createHttpTextSender(name, fake.url, TIMEOUT_MS),
    message: () => ({ key: key(), to, text: '会员日全场 9 折', subject: '会员日' }),
    unreachable: () => ({ key: key(), to: gone, text: '会员日全场 9 折' }),
    delivered: () => fake.delivered.length,
    httpStatus: (status) => fake.failNext(1, status),
    permanent: () => fake.failNext(1, 401), // e.g. a revoked API key
    setDelay: (ms) => fake.setDelay(ms),
  });
  subjects.set('sms', text(sms, 'sms', '13800000001', '13900000000'));
  subjects.set('email', text(email, 'email', 'lin@example.com', 'gone@example.com'));

  const qyTokens = { requests: () => qy.tokenRequests, revoke: () => qy.revokeTokens(), expire: () => qy.expireTokens() };
  subjects.set('wecom external contact', {
    sender: createWeComExternalSender(createWeComApiClient(services, { timeoutMs: TIMEOUT_MS })),
    message: () => ({ key: key(), to: 'wm_001', text: '您好，您的 10 元券已到账' }),
    unreachable: () => ({ key: key(), to: 'wm_gone', text: '您好' }),
    delivered: () => qy.external.length,
    tokens: qyTokens,
    httpStatus: (status) => qy.failHttpNext(status),
    rateLimit: () => qy.failExternalNext(45009),
    permanent: () => qy.failExternalNext(60011), // the app may not use 客户联系
    setDelay: (ms) => qy.setDelay(ms),
  });
  subjects.set('wecom group robot', {
    sender: createWeComRobotSender({ base: qy.url, robotKey: ROBOT_KEY, timeoutMs: TIMEOUT_MS }),
    message: () => ({ key: key(), to: '', text: '【旅程执行异常】测试' }),
    delivered: () => qy.robot.length,
    httpStatus: (status) => qy.failHttpNext(status),
    rateLimit: () => qy.failRobotNext(130101), // "send too fast": over 20 a minute
    permanent: () => qy.failRobotNext(93000), // invalid webhook key
    setDelay: (ms) => qy.setDelay(ms),
  });

  const messenger = createMessenger({
    api: createMpApiClient(services, { timeoutMs: TIMEOUT_MS }),
    window: replyWindowOf(services),
    subscriptions: subscriptionStoreOf(services),
    redis: services.redis,
    logger: services.logger,
    key: services.key,
    now: services.now,
  });
  // One-time subscriptions the member accepted (given back whenever WeChat does not take a message).
  const store = subscriptionStoreOf(services);
  for (let i = 0; i < 40; i++) await store.applyEvent('o_member', 'subscribe_msg_popup_event', [{ templateId: TEMPLATE, status: 'accept' }], services.now());
  const subscribe = { templateId: TEMPLATE, data: { thing1: '新人欢迎券', amount2: '10元' }, page: 'pages/coupons/index' };
  subjects.set('mini-program subscribe', {
    sender: createMiniProgramSubscribeSender(messenger),
    message: () => ({ key: key(), to: 'o_member', text: '', subscribe }),
    unreachable: () => ({ key: key(), to: 'o_never_subscribed', text: '', subscribe }),
    delivered: () => weixin.sent.filter((s) => s.api === 'subscribe').length,
    tokens: { requests: () => weixin.requests.token, revoke: () => weixin.invalidateTokens(), expire: () => weixin.expireTokens() },
    httpStatus: (status) => weixin.failHttpNext(status),
    rateLimit: () => weixin.failNext('subscribe', 45011),
    permanent: () => weixin.failNext('subscribe', 40003), // not a user of this mini-program
    setDelay: (ms) => weixin.setDelay(ms),
  });
});

afterAll(async () => {
  await env?.cleanup();
  await Promise.all([sms?.close(), email?.close(), qy?.close(), weixin?.close()]);
});

const failure = (retryable: boolean) => ({ status: 'failed', retryable, code: expect.any(String), message: expect.any(String) });

describe.each(ROWS)('outbound sender conformance: $name', (row) => {
  const s = () => subjects.get(row.name)!;

  /** Sends one message; returns the result and how many deliveries the fake recorded meanwhile. */
  async function send(msg = s().message()): Promise<{ r: SendResult; delivered: number }> {
    const before = s().delivered();
    const r = await s().sender.send(msg);
    return { r, delivered: s().delivered() - before };
  }
  it('sends a message', async () => {
    const { r, delivered } = await send();
    expect(r.status).toBe('sent');
    expect(delivered).toBe(1);
  });

  if (row.tokens) {
    it.each([
      ['revoked before expiry', 'revoke'],
      ['expired', 'expire'],
    ] as const)('a token the platform %s: dropped, refreshed once, sent', async (_, how) => {
      const tokens = s().tokens!;
      const before = tokens.requests();
      tokens[how]();
      const { r, delivered } = await send();
      expect(r.status).toBe('sent');
      expect(delivered).toBe(1);
      expect(tokens.requests()).toBe(before + 1);
    });

    it(`a dropped token met by ${BURST} sends at once: one refresh, all sent`, async () => {
      const tokens = s().tokens!;
      const before = tokens.requests();
      const deliveredBefore = s().delivered();
      tokens.revoke();
      const results = await Promise.all(Array.from({ length: BURST }, () => s().sender.send(s().message())));
      expect(results.map((r) => r.status)).toEqual(Array(BURST).fill('sent'));
      expect(s().delivered() - deliveredBefore).toBe(BURST);
      expect(tokens.requests()).toBe(before + 1);
    });
  }

  it.each([502, 503])('HTTP %i from a gateway: a retryable failure', async (status) => {
    s().httpStatus(status);
    const { r, delivered } = await send();
    expect(r).toMatchObject(failure(true));
    expect(delivered).toBe(0);
  });

  it('HTTP 429: a retryable failure', async () => {
    s().httpStatus(429);
    const { r, delivered } = await send();
    expect(r).toMatchObject(failure(true));
    expect(delivered).toBe(0);
  });

  if (row.rateErrcode) {
    it("the platform's rate-limit errcode: a retryable failure", async () => {
      s().rateLimit!();
      const { r, delivered } = await send();
      expect(r).toMatchObject(failure(true));
      expect(delivered).toBe(0);
    });
  }

  it('a permanent refusal: a failure that is not retried', async () => {
    s().permanent();
    const { r, delivered } = await send();
    expect(r).toMatchObject(failure(false));
    expect(delivered).toBe(0);
  });

  if (row.unreachable) {
    it('a recipient the provider cannot reach: unreachable (the journey tries its next channel)', async () => {
      const { r, delivered } = await send(s().unreachable!());
      expect(r).toMatchObject({ status: 'unreachable', reason: expect.any(String) });
      expect(delivered).toBe(0);
    });
  }

  // Last: the slow answer still arrives at the fake after the sender gave up.
  it('no answer within the timeout: in doubt (it may have been delivered), retryable', async () => {
    s().setDelay(SLOW_MS);
    try {
      const started = Date.now();
      const { r } = await send();
      expect(Date.now() - started).toBeLessThan(SLOW_MS);
      expect(r).toMatchObject({ status: 'in_doubt', retryable: true, code: expect.any(String) });
    } finally {
      s().setDelay(0);
      await new Promise((resolve) => setTimeout(resolve, SLOW_MS));
    }
  });
});
