/**
 * Builds AI-bot (智能机器人) callbacks exactly as WeCom sends them in callback mode — the JSON
 * document encrypted with the bot's EncodingAESKey for an empty receive id, posted as
 * `{"encrypt": …}` and signed in the query (msg_signature, timestamp, nonce) — and reads the
 * encrypted JSON replies as WeCom does. For tests and local tooling; the server never calls it.
 */
import { randomInt } from 'node:crypto';
import type { RawRequest, RawResponse } from '../../src/channels/types.ts';
import { computeSignature, decrypt, encrypt, verifySignature } from '../../src/channels/shared/crypto.ts';

export interface AiBotKeys {
  token: string;
  aesKey: string;
}

/** A bot's callback settings for tests (any 43-character key works: it is ours). */
export const AIBOT_KEYS: AiBotKeys = { token: 'aibotTestToken2026', aesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' };
export const AIBOT_ID = 'aibot_test_01';

type From = { from: string; chatid?: string };
const common = (msgid: string, f: From) => ({
  msgid,
  aibotid: AIBOT_ID,
  ...(f.chatid ? { chatid: f.chatid, chattype: 'group' } : { chattype: 'single' }),
  from: { userid: f.from },
  response_url: `https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=${msgid}`,
});

/** A text message; in a group the text starts with the mention, as WeCom delivers it. */
export const textMessage = (msgid: string, text: string, f: From) => ({ ...common(msgid, f), msgtype: 'text', text: { content: f.chatid ? `@CRM助手 ${text}` : text } });
/** A 图文混排 message: text items and image items. */
export const mixedMessage = (msgid: string, items: ({ text: string } | { image: string })[], f: From) => ({
  ...common(msgid, f),
  msgtype: 'mixed',
  mixed: { msg_item: items.map((i) => ('text' in i ? { msgtype: 'text', text: { content: i.text } } : { msgtype: 'image', image: { url: i.image } })) },
});
export const imageMessage = (msgid: string, url: string, f: From) => ({ ...common(msgid, f), msgtype: 'image', image: { url } });
/** WeCom asking for the current content of our stream. */
export const streamRefresh = (msgid: string, streamId: string, f: From) => ({ ...common(msgid, f), msgtype: 'stream', stream: { id: streamId } });
/** An event (enter_chat, template_card_event, feedback_event) with its fields under its name, as Tencent documents it. */
export const eventMessage = (msgid: string, eventtype: string, fields: Record<string, unknown>, f: From) => ({
  msgid,
  create_time: Math.floor(Date.now() / 1000),
  aibotid: AIBOT_ID,
  ...(f.chatid ? { chatid: f.chatid, chattype: 'group' } : {}),
  from: { corpid: 'ww1436e0e65a779aee', userid: f.from },
  msgtype: 'event',
  event: { eventtype, ...(Object.keys(fields).length ? { [eventtype]: fields } : {}) },
});

/** A POST callback carrying `doc`, encrypted (receive id '') and signed as WeCom does. */
export function aibotCallback(keys: AiBotKeys, doc: unknown, now: Date, o: { receiveId?: string } = {}): RawRequest {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const nonce = String(randomInt(1e9, 1e10));
  const enc = encrypt(keys.aesKey, JSON.stringify(doc), o.receiveId ?? '');
  return { method: 'POST', query: { msg_signature: computeSignature(keys.token, timestamp, nonce, enc), timestamp, nonce }, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ encrypt: enc }) };
}

/** The URL-verification GET sent when the bot's callback URL is saved. */
export function aibotVerification(keys: AiBotKeys, echo: string, now: Date): RawRequest {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const nonce = String(randomInt(1e9, 1e10));
  const echostr = encrypt(keys.aesKey, echo, '');
  return { method: 'GET', query: { msg_signature: computeSignature(keys.token, timestamp, nonce, echostr), timestamp, nonce, echostr }, headers: {}, body: '' };
}

/** Opens an encrypted JSON reply as WeCom would (signature checked); null for an empty ack. */
export function readAiBotReply(keys: AiBotKeys, res: Pick<RawResponse, 'body'>): Record<string, any> | null {
  if (res.body === '') return null;
  const env = JSON.parse(res.body) as { encrypt: string; msgsignature: string; timestamp: number; nonce: string };
  if (!verifySignature(keys.token, String(env.timestamp), env.nonce, env.encrypt, env.msgsignature)) throw new Error('AI-bot reply signature does not verify');
  return JSON.parse(decrypt(keys.aesKey, env.encrypt, '')) as Record<string, any>;
}
