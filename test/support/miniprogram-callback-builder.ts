/**
 * Builds mini-program push callbacks exactly as WeChat sends them (plain or safe mode, JSON or
 * XML). For tests (unit, contract, end-to-end) and local tooling; the server never calls it.
 */
import { randomInt } from 'node:crypto';
import type { RawRequest } from '../../src/channels/types.ts';
import { computePlainSignature, computeSignature, encrypt } from '../../src/channels/shared/crypto.ts';
import { cdata } from '../../src/channels/shared/xml.ts';
import type { PayloadFormat } from '../../src/channels/miniprogram/payload.ts';

export interface MpKeys {
  appId: string;
  token: string;
  /** Present → safe mode. */
  aesKey?: string;
  /** The mini-program's original id (gh_…), sent as ToUserName. */
  originalId?: string;
}

/** A push document as a field map; values are strings, numbers or (for List) arrays of maps. */
export type PushDoc = Record<string, string | number | Record<string, string | number>[]>;

const unix = (d: Date) => Math.floor(d.getTime() / 1000);

export function textDoc(m: { originalId?: string; openid: string; text: string; msgId: string; at: Date }): PushDoc {
  return { ToUserName: m.originalId ?? 'gh_0123456789ab', FromUserName: m.openid, CreateTime: unix(m.at), MsgType: 'text', Content: m.text, MsgId: m.msgId };
}

/** subscribe_msg_popup_event / _change_event / _sent_event with its List. */
export function subscribeEventDoc(e: {
  originalId?: string;
  openid: string;
  event: 'subscribe_msg_popup_event' | 'subscribe_msg_change_event' | 'subscribe_msg_sent_event';
  list: Record<string, string | number>[];
  at: Date;
}): PushDoc {
  return { ToUserName: e.originalId ?? 'gh_0123456789ab', FromUserName: e.openid, CreateTime: unix(e.at), MsgType: 'event', Event: e.event, List: e.list };
}

const CONTAINER: Record<string, string> = {
  subscribe_msg_popup_event: 'SubscribeMsgPopupEvent',
  subscribe_msg_change_event: 'SubscribeMsgChangeEvent',
  subscribe_msg_sent_event: 'SubscribeMsgSentEvent',
};

/**
 * Serialises a document in WeChat's format. JSON writes MsgId as a bare number (as WeChat does,
 * even past 2^53); XML nests an event's List in its container element, one <List> per entry.
 */
export function serialise(doc: PushDoc, format: PayloadFormat): string {
  if (format === 'json') {
    const parts = Object.entries(doc).map(([k, v]) => {
      if (k === 'MsgId' && typeof v === 'string' && /^\d+$/.test(v)) return `${JSON.stringify(k)}:${v}`;
      return `${JSON.stringify(k)}:${JSON.stringify(v)}`;
    });
    return `{${parts.join(',')}}`;
  }
  const el = (k: string, v: string | number) => (typeof v === 'number' || k === 'MsgId' || k === 'CreateTime' ? `<${k}>${v}</${k}>` : `<${k}>${cdata(v)}</${k}>`);
  let out = '<xml>';
  for (const [k, v] of Object.entries(doc)) {
    if (Array.isArray(v)) {
      const container = CONTAINER[String(doc.Event)] ?? k;
      out += `<${container}>${v.map((item) => `<List>${Object.entries(item).map(([ik, iv]) => el(ik, iv)).join('')}</List>`).join('')}</${container}>`;
    } else out += el(k, v);
  }
  return `${out}</xml>`;
}

/**
 * A POST push carrying `doc`: plain mode signs [token, timestamp, nonce] in `signature`; safe mode
 * also encrypts the document for `receiveId` (default the AppID) and signs it in msg_signature.
 */
export function pushRequest(keys: MpKeys, doc: PushDoc, format: PayloadFormat, now: Date, o: { receiveId?: string; nonce?: string; openid?: string } = {}): RawRequest {
  const timestamp = String(unix(now));
  const nonce = o.nonce ?? String(randomInt(1e9, 1e10));
  const inner = serialise(doc, format);
  const contentType = format === 'json' ? 'application/json' : 'text/xml';
  const query: Record<string, string> = { signature: computePlainSignature(keys.token, timestamp, nonce), timestamp, nonce, openid: o.openid ?? String(doc.FromUserName ?? '') };
  if (!keys.aesKey) return { method: 'POST', query, headers: { 'content-type': contentType }, body: inner };
  const enc = encrypt(keys.aesKey, inner, o.receiveId ?? keys.appId);
  const toUser = keys.originalId ?? 'gh_0123456789ab';
  const body = format === 'json' ? JSON.stringify({ ToUserName: toUser, Encrypt: enc }) : `<xml><ToUserName>${cdata(toUser)}</ToUserName><Encrypt>${cdata(enc)}</Encrypt></xml>`;
  return { method: 'POST', query: { ...query, encrypt_type: 'aes', msg_signature: computeSignature(keys.token, timestamp, nonce, enc) }, headers: { 'content-type': contentType }, body };
}

/** The URL-verification GET WeChat sends when the push URL is saved (echostr echoed as is). */
export function verificationRequest(keys: MpKeys, echostr: string, now: Date): RawRequest {
  const timestamp = String(unix(now));
  const nonce = String(randomInt(1e9, 1e10));
  return { method: 'GET', query: { signature: computePlainSignature(keys.token, timestamp, nonce), timestamp, nonce, echostr }, headers: {}, body: '' };
}
