import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawRequest } from '../../src/channels/types.ts';
import { pushRequest, subscribeEventDoc, textDoc, verificationRequest, type MpKeys } from '../support/miniprogram-callback-builder.ts';
import type { PayloadFormat } from '../../src/channels/miniprogram/payload.ts';
import { replyWindowOf } from '../../src/channels/miniprogram/index.ts';
import { seedDemo } from '../../src/demo/index.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { startFakeWeixin, type FakeWeixin } from '../fakes/weixin-api.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { waitFor } from '../support/wait-for.ts';
import { openPhone } from '../support/sealed-phone.ts';

const keys: MpKeys = { appId: 'wx0123456789abcdef', token: 'mp-e2e-token', aesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' };
const SECRET = 'mp-e2e-secret';
const TPL = 'TPL_birthday_000000000000000000000000000000';

let fake: FakeWeixin;
let env: TestEnv;
let rt: Runtime;
let member: { openid: string; phone: string; id: number };

const call = (req: RawRequest) =>
  rt.app.request(`/miniprogram/callback?${new URLSearchParams(req.query)}`, { method: req.method, body: req.method === 'POST' ? req.body : undefined, headers: req.headers });

const say = (text: string, msgId: string, openid = member.openid, format: PayloadFormat = 'json') => pushRequest(keys, textDoc({ openid, text, msgId, at: new Date() }), format, new Date());


/** What the console endpoint answers the same member: the same pipeline, another channel. */
async function consoleAnswer(text: string): Promise<{ reply: string; intent: string }> {
  const res = await rt.app.request('/console/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: `member:${member.phone}`, text }) });
  expect(res.status).toBe(200);
  return (await res.json()) as { reply: string; intent: string };
}

beforeAll(async () => {
  fake = await startFakeWeixin({ appId: keys.appId!, appSecret: SECRET });
  env = await createTestEnv('e2e_miniprogram', { MP_APP_ID: keys.appId, MP_APP_SECRET: SECRET, MP_TOKEN: keys.token, MP_AES_KEY: keys.aesKey!, MP_API_BASE: fake.url });
  await seedDemo(env.services.sql, { members: 120, seed: 11, now: new Date('2026-11-01T00:00:00Z') });
  const [rows] = await env.services.sql.query<any[]>("SELECT id, openid, phone_enc FROM members WHERE openid IS NOT NULL AND status = 'active' ORDER BY id LIMIT 1");
  member = { id: Number(rows[0].id), openid: String(rows[0].openid), phone: openPhone(String(rows[0].phone_enc)) };
  rt = createRuntime(env.services);
  rt.startWorkers();
});
afterAll(async () => {
  await rt?.stop();
  await env?.cleanup();
  await fake?.close();
});

describe('mini-program callback end to end', () => {
  it('passes URL verification', async () => {
    const res = await call(verificationRequest(keys, '4375120948345356249', new Date()));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('4375120948345356249');
  });

  it('a member asks "我的积分": acked with success, answered through customerServiceMessage.send', async () => {
    const expected = await consoleAnswer('我的积分');
    const res = await call(say('我的积分', '24000000000000000001'));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('success');
    const sent = await waitFor(() => fake.sent.find((s) => s.api === 'custom' && s.touser === member.openid));
    expect(sent.body).toMatchObject({ touser: member.openid, msgtype: 'text' });
    expect(sent.content).toBe(expected.reply);
    expect(expected.intent).not.toBe('unregistered');
  });

  it('"help" in XML arrives too; the same MsgId delivered three times is answered once', async () => {
    const expected = await consoleAnswer('help');
    const before = fake.sent.length;
    const req = say('help', '24000000000000000002', member.openid, 'xml');
    for (let i = 0; i < 3; i++) {
      const res = await call(req);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('success');
    }
    const sent = await waitFor(() => fake.sent.slice(before).find((s) => s.content === expected.reply));
    expect(sent.touser).toBe(member.openid);
    await new Promise((r) => setTimeout(r, 500));
    expect(fake.sent.slice(before).filter((s) => s.content === expected.reply)).toHaveLength(1);
  });

  it('a retried delivery of a member message does not refill the reply window (WeChat counts the message once)', async () => {
    const window = replyWindowOf(env.services);
    await env.services.redis.del(env.services.key('mp', 'window', member.openid));
    const req = say('我的积分', '24000000000000000009');
    const before = fake.sent.length;
    expect((await call(req)).status).toBe(200);
    await waitFor(() => fake.sent.slice(before).find((s) => s.touser === member.openid));
    // The answer (sent above) took one of the five messages the member's message opened.
    expect((await window.state(member.openid))?.left).toBe(4);
    expect((await call(req)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect((await window.state(member.openid))?.left).toBe(4);
  });

  it('an unknown openid is told to register, on the same channel', async () => {
    const res = await call(say('我的积分', '24000000000000000003', 'oUnknownVisitor_000000000000'));
    expect(res.status).toBe(200);
    const sent = await waitFor(() => fake.sent.find((s) => s.touser === 'oUnknownVisitor_000000000000'));
    expect(sent.content).toContain('注册');
  });

  it('records an accepted subscription from the popup event, once despite retries', async () => {
    const doc = subscribeEventDoc({ openid: member.openid, event: 'subscribe_msg_popup_event', list: [{ TemplateId: TPL, SubscribeStatusString: 'accept', PopupScene: '0' }], at: new Date() });
    const req = pushRequest(keys, doc, 'xml', new Date());
    for (let i = 0; i < 2; i++) {
      const res = await call(req);
      expect(res.status).toBe(200);
      expect(['', 'success']).toContain(await res.text()); // WeChat takes "success" or an empty body as the ack of an event
    }
    const [rows] = await env.services.sql.query<any[]>('SELECT member_id, remaining, last_status FROM mp_subscriptions WHERE openid = ? AND template_id = ?', [member.openid, TPL]);
    expect(rows).toEqual([{ member_id: member.id, remaining: 1, last_status: 'accept' }]);
  });

  it('does not push to a member outside the 48-hour window: the job fails unrecoverably, WeChat is never called', async () => {
    const calls = fake.requests.custom;
    const job = await env.services.queues.outbound.add('reply', { channel: 'miniprogram', to: 'oNeverWrote_00000000000000000', text: 'hello' });
    let final = '';
    for (let i = 0; i < 100 && final !== 'failed'; i++) {
      final = await job.getState();
      if (final !== 'failed') await new Promise((r) => setTimeout(r, 50));
    }
    expect(final).toBe('failed');
    const failed = await env.services.queues.outbound.getJob(job.id!);
    expect(failed?.attemptsMade).toBe(1); // no retry storm
    expect(failed?.failedReason).toContain('outside_window');
    expect(fake.requests.custom).toBe(calls);
  });

  it('rejects bad callbacks with a 4xx JSON error and keeps serving', async () => {
    const good = say('我的积分', '24000000000000000009');
    const cases: Record<string, RawRequest> = {
      unsigned: { ...good, query: { timestamp: good.query.timestamp!, nonce: good.query.nonce! } },
      'mis-signed': { ...good, query: { ...good.query, msg_signature: 'f'.repeat(40) } },
      stale: pushRequest(keys, textDoc({ openid: member.openid, text: 'x', msgId: '9', at: new Date() }), 'json', new Date(Date.now() - 3600_000)),
      'plain body in safe mode': pushRequest({ appId: keys.appId, token: keys.token }, textDoc({ openid: member.openid, text: 'x', msgId: '10', at: new Date() }), 'json', new Date()),
      'wrong receive id': pushRequest(keys, textDoc({ openid: member.openid, text: 'x', msgId: '11', at: new Date() }), 'xml', new Date(), { receiveId: 'wx_other' }),
      'malformed json': { ...good, body: '{"Encrypt":' },
      oversized: { ...good, body: `{"Encrypt":"${'A'.repeat(200_000)}"}` },
      'entity expansion': { ...good, headers: { 'content-type': 'text/xml' }, body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><xml><Encrypt>&a;</Encrypt></xml>' },
    };
    for (const [label, req] of Object.entries(cases)) {
      const res = await call(req);
      expect(res.status, label).toBeGreaterThanOrEqual(400);
      expect(res.status, label).toBeLessThan(500);
      const body = (await res.json()) as { error: { code: string; requestId: string } };
      expect(body.error.code, label).toMatch(/^[a-z_]+$/);
      expect(body.error.requestId, label).toBe(res.headers.get('x-request-id'));
    }
    const after = await call(say('help', '24000000000000000010'));
    expect(after.status).toBe(200);
    expect(await after.text()).toBe('success');
  });
});
