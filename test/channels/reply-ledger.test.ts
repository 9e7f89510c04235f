import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideReply } from '../../src/crm/automation/index.ts';
import { aibotAllowances, askPush, askReply } from '../../src/channels/aibot/quota.ts';
import { kfAllowance } from '../../src/channels/kf/allowance.ts';
import { createReplyWindow } from '../../src/channels/shared/reply-window.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';

/**
 * One ledger for every channel: 微信客服's reply window and the AI bot's reply and push quotas are
 * asked through the quota ledger (decideReply) with the channels' own counts behind the
 * allowance port, and each refusal comes back as a ledger decision with its reason code. Real
 * Redis, the real reply window and the kernel rate limiter; the clock is the injected one.
 */
describe('quota ledger for the channels that count per conversation', () => {
  let env: TestEnv;
  const clock = { now: new Date('2026-12-01T02:00:00.000Z') };

  beforeAll(async () => {
    env = await createTestEnv('reply_ledger', { AIBOT_REPLIES_PER_DAY: '2', AIBOT_PUSHES_PER_DAY: '1' }, { now: () => clock.now });
  });
  afterAll(async () => env?.cleanup());

  it('微信客服: closed before the customer writes, 5 replies after, then used up — suppressed with the kf reason codes', async () => {
    const window = createReplyWindow(env.services.redis, (id) => env.services.key('kf-test', 'window', id));
    const allowances = { wecom_kf: kfAllowance(window) };
    const ask = () => decideReply(allowances, { channel: 'wecom_kf', who: 'wm_kf1', now: clock.now });
    expect(await ask()).toMatchObject({ decision: 'suppressed', reason: 'kf_window_closed' });
    await window.open('wm_kf1', clock.now, 'message', 'kf-msg-1');
    const five = [];
    for (let i = 0; i < 5; i++) five.push((await ask()).decision);
    expect(five).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);
    expect(await ask()).toMatchObject({ decision: 'suppressed', reason: 'kf_window_used' });
    // 48 hours on, the window is closed again.
    await window.open('wm_kf1', clock.now, 'message', 'kf-msg-2');
    expect(await decideReply(allowances, { channel: 'wecom_kf', who: 'wm_kf1', now: new Date(clock.now.getTime() + 48 * 3600_000 + 1) })).toMatchObject({ decision: 'suppressed', reason: 'kf_window_closed' });
  });

  it('AI bot: replies per conversation per 24 h are deferred with aibot_reply_quota once used; a retried message is not counted twice; groups count apart', async () => {
    const m = (id: string, conversationId?: string) => ({ from: 'u1', messageId: id, ...(conversationId ? { conversationId } : {}) });
    expect((await askReply(env.services, m('a1'))).decision).toBe('sent');
    expect((await askReply(env.services, m('a1'))).decision).toBe('sent'); // WeCom's retry of a1: same reply
    expect((await askReply(env.services, m('a2'))).decision).toBe('sent');
    const over = await askReply(env.services, m('a3'));
    expect(over).toMatchObject({ decision: 'deferred', reason: 'aibot_reply_quota' });
    expect(over.decision === 'deferred' && over.until.getTime() > clock.now.getTime()).toBe(true);
    // Another conversation (a group) has its own quota.
    expect((await askReply(env.services, m('g1', 'wrGroup1'))).decision).toBe('sent');
    // The allowance itself, as the port gives it.
    expect(await aibotAllowances(env.services).aibot_reply.take('user:u1', clock.now, 'a4')).toMatchObject({ ok: false, reason: 'aibot_reply_quota' });
  });

  it('AI bot: proactive pushes per conversation per day: aibot_push_quota until the next China-time day', async () => {
    expect((await askPush(env.services, { from: 'u2' })).decision).toBe('sent');
    const over = await askPush(env.services, { from: 'u2' });
    expect(over).toMatchObject({ decision: 'deferred', reason: 'aibot_push_quota' });
    // 2026-12-01 10:00 China time → free again at 2026-12-02 00:00 China time.
    expect(over.decision === 'deferred' && over.until.getTime()).toBe(new Date('2026-12-01T16:00:00.000Z').getTime() + 1);
  });
});
