/**
 * The WeCom AI bot's (智能机器人) callback mode, GET|POST /aibot/callback (docs/wecom-setup.md):
 * URL verification, encrypted JSON callbacks → InboundMessage, and the encrypted JSON replies
 * (stream chunks, template cards, the welcome text). Pure given the clock — no Redis, no SQL —
 * so the Workers edge runs the very same code; what needs state (the open streams, feedback rows,
 * quotas, the app-message relay) is added at the origin by ./channel.ts.
 *
 * Protocol (Tencent: 回调和回复的加解密方案 for the AI bot): the same signature and AES scheme as
 * the self-built app (src/channels/shared/crypto.ts), with the body `{"encrypt": …}` instead of
 * XML and an EMPTY receive id ("企业内部智能机器人 receiveid 为空字符串"); the passive reply is
 * `{"encrypt", "msgsignature", "timestamp", "nonce"}`.
 */
import { randomInt } from 'node:crypto';
import type { BotAnswer, InboundMessage } from '../../bot/types.ts';
import { AppError, badRequest, payloadTooLarge, unauthorized } from '../../crm/kernel/index.ts';
import { replyLanguage, t, type Lang } from '../../i18n/index.ts';
import { assertFresh, assertSignature, computeSignature, decrypt, deriveAesKey, encrypt } from '../shared/crypto.ts';
import { returningClientErrors } from '../shared/parse-result.ts';
import type { ChannelAdapter, ParseResult, RawRequest, RawResponse } from '../types.ts';
import { classifyAiBot, parseAiBotJson, streamIdOf, type AiBotCallback } from './payload.ts';
import { cardUpdateBody, fitsStream, streamBody, welcomeBody } from './render.ts';

/** The AI bot's receive id: empty for a corp's own bot (Tencent's doc). */
export const AIBOT_RECEIVE_ID = '';
/** Largest callback body: a text is ≤ 2048 bytes, a mixed message carries a few image URLs. */
export const AIBOT_MAX_BODY_BYTES = 64 * 1024;

export interface AiBotAdapterOptions {
  token: string;
  aesKey: string;
  maxSkewS: number;
  /** How long a message waits for its answer before the first chunk says 处理中… (AIBOT_PLACEHOLDER_MS). */
  placeholderMs: number;
  /** The enter_chat welcome (AIBOT_WELCOME); unset: the built-in text. */
  welcome?: string;
}

/** What an ignored callback carries for the origin (ParseResult `data`): the classified callback. */
export type AiBotIgnored = Exclude<AiBotCallback, { kind: 'message' }>;

export interface AiBotAdapter extends ChannelAdapter {
  readonly channel: 'wecom_aibot';
  readonly replyBudgetMs: number;
  canReplyInline(answer: BotAnswer): boolean;
  /** Encrypts and signs a reply body as WeCom expects it on the callback's response. */
  seal(body: Record<string, unknown>, now: Date): RawResponse;
  /** The replies that need no state: the welcome, the note on a message we cannot read; undefined for the others. */
  statelessResponse(callback: AiBotIgnored, now: Date): RawResponse | undefined;
}

export const EMPTY_ACK: RawResponse = { status: 200, contentType: 'text/plain', body: '' };

/** The language of an AI-bot reply: the message's own (the pipeline's rule), Chinese for a bare event. */
export const langOf = (text: string): Lang => replyLanguage(text, null);

export function createAiBotAdapter(opts: AiBotAdapterOptions): AiBotAdapter {
  const { token, aesKey, maxSkewS } = opts;
  if (!token || !aesKey) throw new AppError('channel_not_configured', 'AIBOT_TOKEN and AIBOT_AES_KEY are required for the AI bot callback', { status: 500 });
  deriveAesKey(aesKey); // a bad key fails at start-up

  /** Freshness, then signature, then decryption (no padding oracle: only authentic ciphertext is decrypted). */
  function open(q: Record<string, string>, encrypted: string, now: Date): string {
    if (!q.msg_signature) throw unauthorized('unsigned', 'msg_signature is missing');
    if (!q.timestamp || !q.nonce) throw badRequest('missing_params', 'timestamp and nonce are required');
    assertFresh(q.timestamp, now, maxSkewS);
    assertSignature(token, q.timestamp, q.nonce, encrypted, q.msg_signature);
    return decrypt(aesKey, encrypted, AIBOT_RECEIVE_ID);
  }

  function encryptedOf(body: string): string {
    let doc: unknown;
    try {
      doc = JSON.parse(body);
    } catch {
      throw badRequest('no_encrypt', 'the AI-bot callback body is not JSON');
    }
    const enc = (doc as { encrypt?: unknown } | null)?.encrypt;
    if (typeof enc !== 'string' || !enc) throw badRequest('no_encrypt', 'the AI-bot callback body has no "encrypt"');
    return enc;
  }

  function parseOrThrow(req: RawRequest, now: Date, requestId: string): ParseResult {
    if (Buffer.byteLength(req.body, 'utf8') > AIBOT_MAX_BODY_BYTES) throw payloadTooLarge('body_too_large', `body exceeds ${AIBOT_MAX_BODY_BYTES} bytes`);
    const q = req.query;
    if (req.method === 'GET') {
      // URL verification: echo the decrypted echostr (a form decoder's '+' → ' ' is undone: base64 has no spaces).
      const echostr = (q.echostr ?? '').replaceAll(' ', '+');
      if (!echostr) {
        if (!q.msg_signature) throw unauthorized('unsigned', 'msg_signature is missing');
        throw badRequest('missing_params', 'echostr is required');
      }
      return { ok: true, kind: 'verify', response: { status: 200, contentType: 'text/plain', body: open(q, echostr, now) } };
    }
    const callback = classifyAiBot(parseAiBotJson(open(q, encryptedOf(req.body), now)), now, requestId);
    if (callback.kind === 'message') return { ok: true, kind: 'message', message: callback.message };
    const reason = callback.kind === 'other' ? callback.reason : callback.kind === 'unreadable' ? `msgtype:${callback.msgtype}` : callback.kind;
    return { ok: true, kind: 'ignored', reason, messageId: callback.messageId, data: callback };
  }

  function seal(body: Record<string, unknown>, now: Date): RawResponse {
    const timestamp = Math.floor(now.getTime() / 1000);
    const nonce = String(randomInt(1e9, 1e10));
    const enc = encrypt(aesKey, JSON.stringify(body), AIBOT_RECEIVE_ID);
    const msgsignature = computeSignature(token, String(timestamp), nonce, enc);
    return { status: 200, contentType: 'application/json', body: JSON.stringify({ encrypt: enc, msgsignature, timestamp, nonce }) };
  }

  return {
    channel: 'wecom_aibot',
    maxBodyBytes: AIBOT_MAX_BODY_BYTES,
    // The first chunk must come quickly (Tencent: reply within 5 s or the user sees nothing; we promise 2 s).
    replyBudgetMs: opts.placeholderMs,
    // One stream carries ≤ 20480 bytes; an image would need the long connection's upload. Longer: the stream carries the head, the rest is relayed.
    canReplyInline: (answer) => !answer.image && fitsStream(answer.text),
    replaysRecordedAnswer: true,
    parse: returningClientErrors(parseOrThrow),
    seal,

    reply(answer: BotAnswer | null, inbound: InboundMessage, now: Date): RawResponse {
      if (inbound.action) {
        // A card click: the card is replaced by the answer (update_template_card); a slow answer is relayed (./channel.ts).
        return answer && answer.text ? seal(cardUpdateBody(inbound.action.taskId, answer), now) : EMPTY_ACK;
      }
      const id = streamIdOf(inbound.messageId);
      // No answer yet: open the stream with 处理中… — WeCom then refreshes it (msgtype stream) until finish.
      if (!answer) return seal(streamBody({ id, content: t(langOf(inbound.text), 'aibot.working'), finish: false, feedbackId: inbound.messageId }), now);
      return seal(streamBody({ id, content: answer.text, finish: true, feedbackId: inbound.messageId }, answer.card), now);
    },

    statelessResponse(callback, now) {
      if (callback.kind === 'enter_chat') return seal(welcomeBody(opts.welcome ?? t('zh', 'aibot.welcome')), now);
      if (callback.kind === 'unreadable') return seal(streamBody({ id: streamIdOf(callback.messageId), content: t('zh', 'aibot.unreadable'), finish: true }), now);
      return undefined;
    },
  };
}
