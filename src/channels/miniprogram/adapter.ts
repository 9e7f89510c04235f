/**
 * The mini-program message-push channel (GET|POST /miniprogram/callback, docs/wecom.md):
 * URL verification, plain and safe (AES) mode, JSON and XML data formats → InboundMessage, the
 * "success" ack, and push through customerServiceMessage.send.
 *
 * Why no passive text reply: unlike an official account, a mini-program cannot answer a customer-
 * service message in the HTTP response; the only passive reply WeChat accepts is
 * MsgType=transfer_customer_service (hand the session to the web customer-service tool), and
 * "success"/empty to acknowledge ("转发客服消息" in the mini-program docs). So every answer is
 * acked with "success" and delivered through customerServiceMessage.send via the outbound queue
 * (canReplyInline is always false), which is also where the 48-hour window is enforced.
 *
 * Modes: with MP_AES_KEY set the callback must be encrypted (encrypt_type=aes, msg_signature over
 * [token, timestamp, nonce, Encrypt], receive id = MP_APP_ID). A plain body is refused then: the
 * plain-mode signature covers only [token, timestamp, nonce], not the body, so accepting it would
 * let anyone holding one signed URL inject any message within the freshness window. Without
 * MP_AES_KEY the channel runs in plain mode and refuses encrypted bodies it cannot open.
 */
import { createHash } from 'node:crypto';
import type { BotAnswer, InboundMessage } from '../../bot/types.ts';
import { AppError, badRequest, payloadTooLarge, unauthorized } from '../../crm/kernel/index.ts';
import { assertFresh, assertPlainSignature, assertSignature, decrypt, deriveAesKey } from '../shared/crypto.ts';
import type { ChannelAdapter, ParseResult, RawRequest, RawResponse } from '../types.ts';
import { detectFormat, parsePayload, type MpPayload, type SubscriptionItem } from './payload.ts';
import { returningClientErrors } from '../shared/parse-result.ts';

/** Largest push body accepted: a text is a few KiB; 64 KiB leaves room for every event. */
export const MP_MAX_BODY_BYTES = 64 * 1024;
/** Callback timestamps further off than this (either way) are replays. */
export const MP_MAX_SKEW_S = 300;
/** How long the request waits for the bot before acking; the answer is pushed either way. */
export const MP_REPLY_BUDGET_MS = 3500;

export interface MpAdapterConfig {
  appId: string;
  token: string;
  /** EncodingAESKey (safe mode); undefined → plain mode. */
  aesKey?: string;
}

/** What onAccepted records for an authentic event (see MpHooks). */
export interface MpEventData {
  openid: string;
  event: string;
  subscriptions: SubscriptionItem[];
}

/** Side effects of accepted callbacks, wired by the channel factory (index.ts). */
export interface MpHooks {
  /** A member message arrived: opens the 48-hour customer-service window. */
  /** A member's message (any type) opens the reply window; `messageId` lets a retried delivery be told apart. */
  onMemberMessage?(openid: string, now: Date, messageId: string): Promise<void>;
  /** An event arrived (subscriptions, session entry); `eventId` is the payload hash, for idempotency. */
  onEvent?(data: MpEventData, eventId: string, now: Date): Promise<void>;
  /** Delivers a pushed answer (customerServiceMessage.send). */
  push?(openid: string, text: string, requestId?: string): Promise<void>;
}

export interface MpAdapterOptions {
  config: MpAdapterConfig;
  hooks?: MpHooks;
  maxBodyBytes?: number;
  maxSkewS?: number;
  replyBudgetMs?: number;
}

export interface MiniProgramAdapter extends ChannelAdapter {
  readonly channel: 'miniprogram';
  readonly mode: 'plain' | 'safe';
}

/** WeChat's acknowledgement: "success" (or empty) means "received, no passive reply". */
export const MP_ACK: RawResponse = { status: 200, contentType: 'text/plain', body: 'success' };

export function createMiniProgramAdapter(opts: MpAdapterOptions): MiniProgramAdapter {
  const { appId, token, aesKey } = opts.config;
  if (!appId || !token) throw new AppError('channel_not_configured', 'MP_APP_ID and MP_TOKEN are required for the mini-program callback', { status: 500 });
  if (aesKey) deriveAesKey(aesKey); // a bad key fails at start-up, not on the first callback
  const maxBodyBytes = opts.maxBodyBytes ?? MP_MAX_BODY_BYTES;
  const maxSkewS = opts.maxSkewS ?? MP_MAX_SKEW_S;
  const hooks = opts.hooks ?? {};

  /** Freshness and the plain signature: every request carries them, GET and POST, both modes. */
  function checkPlain(q: Record<string, string>, now: Date): void {
    if (!q.signature && !q.msg_signature) throw unauthorized('unsigned', 'signature is missing');
    if (!q.timestamp || !q.nonce) throw badRequest('missing_params', 'timestamp and nonce are required');
    assertFresh(q.timestamp, now, maxSkewS);
  }

  /** Reads the body in plain or safe mode and returns the (decrypted) document. */
  function open(req: RawRequest, now: Date): { raw: string; payload: MpPayload } {
    const q = req.query;
    checkPlain(q, now);
    if (req.body.trim() === '') throw badRequest('empty_body', 'callback body is empty');
    const format = detectFormat(req.headers['content-type'], req.body);
    if (!aesKey) {
      if (q.encrypt_type === 'aes') throw badRequest('aes_not_configured', 'encrypted callback, but MP_AES_KEY is not set (plain mode)');
      assertPlainSignature(token, q.timestamp!, q.nonce!, q.signature ?? '');
      const payload = parsePayload(req.body, format, maxBodyBytes);
      if (payload.fields.Encrypt) throw badRequest('aes_not_configured', 'encrypted callback, but MP_AES_KEY is not set (plain mode)');
      return { raw: req.body, payload };
    }
    if (!q.msg_signature) throw unauthorized('unsigned', 'msg_signature is missing');
    const encrypted = parsePayload(req.body, format, maxBodyBytes).fields.Encrypt;
    if (!encrypted) throw unauthorized('encryption_required', 'safe mode: the callback body must carry Encrypt');
    // Signature before decryption, so padding errors are only reported for authentic ciphertext.
    assertSignature(token, q.timestamp!, q.nonce!, encrypted, q.msg_signature);
    const raw = decrypt(aesKey, encrypted, appId);
    return { raw, payload: parsePayload(raw, detectFormat(undefined, raw), maxBodyBytes) };
  }

  function classify(raw: string, p: MpPayload, now: Date, requestId: string): ParseResult {
    const f = p.fields;
    // Retries of one push carry the same MsgId; events have none, and FromUserName+CreateTime
    // collides for distinct events, so events dedupe on a hash of the whole payload (docs/wecom.md, protocol rules).
    const payloadHash = createHash('sha256').update(raw).digest('hex');
    if (!f.FromUserName) throw badRequest('bad_message', 'push without FromUserName (openid)');
    if (f.MsgType === 'text') {
      const message: InboundMessage = { channel: 'miniprogram', messageId: f.MsgId || payloadHash, from: f.FromUserName, text: f.Content ?? '', receivedAt: now, requestId };
      return { ok: true, kind: 'message', message };
    }
    const reason = f.MsgType === 'event' ? `event:${f.Event ?? 'unknown'}` : `msgtype:${f.MsgType ?? 'unknown'}`;
    const data: MpEventData = { openid: f.FromUserName, event: f.MsgType === 'event' ? (f.Event ?? '') : `msgtype:${f.MsgType ?? ''}`, subscriptions: p.subscriptions };
    return { ok: true, kind: 'ignored', reason, messageId: f.MsgId || payloadHash, data };
  }

  function parseOrThrow(req: RawRequest, now: Date, requestId: string): ParseResult {
    if (Buffer.byteLength(req.body, 'utf8') > maxBodyBytes) throw payloadTooLarge('body_too_large', `body exceeds ${maxBodyBytes} bytes`);
    const q = req.query;
    if (req.method === 'GET') {
      // URL verification: plain signature over [token, timestamp, nonce], echostr echoed as is
      // (in every mode: the mini-program's echostr is not encrypted, unlike WeCom's).
      checkPlain(q, now);
      if (!q.echostr) throw badRequest('missing_params', 'echostr is required');
      assertPlainSignature(token, q.timestamp!, q.nonce!, q.signature ?? '');
      return { ok: true, kind: 'verify', response: { status: 200, contentType: 'text/plain', body: q.echostr } };
    }
    const { raw, payload } = open(req, now);
    return classify(raw, payload, now, requestId);
  }

  return {
    channel: 'miniprogram',
    mode: aesKey ? 'safe' : 'plain',
    maxBodyBytes,
    replyBudgetMs: opts.replyBudgetMs ?? MP_REPLY_BUDGET_MS,
    // No passive text replies on the mini-program (see the header): every answer is pushed.
    canReplyInline: () => false,

    parse: returningClientErrors(parseOrThrow),

    async onAccepted(parsed, now) {
      if (parsed.kind === 'message') await hooks.onMemberMessage?.(parsed.message.from, now, parsed.message.messageId);
      else if (parsed.kind === 'ignored' && parsed.data) {
        const data = parsed.data as MpEventData;
        // An image or mini-program card from the member opens the window just like a text.
        if (data.event.startsWith('msgtype:')) await hooks.onMemberMessage?.(data.openid, now, parsed.messageId);
        else await hooks.onEvent?.(data, parsed.messageId, now);
      }
    },

    reply(_answer: BotAnswer | null, _inbound: InboundMessage, _now: Date): RawResponse {
      return MP_ACK;
    },

    async push(to, text, requestId) {
      if (!hooks.push) throw new AppError('mp_push_not_configured', 'MP_APP_SECRET is needed to send customer-service messages');
      await hooks.push(to, text, requestId);
    },
  };
}
