/**
 * WeCom server API client (self-built app): gettoken, message/send (text and image) and
 * media/upload (temporary image material) over global fetch.
 * The host comes from WECOM_API_BASE so a forwarding proxy on a trusted IP, or the test
 * fake (test/fakes/qyapi.ts), can stand in for qyapi.weixin.qq.com.
 * Never logs the access token or the secret (the token travels in the query string, so URLs
 * are never logged either).
 */
import { callTencentApi } from '../shared/tencent-http.ts';
import { createHash } from 'node:crypto';
import type { Config } from '../../config.ts';
import { AppError } from '../../crm/kernel/index.ts';
import type { Services } from '../../services.ts';
import { IP_NOT_TRUSTED, IP_NOT_TRUSTED_EXPLANATION, TOKEN_ERRCODES, weComApiError, weComTransportError } from './api-errors.ts';
import { splitUtf8 } from './split.ts';
import type { AnswerCard, CardUpdate } from '../../bot/types.ts';
import { cardUpdateBody, templateCardOf } from './cards.ts';
import { hasListStructure, toWeComMarkdown } from './markdown.ts';
import { createTokenCache, type TokenCache } from '../shared/token-cache.ts';
import type { ContactsPort } from '../../crm/contacts/index.ts';
import { contactsApi } from './contacts-api.ts';

export interface WeComApiClientOptions {
  /** Per-request timeout; a timeout is a retryable error. */
  timeoutMs?: number;
  /** Seconds before WeCom's expiry at which the cached token is dropped. */
  tokenMarginS?: number;
}

export interface SendTextResult {
  /** How many messages the text was split into (2048-byte limit). */
  chunks: number;
  /** How many were sent by this call (chunks already sent by an earlier attempt of the same requestId are skipped). */
  sent: number;
}

export interface WeComApiClient {
  readonly corpId: string;
  readonly agentId: number;
  /** The per-request timeout (a call may take up to three: gettoken, the call, its retry after a refreshed token). */
  readonly timeoutMs: number;
  /** The app's access token, from the shared cache or a fresh gettoken. */
  getAccessToken(): Promise<string>;
  /**
   * POSTs JSON to any token-bearing API (e.g. `externalcontact/add_msg_template`) with the cached
   * token; a rejected token (40001/40014/42001) is dropped, refreshed and the call retried once.
   * Returns the reply when errcode is 0; throws AppError otherwise (`details.errcode` is WeCom's
   * code, `retryable` says whether another try can help).
   */
  post(api: string, body: unknown): Promise<WeComApiReply>;
  /** GETs a token-bearing API (e.g. `auth/getuserinfo?code=`), with the same token refresh and errors as post(). */
  get(api: string, query: Record<string, string>): Promise<WeComApiReply>;
  /**
   * Sends a text to one member (userid) via message/send, split at 2048 UTF-8 bytes.
   * With a requestId, chunks already delivered by an earlier attempt are not sent again,
   * so a BullMQ retry after a partial failure never duplicates a message.
   * Throws AppError; `retryable` tells the job whether to try again.
   */
  sendText(touser: string, text: string, requestId?: string): Promise<SendTextResult>;
  /**
   * Uploads a PNG as temporary material (media/upload, type=image; valid 3 days) and returns
   * its media_id. The same bytes uploaded again within a day reuse the cached media_id.
   */
  uploadImage(png: Buffer): Promise<string>;
  /** Sends an uploaded image (message/send, msgtype image). Throws AppError like sendText. */
  sendImage(touser: string, mediaId: string): Promise<void>;
  /**
   * Uploads and sends a PNG. With a requestId, an image already delivered by an earlier
   * attempt is not sent again (same marks as sendText's chunks). Returns whether it was sent now.
   */
  sendPng(touser: string, png: Buffer, requestId?: string): Promise<{ sent: boolean }>;
  /**
   * Sends an answer's card as a template card (message/send, msgtype template_card) and keeps
   * the response_code WeCom returns for it (72 h), so the card can be updated once without a
   * click (a typed 确认). With a requestId, a card already sent by an earlier attempt is not sent again.
   */
  sendCard(touser: string, card: AnswerCard, requestId?: string): Promise<{ sent: boolean }>;
  /**
   * Shows an answered card's outcome (message/update_template_card) with the click's
   * response_code, else the one kept from the send; each code works once, so a card whose codes
   * are spent (or older than 72 h) is left as it is. Returns whether the card was updated.
   */
  updateCard(touser: string, update: CardUpdate, requestId?: string): Promise<{ updated: boolean }>;
  /** 客户联系: externalcontact get, corp tags, mark_tag, add_contact_way, transfers (contacts-api.ts), through post/get above. */
  readonly contacts: ContactsPort;
}

export interface WeComApiReply {
  errcode?: number;
  errmsg?: string;
  [k: string]: unknown;
}
type ApiReply = WeComApiReply;

type ClientServices = Pick<Services, 'redis' | 'logger' | 'key'> & {
  config: Pick<Config, 'WECOM_API_BASE' | 'WECOM_CORP_ID' | 'WECOM_SECRET' | 'WECOM_AGENT_ID'>;
};

/** How long a delivered chunk is remembered for retries of the same request. */
const SENT_MARK_TTL_S = 24 * 3600;
/** How long an uploaded image's media_id is reused (WeCom keeps temporary material 3 days). */
const MEDIA_ID_TTL_S = 24 * 3600;
/** A template card's response_code works for 72 hours (更新模版卡片消息). */
const RESPONSE_CODE_TTL_S = 72 * 3600;
/** Shown as the file name of the image in WeCom. */
const IMAGE_FILENAME = 'chart.png';

export function createWeComApiClient(services: ClientServices, opts: WeComApiClientOptions = {}): WeComApiClient {
  const { config, redis, logger, key } = services;
  const { WECOM_CORP_ID: corpId, WECOM_SECRET: secret, WECOM_AGENT_ID: agentIdText } = config;
  if (!corpId || !secret || !agentIdText) {
    // Fail loudly at start-up (docs/architecture.md, conventions), not on the first push.
    throw new AppError('channel_not_configured', 'WECOM_CORP_ID, WECOM_SECRET and WECOM_AGENT_ID are required to push messages', { status: 500 });
  }
  const agentId = Number(agentIdText);
  const base = config.WECOM_API_BASE.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? 10_000;

  async function call(api: string, query: Record<string, string>, body?: unknown): Promise<ApiReply> {
    // body may be FormData (media/upload): callTencentApi sends it as multipart/form-data.
    const reply = await callTencentApi<ApiReply>(base, api, query, body, timeoutMs, { transport: weComTransportError, httpErrorCode: 'wecom_http_error' });
    const errcode = reply.errcode ?? 0;
    if (errcode === IP_NOT_TRUSTED) logger.error({ api, errcode, corpId, agentId }, IP_NOT_TRUSTED_EXPLANATION);
    return reply;
  }

  const tokens: TokenCache = createTokenCache({
    redis,
    logger,
    cacheKey: key('wecom', 'token', corpId, agentId),
    marginS: opts.tokenMarginS,
    async fetchToken() {
      const r = await call('gettoken', { corpid: corpId, corpsecret: secret });
      const errcode = r.errcode ?? 0;
      if (errcode !== 0) {
        // On gettoken, 40001 means the secret itself is wrong: no point in retrying.
        if (errcode === 40001) throw new AppError('wecom_api_error', 'gettoken: invalid secret (WECOM_SECRET) (40001)', { details: { api: 'gettoken', errcode, errmsg: r.errmsg } });
        throw weComApiError('gettoken', errcode, String(r.errmsg ?? ''));
      }
      if (typeof r.access_token !== 'string' || !r.access_token) throw weComTransportError('gettoken', 'reply has no access_token');
      return { token: r.access_token, expiresIn: Number(r.expires_in ?? 7200) };
    },
  });

  /**
   * POSTs with the cached token; on a token error drops it, refreshes and retries once (docs/wecom.md, protocol rules).
   * `body` is a function for multipart uploads: a FormData is rebuilt for the retry.
   */
  async function postWithToken(api: string, body: unknown, query: Record<string, string> = {}): Promise<ApiReply> {
    for (let attempt = 1; ; attempt++) {
      const token = await tokens.get();
      const reply = await call(api, { access_token: token, ...query }, typeof body === 'function' ? (body as () => unknown)() : body);
      const errcode = reply.errcode ?? 0;
      if (errcode === 0) return reply;
      if (TOKEN_ERRCODES.has(errcode) && attempt === 1) {
        logger.info({ api, errcode }, 'wecom access token rejected; refreshing and retrying once');
        await tokens.invalidate(token);
        continue;
      }
      throw weComApiError(api, errcode, String(reply.errmsg ?? ''));
    }
  }

  /** One message/send of any msgtype (`{msgtype: {...}}` is the type-specific part). */
  async function sendMessage(touser: string, msgtype: 'text' | 'image' | 'markdown' | 'template_card', payload: Record<string, unknown>): Promise<ApiReply> {
    const reply = await postWithToken('message/send', { touser, msgtype, agentid: agentId, [msgtype]: payload });
    // errcode 0 still lists recipients WeCom could not deliver to (unknown or unlicensed accounts).
    for (const field of ['invaliduser', 'unlicenseduser'] as const) {
      const listed = String(reply[field] ?? '').split('|');
      if (listed.includes(touser)) {
        throw new AppError('wecom_invalid_user', `message/send: recipient is listed in ${field}`, { details: { api: 'message/send', field, touser } });
      }
    }
    return reply;
  }
  const responseCodeKey = (taskId: string) => key('wecom', 'card-code', taskId);

  const sentMark = (...parts: string[]) => key('wecom', 'sent', createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32));

  async function uploadImage(png: Buffer): Promise<string> {
    if (png.length <= 5) throw new AppError('wecom_empty_media', 'media/upload: image is empty');
    const cacheKey = key('wecom', 'media', createHash('sha256').update(png).digest('hex').slice(0, 32));
    const cached = await redis.get(cacheKey);
    if (cached) return cached;
    const form = () => {
      const f = new FormData();
      f.append('media', new Blob([new Uint8Array(png)], { type: 'image/png' }), IMAGE_FILENAME);
      return f;
    };
    const reply = await postWithToken('media/upload', form, { type: 'image' });
    if (typeof reply.media_id !== 'string' || !reply.media_id) throw weComTransportError('media/upload', 'reply has no media_id');
    await redis.set(cacheKey, reply.media_id, 'EX', MEDIA_ID_TTL_S);
    return reply.media_id;
  }

  const sendImage = async (touser: string, mediaId: string) => {
    await sendMessage(touser, 'image', { media_id: mediaId });
  };

  const post = (api: string, body: unknown) => postWithToken(api, body);
  // No body: callTencentApi sends a GET.
  const get = (api: string, query: Record<string, string>) => postWithToken(api, undefined, query);
  return {
    corpId,
    agentId,
    timeoutMs,
    getAccessToken: () => tokens.get(),
    post,
    get,
    contacts: contactsApi({ post, get }),
    uploadImage,
    sendImage,
    async sendPng(touser, png, requestId) {
      const mark = requestId ? sentMark(requestId, touser, 'image', createHash('sha256').update(png).digest('hex')) : undefined;
      if (mark && (await redis.exists(mark))) return { sent: false };
      await sendImage(touser, await uploadImage(png));
      if (mark) await redis.set(mark, '1', 'EX', SENT_MARK_TTL_S);
      return { sent: true };
    },
    async sendCard(touser, card, requestId) {
      const mark = requestId ? sentMark(requestId, touser, 'card', card.taskId) : undefined;
      if (mark && (await redis.exists(mark))) return { sent: false };
      const reply = await sendMessage(touser, 'template_card', templateCardOf(card));
      if (typeof reply.response_code === 'string' && reply.response_code) await redis.set(responseCodeKey(card.taskId), reply.response_code, 'EX', RESPONSE_CODE_TTL_S);
      if (mark) await redis.set(mark, '1', 'EX', SENT_MARK_TTL_S);
      return { sent: true };
    },
    async updateCard(touser, update, requestId) {
      const mark = requestId ? sentMark(requestId, touser, 'card-update', update.taskId) : undefined;
      if (mark && (await redis.exists(mark))) return { updated: false };
      // The send's code is spent by its first use; the click's code is the click's own.
      const code = update.responseCode ?? (await redis.getdel(responseCodeKey(update.taskId)));
      if (!code) {
        logger.info({ taskId: update.taskId }, 'card not updated: no unused response_code (sent without one, already used, or older than 72 h)');
        return { updated: false };
      }
      await postWithToken('message/update_template_card', cardUpdateBody(touser, agentId, update, code));
      if (mark) await redis.set(mark, '1', 'EX', SENT_MARK_TTL_S);
      return { updated: true };
    },
    async sendText(touser, text, requestId) {
      // A list reads better as markdown (one renderer: the bot's text, only its list marks and * escaped).
      const markdown = hasListStructure(text);
      const chunks = splitUtf8(markdown ? toWeComMarkdown(text) : text);
      if (chunks.length === 0) throw new AppError('wecom_empty_text', 'message/send: empty text');
      const markBase = requestId ? sentMark(requestId, touser, text) : undefined;
      let sent = 0;
      for (const [i, chunk] of chunks.entries()) {
        const mark = markBase && `${markBase}:${i}`;
        if (mark && (await redis.exists(mark))) continue;
        await sendMessage(touser, markdown ? 'markdown' : 'text', { content: chunk });
        if (mark) await redis.set(mark, '1', 'EX', SENT_MARK_TTL_S);
        sent++;
      }
      return { chunks: chunks.length, sent };
    },
  };
}
