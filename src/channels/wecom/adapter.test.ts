import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { BotAnswer, InboundMessage } from '../../bot/types.ts';
import { loadConfig } from '../../config.ts';
import { AppError } from '../../crm/kernel/errors.ts';
import type { ParseResult, RawRequest } from '../types.ts';
import { createWeComAdapter } from './adapter.ts';
import { encryptedCallback, eventXml, readPassiveReply, textMessageXml, verificationRequest } from '../../../test/support/wecom-callback-builder.ts';
import { computeSignature, deriveAesKey, encrypt } from '../shared/crypto.ts';
import { SAMPLE, atUnix } from '../../../test/support/wecom-test-vectors.ts';
import { cdata } from '../shared/xml.ts';

const keys = { token: SAMPLE.token, aesKey: SAMPLE.aesKey, corpId: SAMPLE.corpId };
const config = loadConfig({ LOG_LEVEL: 'silent', WECOM_TOKEN: keys.token, WECOM_AES_KEY: keys.aesKey, WECOM_CORP_ID: keys.corpId });
const adapter = createWeComAdapter({ config });
const now = new Date('2026-11-21T08:00:00Z');
const answer = (text: string): BotAnswer => ({ intent: 'help', slots: {}, confidence: 1, text });

function expectRejected(res: ParseResult, code: string, status?: number): AppError {
  expect(res.ok, code).toBe(false);
  if (res.ok) throw new Error('unreachable');
  expect(res.error).toBeInstanceOf(AppError);
  expect(res.error.code).toBe(code);
  expect(res.error.status).toBeGreaterThanOrEqual(400);
  expect(res.error.status).toBeLessThan(500);
  if (status) expect(res.error.status).toBe(status);
  return res.error;
}

/** A POST whose Encrypt element is `enc`, correctly signed: only the payload itself is wrong. */
function signedWithEncrypt(enc: string, at = now): RawRequest {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const nonce = '12345';
  return {
    method: 'POST',
    query: { msg_signature: computeSignature(keys.token, timestamp, nonce, enc), timestamp, nonce },
    headers: {},
    body: `<xml><ToUserName>${cdata(keys.corpId)}</ToUserName><Encrypt>${cdata(enc)}</Encrypt></xml>`,
  };
}

const text = (t: string, msgId = '7196451227133165879', from = 'store_manager_01') =>
  encryptedCallback(keys, textMessageXml({ corpId: keys.corpId, from, text: t, msgId, createTime: Math.floor(now.getTime() / 1000) }), now);

describe("Tencent's sample vectors", () => {
  it('GET: URL verification answers the decrypted echostr as plain text', () => {
    const v = SAMPLE.verify;
    const req: RawRequest = { method: 'GET', query: { msg_signature: v.msgSignature, timestamp: v.timestamp, nonce: v.nonce, echostr: v.echostr }, headers: {}, body: '' };
    expect(adapter.parse(req, atUnix(v.timestamp), 'r1')).toEqual({
      ok: true,
      kind: 'verify',
      response: { status: 200, contentType: 'text/plain', body: v.plaintext },
    });
    // Form-style query decoding turns '+' into ' '; base64 has no spaces, so it is recovered.
    const spaced = { ...req, query: { ...req.query, echostr: v.echostr.replaceAll('+', ' ') } };
    expect(adapter.parse(spaced, atUnix(v.timestamp), 'r1')).toMatchObject({ ok: true, kind: 'verify' });
  });

  it('POST: the sample text message becomes an InboundMessage', () => {
    const m = SAMPLE.message;
    const req: RawRequest = {
      method: 'POST',
      query: { msg_signature: m.msgSignature, timestamp: m.timestamp, nonce: m.nonce },
      headers: { 'content-type': 'text/xml' },
      body: `<xml><ToUserName><![CDATA[${SAMPLE.corpId}]]></ToUserName><Encrypt><![CDATA[${m.encrypt}]]></Encrypt><AgentID><![CDATA[${m.agentId}]]></AgentID></xml>`,
    };
    const at = atUnix(m.timestamp);
    expect(adapter.parse(req, at, 'req-42')).toEqual({
      ok: true,
      kind: 'message',
      message: { channel: 'wecom', messageId: m.msgId, from: m.from, text: m.content, receivedAt: at, requestId: 'req-42' },
    });
    // The same sample an hour later is a replay.
    expectRejected(adapter.parse(req, new Date(at.getTime() + 3600_000), 'r'), 'stale_timestamp', 401);
  });
});

describe('messages and events', () => {
  it('parses a text message built as WeCom builds it, keeping a 64-bit MsgId exact', () => {
    const res = adapter.parse(text('查一下 13800000001'), now, 'r');
    expect(res).toMatchObject({ ok: true, kind: 'message', message: { messageId: '7196451227133165879', from: 'store_manager_01', text: '查一下 13800000001' } });
  });

  it('ignores events and dedupes them on a hash of the whole decrypted payload', () => {
    const ct = Math.floor(now.getTime() / 1000);
    const subscribe = eventXml({ corpId: keys.corpId, from: 'u1', event: 'subscribe', createTime: ct });
    const enter = eventXml({ corpId: keys.corpId, from: 'u1', event: 'enter_agent', createTime: ct }); // same sender + CreateTime
    const a = adapter.parse(encryptedCallback(keys, subscribe, now), now, 'r');
    const again = adapter.parse(encryptedCallback(keys, subscribe, now), now, 'r'); // WeCom's retry: new nonce, same payload
    const b = adapter.parse(encryptedCallback(keys, enter, now), now, 'r');
    expect(a).toEqual({ ok: true, kind: 'ignored', reason: 'event:subscribe', messageId: createHash('sha256').update(subscribe).digest('hex') });
    expect(again).toEqual(a);
    expect(b).toMatchObject({ ok: true, kind: 'ignored', reason: 'event:enter_agent' });
    if (a.ok && a.kind === 'ignored' && b.ok && b.kind === 'ignored') expect(b.messageId).not.toBe(a.messageId);
  });

  it('ignores non-text messages (image, voice …)', () => {
    const image = `<xml><ToUserName>${cdata(keys.corpId)}</ToUserName><FromUserName>${cdata('u1')}</FromUserName><CreateTime>1</CreateTime><MsgType>${cdata('image')}</MsgType><PicUrl>${cdata('http://x/y.jpg')}</PicUrl><MsgId>42</MsgId></xml>`;
    expect(adapter.parse(encryptedCallback(keys, image, now), now, 'r')).toMatchObject({ ok: true, kind: 'ignored', reason: 'msgtype:image' });
  });
});

describe('bad callbacks: always a 4xx AppError, never a throw', () => {
  const good = () => text('hello');
  const withQuery = (q: Record<string, string>): RawRequest => ({ ...good(), query: { ...good().query, ...q } });

  const rawEncrypt = (plain: Buffer) => {
    const { key, iv } = deriveAesKey(keys.aesKey);
    const c = createCipheriv('aes-256-cbc', key, iv);
    c.setAutoPadding(false);
    return Buffer.concat([c.update(plain), c.final()]).toString('base64');
  };

  const cases: [label: string, req: () => RawRequest, code: string, status?: number][] = [
    ['unsigned', () => ({ ...good(), query: { timestamp: good().query.timestamp!, nonce: '1' } }), 'unsigned', 401],
    ['mis-signed', () => withQuery({ msg_signature: 'a'.repeat(40) }), 'bad_signature', 401],
    ['signature of another body', () => ({ ...good(), query: text('other').query }), 'bad_signature', 401],
    ['stale', () => encryptedCallback(keys, textMessageXml({ corpId: keys.corpId, from: 'u', text: 'x', msgId: '1', createTime: 1 }), new Date(now.getTime() - 301_000)), 'stale_timestamp', 401],
    ['from the future', () => encryptedCallback(keys, textMessageXml({ corpId: keys.corpId, from: 'u', text: 'x', msgId: '1', createTime: 1 }), new Date(now.getTime() + 301_000)), 'stale_timestamp', 401],
    ['non-numeric timestamp', () => withQuery({ timestamp: 'soon' }), 'bad_timestamp', 400],
    ['missing nonce', () => ({ ...good(), query: { msg_signature: 'a'.repeat(40), timestamp: '1' } }), 'missing_params', 400],
    ['truncated body', () => ({ ...good(), body: good().body.slice(0, 80) }), 'malformed_xml', 400],
    ['truncated Encrypt (signed)', () => signedWithEncrypt(encrypt(keys.aesKey, 'x'.repeat(100), keys.corpId).slice(0, 50)), 'bad_ciphertext_encoding', 400],
    ['Encrypt cut at a block boundary (signed)', () => signedWithEncrypt(Buffer.from(encrypt(keys.aesKey, textMessageXml({ corpId: keys.corpId, from: 'u', text: '很长的消息'.repeat(20), msgId: '1', createTime: 1 }), keys.corpId), 'base64').subarray(0, 96).toString('base64')), 'bad_padding', 400],
    ['non-base64 Encrypt (signed)', () => signedWithEncrypt('not*base64!'), 'bad_ciphertext_encoding', 400],
    ['wrong receive id', () => encryptedCallback(keys, textMessageXml({ corpId: 'ww_other', from: 'u', text: 'x', msgId: '1', createTime: 1 }), now, { receiveId: 'ww_other' }), 'wrong_receive_id', 403],
    ['bad padding (signed)', () => signedWithEncrypt(rawEncrypt(Buffer.concat([randomBytes(16), Buffer.from([0, 0, 0, 1]), Buffer.from('x'), Buffer.from(keys.corpId), Buffer.concat([Buffer.alloc(24, 7), Buffer.from([9])])]))), 'bad_padding', 400], // 64 bytes; last byte says 9, the 8 before it say 7
    ['oversized', () => ({ ...good(), body: `<xml><Encrypt>${'A'.repeat(70_000)}</Encrypt></xml>` }), 'body_too_large', 413],
    ['malformed envelope XML', () => ({ ...good(), body: '<xml><Encrypt>abc</Encrypt' }), 'malformed_xml', 400],
    ['not XML at all', () => ({ ...good(), body: '{"Encrypt":"abc"}' }), 'malformed_xml', 400],
    ['envelope without Encrypt', () => ({ ...good(), body: '<xml><ToUserName>x</ToUserName></xml>' }), 'no_encrypt', 400],
    ['DOCTYPE in the envelope', () => ({ ...good(), body: '<!DOCTYPE xml [<!ENTITY a "aaaa">]><xml><Encrypt>&a;</Encrypt></xml>' }), 'malformed_xml', 400],
    ['entity bomb inside the encrypted payload', () => encryptedCallback(keys, '<!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><xml><MsgType>text</MsgType><Content>&b;</Content></xml>', now), 'malformed_xml', 400],
    ['malformed decrypted XML', () => encryptedCallback(keys, '<xml><MsgType>text</MsgType><Content>hi</xml>', now), 'malformed_xml', 400],
    ['text without sender', () => encryptedCallback(keys, `<xml><MsgType>text</MsgType><Content>hi</Content><MsgId>1</MsgId></xml>`, now), 'bad_message', 400],
    ['GET without echostr', () => ({ ...verificationRequest(keys, 'echo', now), query: { ...verificationRequest(keys, 'echo', now).query, echostr: '' } }), 'missing_params', 400],
    ['GET mis-signed', () => ({ ...verificationRequest(keys, 'echo', now), query: { ...verificationRequest(keys, 'echo', now).query, msg_signature: 'b'.repeat(40) } }), 'bad_signature', 401],
  ];

  it.each(cases)('%s', (_label, req, code, status) => {
    expectRejected(adapter.parse(req(), now, 'r'), code, status);
  });

  it('survives random garbage in every field', () => {
    const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;
    const junk = () => pick(['', 'x', '\u0000\u0001', '<xml>', '<xml><Encrypt>', randomBytes(40).toString('base64'), randomBytes(30).toString('latin1'), '9'.repeat(30), '%%%']);
    for (let i = 0; i < 500; i++) {
      const req: RawRequest = {
        method: pick(['GET', 'POST'] as const),
        query: { msg_signature: junk(), timestamp: pick([junk(), String(Math.floor(now.getTime() / 1000))]), nonce: junk(), echostr: junk() },
        headers: {},
        body: pick([junk(), `<xml><Encrypt>${junk()}</Encrypt></xml>`]),
      };
      const res = adapter.parse(req, now, 'r');
      expect(res.ok).toBe(false);
      if (!res.ok) expect(res.error.status).toBeLessThan(500);
    }
  });
});

describe('reply', () => {
  const inbound = (): InboundMessage => {
    const res = adapter.parse(text('help'), now, 'r');
    if (!res.ok || res.kind !== 'message') throw new Error('expected a message');
    return res.message;
  };

  it('answers with an encrypted passive reply the WeCom client can verify and read', () => {
    const res = adapter.reply(answer('会员卡 👋 <b>&amp; "q" ]]> end'), inbound(), now);
    expect(res.status).toBe(200);
    expect(res.contentType).toBe('application/xml');
    expect(res.body).toMatch(/^<xml><Encrypt><!\[CDATA\[.+\]\]><\/Encrypt><MsgSignature><!\[CDATA\[[0-9a-f]{40}\]\]><\/MsgSignature><TimeStamp>\d+<\/TimeStamp><Nonce>/);
    expect(readPassiveReply(keys, res)).toEqual({
      ToUserName: 'store_manager_01',
      FromUserName: keys.corpId,
      CreateTime: String(Math.floor(now.getTime() / 1000)),
      MsgType: 'text',
      Content: '会员卡 👋 <b>&amp; "q" ]]> end',
    });
  });

  it('acks with an empty 200 when there is nothing to say', () => {
    expect(adapter.reply(null, inbound(), now)).toEqual({ status: 200, contentType: 'text/plain', body: '' });
    expect(adapter.reply(answer(''), inbound(), now).body).toBe('');
  });

  it('says answers over 2048 bytes cannot travel inline, and cuts them visibly if asked anyway', () => {
    expect(adapter.canReplyInline(answer('x'.repeat(2048)))).toBe(true);
    expect(adapter.canReplyInline(answer('会'.repeat(683)))).toBe(false); // 2049 bytes
    const content = readPassiveReply(keys, adapter.reply(answer('会'.repeat(1000)), inbound(), now)).Content!;
    expect(Buffer.byteLength(content)).toBeLessThanOrEqual(2048);
    expect(content.endsWith('…')).toBe(true);
  });

  it('takes the reply budget from config', () => {
    expect(adapter.replyBudgetMs).toBe(config.WECOM_REPLY_BUDGET_MS);
  });

  it('cannot push without an API client, and says why', async () => {
    await expect(adapter.push('u', 'x')).rejects.toMatchObject({ code: 'wecom_push_not_configured', retryable: false });
  });

  it('refuses to start without the callback settings', () => {
    expect(() => createWeComAdapter({ config: { ...config, WECOM_TOKEN: undefined } })).toThrow(/WECOM_TOKEN/);
  });
});
