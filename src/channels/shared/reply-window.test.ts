import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/support/env.ts';
import { createReplyWindow, type ReplyWindow } from './reply-window.ts';

/**
 * The shared reply window over the real Redis: one customer message opens it once however often
 * it arrives (`onceFor`), which both the mini-program's retried pushes and 微信客服's re-read
 * sync_msg pages rely on; a failed open leaves no mark, so the retry opens it.
 */
describe('reply window: open once per message', () => {
  let env: TestEnv;
  let window: ReplyWindow;
  const T0 = new Date('2026-12-01T02:00:00.000Z');

  beforeAll(async () => {
    env = await createTestEnv('reply_window_once');
    // Requests fail fast before the connection is up (no offline queue).
    if (env.services.redis.status !== 'ready') await new Promise((r) => env.services.redis.once('ready', r));
    window = createReplyWindow(env.services.redis, (id) => env.services.key('test', 'window', id));
  });
  afterAll(async () => env?.cleanup());

  it('a message seen again (retry, re-read) neither refills the 5 messages nor moves the deadline', async () => {
    expect(await window.open('c1', T0, 'message', 'msg-1')).toBe(true);
    expect(await window.take('c1', T0)).toEqual({ ok: true, remaining: 4 });
    const later = new Date(T0.getTime() + 3600_000);
    expect(await window.open('c1', later, 'message', 'msg-1')).toBe(false);
    expect(await window.state('c1')).toMatchObject({ left: 4, until: T0.getTime() + 48 * 3600_000, lastInbound: T0.getTime() });
    // A new message does open it again: 5 messages, 48 hours from then.
    expect(await window.open('c1', later, 'message', 'msg-2')).toBe(true);
    expect(await window.state('c1')).toMatchObject({ left: 5, until: later.getTime() + 48 * 3600_000 });
    // Without an id every call opens (the session event, callers that dedupe themselves).
    await window.take('c1', later);
    await window.open('c1', later, 'message');
    expect((await window.state('c1'))?.left).toBe(5);
  });

  it('the mark is per customer: the same message id of another customer opens their window', async () => {
    expect(await window.open('c2', T0, 'message', 'same-id')).toBe(true);
    expect(await window.open('c3', T0, 'message', 'same-id')).toBe(true);
    expect((await window.state('c3'))?.left).toBe(5);
  });

  it('an open that fails keeps no mark, so the retry of the same message opens the window', async () => {
    const key = env.services.key('test', 'window', 'c4');
    await env.services.redis.set(key, 'not a hash'); // the script fails (WRONGTYPE)
    await expect(window.open('c4', T0, 'message', 'msg-x')).rejects.toThrow();
    await env.services.redis.del(key);
    expect(await window.open('c4', T0, 'message', 'msg-x')).toBe(true);
    expect((await window.state('c4'))?.left).toBe(5);
  });
});
