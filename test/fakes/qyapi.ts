/**
 * A local stand-in for qyapi.weixin.qq.com speaking WeCom's real wire format, for tests that
 * exercise our API client (docs/testing.md: fake the outside world, never our own modules).
 * Point WECOM_API_BASE at `url`.
 *
 *   GET  /cgi-bin/gettoken?corpid=&corpsecret=          → {errcode, errmsg, access_token, expires_in}
 *   POST /cgi-bin/message/send?access_token=            → {errcode, errmsg, invaliduser, …, msgid} (msgtype text or image)
 *   POST /cgi-bin/message/send msgtype template_card | markdown, POST /cgi-bin/message/update_template_card
 *        → test/fakes/qyapi-cards.ts (the card fields Tencent documents checked; `cards` records them)
 *   POST /cgi-bin/media/upload?access_token=&type=image  → {errcode, errmsg, type, media_id, created_at} (multipart, field "media")
 *   POST /cgi-bin/externalcontact/add_msg_template?access_token=
 *        {chat_type: 'single', external_userid: [...], sender?, text: {content}} → {errcode, errmsg, fail_list, msgid}
 *        (企业群发 to external contacts; ids that are not contacts come back in fail_list)
 *   POST /cgi-bin/externalcontact/get_groupmsg_list_v2?access_token=
 *        {chat_type, start_time, end_time, filter_type?, limit?, cursor?} → {errcode, errmsg, next_cursor, group_msg_list: [{msgid, creator?, create_time, create_type, text}]}
 *   POST /cgi-bin/externalcontact/get_groupmsg_task?access_token=  {msgid, limit?, cursor?} → {errcode, errmsg, next_cursor, task_list: [{userid, status, send_time?}]}
 *   POST /cgi-bin/externalcontact/get_groupmsg_send_result?access_token=
 *        {msgid, userid, limit?, cursor?} → {errcode, errmsg, next_cursor, send_list: [{external_userid, userid, status, send_time?}]}
 *        (the mass messages the company created and whom they reach: how a sender finds out
 *        whether an add_msg_template whose answer it lost went through, and whether the staff
 *        member confirmed it: task status 0 unsent / 2 sent; customer status 0 unsent, 1 sent,
 *        2 not a contact, 3 over the receive limit — `confirmMass` plays the staff member)
 *   POST /cgi-bin/externalcontact/cancel_groupmsg_send?access_token=  {msgid} → {errcode, errmsg} (停止企业群发)
 *   GET  /cgi-bin/auth/getuserinfo?access_token=&code=  → {errcode, errmsg, userid} for a company member,
 *        {errcode, errmsg, openid} for anyone else (网页授权登录 / 扫码登录); a code works once and for
 *        5 minutes, then 40029 "invalid code" — codes are handed out by `loginCode()`
 *   POST /cgi-bin/webhook/send?key=                     → {errcode, errmsg} (group robot, msgtype text; no token:
 *        the key names the robot; an unknown key gets 93000; more than `robotPerMinute` (20) a minute gets
 *        130101 "send too fast")
 *   POST /cgi-bin/kf/*  微信客服 (sync_msg, send_msg, send_msg_on_event, service_state/get|trans): test/fakes/qyapi-kf.ts
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCardRoutes, type FakeCards } from './qyapi-cards.ts';
import type { createFakeKf } from './qyapi-kf.ts';
import { contactsRoute, isContactsApi } from './qyapi-contacts.ts';

export interface FakeQyapiOptions {
  corpId: string;
  corpSecret: string;
  /** When set, message/send with another agentid gets 40056 (invalid agentid). */
  agentId?: number | string;
  /** When set, a touser outside this list gets 81013 (user invalid / out of the app's scope). */
  knownUsers?: string[];
  /** expires_in handed out by gettoken (WeCom: 7200). */
  expiresIn?: number;
  /** Delay before every response, in ms (simulates a slow API). */
  delayMs?: number;
  /** External userids that are contacts of the company (add_msg_template); others land in fail_list. Default: all. */
  contacts?: (externalUserId: string) => boolean;
  /** The group robot's webhook key (default `robot-key`). */
  robotKey?: string;
  /** Messages a minute the robot takes (WeCom: 20). */
  robotPerMinute?: number;
  /** 微信客服 routes (/cgi-bin/kf/*, test/fakes/qyapi-kf.ts). */
  kf?: ReturnType<typeof createFakeKf>;
}

/** One external contact an add_msg_template call reached. */
export interface ExternalMessage {
  externalUserId: string;
  content: string;
  sender?: string;
  accessToken: string;
  at: Date;
}

/** One message/send the fake accepted (failed sends are not recorded). */
export interface SentMessage {
  touser: string;
  msgtype: string;
  agentid: number;
  /** text.content as WeCom would deliver it: cut at 2048 bytes, as the real API does. */
  content: string;
  /** True when content had to be cut (a client that splits correctly never triggers this). */
  truncated: boolean;
  contentBytes: number;
  accessToken: string;
  body: Record<string, unknown>;
  at: Date;
}

/** One media/upload the fake accepted. */
export interface UploadedMedia {
  mediaId: string;
  type: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
  at: Date;
}

export interface FakeQyapi {
  /** Base URL for WECOM_API_BASE, e.g. http://127.0.0.1:40123 */
  readonly url: string;
  readonly sent: SentMessage[];
  /** Accepted uploads, in order; image messages in `sent` name one by body.image.media_id. */
  readonly uploads: UploadedMedia[];
  /** Number of media/upload calls received (including failed ones). */
  readonly uploadRequests: number;
  /** The next `times` media/upload calls (with a valid token) answer `errcode`. */
  failUploadNext(errcode: number, times?: number): void;
  /** Number of gettoken calls received (successful or not). */
  readonly tokenRequests: number;
  /** Number of message/send calls received (including failed ones). */
  readonly sendRequests: number;
  /** External contacts reached by add_msg_template, in order (one entry per accepted id). */
  readonly external: ExternalMessage[];
  /** Number of add_msg_template calls received (including failed ones). */
  readonly externalRequests: number;
  /** The next `times` add_msg_template calls (with a valid token) answer `errcode`. */
  failExternalNext(errcode: number, times?: number): void;
  /** Number of get_groupmsg_* lookups received (list, task, send result). */
  readonly lookupRequests: number;
  /**
   * The staff member confirms every unsent 群发 whose text is `content` in their WeCom client:
   * each task becomes sent (2) and each customer's status 1 (sent) unless `outcome` says 2 (not
   * a contact) or 3 (over their receive limit). Returns how many were confirmed (a cancelled one
   * cannot be).
   */
  confirmMass(content: string, outcome?: Record<string, 2 | 3>): number;
  /** Msgids stopped by cancel_groupmsg_send, in order. */
  readonly withdrawn: string[];
  /** Requests received and not answered yet (held by the delay): a crash test kills its client while one is. */
  readonly inFlight: number;
  /** Group robot messages accepted (webhook/send). */
  readonly robot: { content: string; at: Date }[];
  /** Robot messages refused for going over robotPerMinute (130101). */
  readonly robotRefused: number;
  /** The next `times` webhook/send calls (with the right key) answer `errcode`. */
  failRobotNext(errcode: number, times?: number): void;
  /**
   * The next `times` message/send calls (with a valid token) answer `errcode` instead of sending;
   * with `after`, that many sends succeed first (e.g. fail the second chunk of a split text).
   */
  failNext(errcode: number, times?: number, opts?: FailOptions): void;
  /** The next `times` gettoken calls answer `errcode`. */
  failTokenNext(errcode: number, times?: number, opts?: Pick<FailOptions, 'errmsg'>): void;
  /** The next `times` requests of any kind answer this HTTP status with an HTML body (proxy/gateway failure). */
  failHttpNext(status: number, times?: number): void;
  /** Invalidates every token issued so far: the next send with one gets 42001 (expired). */
  expireTokens(): void;
  /**
   * Revokes every token issued so far before its expires_in is up (as WeCom does when the
   * secret is reset): the next call with one gets 40014 (invalid access_token).
   */
  revokeTokens(): void;
  /**
   * What WeCom's login redirect would carry: a fresh code for this person (`{userid}` a company
   * member, `{openid}` someone outside the company), valid once, for 5 minutes.
   */
  loginCode(who: { userid: string } | { openid: string }): string;
  /** Number of auth/getuserinfo calls received. */
  readonly userInfoRequests: number;
  /** Template cards, their updates and markdown messages (test/fakes/qyapi-cards.ts). */
  readonly cards: FakeCards;
  /** Changes the response delay (ms) of subsequent requests; with `onlyPath`, of requests to that path alone (e.g. a slow send beside quick lookups). */
  setDelay(ms: number, onlyPath?: string): void;
  close(): Promise<void>;
}

export interface FailOptions {
  /** errmsg to answer (default: WeCom's usual text for the code). */
  errmsg?: string;
  /** Number of sends that succeed before the failure starts. */
  after?: number;
}

interface Failure {
  errcode: number;
  errmsg: string;
  times: number;
  after: number;
}

const ERRMSG: Record<number, string> = {
  [-1]: 'system busy',
  40001: 'invalid credential',
  40004: 'invalid media type',
  40007: 'invalid media_id',
  40013: 'invalid corpid',
  40014: 'invalid access_token',
  40056: 'invalid agentid',
  40058: 'invalid parameter',
  41001: 'access_token missing',
  41005: 'media data missing',
  41048: 'missing external_userid or content',
  42001: 'access_token expired',
  44004: 'empty content',
  45009: 'api freq out of limit',
  45033: 'api concurrent out of limit',
  47001: 'data format error',
  40052: 'invalid action name',
  93000: 'invalid webhook url',
  130101: 'send too fast',
  60020: 'not allow to access from your ip',
  81013: 'user & party & tag all invalid',
};
const errmsgOf = (errcode: number) => `${ERRMSG[errcode] ?? 'error'}, hint: [fake-${randomBytes(4).toString('hex')}]`;

const TEXT_LIMIT = 2048;

/** Cuts at a byte limit without leaving half a UTF-8 character, as WeCom's truncation does. */
function truncateBytes(s: string, limit: number): string {
  const buf = Buffer.from(s, 'utf8');
  if (buf.length <= limit) return s;
  let end = limit;
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString('utf8');
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const p of req) parts.push(p as Buffer);
  return Buffer.concat(parts);
}

interface FormPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** A minimal multipart/form-data parser (RFC 7578), byte-exact for binary parts. */
function parseMultipart(body: Buffer, contentType: string): FormPart[] | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!/^multipart\/form-data/i.test(contentType) || !boundary) return undefined;
  const delim = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const parts: FormPart[] = [];
  let pos = body.indexOf(delim);
  while (pos >= 0) {
    const start = pos + delim.length;
    if (body.subarray(start, start + 2).toString() === '--') break; // closing delimiter
    const headerEnd = body.indexOf('\r\n\r\n', start);
    const next = body.indexOf(delim, start);
    if (headerEnd < 0 || next < 0) return undefined;
    const headers = body.subarray(start + 2, headerEnd).toString('utf8');
    const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
    parts.push({
      name: /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? '',
      filename: /\bfilename="([^"]*)"/i.exec(disposition)?.[1],
      contentType: /content-type:\s*([^\r\n]*)/i.exec(headers)?.[1]?.trim(),
      data: body.subarray(headerEnd + 4, next - 2), // the part ends with CRLF before the delimiter
    });
    pos = next;
  }
  return parts;
}

export async function startFakeQyapi(opts: FakeQyapiOptions): Promise<FakeQyapi> {
  const sent: SentMessage[] = [];
  const uploads: UploadedMedia[] = [];
  let uploadRequests = 0;
  const uploadFailures: Failure[] = [];
  const validTokens = new Set<string>();
  const expiredTokens = new Set<string>();
  let tokenRequests = 0;
  let sendRequests = 0;
  const external: ExternalMessage[] = [];
  let externalRequests = 0;
  const externalFailures: Failure[] = [];
  /**
   * Mass messages created by add_msg_template, as get_groupmsg_* report them: the staff member's
   * task (0 unsent, 2 sent once they confirm) and each customer's status (0 unsent, 1 sent, 2 not
   * a contact, 3 over their receive limit); cancel_groupmsg_send stops an unsent one.
   */
  const groupMsgs: { msgid: string; creator?: string; createTime: number; content: string; recipients: string[]; taskStatus: 0 | 2; sendTime?: number; outcome: Map<string, 0 | 1 | 2 | 3>; cancelled: boolean }[] = [];
  let lookupRequests = 0;
  const withdrawn: string[] = [];
  let inFlight = 0;
  const robot: { content: string; at: Date }[] = [];
  const robotTimes: number[] = [];
  let robotRefused = 0;
  const robotFailures: Failure[] = [];
  let delayMs = opts.delayMs ?? 0;
  let delayPath: string | undefined;
  const sendFailures: Failure[] = [];
  const tokenFailures: Failure[] = [];
  const httpFailures: { status: number; times: number }[] = [];
  const loginCodes = new Map<string, { who: { userid: string } | { openid: string }; expires: number }>();
  let userInfoRequests = 0;

  const takeFailure = <T extends { times: number; after?: number }>(queue: T[]): T | undefined => {
    const f = queue[0];
    if (!f) return undefined;
    if (f.after) {
      f.after--;
      return undefined;
    }
    if (--f.times <= 0) queue.shift();
    return f;
  };

  function gettoken(q: URLSearchParams): Record<string, unknown> {
    tokenRequests++;
    const f = takeFailure(tokenFailures);
    if (f) return { errcode: f.errcode, errmsg: f.errmsg };
    if (q.get('corpid') !== opts.corpId) return { errcode: 40013, errmsg: errmsgOf(40013) };
    if (q.get('corpsecret') !== opts.corpSecret) return { errcode: 40001, errmsg: errmsgOf(40001) };
    const token = randomBytes(48).toString('base64url');
    validTokens.add(token);
    return { errcode: 0, errmsg: 'ok', access_token: token, expires_in: opts.expiresIn ?? 7200 };
  }

  /** undefined when the token is valid, else WeCom's answer. */
  function checkToken(token: string | null): Record<string, unknown> | undefined {
    if (!token) return { errcode: 41001, errmsg: errmsgOf(41001) };
    if (expiredTokens.has(token)) return { errcode: 42001, errmsg: errmsgOf(42001) };
    if (!validTokens.has(token)) return { errcode: 40014, errmsg: errmsgOf(40014) };
    return undefined;
  }

  function upload(q: URLSearchParams, raw: Buffer, contentType: string): Record<string, unknown> {
    uploadRequests++;
    const bad = checkToken(q.get('access_token'));
    if (bad) return bad;
    const f = takeFailure(uploadFailures);
    if (f) return { errcode: f.errcode, errmsg: f.errmsg };
    const type = q.get('type') ?? '';
    if (type !== 'image') return { errcode: 40004, errmsg: errmsgOf(40004) };
    const media = parseMultipart(raw, contentType)?.find((p) => p.name === 'media');
    // WeCom wants a file part with a filename, and more than 5 bytes.
    if (!media || !media.filename || media.data.length <= 5) return { errcode: 41005, errmsg: errmsgOf(41005) };
    const mediaId = `3${randomBytes(30).toString('base64url')}`;
    uploads.push({ mediaId, type, filename: media.filename, contentType: media.contentType ?? '', bytes: Buffer.from(media.data), at: new Date() });
    return { errcode: 0, errmsg: 'ok', type, media_id: mediaId, created_at: String(Math.floor(Date.now() / 1000)) };
  }

  function send(q: URLSearchParams, raw: string): Record<string, unknown> {
    sendRequests++;
    const token = q.get('access_token');
    const bad = checkToken(token);
    if (bad || !token) return bad ?? {};
    const f = takeFailure(sendFailures);
    if (f) return { errcode: f.errcode, errmsg: f.errmsg };
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return { errcode: 47001, errmsg: errmsgOf(47001) };
    }
    if (opts.agentId !== undefined && String(body.agentid) !== String(opts.agentId)) return { errcode: 40056, errmsg: errmsgOf(40056) };
    const touser = String(body.touser ?? '');
    if (opts.knownUsers && !opts.knownUsers.includes(touser)) return { errcode: 81013, errmsg: errmsgOf(81013) };
    const rawContent = (body.text as { content?: unknown } | undefined)?.content;
    if (body.msgtype === 'text' && (typeof rawContent !== 'string' || rawContent === '')) return { errcode: 44004, errmsg: errmsgOf(44004) };
    if (body.msgtype === 'image') {
      const mediaId = (body.image as { media_id?: unknown } | undefined)?.media_id;
      if (!uploads.some((u) => u.mediaId === mediaId)) return { errcode: 40007, errmsg: errmsgOf(40007) };
    }
    const content = typeof rawContent === 'string' ? rawContent : '';
    const contentBytes = Buffer.byteLength(content, 'utf8');
    sent.push({
      touser,
      msgtype: String(body.msgtype),
      agentid: Number(body.agentid),
      content: truncateBytes(content, TEXT_LIMIT),
      truncated: contentBytes > TEXT_LIMIT,
      contentBytes,
      accessToken: token,
      body,
      at: new Date(),
    });
    return {
      errcode: 0,
      errmsg: 'ok',
      invaliduser: '',
      invalidparty: '',
      invalidtag: '',
      unlicenseduser: '',
      msgid: randomBytes(16).toString('base64url'),
      response_code: '',
    };
  }

  function addMsgTemplate(q: URLSearchParams, raw: string): Record<string, unknown> {
    externalRequests++;
    const token = q.get('access_token');
    const bad = checkToken(token);
    if (bad || !token) return bad ?? {};
    const f = takeFailure(externalFailures);
    if (f) return { errcode: f.errcode, errmsg: f.errmsg };
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return { errcode: 47001, errmsg: errmsgOf(47001) };
    }
    if (body.chat_type !== undefined && body.chat_type !== 'single' && body.chat_type !== 'group') return { errcode: 40058, errmsg: errmsgOf(40058) };
    const ids = Array.isArray(body.external_userid) ? body.external_userid.map(String) : [];
    const content = (body.text as { content?: unknown } | undefined)?.content;
    if (ids.length === 0 || typeof content !== 'string' || content === '') return { errcode: 41048, errmsg: errmsgOf(41048) };
    const failList = ids.filter((id) => opts.contacts && !opts.contacts(id));
    const sender = typeof body.sender === 'string' ? body.sender : undefined;
    for (const id of ids) if (!failList.includes(id)) external.push({ externalUserId: id, content, ...(sender ? { sender } : {}), accessToken: token, at: new Date() });
    const msgid = `msg${randomBytes(8).toString('hex')}`;
    const recipients = ids.filter((id) => !failList.includes(id));
    if (recipients.length) groupMsgs.push({ msgid, ...(sender ? { creator: sender } : {}), createTime: Math.floor(Date.now() / 1000), content, recipients, taskStatus: 0, outcome: new Map(), cancelled: false });
    return { errcode: 0, errmsg: 'ok', fail_list: failList, msgid };
  }

  /** One page of `items` from a cursor (the index of the first item) and a limit (WeCom: at most 100). */
  function page<T>(items: T[], body: Record<string, unknown>): { items: T[]; next_cursor: string } {
    const from = Number(body.cursor ?? 0) || 0;
    const limit = Math.min(Math.max(Number(body.limit ?? 50) || 50, 1), 100);
    const items2 = items.slice(from, from + limit);
    return { items: items2, next_cursor: from + limit < items.length ? String(from + limit) : '' };
  }

  /** get_groupmsg_list_v2, get_groupmsg_task, get_groupmsg_send_result. */
  function groupMsgLookup(api: string, q: URLSearchParams, raw: string): Record<string, unknown> {
    lookupRequests++;
    const bad = checkToken(q.get('access_token'));
    if (bad) return bad;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return { errcode: 47001, errmsg: errmsgOf(47001) };
    }
    // Messages created without a sender are dispatched to the staff member who owns the contact.
    const staffOf = (m: (typeof groupMsgs)[number]) => m.creator ?? 'fake_staff';
    if (api === 'get_groupmsg_list_v2') {
      const start = Number(body.start_time);
      const end = Number(body.end_time);
      if (!Number.isFinite(start) || !Number.isFinite(end) || end < start) return { errcode: 40058, errmsg: errmsgOf(40058) };
      if (body.chat_type !== 'single' && body.chat_type !== 'group') return { errcode: 40058, errmsg: errmsgOf(40058) };
      const hits = groupMsgs.filter((m) => body.chat_type === 'single' && m.createTime >= start && m.createTime <= end);
      const p = page(hits, body);
      return { errcode: 0, errmsg: 'ok', next_cursor: p.next_cursor, group_msg_list: p.items.map((m) => ({ msgid: m.msgid, ...(m.creator ? { creator: m.creator } : {}), create_time: String(m.createTime), create_type: 0, text: { content: m.content } })) };
    }
    const m = groupMsgs.find((g) => g.msgid === body.msgid);
    if (!m) return { errcode: 40058, errmsg: errmsgOf(40058) };
    if (api === 'get_groupmsg_task') {
      const p = page([{ userid: staffOf(m), status: m.taskStatus, ...(m.sendTime ? { send_time: m.sendTime } : {}) }], body);
      return { errcode: 0, errmsg: 'ok', next_cursor: p.next_cursor, task_list: p.items };
    }
    if (body.userid !== staffOf(m)) return { errcode: 0, errmsg: 'ok', next_cursor: '', send_list: [] };
    const p = page(
      m.recipients.map((id) => {
        const status = m.outcome.get(id) ?? 0;
        return { external_userid: id, userid: staffOf(m), status, ...(status === 1 && m.sendTime ? { send_time: m.sendTime } : {}) };
      }),
      body,
    );
    return { errcode: 0, errmsg: 'ok', next_cursor: p.next_cursor, send_list: p.items };
  }

  /** cancel_groupmsg_send {msgid}: staff members can no longer send it. */
  function cancelGroupMsg(q: URLSearchParams, raw: string): Record<string, unknown> {
    const bad = checkToken(q.get('access_token'));
    if (bad) return bad;
    const msgid = (JSON.parse(raw || '{}') as { msgid?: unknown }).msgid;
    const m = groupMsgs.find((g) => g.msgid === msgid);
    if (!m) return { errcode: 40058, errmsg: errmsgOf(40058) };
    m.cancelled = true;
    withdrawn.push(m.msgid);
    return { errcode: 0, errmsg: 'ok' };
  }

  function getUserInfo(q: URLSearchParams): Record<string, unknown> {
    userInfoRequests++;
    const bad = checkToken(q.get('access_token'));
    if (bad) return bad;
    const code = q.get('code') ?? '';
    const entry = loginCodes.get(code);
    loginCodes.delete(code); // a code works once
    if (!entry || entry.expires < Date.now()) return { errcode: 40029, errmsg: 'invalid code' };
    return { errcode: 0, errmsg: 'ok', ...entry.who };
  }

  function robotSend(q: URLSearchParams, raw: string): Record<string, unknown> {
    if (q.get('key') !== (opts.robotKey ?? 'robot-key')) return { errcode: 93000, errmsg: errmsgOf(93000) };
    const f = takeFailure(robotFailures);
    if (f) return { errcode: f.errcode, errmsg: f.errmsg };
    const now = Date.now();
    while (robotTimes.length && robotTimes[0]! < now - 60_000) robotTimes.shift();
    if (robotTimes.length >= (opts.robotPerMinute ?? 20)) {
      robotRefused++;
      return { errcode: 130101, errmsg: errmsgOf(130101) };
    }
    let body: { msgtype?: unknown; text?: { content?: unknown } };
    try {
      body = JSON.parse(raw) as typeof body;
    } catch {
      return { errcode: 40052, errmsg: errmsgOf(40052) };
    }
    const content = body.text?.content;
    if (body.msgtype !== 'text' || typeof content !== 'string' || content === '') return { errcode: 44004, errmsg: errmsgOf(44004) };
    robotTimes.push(now);
    robot.push({ content, at: new Date() });
    return { errcode: 0, errmsg: 'ok' };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (delayMs > 0 && (!delayPath || new URL(req.url ?? '/', 'http://fake').pathname === delayPath)) await new Promise((r) => setTimeout(r, delayMs));
    const http = takeFailure(httpFailures);
    if (http) {
      res.writeHead(http.status, { 'content-type': 'text/html' }).end(`<html><body>${http.status} gateway error</body></html>`);
      return;
    }
    const url = new URL(req.url ?? '/', 'http://fake');
    let reply: Record<string, unknown>;
    if (req.method === 'POST' && cards.owns(url.pathname, body)) reply = cards.handle(url.pathname, url.searchParams, body.toString('utf8'));
    else if (req.method === 'GET' && url.pathname === '/cgi-bin/gettoken') reply = gettoken(url.searchParams);
    else if (req.method === 'GET' && url.pathname === '/cgi-bin/auth/getuserinfo') reply = getUserInfo(url.searchParams);
    else if (req.method === 'POST' && url.pathname === '/cgi-bin/message/send') reply = send(url.searchParams, body.toString('utf8'));
    else if (req.method === 'POST' && url.pathname === '/cgi-bin/webhook/send') reply = robotSend(url.searchParams, body.toString('utf8'));
    else if (req.method === 'POST' && url.pathname === '/cgi-bin/externalcontact/add_msg_template') reply = addMsgTemplate(url.searchParams, body.toString('utf8'));
    else if (req.method === 'POST' && url.pathname === '/cgi-bin/externalcontact/cancel_groupmsg_send') reply = cancelGroupMsg(url.searchParams, body.toString('utf8'));
    else if (req.method === 'POST' && /^\/cgi-bin\/externalcontact\/get_groupmsg_(list_v2|task|send_result)$/.test(url.pathname)) reply = groupMsgLookup(url.pathname.slice('/cgi-bin/externalcontact/'.length), url.searchParams, body.toString('utf8'));
    else if (req.method === 'POST' && url.pathname === '/cgi-bin/media/upload') reply = upload(url.searchParams, body, req.headers['content-type'] ?? '');
    else if (req.method === 'POST' && opts.kf && url.pathname.startsWith('/cgi-bin/kf/')) reply = checkToken(url.searchParams.get('access_token')) ?? opts.kf.route(url.pathname, body.toString('utf8')) ?? { errcode: 404, errmsg: 'no such kf api' };
    else if (isContactsApi(url.pathname)) reply = contactsRoute(opts, url.pathname, url.searchParams, body.toString('utf8'), checkToken(url.searchParams.get('access_token')));
    else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    // WeCom answers HTTP 200 for API errors too; the outcome is in errcode.
    res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(reply));
  }

  const cards = createCardRoutes({ checkToken, send, errmsgOf, agentId: opts.agentId });
  const server = createServer((req, res) => {
    inFlight++;
    handle(req, res)
      .catch(() => res.writeHead(500).end())
      .finally(() => inFlight--);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    uploads,
    get uploadRequests() {
      return uploadRequests;
    },
    failUploadNext(errcode, times = 1) {
      uploadFailures.push({ errcode, errmsg: errmsgOf(errcode), times, after: 0 });
    },
    loginCode(who) {
      const code = randomBytes(24).toString('base64url');
      loginCodes.set(code, { who, expires: Date.now() + 5 * 60_000 });
      return code;
    },
    get userInfoRequests() {
      return userInfoRequests;
    },
    get tokenRequests() {
      return tokenRequests;
    },
    get sendRequests() {
      return sendRequests;
    },
    cards,
    external,
    get externalRequests() {
      return externalRequests;
    },
    get lookupRequests() {
      return lookupRequests;
    },
    confirmMass(content, outcome = {}) {
      const open = groupMsgs.filter((g) => g.content === content && !g.cancelled && g.taskStatus === 0);
      for (const m of open) {
        m.taskStatus = 2;
        m.sendTime = Math.floor(Date.now() / 1000);
        for (const id of m.recipients) m.outcome.set(id, outcome[id] ?? 1);
      }
      return open.length;
    },
    withdrawn,
    get inFlight() {
      return inFlight;
    },
    robot,
    get robotRefused() {
      return robotRefused;
    },
    failRobotNext(errcode, times = 1) {
      robotFailures.push({ errcode, errmsg: errmsgOf(errcode), times, after: 0 });
    },
    failExternalNext(errcode, times = 1) {
      externalFailures.push({ errcode, errmsg: errmsgOf(errcode), times, after: 0 });
    },
    failNext(errcode, times = 1, opts = {}) {
      sendFailures.push({ errcode, errmsg: opts.errmsg ?? errmsgOf(errcode), times, after: opts.after ?? 0 });
    },
    failTokenNext(errcode, times = 1, opts = {}) {
      tokenFailures.push({ errcode, errmsg: opts.errmsg ?? errmsgOf(errcode), times, after: 0 });
    },
    failHttpNext(status, times = 1) {
      httpFailures.push({ status, times });
    },
    expireTokens() {
      for (const t of validTokens) expiredTokens.add(t);
      validTokens.clear();
    },
    revokeTokens() {
      // checkToken answers 40014 for a token it does not know.
      validTokens.clear();
    },
    setDelay(ms, onlyPath) {
      delayMs = ms;
      delayPath = onlyPath;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
