/**
 * A local stand-in for api.weixin.qq.com (mini-program server API) speaking WeChat's wire
 * format, for tests of the mini-program channel (docs/testing.md). Point MP_API_BASE at `url`.
 *
 *   GET  /cgi-bin/token?grant_type=client_credential&appid=&secret=  → {access_token, expires_in} | {errcode, errmsg}
 *   POST /cgi-bin/message/custom/send?access_token=                 → {errcode, errmsg}
 *   POST /cgi-bin/message/subscribe/send?access_token=              → {errcode, errmsg, msgid}
 *
 * Like WeChat it answers HTTP 200 with the outcome in errcode. Failures are scriptable per API
 * (40001/42001/45015/45047/43101 …); with `enforceSubscriptions` the fake keeps its own one-time
 * subscription counts (grantSubscription) and answers 43101 without one, as WeChat does.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeWeixinOptions {
  appId: string;
  appSecret: string;
  expiresIn?: number;
  /** When true, subscribe/send needs a grant (grantSubscription) per openid+template, else 43101. */
  enforceSubscriptions?: boolean;
}

export type FakeApi = 'token' | 'custom' | 'subscribe';

export interface FakeSend {
  api: 'custom' | 'subscribe';
  touser: string;
  /** custom/send: text.content. */
  content?: string;
  /** subscribe/send: template_id, page, data, miniprogram_state. */
  templateId?: string;
  page?: string;
  data?: Record<string, { value: string }>;
  miniprogramState?: string;
  accessToken: string;
  body: Record<string, unknown>;
  at: Date;
}

export interface FakeWeixin {
  readonly url: string;
  /** Accepted sends (refused ones are not recorded). */
  readonly sent: FakeSend[];
  /** Requests received per API (including refused ones). */
  readonly requests: Record<FakeApi, number>;
  /** The next `times` calls of `api` (with a valid token) answer `errcode`. */
  failNext(api: FakeApi, errcode: number, times?: number): void;
  /** Every token issued so far becomes expired: the next call with one gets 42001. */
  expireTokens(): void;
  /** Every token issued so far becomes invalid: the next call with one gets 40001. */
  invalidateTokens(): void;
  /** The next `times` requests of any kind answer this HTTP status with an HTML body (proxy/gateway failure). */
  failHttpNext(status: number, times?: number): void;
  /** Delay before every response, in ms (simulates a slow API). */
  setDelay(ms: number): void;
  /** One more accepted one-time subscription (enforceSubscriptions mode). */
  grantSubscription(openid: string, templateId: string, times?: number): void;
  close(): Promise<void>;
}

const ERRMSG: Record<number, string> = {
  [-1]: 'system error',
  40001: 'invalid credential, access_token is invalid or not latest',
  40013: 'invalid appid',
  40125: 'invalid appsecret',
  41001: 'access_token missing',
  42001: 'access_token expired',
  43101: 'user refuse to accept the msg',
  45009: 'reach max api daily quota limit',
  45015: 'response out of time limit or subscription is canceled',
  45047: 'out of response count limit',
  47001: 'data format error',
  47003: 'argument invalid!',
};
const errmsgOf = (errcode: number) => `${ERRMSG[errcode] ?? 'error'} rid: ${randomBytes(6).toString('hex')}`;

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const p of req) parts.push(p as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

/** WeChat's own checks on two common template field types (enough to catch a renderer bypass). */
function invalidData(data: Record<string, { value?: unknown }>): string | undefined {
  for (const [k, v] of Object.entries(data)) {
    const value = typeof v?.value === 'string' ? v.value : undefined;
    if (value === undefined) return `data.${k}.value missing`;
    if (/^thing\d+$/.test(k) && [...value].length > 20) return `data.${k}.value invalid`;
    if (/^phrase\d+$/.test(k) && !/^\p{Script=Han}{1,5}$/u.test(value)) return `data.${k}.value invalid`;
  }
  return undefined;
}

export async function startFakeWeixin(opts: FakeWeixinOptions): Promise<FakeWeixin> {
  const sent: FakeSend[] = [];
  const requests: Record<FakeApi, number> = { token: 0, custom: 0, subscribe: 0 };
  const valid = new Set<string>();
  const expired = new Set<string>();
  const invalid = new Set<string>();
  const failures: Record<FakeApi, { errcode: number; times: number }[]> = { token: [], custom: [], subscribe: [] };
  const grants = new Map<string, number>();
  const httpFailures: { status: number; times: number }[] = [];
  let delayMs = 0;

  const takeFailure = (api: FakeApi) => {
    const f = failures[api][0];
    if (!f) return undefined;
    if (--f.times <= 0) failures[api].shift();
    return f.errcode;
  };
  const fail = (errcode: number) => ({ errcode, errmsg: errmsgOf(errcode) });

  function token(q: URLSearchParams): Record<string, unknown> {
    requests.token++;
    const f = takeFailure('token');
    if (f !== undefined) return fail(f);
    if (q.get('grant_type') !== 'client_credential') return fail(40002);
    if (q.get('appid') !== opts.appId) return fail(40013);
    if (q.get('secret') !== opts.appSecret) return fail(40125);
    const t = randomBytes(48).toString('base64url');
    valid.add(t);
    return { access_token: t, expires_in: opts.expiresIn ?? 7200 };
  }

  function withToken(api: 'custom' | 'subscribe', q: URLSearchParams, raw: string): Record<string, unknown> {
    requests[api]++;
    const t = q.get('access_token');
    if (!t) return fail(41001);
    if (expired.has(t)) return fail(42001);
    if (invalid.has(t) || !valid.has(t)) return fail(40001);
    const f = takeFailure(api);
    if (f !== undefined) return fail(f);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return fail(47001);
    }
    const touser = String(body.touser ?? '');
    if (!touser) return fail(40003);
    if (api === 'custom') {
      const content = (body.text as { content?: unknown } | undefined)?.content;
      if (body.msgtype !== 'text' || typeof content !== 'string' || content === '') return fail(47001);
      sent.push({ api, touser, content, accessToken: t, body, at: new Date() });
      return { errcode: 0, errmsg: 'ok' };
    }
    const templateId = String(body.template_id ?? '');
    if (!templateId) return fail(40037);
    const data = (body.data ?? {}) as Record<string, { value: string }>;
    if (invalidData(data)) return { errcode: 47003, errmsg: `argument invalid! ${invalidData(data)} rid: fake` };
    if (opts.enforceSubscriptions) {
      const k = `${touser}\n${templateId}`;
      const left = grants.get(k) ?? 0;
      if (left <= 0) return fail(43101);
      grants.set(k, left - 1);
    }
    sent.push({ api, touser, templateId, page: body.page as string | undefined, data, miniprogramState: body.miniprogram_state as string | undefined, accessToken: t, body, at: new Date() });
    return { errcode: 0, errmsg: 'ok', msgid: Number(BigInt.asUintN(52, BigInt(`0x${randomBytes(7).toString('hex')}`))) };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    const http = httpFailures[0];
    if (http) {
      if (--http.times <= 0) httpFailures.shift();
      res.writeHead(http.status, { 'content-type': 'text/html' }).end(`<html><body>${http.status} gateway error</body></html>`);
      return;
    }
    const url = new URL(req.url ?? '/', 'http://fake');
    let reply: Record<string, unknown>;
    if (req.method === 'GET' && url.pathname === '/cgi-bin/token') reply = token(url.searchParams);
    else if (req.method === 'POST' && url.pathname === '/cgi-bin/message/custom/send') reply = withToken('custom', url.searchParams, body);
    else if (req.method === 'POST' && url.pathname === '/cgi-bin/message/subscribe/send') reply = withToken('subscribe', url.searchParams, body);
    else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json; encoding=utf-8' }).end(JSON.stringify(reply));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    requests,
    failNext(api, errcode, times = 1) {
      failures[api].push({ errcode, times });
    },
    expireTokens() {
      for (const t of valid) expired.add(t);
      valid.clear();
    },
    invalidateTokens() {
      for (const t of valid) invalid.add(t);
      valid.clear();
    },
    failHttpNext(status, times = 1) {
      httpFailures.push({ status, times });
    },
    setDelay(ms) {
      delayMs = ms;
    },
    grantSubscription(openid, templateId, times = 1) {
      const k = `${openid}\n${templateId}`;
      grants.set(k, (grants.get(k) ?? 0) + times);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
