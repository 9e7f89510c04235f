import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamIdOf, startAiBotLongConnection, type AiBotLongConnection } from '../../src/channels/aibot/index.ts';
import { seedDemo } from '../../src/demo/index.ts';
import type { HandleMessage } from '../../src/bot/types.ts';
import { startOutboundWorker } from '../../src/jobs/outbound-worker.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { startFakeQyapi, type FakeQyapi } from '../fakes/qyapi.ts';
import { AGENT_ID, SECRET as APP_SECRET, keys as wecomKeys, weComEnv } from '../support/wecom-app.ts';
import { startFakeAiBotWs, type FakeAiBotWs } from '../fakes/aibot-ws.ts';
import { AIBOT_ID, eventMessage, textMessage } from '../support/aibot-callback-builder.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { waitFor as until } from '../support/wait-for.ts';

/**
 * The AI bot's long-connection mode through the official SDK against a local server speaking
 * its frames: authentication, an answer as a stream on the callback's req_id, the welcome, a
 * redelivered message answered once, and the reconnect after the server drops the socket.
 */
const SECRET = 'aibot-ws-secret';
let env: TestEnv;
let rt: Runtime;
let server: FakeAiBotWs;
let conn: AiBotLongConnection;
let fake: FakeQyapi;
let outbound: ReturnType<typeof startOutboundWorker>;
/** Messages whose answer waits until released (a slow answer; the answer itself is the real pipeline's). */
const held = new Map<string, () => void>();
const holds = new Map<string, Promise<void>>();
const hold = (msgid: string) => holds.set(msgid, new Promise<void>((r) => held.set(msgid, r)));

const finalOf = (reqId: string) => server.replies.find((r) => r.reqId === reqId && r.body.stream?.finish === true);

beforeAll(async () => {
  server = await startFakeAiBotWs({ botId: AIBOT_ID, secret: SECRET });
  fake = await startFakeQyapi({ corpId: wecomKeys.corpId, corpSecret: APP_SECRET, agentId: AGENT_ID });
  env = await createTestEnv('e2e_aibot_ws', {
    ...weComEnv(fake.url),
    AIBOT_MODE: 'websocket',
    AIBOT_BOT_ID: AIBOT_ID,
    AIBOT_SECRET: SECRET,
    AIBOT_WS_URL: server.url,
    AIBOT_PLACEHOLDER_MS: '300',
    AIBOT_STREAM_MAX_MS: '1500',
    AIBOT_PUSHES_PER_DAY: '1',
  });
  await seedDemo(env.services.sql, { members: 120, seed: 11, now: new Date('2026-11-01T00:00:00Z') });
  rt = createRuntime(env.services);
  // Warm the pipeline (router, classifier): the timed answers below are not a cold start.
  await rt.handle({ channel: 'console', messageId: 'warm-up', from: 'store_manager_03', text: '查一下 13800000005', receivedAt: new Date(), requestId: 'warm-up' });
  const handle: HandleMessage = async (msg) => {
    await holds.get(msg.messageId);
    return rt.handle(msg);
  };
  // Only the outbound worker (the app-message relay): rt.startWorkers() would open a second connection.
  outbound = startOutboundWorker(env.services, rt.adapters);
  conn = startAiBotLongConnection(env.services, { handle, reconnectMs: 100, heartbeatMs: 200 });
  await conn.ready;
});
afterAll(async () => {
  for (const release of held.values()) release();
  await conn?.close();
  await outbound?.close();
  await fake?.close();
  await rt?.stop();
  await env?.cleanup();
  await server?.close();
});

describe('AI bot, long-connection mode', () => {
  it('authenticates with the bot id and secret and keeps the heartbeat', async () => {
    expect(server.authentications).toBe(1);
    await until(() => server.pings >= 2);
  });

  it('answers a look-up as a finished stream on the callback\'s req_id', async () => {
    const reqId = server.sendMessage(textMessage('ws-1', '查一下 13800000001', { from: 'store_manager_01' }));
    const reply = await until(() => finalOf(reqId));
    expect(reply.cmd).toBe('aibot_respond_msg');
    expect(reply.body).toMatchObject({ msgtype: 'stream', stream: { id: streamIdOf('ws-1'), finish: true } });
    expect(reply.body.stream.content).toContain('M00000001');
  });

  it('answers a redelivered message once', async () => {
    const first = server.sendMessage(textMessage('ws-2', '查一下 13800000001', { from: 'hq_ops_01', chatid: 'group-ws' }));
    const again = server.sendMessage(textMessage('ws-2', '查一下 13800000001', { from: 'hq_ops_01', chatid: 'group-ws' }));
    await until(() => finalOf(first) ?? finalOf(again));
    await new Promise((r) => setTimeout(r, 500));
    expect([first, again].filter((id) => finalOf(id)).length).toBe(1);
    const [rows] = await env.services.sql.query<any[]>(`SELECT attempts FROM inbound_messages WHERE channel = 'wecom_aibot' AND message_id = 'ws-2'`);
    expect(rows).toHaveLength(1);
  });

  it('welcomes on enter_chat', async () => {
    const reqId = server.sendEvent(eventMessage('ws-3', 'enter_chat', {}, { from: 'store_manager_01' }));
    const reply = await until(() => server.replies.find((r) => r.reqId === reqId));
    expect(reply).toMatchObject({ cmd: 'aibot_respond_welcome_msg', body: { msgtype: 'text' } });
  });

  it('opens a slow answer with 处理中…, closes the stream before the limit, and pushes the late answer to the group (aibot_send_msg)', async () => {
    hold('ws-late');
    const reqId = server.sendMessage(textMessage('ws-late', '查一下 13800000001', { from: 'store_manager_01', chatid: 'group-late' }));
    await until(() => finalOf(reqId));
    const chunks = server.replies.filter((r) => r.reqId === reqId).map((r) => r.body.stream);
    expect(chunks[0]).toMatchObject({ id: streamIdOf('ws-late'), finish: false, content: '处理中…', feedback: { id: 'ws-late' } });
    expect(chunks.at(-1)).toMatchObject({ id: streamIdOf('ws-late'), finish: true });
    expect(chunks.at(-1).content).toContain('应用消息');
    held.get('ws-late')!();
    const push = await until(() => server.replies.find((r) => r.cmd === 'aibot_send_msg' && r.body.chatid === 'group-late'));
    expect(push.body).toMatchObject({ msgtype: 'markdown' });
    expect(push.body.markdown.content).toContain('M00000001');
    expect(fake.sent.filter((m) => m.touser === 'store_manager_01')).toHaveLength(0);
  });

  it('past the day\'s push quota of the conversation, a late answer goes to the asker as an app message', async () => {
    hold('ws-late-2');
    const reqId = server.sendMessage(textMessage('ws-late-2', '查一下 13800000003', { from: 'store_manager_01', chatid: 'group-late' }));
    await until(() => finalOf(reqId));
    held.get('ws-late-2')!();
    const sent = await until(() => fake.sent.find((m) => m.touser === 'store_manager_01'));
    expect(sent.content).toContain('M00000003');
    expect(server.replies.filter((r) => r.cmd === 'aibot_send_msg' && r.body.chatid === 'group-late')).toHaveLength(1);
  });

  it('reconnects after the server drops the socket and answers on the new connection', async () => {
    server.drop();
    await server.authenticated(2);
    const reqId = server.sendMessage(textMessage('ws-4', '查一下 13800000003', { from: 'store_manager_01' }));
    const reply = await until(() => finalOf(reqId));
    expect(reply.body.stream.content).toContain('M00000003');
  });
});
