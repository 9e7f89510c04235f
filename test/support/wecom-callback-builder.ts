/**
 * Builds callbacks exactly as WeCom sends them, and reads passive replies as WeCom does.
 * For tests (unit, contract and end-to-end) and local tooling; the server never calls it.
 */
import { randomInt } from 'node:crypto';
import type { RawRequest, RawResponse } from '../../src/channels/types.ts';
import { computeSignature, decrypt, encrypt, verifySignature } from '../../src/channels/shared/crypto.ts';
import { cdata, parseWeComXml, type XmlFields } from '../../src/channels/shared/xml.ts';

export interface CallbackKeys {
  token: string;
  aesKey: string;
  corpId: string;
}

/** The decrypted XML of a text message from a member of the corp. */
export function textMessageXml(m: { corpId: string; from: string; text: string; msgId: string; createTime: number; agentId?: string }): string {
  return (
    `<xml><ToUserName>${cdata(m.corpId)}</ToUserName><FromUserName>${cdata(m.from)}</FromUserName>` +
    `<CreateTime>${m.createTime}</CreateTime><MsgType>${cdata('text')}</MsgType><Content>${cdata(m.text)}</Content>` +
    `<MsgId>${m.msgId}</MsgId><AgentID>${m.agentId ?? '1000002'}</AgentID></xml>`
  );
}

/** The decrypted XML of an event (subscribe, enter_agent, …). */
export function eventXml(e: { corpId: string; from: string; event: string; createTime: number; agentId?: string }): string {
  return (
    `<xml><ToUserName>${cdata(e.corpId)}</ToUserName><FromUserName>${cdata(e.from)}</FromUserName>` +
    `<CreateTime>${e.createTime}</CreateTime><MsgType>${cdata('event')}</MsgType><Event>${cdata(e.event)}</Event>` +
    `<AgentID>${e.agentId ?? '1000002'}</AgentID></xml>`
  );
}

/** The decrypted XML of a click on a template card (Event `template_card_event`: EventKey, TaskId, CardType, ResponseCode). */
export function templateCardEventXml(e: { corpId: string; from: string; taskId: string; key: string; responseCode: string; createTime: number; cardType?: string; agentId?: string }): string {
  return (
    `<xml><ToUserName>${cdata(e.corpId)}</ToUserName><FromUserName>${cdata(e.from)}</FromUserName>` +
    `<CreateTime>${e.createTime}</CreateTime><MsgType>${cdata('event')}</MsgType><Event>${cdata('template_card_event')}</Event>` +
    `<EventKey>${cdata(e.key)}</EventKey><TaskId>${cdata(e.taskId)}</TaskId><CardType>${cdata(e.cardType ?? 'button_interaction')}</CardType>` +
    `<ResponseCode>${cdata(e.responseCode)}</ResponseCode><AgentID>${e.agentId ?? '1000002'}</AgentID></xml>`
  );
}

/** The decrypted XML of 微信客服's kf_msg_or_event (on the app's callback URL): the Token for sync_msg and the kf account. */
export function kfEventXml(e: { corpId: string; token: string; openKfId: string; createTime: number }): string {
  return (
    `<xml><ToUserName>${cdata(e.corpId)}</ToUserName><CreateTime>${e.createTime}</CreateTime><MsgType>${cdata('event')}</MsgType>` +
    `<Event>${cdata('kf_msg_or_event')}</Event><Token>${cdata(e.token)}</Token><OpenKfId>${cdata(e.openKfId)}</OpenKfId></xml>`
  );
}

/**
 * A POST callback carrying `innerXml`, encrypted and signed as WeCom does: query
 * msg_signature/timestamp/nonce, body `<xml><ToUserName/><AgentID/><Encrypt/></xml>`.
 * `receiveId` defaults to the corp id (override it to forge a message for another corp).
 */
export function encryptedCallback(keys: CallbackKeys, innerXml: string, now: Date, o: { receiveId?: string; nonce?: string } = {}): RawRequest {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const nonce = o.nonce ?? String(randomInt(1e9, 1e10));
  const enc = encrypt(keys.aesKey, innerXml, o.receiveId ?? keys.corpId);
  return {
    method: 'POST',
    query: { msg_signature: computeSignature(keys.token, timestamp, nonce, enc), timestamp, nonce },
    headers: { 'content-type': 'text/xml' },
    body: `<xml><ToUserName>${cdata(keys.corpId)}</ToUserName><AgentID>${cdata('1000002')}</AgentID><Encrypt>${cdata(enc)}</Encrypt></xml>`,
  };
}

/** The URL-verification GET WeCom sends when the callback URL is saved. */
export function verificationRequest(keys: CallbackKeys, echo: string, now: Date): RawRequest {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const nonce = String(randomInt(1e9, 1e10));
  const echostr = encrypt(keys.aesKey, echo, keys.corpId);
  return { method: 'GET', query: { msg_signature: computeSignature(keys.token, timestamp, nonce, echostr), timestamp, nonce, echostr }, headers: {}, body: '' };
}

/** Opens a passive reply as the WeCom client would: checks its signature, decrypts, parses the inner XML. */
export function readPassiveReply(keys: CallbackKeys, res: RawResponse): XmlFields {
  const env = parseWeComXml(res.body);
  const { Encrypt = '', MsgSignature = '', TimeStamp = '', Nonce = '' } = env;
  if (!verifySignature(keys.token, TimeStamp, Nonce, Encrypt, MsgSignature)) throw new Error('passive reply signature does not verify');
  return parseWeComXml(decrypt(keys.aesKey, Encrypt, keys.corpId));
}
