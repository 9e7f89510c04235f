/**
 * A local stand-in for the qyapi.weixin.qq.com APIs the journeys and staff alerts use, in
 * WeCom's wire format (HTTP 200, outcome in errcode). Point WECOM_API_BASE at `url`.
 *
 *   GET  /cgi-bin/gettoken?corpid=&corpsecret=                    → {access_token, expires_in}
 *   POST /cgi-bin/message/send?access_token=                      → app message to staff (recorded)
 *   POST /cgi-bin/externalcontact/add_msg_template?access_token=  → {errcode, msgid, fail_list}
 *        external contacts not in `contacts` come back in fail_list (not a contact of the sender)
 *   POST /cgi-bin/webhook/send?key=                               → group robot; more than
 *        `robotPerMinute` (20) a minute answers 130101 "send too fast"
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeWeComJourneyOptions {
  corpId: string;
  corpSecret: string;
  /** External userids that are contacts of the company; others land in fail_list. Default: all. */
  contacts?: (externalUserId: string) => boolean;
  robotKey?: string;
  robotPerMinute?: number;
}

export interface FakeWeComJourney {
  readonly url: string;
  /** App messages (message/send) accepted: staff notifications. */
  readonly appMessages: { touser: string; content: string }[];
  /** add_msg_template calls accepted (one per external contact). */
  readonly external: { externalUserId: string; content: string; sender?: string }[];
  readonly robot: { content: string }[];
  readonly robotRefused: number;
  failExternalNext(errcode: number, times?: number): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const p of req) parts.push(p as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

export async function startFakeWeComJourney(opts: FakeWeComJourneyOptions): Promise<FakeWeComJourney> {
  const tokens = new Set<string>();
  const appMessages: FakeWeComJourney['appMessages'] = [];
  const external: FakeWeComJourney['external'] = [];
  const robot: FakeWeComJourney['robot'] = [];
  const robotTimes: number[] = [];
  let robotRefused = 0;
  const externalFailures: { errcode: number; times: number }[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://fake');
      const json = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      const q = url.searchParams;
      if (req.method === 'GET' && url.pathname === '/cgi-bin/gettoken') {
        if (q.get('corpid') !== opts.corpId) return json({ errcode: 40013, errmsg: 'invalid corpid' });
        if (q.get('corpsecret') !== opts.corpSecret) return json({ errcode: 40001, errmsg: 'invalid credential' });
        const t = randomBytes(24).toString('base64url');
        tokens.add(t);
        return json({ errcode: 0, errmsg: 'ok', access_token: t, expires_in: 7200 });
      }
      if (url.pathname === '/cgi-bin/webhook/send') {
        if (q.get('key') !== (opts.robotKey ?? 'robot-key')) return json({ errcode: 93000, errmsg: 'invalid webhook url' });
        const now = Date.now();
        while (robotTimes.length && robotTimes[0]! < now - 60_000) robotTimes.shift();
        if (robotTimes.length >= (opts.robotPerMinute ?? 20)) {
          robotRefused++;
          return json({ errcode: 130101, errmsg: 'send too fast' });
        }
        robotTimes.push(now);
        const body = JSON.parse(raw) as { text?: { content?: string } };
        robot.push({ content: String(body.text?.content ?? '') });
        return json({ errcode: 0, errmsg: 'ok' });
      }
      const token = q.get('access_token') ?? '';
      if (!tokens.has(token)) return json({ errcode: 40014, errmsg: 'invalid access_token' });
      const body = JSON.parse(raw) as Record<string, unknown>;
      if (url.pathname === '/cgi-bin/message/send') {
        appMessages.push({ touser: String(body.touser), content: String((body.text as { content?: string })?.content ?? '') });
        return json({ errcode: 0, errmsg: 'ok', invaliduser: '', unlicenseduser: '', msgid: randomBytes(8).toString('hex') });
      }
      if (url.pathname === '/cgi-bin/externalcontact/add_msg_template') {
        const f = externalFailures[0];
        if (f) {
          if (--f.times <= 0) externalFailures.shift();
          return json({ errcode: f.errcode, errmsg: 'scripted failure' });
        }
        if (body.chat_type !== 'single' && body.chat_type !== undefined) return json({ errcode: 40058, errmsg: 'invalid chat_type' });
        const ids = (body.external_userid as string[] | undefined) ?? [];
        const content = (body.text as { content?: string } | undefined)?.content;
        if (!ids.length || !content) return json({ errcode: 41048, errmsg: 'missing external_userid or content' });
        const fail = ids.filter((id) => opts.contacts && !opts.contacts(id));
        for (const id of ids) if (!fail.includes(id)) external.push({ externalUserId: id, content, sender: body.sender as string | undefined });
        return json({ errcode: 0, errmsg: 'ok', fail_list: fail, msgid: `msg${randomBytes(6).toString('hex')}` });
      }
      res.writeHead(404).end('not found');
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    appMessages,
    external,
    robot,
    get robotRefused() {
      return robotRefused;
    },
    failExternalNext(errcode, times = 1) {
      externalFailures.push({ errcode, times });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
