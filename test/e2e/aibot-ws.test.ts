import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamIdOf, startAiBotLongConnection, type AiBotLongConnection } from '../../src/channels/aibot/index.ts';
import { seedDemo } from '../../src/demo/index.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { startFakeAiBotWs, type FakeAiBotWs } from '../fakes/aibot-ws.ts';
import { AIBOT_ID, eventMessage, textMessage } from '../support/aibot-callback-builder.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';

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

async function until<T>(probe: () => T | undefined | false, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
const finalOf = (reqId: string) => server.replies.find((r) => r.reqId === reqId && r.body.stream?.finish === true);

beforeAll(async () => {
  server = await startFakeAiBotWs({ botId: AIBOT_ID, secret: SECRET });
  env = await createTestEnv('e2e_aibot_ws', { AIBOT_MODE: 'websocket', AIBOT_BOT_ID: AIBOT_ID, AIBOT_SECRET: SECRET, AIBOT_WS_URL: server.url });
  await seedDemo(env.services.sql, { members: 120, seed: 11, now: new Date('2026-11-01T00:00:00Z') });
  rt = createRuntime(env.services);
  conn = startAiBotLongConnection(env.services, { handle: rt.handle, reconnectMs: 100, heartbeatMs: 200 });
  await conn.ready;
});
afterAll(async () => {
  await conn?.close();
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

  it('reconnects after the server drops the socket and answers on the new connection', async () => {
    server.drop();
    await server.authenticated(2);
    const reqId = server.sendMessage(textMessage('ws-4', '查一下 13800000003', { from: 'store_manager_01' }));
    const reply = await until(() => finalOf(reqId));
    expect(reply.body.stream.content).toContain('M00000003');
  });
});
