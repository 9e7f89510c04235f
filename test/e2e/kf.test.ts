/**
 * 微信客服 for members end to end (docs/wecom.md, "微信客服 (members)"): signed kf_msg_or_event
 * callbacks on the app's callback URL, sync_msg against the fake kf routes (test/fakes/qyapi-kf.ts),
 * the real pipeline, inbox, queues, MariaDB and Redis, and an injected clock shared by the app and
 * the fake (the 48-hour window, the welcome code's 20 seconds).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RowDataPacket } from 'mysql2/promise';
import { seedDemo } from '../../src/demo/index.ts';
import { t } from '../../src/i18n/index.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { createServices, type Services } from '../../src/services.ts';
import { startFakeQyapi, type FakeQyapi } from '../fakes/qyapi.ts';
import { createFakeKf } from '../fakes/qyapi-kf.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { encryptedCallback, kfEventXml } from '../support/wecom-callback-builder.ts';
import { AGENT_ID, keys, post, SECRET, weComEnv } from '../support/wecom-app.ts';
import { waitFor } from '../support/wait-for.ts';

const KF = 'wkTestAccount0000000001';
let clock = new Date();
const now = () => clock;
const kf = createFakeKf({ now });
let fake: FakeQyapi;
let env: TestEnv;
let rt: Runtime;
let services: Services;
const members: { id: number; externalUserId: string; points: number; name: string }[] = [];

/** The kf_msg_or_event callback WeCom sends after a customer acts, signed at the clock's time. */
const signal = (at = clock) => encryptedCallback(keys, kfEventXml({ corpId: keys.corpId, token: kf.callbackToken(), openKfId: KF, createTime: Math.floor(at.getTime() / 1000) }), at);
const sentTo = (u: string) => kf.sent.filter((s) => s.touser === u);
const settle = (ms = 600) => new Promise((r) => setTimeout(r, ms));

async function callbackOk(runtime = rt): Promise<void> {
  const res = await post(runtime, signal());
  expect(res.status).toBe(200);
  expect(await res.text()).toBe('');
}

beforeAll(async () => {
  fake = await startFakeQyapi({ corpId: keys.corpId, corpSecret: SECRET, agentId: AGENT_ID, kf });
  env = await createTestEnv('e2e_kf', weComEnv(fake.url), { now });
  services = env.services;
  await seedDemo(services.sql, { members: 60, seed: 7, now: new Date('2026-11-01T00:00:00Z') });
  await services.redis.ping();
  // Three members bound to a WeChat customer (the customers context keeps the external_userid).
  const [rows] = await services.sql.query<RowDataPacket[]>("SELECT id, name, points FROM members WHERE status = 'active' ORDER BY id LIMIT 3");
  for (const [i, r] of rows.entries()) {
    const externalUserId = `wmKfMember0000000000${i}`;
    await services.sql.query('UPDATE members SET external_user_id = ? WHERE id = ?', [externalUserId, r.id]);
    members.push({ id: Number(r.id), externalUserId, points: Number(r.points), name: String(r.name) });
  }
  rt = createRuntime(services);
  rt.startWorkers();
});
afterAll(async () => {
  await rt?.stop();
  await env?.cleanup();
  await fake?.close();
});

describe('微信客服 for members', () => {
  it('a callback makes the app read sync_msg with its Token; a bound member asking for points is answered once with their own balance', async () => {
    const m = members[0]!;
    kf.customerSays(KF, m.externalUserId, '我的积分');
    await callbackOk();
    const sent = await waitFor(() => sentTo(m.externalUserId)[0]);
    expect(sent.openKfId).toBe(KF);
    expect(sent.content).toContain(m.points.toLocaleString('en-US'));
    expect(sent.content).toContain(m.name);
    expect(kf.syncCalls.at(-1)).toMatchObject({ openKfId: KF, cursor: '' });
    expect(kf.syncCalls.at(-1)?.token).toMatch(/^ENC/);
    const [inbox] = await services.sql.query<RowDataPacket[]>("SELECT state FROM inbound_messages WHERE channel = 'wecom_kf'");
    expect(inbox.map((r) => r.state)).toEqual(['answered']);
  });

  it('replayed callbacks and overlapping reads answer each message once', async () => {
    const m = members[1]!;
    kf.customerSays(KF, m.externalUserId, '我的积分');
    const req = signal();
    const responses = await Promise.all([post(rt, req), post(rt, req), post(rt, signal()), post(rt, signal())]);
    for (const r of responses) expect(r.status).toBe(200);
    await waitFor(() => sentTo(m.externalUserId)[0]);
    // A crash before the cursor was saved: the whole batch is read again.
    await services.sql.query('DELETE FROM kf_cursors');
    await callbackOk();
    await settle();
    expect(sentTo(m.externalUserId)).toHaveLength(1);
    expect(sentTo(members[0]!.externalUserId)).toHaveLength(1);
  });

  it('the cursor outlives the process: a new services instance resumes from it', async () => {
    await callbackOk(); // the last read saves the cursor after everything so far
    const [rows] = await services.sql.query<RowDataPacket[]>('SELECT `cursor` FROM kf_cursors WHERE open_kfid = ?', [KF]);
    const saved = String(rows[0]!.cursor);
    expect(saved).not.toBe('');
    const services2 = createServices(env.config, { now });
    const rt2 = createRuntime(services2);
    rt2.startWorkers();
    try {
      const m = members[2]!;
      kf.customerSays(KF, m.externalUserId, '我的积分');
      const calls = kf.syncCalls.length;
      await callbackOk(rt2);
      expect(kf.syncCalls[calls]).toMatchObject({ cursor: saved });
      const sent = await waitFor(() => sentTo(m.externalUserId)[0]);
      expect(sent.content).toContain(m.points.toLocaleString('en-US'));
    } finally {
      await rt2.stop();
      await services2.close();
    }
  });

  it('an unbound customer is asked to bind and gets nobody’s data', async () => {
    const u = 'wmNotBoundToAnyMember00001';
    kf.customerSays(KF, u, '我的积分');
    await callbackOk();
    const sent = await waitFor(() => sentTo(u)[0]);
    expect(sent.content).toBe(t('zh', 'kf.bindFirst'));
    for (const m of members) expect(sent.content).not.toContain(m.name);
  });

  it('replies stop after 5 per customer message: the sixth is refused and recorded, never sent', async () => {
    const m = members[0]!;
    kf.customerSays(KF, m.externalUserId, '我的积分');
    const before = sentTo(m.externalUserId).length;
    await callbackOk();
    await waitFor(() => sentTo(m.externalUserId).length === before + 1 || undefined);
    for (let i = 0; i < 4; i++) await services.queues.outbound.add('push', { channel: 'wecom_kf', to: m.externalUserId, text: `通知 ${i}` });
    await waitFor(() => sentTo(m.externalUserId).length === before + 5 || undefined);
    const refusedBefore = kf.refused.length;
    const job = await services.queues.outbound.add('push', { channel: 'wecom_kf', to: m.externalUserId, text: '第六条' });
    await waitFor(async () => ((await job.getState()) === 'failed' ? true : undefined));
    expect(sentTo(m.externalUserId)).toHaveLength(before + 5);
    expect(kf.refused.length).toBe(refusedBefore); // we refused it ourselves: WeCom was never asked
    const rec = JSON.parse((await services.redis.get(services.key('kf', 'refused', m.externalUserId)))!);
    expect(rec.reason).toBe('window_exhausted');
    // Reading the same batch again (a crash before the cursor moved) does not refill the window.
    await services.sql.query('DELETE FROM kf_cursors');
    await callbackOk();
    const again = await services.queues.outbound.add('push', { channel: 'wecom_kf', to: m.externalUserId, text: '第七条' });
    await waitFor(async () => ((await again.getState()) === 'failed' ? true : undefined));
    expect(sentTo(m.externalUserId)).toHaveLength(before + 5);
  });

  it('48 hours after the customer’s last message nothing more is sent (injected clock)', async () => {
    const m = members[1]!;
    kf.customerSays(KF, m.externalUserId, '我的积分');
    const before = sentTo(m.externalUserId).length;
    await callbackOk();
    await waitFor(() => sentTo(m.externalUserId).length === before + 1 || undefined);
    clock = new Date(clock.getTime() + 48 * 3600_000 + 60_000);
    const job = await services.queues.outbound.add('push', { channel: 'wecom_kf', to: m.externalUserId, text: '两天后的消息' });
    await waitFor(async () => ((await job.getState()) === 'failed' ? true : undefined));
    expect(sentTo(m.externalUserId)).toHaveLength(before + 1);
    const rec = JSON.parse((await services.redis.get(services.key('kf', 'refused', m.externalUserId)))!);
    expect(rec.reason).toBe('outside_window');
    // The customer writes again: the window opens again.
    kf.customerSays(KF, m.externalUserId, '我的积分');
    await callbackOk();
    await waitFor(() => sentTo(m.externalUserId).length === before + 2 || undefined);
  });

  it('WeCom’s own refusal (95018: a servicer took the session before we read the event) is recorded and not retried', async () => {
    const m = members[2]!;
    kf.customerSays(KF, m.externalUserId, '我的积分');
    const before = sentTo(m.externalUserId).length;
    await callbackOk();
    await waitFor(() => sentTo(m.externalUserId).length === before + 1 || undefined);
    kf.servicerTakes(KF, m.externalUserId, 'store_manager_01'); // no callback read yet: we still think the bot has it
    const job = await services.queues.outbound.add('push', { channel: 'wecom_kf', to: m.externalUserId, text: '还在吗' });
    await waitFor(async () => ((await job.getState()) === 'failed' ? true : undefined));
    expect((await services.queues.outbound.getJob(job.id!))?.attemptsMade).toBe(1);
    expect(kf.refused.at(-1)).toEqual({ touser: m.externalUserId, errcode: 95018 });
    const rec = JSON.parse((await services.redis.get(services.key('kf', 'refused', m.externalUserId)))!);
    expect(rec).toMatchObject({ reason: 'session_state', errcode: 95018 });
    // The servicer ends the session: once that is read, the bot answers the customer's next message again.
    kf.sessionEnds(KF, m.externalUserId, 'store_manager_01');
    await callbackOk();
    kf.customerSays(KF, m.externalUserId, '我的积分');
    await callbackOk();
    await waitFor(() => sentTo(m.externalUserId).length === before + 2 || undefined);
  });

  it('welcomes a customer entering the session once per welcome_code, and not after the code expired', async () => {
    const u = members[2]!.externalUserId;
    const code = kf.entersSession(KF, u);
    await callbackOk();
    await waitFor(() => kf.welcomed.find((w) => w.code === code));
    await services.sql.query('DELETE FROM kf_cursors'); // read again from the start
    await callbackOk();
    await settle(200);
    expect(kf.welcomed.filter((w) => w.code === code)).toHaveLength(1);
    expect(kf.welcomed[0]!.content).toBe(t('zh', 'kf.welcome'));
    const late = kf.entersSession(KF, u);
    clock = new Date(clock.getTime() + 30_000); // read 30 s later: the code is dead
    await callbackOk();
    await settle(200);
    expect(kf.welcomed.some((w) => w.code === late)).toBe(false);
  });

  it('转人工 opens one ticket carrying the conversation, moves the session to the queue, and the bot then keeps quiet', async () => {
    const m = members[0]!;
    // A new customer message opens a fresh window and session (the fake's session is untreated: 0).
    const answered = sentTo(m.externalUserId).length;
    kf.customerSays(KF, m.externalUserId, '我的优惠券');
    await callbackOk();
    await waitFor(() => sentTo(m.externalUserId).length === answered + 1 || undefined);
    const before = answered + 1;
    kf.customerSays(KF, m.externalUserId, '转人工');
    await callbackOk();
    await waitFor(() => sentTo(m.externalUserId).length >= before + 1 || undefined);
    const [tickets] = await services.sql.query<RowDataPacket[]>('SELECT ticket_no, description FROM tickets WHERE member_id = ? AND created_by = ?', [m.id, `member:${m.id}`]);
    expect(tickets).toHaveLength(1);
    expect(tickets[0]!.description).toContain('最近对话');
    expect(tickets[0]!.description).toContain('我的优惠券');
    expect(tickets[0]!.description).toContain('转人工');
    expect(sentTo(m.externalUserId).at(-1)!.content).toContain(String(tickets[0]!.ticket_no));
    // The store hears of it as with every hand-off (message/send to its staff through the outbound queue).
    const ticketNo = String(tickets[0]!.ticket_no);
    await waitFor(() => fake.sent.find((s) => s.content.includes(ticketNo)));
    // Moved to the queue once the answer with the ticket number was out (send_msg works only while the bot has the session).
    await waitFor(() => kf.transfers.find((x) => x.externalUserId === m.externalUserId));
    expect(kf.transfers).toContainEqual({ openKfId: KF, externalUserId: m.externalUserId, to: 2 });
    expect(kf.state(KF, m.externalUserId).state).toBe(2);
    // While a person has the session, the customer's messages are not answered by the bot.
    const sentNow = sentTo(m.externalUserId).length;
    kf.customerSays(KF, m.externalUserId, '我的积分');
    await callbackOk();
    await settle();
    expect(sentTo(m.externalUserId)).toHaveLength(sentNow);
  });

  it('the kf’s own hand-off (a servicer takes the session) opens the member’s ticket with the conversation', async () => {
    const m = members[1]!;
    kf.customerSays(KF, m.externalUserId, '我的订单');
    await callbackOk();
    await waitFor(() => sentTo(m.externalUserId).at(-1));
    kf.servicerTakes(KF, m.externalUserId, 'store_manager_01');
    await callbackOk();
    const ticket = await waitFor(async () => {
      const [rows] = await services.sql.query<RowDataPacket[]>('SELECT description FROM tickets WHERE member_id = ? AND created_by = ?', [m.id, `member:${m.id}`]);
      return rows[0] as RowDataPacket | undefined;
    });
    expect(ticket.description).toContain('我的订单');
  });
});
