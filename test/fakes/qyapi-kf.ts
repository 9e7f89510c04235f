/**
 * The 微信客服 routes of the fake qyapi (test/fakes/qyapi.ts), speaking the documented wire format
 * ("读取消息", "发送消息", "发送欢迎语等事件响应消息", "分配客服会话"). A test creates one with
 * `createFakeKf()`, hands it to `startFakeQyapi({ …, kf })`, scripts what customers and servicers
 * do, and reads back what was sent. Time comes from `now()` (the test's injected clock).
 *
 *   POST /cgi-bin/kf/sync_msg?access_token=            {cursor?, token?, limit?, voice_format?, open_kfid}
 *        → {errcode, errmsg, next_cursor, has_more, msg_list: [{msgid, open_kfid, external_userid, send_time, origin, msgtype, text|event}]}
 *        (a token that no callback handed out gets 95007; without one the call is allowed and counted)
 *   POST /cgi-bin/kf/send_msg?access_token=            {touser, open_kfid, msgid?, msgtype: text, text: {content}} → {errcode, errmsg, msgid}
 *        (95002 more than 48 h after the customer's last message, 95001 past 5 messages since it,
 *        95018 while the session is queued, with a person or ended)
 *   POST /cgi-bin/kf/send_msg_on_event?access_token=   {code, msgid?, msgtype: text, text} → {errcode, errmsg, msgid}
 *        (a welcome_code works once and for 20 s; otherwise 40058)
 *   POST /cgi-bin/kf/service_state/get?access_token=   {open_kfid, external_userid} → {errcode, errmsg, service_state, servicer_userid?}
 *   POST /cgi-bin/kf/service_state/trans?access_token= {open_kfid, external_userid, service_state, servicer_userid?} → {errcode, errmsg}
 *        (only the documented moves: 0→1/2/3, 1→2/3, 2→3, 3→3/4; others 95016)
 */
import { randomBytes } from 'node:crypto';

export const KF_ERRMSG: Record<number, string> = {
  95001: 'send msg count limit',
  95002: 'send msg time limit',
  95007: 'invalid msg token',
  95016: 'not allow this state transfer',
  95018: 'send msg session status invalid',
  40058: 'invalid parameter',
  47001: 'data format error',
};
const fail = (errcode: number) => ({ errcode, errmsg: `${KF_ERRMSG[errcode] ?? 'error'}, hint: [fake-${randomBytes(4).toString('hex')}]` });

export interface KfSent {
  openKfId: string;
  touser: string;
  content: string;
  at: Date;
}

export interface FakeKf {
  /** What kf/send_msg delivered, in order. */
  readonly sent: KfSent[];
  /** Welcome texts send_msg_on_event delivered, by code. */
  readonly welcomed: { code: string; content: string }[];
  /** send_msg calls refused, with WeCom's errcode. */
  readonly refused: { touser: string; errcode: number }[];
  /** service_state/trans calls that changed a state, in order. */
  readonly transfers: { openKfId: string; externalUserId: string; to: number; servicer?: string }[];
  /** sync_msg calls received (and how many came without a callback Token). */
  readonly syncCalls: { openKfId: string; cursor: string; token?: string }[];
  /** The customer writes: a text item is queued for sync_msg; returns its msgid. */
  customerSays(openKfId: string, externalUserId: string, text: string): string;
  /** A servicer answers from WeCom (origin 5). */
  servicerSays(openKfId: string, externalUserId: string, servicer: string, text: string): string;
  /** The customer opens the chat: an enter_session event with a fresh welcome_code; returns the code. */
  entersSession(openKfId: string, externalUserId: string): string;
  /** A servicer takes the session from the queue (session_status_change 1). */
  servicerTakes(openKfId: string, externalUserId: string, servicer: string): void;
  /** The servicer ends the session (session_status_change 3): the session is over (state 4). */
  sessionEnds(openKfId: string, externalUserId: string, servicer: string): void;
  /** The Token a kf_msg_or_event callback carries (valid 10 minutes). */
  callbackToken(): string;
  state(openKfId: string, externalUserId: string): { state: number; servicer?: string };
  /** How many items sync_msg returns at most per call (the real API: 1000), to exercise has_more. */
  pageSize: number;
}

interface Session {
  state: number;
  servicer?: string;
  lastCustomerAt?: number;
  sinceCustomer: number;
}

export function createFakeKf(opts: { now?: () => Date } = {}): FakeKf & { route(pathname: string, raw: string): Record<string, unknown> | undefined } {
  const now = () => (opts.now ? opts.now() : new Date()).getTime();
  const items: Record<string, Record<string, unknown>[]> = {};
  const sessions = new Map<string, Session>();
  const tokens = new Map<string, number>();
  const codes = new Map<string, { at: number; used: boolean }>();
  const sent: KfSent[] = [];
  const welcomed: { code: string; content: string }[] = [];
  const refused: { touser: string; errcode: number }[] = [];
  const transfers: FakeKf['transfers'] = [];
  const syncCalls: FakeKf['syncCalls'] = [];
  const sessionOf = (k: string, u: string): Session => {
    const key = `${k}\n${u}`;
    let s = sessions.get(key);
    if (!s) sessions.set(key, (s = { state: 4, sinceCustomer: 0 }));
    return s;
  };
  const msgid = () => randomBytes(12).toString('base64url');
  const push = (k: string, item: Record<string, unknown>) => (items[k] ??= []).push({ open_kfid: k, send_time: Math.floor(now() / 1000), ...item });

  const fake = {
    sent,
    welcomed,
    refused,
    transfers,
    syncCalls,
    pageSize: 1000,
    customerSays(k: string, u: string, text: string) {
      const id = msgid();
      const s = sessionOf(k, u);
      s.lastCustomerAt = now();
      s.sinceCustomer = 0;
      if (s.state === 4) s.state = 0; // a message opens a new session, untreated
      push(k, { msgid: id, external_userid: u, origin: 3, msgtype: 'text', text: { content: text } });
      return id;
    },
    servicerSays(k: string, u: string, servicer: string, text: string) {
      const id = msgid();
      push(k, { msgid: id, external_userid: u, origin: 5, servicer_userid: servicer, msgtype: 'text', text: { content: text } });
      return id;
    },
    entersSession(k: string, u: string) {
      const code = randomBytes(16).toString('base64url');
      codes.set(code, { at: now(), used: false });
      push(k, { msgid: msgid(), origin: 4, msgtype: 'event', event: { event_type: 'enter_session', open_kfid: k, external_userid: u, scene: '', welcome_code: code } });
      return code;
    },
    servicerTakes(k: string, u: string, servicer: string) {
      const s = sessionOf(k, u);
      s.state = 3;
      s.servicer = servicer;
      push(k, { msgid: msgid(), origin: 4, msgtype: 'event', event: { event_type: 'session_status_change', open_kfid: k, external_userid: u, change_type: 1, new_servicer_userid: servicer } });
    },
    sessionEnds(k: string, u: string, servicer: string) {
      const s = sessionOf(k, u);
      s.state = 4;
      s.servicer = undefined;
      push(k, { msgid: msgid(), origin: 4, msgtype: 'event', event: { event_type: 'session_status_change', open_kfid: k, external_userid: u, change_type: 3, old_servicer_userid: servicer } });
    },
    callbackToken() {
      const t = `ENC${randomBytes(24).toString('base64url')}`;
      tokens.set(t, now() + 10 * 60_000);
      return t;
    },
    state(k: string, u: string) {
      const s = sessionOf(k, u);
      return { state: s.state, ...(s.servicer ? { servicer: s.servicer } : {}) };
    },

    /** The kf routes (pathname under /cgi-bin/kf/), after the token check; undefined: not a kf route. */
    route(pathname: string, raw: string): Record<string, unknown> | undefined {
      if (!pathname.startsWith('/cgi-bin/kf/')) return undefined;
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        return fail(47001);
      }
      const k = String(body.open_kfid ?? '');
      const u = String(body.touser ?? body.external_userid ?? '');
      switch (pathname.slice('/cgi-bin/kf/'.length)) {
        case 'sync_msg': {
          const token = typeof body.token === 'string' && body.token ? body.token : undefined;
          const cursor = typeof body.cursor === 'string' ? body.cursor : '';
          syncCalls.push({ openKfId: k, cursor, ...(token ? { token } : {}) });
          if (token && !((tokens.get(token) ?? 0) > now())) return fail(95007);
          const list = items[k] ?? [];
          // The cursor is opaque to callers; here it is the position, base64url-encoded.
          const from = cursor ? Number(Buffer.from(cursor, 'base64url').toString('utf8').split(':')[1] ?? 0) : 0;
          const limit = Math.min(Number(body.limit ?? 1000) || 1000, 1000, fake.pageSize);
          const page = list.slice(from, from + limit);
          const next = from + page.length;
          return { errcode: 0, errmsg: 'ok', next_cursor: Buffer.from(`${k}:${next}`).toString('base64url'), has_more: next < list.length ? 1 : 0, msg_list: page };
        }
        case 'send_msg': {
          const content = (body.text as { content?: unknown } | undefined)?.content;
          if (body.msgtype !== 'text' || typeof content !== 'string' || !content || !k || !u) return fail(40058);
          const s = sessionOf(k, u);
          const refuse = (errcode: number) => (refused.push({ touser: u, errcode }), fail(errcode));
          if (s.state !== 0 && s.state !== 1) return refuse(95018);
          if (s.lastCustomerAt === undefined || now() - s.lastCustomerAt > 48 * 3600_000) return refuse(95002);
          if (s.sinceCustomer >= 5) return refuse(95001);
          s.sinceCustomer++;
          sent.push({ openKfId: k, touser: u, content, at: new Date(now()) });
          return { errcode: 0, errmsg: 'ok', msgid: typeof body.msgid === 'string' ? body.msgid : msgid() };
        }
        case 'send_msg_on_event': {
          const code = codes.get(String(body.code ?? ''));
          const content = (body.text as { content?: unknown } | undefined)?.content;
          if (!code || code.used || now() - code.at > 20_000 || typeof content !== 'string' || !content) return fail(40058);
          code.used = true;
          welcomed.push({ code: String(body.code), content });
          return { errcode: 0, errmsg: 'ok', msgid: msgid() };
        }
        case 'service_state/get': {
          const s = sessionOf(k, u);
          return { errcode: 0, errmsg: 'ok', service_state: s.state, ...(s.state === 3 && s.servicer ? { servicer_userid: s.servicer } : {}) };
        }
        case 'service_state/trans': {
          const s = sessionOf(k, u);
          const to = Number(body.service_state);
          const allowed: Record<number, number[]> = { 0: [1, 2, 3], 1: [2, 3], 2: [3], 3: [3, 4], 4: [] };
          if (!allowed[s.state]?.includes(to)) return fail(95016);
          if (to === 3 && typeof body.servicer_userid !== 'string') return fail(40058);
          s.state = to;
          s.servicer = to === 3 ? String(body.servicer_userid) : undefined;
          transfers.push({ openKfId: k, externalUserId: u, to, ...(s.servicer ? { servicer: s.servicer } : {}) });
          return { errcode: 0, errmsg: 'ok' };
        }
        default:
          return undefined;
      }
    },
  };
  return fake;
}
