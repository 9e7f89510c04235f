import { describe, expect, it } from 'vitest';
import type { BotAnswer, InboundMessage } from '../../src/bot/types.ts';
import type { ChannelAdapter, RawRequest, RawResponse } from '../../src/channels/types.ts';
import { consoleFixture } from './fixtures/console.ts';
import { miniprogramFixture } from './fixtures/miniprogram.ts';
import { kfFixture } from './fixtures/kf.ts';
import { wecomFixture } from './fixtures/wecom.ts';
import { aibotFixture } from './fixtures/aibot.ts';

/** What each adapter's fixture provides so one suite can exercise every channel. */
export interface AdapterFixture {
  name: string;
  adapter: ChannelAdapter;
  now: Date;
  /** A well-formed request carrying a text message, built the way the platform builds it. */
  valid(text: string, from: string, messageId: string): RawRequest;
  /** Requests the adapter must refuse with a 4xx (tampered, malformed …), by label. */
  invalid(): Record<string, RawRequest>;
  /**
   * Reads the text back out of a synchronous reply, as the platform would. Absent for a platform
   * with no passive text reply (the mini-program): its adapter must then refuse inline replies.
   */
  decodeReply?(res: RawResponse): string;
  /**
   * Messages are pulled, not pushed (微信客服 sync_msg): valid() builds a pulled item, which
   * parsePulled() turns into the message; the callback only signals (signal(), read by isSignal).
   */
  pulled?: boolean;
  signal?(): RawRequest;
  isSignal?(parsed: ReturnType<ChannelAdapter['parse']>): unknown;
  /** Pulled items parsePulled() must refuse with a 4xx. */
  invalidPulled?(): Record<string, RawRequest>;
}

/** The message of a valid request: parse() for pushed platforms, parsePulled() for pulled ones. */
const parseValid = (fx: AdapterFixture, req: RawRequest, requestId: string) =>
  fx.pulled && fx.adapter.parsePulled ? fx.adapter.parsePulled(req, fx.now, requestId) : fx.adapter.parse(req, fx.now, requestId);

const fixtures: AdapterFixture[] = [consoleFixture(), wecomFixture(), miniprogramFixture(), aibotFixture(), kfFixture()];

const garbage: RawRequest[] = [
  { method: 'POST', query: {}, headers: {}, body: '' },
  { method: 'POST', query: {}, headers: {}, body: '\u0000\u0001\u0002' },
  { method: 'POST', query: {}, headers: {}, body: '<xml><a>' },
  { method: 'POST', query: {}, headers: {}, body: '[]' },
  { method: 'GET', query: { echostr: '%%%' }, headers: {}, body: '' },
];

describe.each(fixtures)('channel adapter contract: $name', (fx) => {
  it('parses a platform-built text message into an InboundMessage', () => {
    const res = parseValid(fx, fx.valid('查一下 13800000001', 'store_manager_01', 'm-1'), 'req-1');
    expect(res.ok).toBe(true);
    if (!res.ok || res.kind !== 'message') throw new Error(`expected a message, got ${JSON.stringify(res)}`);
    expect(res.message).toMatchObject({ channel: fx.adapter.channel, text: '查一下 13800000001', from: 'store_manager_01', requestId: 'req-1' });
    expect(res.message.messageId).toBeTruthy();
  });

  it('refuses every invalid request with a 4xx error, never by throwing', () => {
    const cases = [
      ...Object.entries(fx.invalid()).map(([label, req]) => [label, fx.adapter.parse(req, fx.now, 'req-2')] as const),
      ...Object.entries(fx.invalidPulled?.() ?? {}).map(([label, req]) => [label, fx.adapter.parsePulled!(req, fx.now, 'req-2')] as const),
    ];
    for (const [label, res] of cases) {
      expect(res.ok, label).toBe(false);
      if (!res.ok) {
        expect(res.error.status, label).toBeGreaterThanOrEqual(400);
        expect(res.error.status, label).toBeLessThan(500);
        expect(res.error.code, label).toMatch(/^[a-z_]+$/);
      }
    }
  });

  it('never throws on garbage', () => {
    for (const req of garbage) {
      const res = fx.adapter.parse(req, fx.now, 'req-3');
      if (!res.ok) expect(res.error.status).toBeLessThan(500);
      const pulled = fx.adapter.parsePulled?.(req, fx.now, 'req-3');
      if (pulled && !pulled.ok) expect(pulled.error.status).toBeLessThan(500);
    }
  });

  it.runIf(fx.pulled)('takes the signal callback as an event carrying what the pull needs, not as a message', () => {
    const res = fx.adapter.parse(fx.signal!(), fx.now, 'req-5');
    expect(res).toMatchObject({ ok: true, kind: 'ignored' });
    expect(fx.isSignal!(res)).toBeTruthy();
  });

  it('replies on the same request so that the platform reads the answer back', () => {
    const parsed = parseValid(fx, fx.valid('help', 'store_manager_01', 'm-2'), 'req-4');
    if (!parsed.ok || parsed.kind !== 'message') throw new Error('expected a message');
    const inbound: InboundMessage = parsed.message;
    const answer: BotAnswer = { intent: 'help', slots: {}, confidence: 1, text: '你好 👋 <b>&amp; "quotes" ]]> 结束' };
    const res = fx.adapter.reply(answer, inbound, fx.now);
    expect(res.status).toBe(200);
    if (fx.decodeReply) expect(fx.decodeReply(res)).toBe(answer.text);
    // No passive text reply on this platform: the route must push every answer instead.
    else expect(fx.adapter.canReplyInline?.(answer)).toBe(false);
    const ack = fx.adapter.reply(null, inbound, fx.now);
    expect(ack.status).toBeLessThan(500);
  });
});
