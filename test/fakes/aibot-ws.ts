/**
 * A local stand-in for WeCom's AI-bot long-connection endpoint (wss://openws.work.weixin.qq.com),
 * speaking the frames @wecom/aibot-node-sdk speaks: `{cmd, headers: {req_id}, body}`.
 * - aibot_subscribe {bot_id, secret} → `{headers: {req_id}, errcode: 0, errmsg: 'ok'}` (40001 on a wrong secret);
 * - ping → the same ack (the heartbeat);
 * - aibot_respond_msg / aibot_respond_welcome_msg / aibot_respond_update_msg / aibot_send_msg →
 *   recorded, then acked on the callback's req_id (the SDK sends a req_id's replies one at a time);
 * - the test pushes aibot_msg_callback / aibot_event_callback frames to the authenticated socket,
 *   and may drop every socket (`drop()`) to exercise the client's reconnect.
 */
import { randomBytes } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';

export interface RecordedReply {
  cmd: string;
  reqId: string;
  body: Record<string, any>;
  at: number;
}

export interface FakeAiBotWs {
  url: string;
  readonly replies: RecordedReply[];
  /** How many times a client authenticated (a reconnect adds one). */
  readonly authentications: number;
  readonly pings: number;
  /** Resolves once `n` authentications have happened. */
  authenticated(n?: number, ms?: number): Promise<void>;
  /** Sends a message callback to the authenticated client; returns its req_id. */
  sendMessage(body: Record<string, unknown>): string;
  sendEvent(body: Record<string, unknown>): string;
  /** Closes every client socket from the server side (a network drop). */
  drop(): void;
  close(): Promise<void>;
}

export async function startFakeAiBotWs(opts: { botId: string; secret: string }): Promise<FakeAiBotWs> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const replies: RecordedReply[] = [];
  let authentications = 0;
  let pings = 0;
  let current: WebSocket | undefined;
  const waiters: { n: number; resolve: () => void }[] = [];

  wss.on('connection', (ws: WebSocket) => {
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(String(data)) as { cmd?: string; headers: { req_id: string }; body?: Record<string, any> };
      const ack = (errcode = 0, errmsg = 'ok') => ws.send(JSON.stringify({ headers: { req_id: frame.headers.req_id }, errcode, errmsg }));
      if (frame.cmd === 'aibot_subscribe') {
        if (frame.body?.bot_id !== opts.botId || frame.body?.secret !== opts.secret) return ack(40001, 'invalid secret');
        current = ws;
        authentications++;
        ack();
        for (const w of waiters.filter((w) => authentications >= w.n)) w.resolve();
        return;
      }
      if (frame.cmd === 'ping') {
        pings++;
        return ack();
      }
      replies.push({ cmd: frame.cmd ?? '', reqId: frame.headers.req_id, body: frame.body ?? {}, at: Date.now() });
      ack();
    });
  });

  const push = (cmd: string, body: Record<string, unknown>) => {
    if (!current || current.readyState !== current.OPEN) throw new Error('no authenticated client');
    const reqId = `${cmd}_${randomBytes(6).toString('hex')}`;
    current.send(JSON.stringify({ cmd, headers: { req_id: reqId }, body }));
    return reqId;
  };

  const port = (wss.address() as { port: number }).port;
  return {
    url: `ws://127.0.0.1:${port}`,
    replies,
    get authentications() {
      return authentications;
    },
    get pings() {
      return pings;
    },
    authenticated(n = 1, ms = 10_000) {
      if (authentications >= n) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`not authenticated ${n} times within ${ms} ms`)), ms);
        waiters.push({ n, resolve: () => (clearTimeout(t), resolve()) });
      });
    },
    sendMessage: (body) => push('aibot_msg_callback', body),
    sendEvent: (body) => push('aibot_event_callback', body),
    drop() {
      current = undefined;
      for (const ws of wss.clients) ws.terminate();
    },
    async close() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
