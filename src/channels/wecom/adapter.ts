/**
 * The WeCom self-built app channel (GET|POST /wecom/callback, docs/wecom.md): URL
 * verification, encrypted message callbacks → InboundMessage, the encrypted passive reply, and
 * push through message/send for answers that miss the 5-second window.
 */
import { createHash, randomInt } from 'node:crypto';
import type { AnswerCard, BotAnswer, CardUpdate, InboundMessage } from '../../bot/types.ts';
import type { Config } from '../../config.ts';
import { AppError, badRequest, payloadTooLarge, unauthorized } from '../../crm/kernel/index.ts';
import type { ChannelAdapter, ParseResult, RawRequest, RawResponse } from '../types.ts';
import type { WeComApiClient } from './api-client.ts';
import { assertFresh, assertSignature, computeSignature, decrypt, deriveAesKey, encrypt } from '../shared/crypto.ts';
import { WECOM_TEXT_MAX_BYTES, truncateUtf8 } from './split.ts';
import { buildReplyEnvelope, buildTextReply, parseWeComXml, type XmlFields } from '../shared/xml.ts';
import { returningClientErrors } from '../shared/parse-result.ts';
import { contactEventOf, type ContactCallback } from './contact-event-parse.ts';

/** Largest callback body accepted. A text message is ≤ 2048 bytes of content; 64 KiB leaves room for every event type. */
export const WECOM_MAX_BODY_BYTES = 64 * 1024;

export interface WeComAdapterOptions {
  config: Pick<Config, 'WECOM_TOKEN' | 'WECOM_AES_KEY' | 'WECOM_CORP_ID' | 'WECOM_MAX_SKEW_S' | 'WECOM_REPLY_BUDGET_MS'>;
  /** message/send client; without it the adapter can only answer passively (push throws). */
  api?: WeComApiClient;
  maxBodyBytes?: number;
  /**
   * Runs a 客户联系 event (change_external_contact / _chat / _tag) before the ack, exactly once
   * (src/channels/wecom/contact-events.ts); without it those events are acknowledged and dropped.
   */
  onContactEvent?: (callback: ContactCallback) => Promise<void>;
}

export interface WeComAdapter extends ChannelAdapter {
  readonly channel: 'wecom';
  readonly replyBudgetMs: number;
  canReplyInline(answer: BotAnswer): boolean;
  readonly replaysRecordedAnswer: true;
  readonly pushesCards: boolean;
  push(to: string, text: string, requestId?: string): Promise<void>;
  /** Sends an answer's card (template_card via message/send); with a requestId a retry never sends it twice. */
  pushCard(to: string, card: AnswerCard, requestId?: string): Promise<void>;
  /** Shows an answered card's outcome (message/update_template_card). */
  updateCard(to: string, update: CardUpdate, requestId?: string): Promise<void>;
  /**
   * Delivers an answer's image (media/upload, then message/send msgtype image) after its text.
   * With a requestId, a retry after a partial failure sends neither the text nor the image twice.
   */
  pushImage(to: string, png: Buffer, requestId?: string): Promise<void>;
}

const EMPTY_ACK: RawResponse = { status: 200, contentType: 'text/plain', body: '' };

export function createWeComAdapter(opts: WeComAdapterOptions): WeComAdapter {
  const { WECOM_TOKEN, WECOM_AES_KEY, WECOM_CORP_ID, WECOM_MAX_SKEW_S: maxSkewS } = opts.config;
  if (!WECOM_TOKEN || !WECOM_AES_KEY || !WECOM_CORP_ID) {
    throw new AppError('channel_not_configured', 'WECOM_TOKEN, WECOM_AES_KEY and WECOM_CORP_ID are required for the WeCom callback', { status: 500 });
  }
  // Re-bound so the closures below see them narrowed to string.
  const { token, aesKey, corpId } = { token: WECOM_TOKEN, aesKey: WECOM_AES_KEY, corpId: WECOM_CORP_ID };
  deriveAesKey(aesKey); // a bad key fails at start-up, not on the first callback
  const maxBodyBytes = opts.maxBodyBytes ?? WECOM_MAX_BODY_BYTES;

  /**
   * Freshness, then signature, then decryption. The signature is checked before any decryption
   * so padding/length errors are only ever reported for authentic ciphertext (no padding oracle);
   * decrypt() then insists the receive id is our corp id.
   */
  function open(q: Record<string, string>, encrypted: string, now: Date): string {
    assertFresh(q.timestamp ?? '', now, maxSkewS);
    assertSignature(token, q.timestamp ?? '', q.nonce ?? '', encrypted, q.msg_signature ?? '');
    return decrypt(aesKey, encrypted, corpId);
  }

  function requireQuery(q: Record<string, string>): void {
    if (!q.msg_signature) throw unauthorized('unsigned', 'msg_signature is missing');
    if (!q.timestamp || !q.nonce) throw badRequest('missing_params', 'timestamp and nonce are required');
  }

  /** Text messages go to the bot; everything else is acknowledged and left alone. */
  function classify(fields: XmlFields, payload: string, now: Date, requestId: string): ParseResult {
    // WeCom retries unanswered callbacks; events have no MsgId and FromUserName+CreateTime
    // collides for real distinct events, so they dedupe on a hash of the whole payload (docs/wecom.md).
    const payloadHash = createHash('sha256').update(payload).digest('hex');
    const click = cardClickOf(fields, payloadHash, now, requestId);
    if (click) return { ok: true, kind: 'message', message: click };
    if (fields.MsgType === 'event') {
      const event = contactEventOf(fields);
      // Events, not chat messages: answered by no text, run once through the inbox (onAccepted).
      if (event) return { ok: true, kind: 'ignored', reason: `event:${fields.Event}`, messageId: payloadHash, data: { contact: { event, messageId: payloadHash, requestId, receivedAt: now } satisfies ContactCallback } };
    }
    if (fields.MsgType !== 'text') {
      const reason = fields.MsgType === 'event' ? `event:${fields.Event ?? 'unknown'}` : `msgtype:${fields.MsgType ?? 'unknown'}`;
      // 微信客服: kf_msg_or_event only says that a kf account has news; src/channels/kf pulls it with sync_msg and this Token.
      const kf = fields.Event === 'kf_msg_or_event' && fields.OpenKfId ? { kf: { openKfId: fields.OpenKfId, token: fields.Token ?? '' } } : undefined;
      return { ok: true, kind: 'ignored', reason, messageId: payloadHash, ...(kf ? { data: kf } : {}) };
    }
    if (!fields.FromUserName) throw badRequest('bad_message', 'text message without FromUserName');
    const message: InboundMessage = {
      channel: 'wecom',
      messageId: fields.MsgId || payloadHash,
      from: fields.FromUserName,
      text: fields.Content ?? '',
      receivedAt: now,
      requestId,
    };
    return { ok: true, kind: 'message', message };
  }

  /**
   * A click on a template card (接收事件, Event `template_card_event`: TaskId, EventKey, CardType,
   * ResponseCode): a message with an action and no text, deduped like every event on the whole
   * payload's hash — a resend of the same event is the same message, a second click is another.
   */
  function cardClickOf(fields: XmlFields, payloadHash: string, now: Date, requestId: string): InboundMessage | null {
    if (fields.MsgType !== 'event' || fields.Event !== 'template_card_event') return null;
    if (!fields.FromUserName || !fields.TaskId) throw badRequest('bad_message', 'template_card_event without FromUserName or TaskId');
    return {
      channel: 'wecom',
      messageId: payloadHash,
      from: fields.FromUserName,
      text: '',
      receivedAt: now,
      requestId,
      action: { taskId: fields.TaskId, key: fields.EventKey ?? '', ...(fields.ResponseCode ? { responseCode: fields.ResponseCode } : {}) },
    };
  }

  function parseOrThrow(req: RawRequest, now: Date, requestId: string): ParseResult {
    if (Buffer.byteLength(req.body, 'utf8') > maxBodyBytes) throw payloadTooLarge('body_too_large', `body exceeds ${maxBodyBytes} bytes`);
    const q = req.query;
    requireQuery(q);
    if (req.method === 'GET') {
      // URL verification. A query decoder that maps '+' to ' ' (form encoding) would corrupt the
      // base64 echostr; base64 never contains spaces, so mapping them back is lossless.
      const echostr = (q.echostr ?? '').replaceAll(' ', '+');
      if (!echostr) throw badRequest('missing_params', 'echostr is required');
      return { ok: true, kind: 'verify', response: { status: 200, contentType: 'text/plain', body: open(q, echostr, now) } };
    }
    const envelope = parseWeComXml(req.body, maxBodyBytes);
    if (!envelope.Encrypt) throw badRequest('no_encrypt', 'callback body has no Encrypt element');
    const payload = open(q, envelope.Encrypt, now);
    return classify(parseWeComXml(payload), payload, now, requestId);
  }

  return {
    channel: 'wecom',
    maxBodyBytes,
    // WeCom waits 5 s for the callback's answer, then retries (docs/wecom.md, protocol rules).
    replyBudgetMs: opts.config.WECOM_REPLY_BUDGET_MS,

    // A passive reply is one text message and WeCom cuts it at 2048 bytes; longer answers are
    // pushed instead, where the API client splits them into several messages. An answer with an
    // image is pushed too: a passive reply carries one message, and an image one would need a
    // media_id (an upload with the access token) inside the 5-second window.
    canReplyInline: (answer) => !answer.image && Buffer.byteLength(answer.text, 'utf8') <= WECOM_TEXT_MAX_BYTES,
    // A crash (or a lost connection) between the recorded answer and the response: WeCom's retry gets that answer.
    replaysRecordedAnswer: true,
    // Template cards go out by message/send only; without push credentials the text alone answers.
    pushesCards: Boolean(opts.api),

    parse: returningClientErrors(parseOrThrow),

    // Only with a contact-event runner (the origin with the API configured): an adapter without
    // one (the Workers edge) keeps acking WeCom events without handing them on.
    ...(opts.onContactEvent
      ? {
          async onAccepted(parsed: Extract<ParseResult, { ok: true }>) {
            const contact = parsed.kind === 'ignored' ? (parsed.data as { contact?: ContactCallback } | undefined)?.contact : undefined;
            if (contact) await opts.onContactEvent!(contact);
          },
        }
      : {}),

    reply(answer: BotAnswer | null, inbound: InboundMessage, now: Date): RawResponse {
      // WeCom: "如果企业不需要回复，可以直接回复空串" — an empty 200 acks without replying.
      if (!answer || answer.text === '') return EMPTY_ACK;
      const createTime = Math.floor(now.getTime() / 1000);
      // Callers should have pushed an over-long answer (canReplyInline); cut it visibly rather than let WeCom cut it mid-line.
      const inner = buildTextReply({ toUser: inbound.from, fromUser: corpId, createTime, content: truncateUtf8(answer.text) });
      const encrypted = encrypt(aesKey, inner, corpId);
      const timestamp = String(createTime);
      const nonce = String(randomInt(1e9, 1e10));
      const signature = computeSignature(token, timestamp, nonce, encrypted);
      return { status: 200, contentType: 'application/xml', body: buildReplyEnvelope({ encrypt: encrypted, signature, timestamp, nonce }) };
    },

    async push(to, text, requestId) {
      if (!opts.api) throw new AppError('wecom_push_not_configured', 'WECOM_SECRET and WECOM_AGENT_ID are needed to push messages');
      await opts.api.sendText(to, text, requestId);
    },

    async pushCard(to, card, requestId) {
      if (!opts.api) throw new AppError('wecom_push_not_configured', 'WECOM_SECRET and WECOM_AGENT_ID are needed to push messages');
      await opts.api.sendCard(to, card, requestId);
    },

    async updateCard(to, update, requestId) {
      if (!opts.api) throw new AppError('wecom_push_not_configured', 'WECOM_SECRET and WECOM_AGENT_ID are needed to push messages');
      await opts.api.updateCard(to, update, requestId);
    },

    async pushImage(to, png, requestId) {
      if (!opts.api) throw new AppError('wecom_push_not_configured', 'WECOM_SECRET and WECOM_AGENT_ID are needed to push messages');
      await opts.api.sendPng(to, png, requestId);
    },
  };
}
