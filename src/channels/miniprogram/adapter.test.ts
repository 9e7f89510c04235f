import * as wecomCrypto from '@wecom/crypto';
import { describe, expect, it } from 'vitest';
import type { ParseResult, RawRequest } from '../types.ts';
import { computePlainSignature, computeSignature } from '../shared/crypto.ts';
import { createMiniProgramAdapter, MP_ACK, type MpEventData } from './adapter.ts';
import { pushRequest, serialise, subscribeEventDoc, textDoc, verificationRequest, type MpKeys } from '../../../test/support/miniprogram-callback-builder.ts';
import type { PayloadFormat } from './payload.ts';

// Published example of the mini-program "消息推送" guide: Token "AAAAA".
const DOC_VERIFY = { token: 'AAAAA', timestamp: '1714036504', nonce: '1514711492', echostr: '4375120948345356249', signature: 'f464b24fc39322e44b38aa78f5edd27bd1441696' };
// Published plain-mode JSON push of the "消息加解密说明" guide.
const DOC_PLAIN = {
  token: 'AAAAA',
  timestamp: '1714037059',
  nonce: '486452656',
  signature: '899cf89e464efb63f54ddac96b0a0a235f53aa78',
  body: '{\n    "ToUserName": "gh_97417a04a28d",\n    "FromUserName": "o9AgO5Kd5ggOC-bXrbNODIiE3bGY",\n    "CreateTime": 1714037059,\n    "MsgType": "event",\n    "Event": "debug_demo",\n    "debug_str": "hello world"\n}',
};

const APP_ID = 'wx5823bf96d3bd56c7';
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const safeKeys: MpKeys = { appId: APP_ID, token: 'mp-token-1', aesKey: AES_KEY };
const plainKeys: MpKeys = { appId: APP_ID, token: 'mp-token-1' };
const NOW = new Date('2026-11-22T08:00:00Z');

const safe = () => createMiniProgramAdapter({ config: { appId: APP_ID, token: safeKeys.token, aesKey: AES_KEY } });
const plain = () => createMiniProgramAdapter({ config: { appId: APP_ID, token: plainKeys.token } });

const text = (t = '我的积分', msgId = '23917389473892784', openid = 'oUser_01') => textDoc({ openid, text: t, msgId, at: NOW });

function message(r: ParseResult) {
  if (!r.ok || r.kind !== 'message') throw new Error(`expected a message, got ${JSON.stringify(r)}`);
  return r.message;
}
function error(r: ParseResult) {
  if (r.ok) throw new Error(`expected a rejection, got ${JSON.stringify(r)}`);
  return r.error;
}

describe('mini-program URL verification (GET)', () => {
  it('matches the published signature example and echoes echostr as is', () => {
    expect(computePlainSignature(DOC_VERIFY.token, DOC_VERIFY.timestamp, DOC_VERIFY.nonce)).toBe(DOC_VERIFY.signature);
    const adapter = createMiniProgramAdapter({ config: { appId: APP_ID, token: 'AAAAA', aesKey: AES_KEY } });
    const { token: _t, ...q } = DOC_VERIFY;
    const r = adapter.parse({ method: 'GET', query: q, headers: {}, body: '' }, new Date(Number(DOC_VERIFY.timestamp) * 1000), 'r');
    expect(r).toEqual({ ok: true, kind: 'verify', response: { status: 200, contentType: 'text/plain', body: DOC_VERIFY.echostr } });
  });

  it('refuses a wrong signature, a stale timestamp and a missing echostr with 4xx', () => {
    const good = verificationRequest(plainKeys, 'echo-1', NOW);
    expect(error(plain().parse({ ...good, query: { ...good.query, signature: 'a'.repeat(40) } }, NOW, 'r')).code).toBe('bad_signature');
    expect(error(plain().parse(verificationRequest(plainKeys, 'e', new Date(NOW.getTime() - 3600_000)), NOW, 'r')).code).toBe('stale_timestamp');
    const { echostr: _e, ...noEcho } = good.query;
    expect(error(plain().parse({ ...good, query: noEcho }, NOW, 'r')).status).toBe(400);
    expect(plain().parse(good, NOW, 'r')).toMatchObject({ ok: true, kind: 'verify', response: { body: 'echo-1' } });
  });
});

describe('mini-program push: plain and safe mode × JSON and XML', () => {
  it('accepts the published plain-mode JSON push (an event, acked, not answered)', () => {
    const adapter = createMiniProgramAdapter({ config: { appId: APP_ID, token: 'AAAAA' } });
    const { token: _t, body, ...q } = DOC_PLAIN;
    const r = adapter.parse({ method: 'POST', query: q, headers: { 'content-type': 'application/json' }, body }, new Date(Number(DOC_PLAIN.timestamp) * 1000), 'r');
    expect(r).toMatchObject({ ok: true, kind: 'ignored', reason: 'event:debug_demo', data: { openid: 'o9AgO5Kd5ggOC-bXrbNODIiE3bGY', event: 'debug_demo' } });
  });

  for (const mode of ['plain', 'safe'] as const) {
    for (const format of ['json', 'xml'] as PayloadFormat[]) {
      it(`parses a text message in ${mode} mode, ${format}, keeping the 64-bit MsgId exact`, () => {
        const keys = mode === 'safe' ? safeKeys : plainKeys;
        const adapter = mode === 'safe' ? safe() : plain();
        const m = message(adapter.parse(pushRequest(keys, text('我的积分 <&> "q"'), format, NOW), NOW, 'req-1'));
        expect(m).toEqual({ channel: 'miniprogram', messageId: '23917389473892784', from: 'oUser_01', text: '我的积分 <&> "q"', receivedAt: NOW, requestId: 'req-1' });
      });
    }
  }

  it('decrypts a body encrypted by @wecom/crypto (an independent implementation) for the AppID', () => {
    const inner = serialise(text('help', '1001'), 'json');
    const enc = wecomCrypto.encrypt(AES_KEY, inner, APP_ID);
    const ts = String(Math.floor(NOW.getTime() / 1000));
    const req: RawRequest = {
      method: 'POST',
      query: { signature: computePlainSignature(safeKeys.token, ts, '77'), timestamp: ts, nonce: '77', encrypt_type: 'aes', msg_signature: computeSignature(safeKeys.token, ts, '77', enc) },
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ToUserName: 'gh_x', Encrypt: enc }),
    };
    expect(message(safe().parse(req, NOW, 'r')).text).toBe('help');
  });

  it('detects the format from the body when the content type is missing or wrong', () => {
    const req = pushRequest(plainKeys, text('hi'), 'xml', NOW);
    expect(message(plain().parse({ ...req, headers: { 'content-type': 'application/json' } }, NOW, 'r')).text).toBe('hi');
    const json = pushRequest(plainKeys, text('hi'), 'json', NOW);
    expect(message(plain().parse({ ...json, headers: {} }, NOW, 'r')).text).toBe('hi');
  });

  it('does not let a MsgId-looking string inside Content change the real MsgId', () => {
    const doc = { ...text('"MsgId": 1', '99999999999999999'), Content: '"MsgId":123 \\"MsgId\\": 5' };
    const m = message(plain().parse(pushRequest(plainKeys, doc, 'json', NOW), NOW, 'r'));
    expect(m.messageId).toBe('99999999999999999');
    expect(m.text).toBe('"MsgId":123 \\"MsgId\\": 5');
  });

  it('reads subscribe popup events with several templates in XML and JSON, and a single-object JSON List', () => {
    const list = [
      { TemplateId: 'TPL_accept_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', SubscribeStatusString: 'accept', PopupScene: '0' },
      { TemplateId: 'TPL_reject_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', SubscribeStatusString: 'reject', PopupScene: '0' },
    ];
    for (const format of ['xml', 'json'] as PayloadFormat[]) {
      const doc = subscribeEventDoc({ openid: 'oUser_02', event: 'subscribe_msg_popup_event', list, at: NOW });
      const r = safe().parse(pushRequest(safeKeys, doc, format, NOW), NOW, 'r');
      if (!r.ok || r.kind !== 'ignored') throw new Error(JSON.stringify(r));
      expect((r.data as MpEventData).subscriptions, format).toEqual([
        { templateId: list[0]!.TemplateId, status: 'accept' },
        { templateId: list[1]!.TemplateId, status: 'reject' },
      ]);
      expect(r.messageId).toMatch(/^[0-9a-f]{64}$/); // events dedupe on the payload hash
    }
    const single = `{"ToUserName":"gh_x","FromUserName":"oUser_03","CreateTime":${Math.floor(NOW.getTime() / 1000)},"MsgType":"event","Event":"subscribe_msg_sent_event","List":{"TemplateId":"TPL_x","MsgID":"1700827132819554304","ErrorCode":"43101","ErrorStatus":"fail"}}`;
    const ts = String(Math.floor(NOW.getTime() / 1000));
    const r = plain().parse({ method: 'POST', query: { signature: computePlainSignature(plainKeys.token, ts, '1'), timestamp: ts, nonce: '1' }, headers: {}, body: single }, NOW, 'r');
    expect(r).toMatchObject({ ok: true, kind: 'ignored', data: { event: 'subscribe_msg_sent_event', subscriptions: [{ templateId: 'TPL_x', status: 'fail', errorCode: '43101' }] } });
  });

  it('gives distinct events distinct ids and one event retried the same id', () => {
    const doc = subscribeEventDoc({ openid: 'o1', event: 'subscribe_msg_popup_event', list: [{ TemplateId: 'T1', SubscribeStatusString: 'accept' }], at: NOW });
    const a = safe().parse(pushRequest(safeKeys, doc, 'json', NOW), NOW, 'r');
    const b = safe().parse(pushRequest(safeKeys, doc, 'json', NOW), NOW, 'r');
    const c = safe().parse(pushRequest(safeKeys, { ...doc, List: [{ TemplateId: 'T2', SubscribeStatusString: 'accept' }] }, 'json', NOW), NOW, 'r');
    if (!a.ok || !b.ok || !c.ok || a.kind !== 'ignored' || b.kind !== 'ignored' || c.kind !== 'ignored') throw new Error('expected events');
    expect(a.messageId).toBe(b.messageId);
    expect(c.messageId).not.toBe(a.messageId);
  });
});

describe('mini-program push: bad input is a 4xx, never a throw', () => {
  const good = (format: PayloadFormat = 'json') => pushRequest(safeKeys, text(), format, NOW);
  const cases: Record<string, [() => ReturnType<typeof safe>, RawRequest, string]> = {
    'safe: no msg_signature': [safe, { ...good(), query: { ...good().query, msg_signature: '' } }, 'unsigned'],
    'safe: mis-signed': [safe, { ...good(), query: { ...good().query, msg_signature: 'b'.repeat(40) } }, 'bad_signature'],
    'safe: plain body refused (downgrade)': [safe, pushRequest(plainKeys, text(), 'json', NOW), 'unsigned'],
    'safe: plain body with a msg_signature': [safe, { ...pushRequest(plainKeys, text(), 'json', NOW), query: { ...good().query } }, 'encryption_required'],
    'safe: wrong receive id': [safe, pushRequest(safeKeys, text(), 'json', NOW, { receiveId: 'wx_someone_else' }), 'wrong_receive_id'],
    'safe: stale': [safe, pushRequest(safeKeys, text(), 'xml', new Date(NOW.getTime() - 600_000)), 'stale_timestamp'],
    'safe: future': [safe, pushRequest(safeKeys, text(), 'xml', new Date(NOW.getTime() + 600_000)), 'stale_timestamp'],
    'safe: truncated json': [safe, { ...good(), body: good().body.slice(0, 40) }, 'malformed_json'],
    'safe: truncated xml': [safe, { ...good('xml'), body: good('xml').body.slice(0, 50) }, 'malformed_xml'],
    'safe: entity bomb': [safe, { ...good('xml'), body: '<!DOCTYPE x [<!ENTITY a "aaaa">]><xml><Encrypt>&a;</Encrypt></xml>' }, 'malformed_xml'],
    'safe: oversized': [safe, { ...good(), body: `{"Encrypt":"${'A'.repeat(70_000)}"}` }, 'body_too_large'],
    'safe: json array': [safe, { ...good(), body: '[1,2]' }, 'malformed_json'],
    'safe: empty body': [safe, { ...good(), body: '' }, 'empty_body'],
    'plain: mis-signed': [plain, { ...pushRequest(plainKeys, text(), 'json', NOW), query: { ...pushRequest(plainKeys, text(), 'json', NOW).query, signature: 'c'.repeat(40) } }, 'bad_signature'],
    'plain: encrypted body without a key': [plain, good(), 'aes_not_configured'],
    'plain: no FromUserName': [plain, pushRequest(plainKeys, { ...text(), FromUserName: '' }, 'json', NOW), 'bad_message'],
    'plain: no timestamp': [plain, { ...pushRequest(plainKeys, text(), 'json', NOW), query: { signature: 'd'.repeat(40), nonce: '1' } }, 'missing_params'],
  };
  for (const [label, [make, req, code]] of Object.entries(cases)) {
    it(label, () => {
      const e = error(make().parse(req, NOW, 'r'));
      expect(e.code).toBe(code);
      expect(e.status).toBeGreaterThanOrEqual(400);
      expect(e.status).toBeLessThan(500);
    });
  }
});

describe('mini-program replies', () => {
  it('never replies inline: every answer is acked with "success" and pushed', () => {
    const adapter = safe();
    const m = message(adapter.parse(good(), NOW, 'r'));
    const answer = { intent: 'help', slots: {}, confidence: 1, text: 'hi' };
    expect(adapter.canReplyInline?.(answer)).toBe(false);
    expect(adapter.reply(answer, m, NOW)).toEqual(MP_ACK);
    expect(adapter.reply(null, m, NOW)).toEqual({ status: 200, contentType: 'text/plain', body: 'success' });
  });
  function good() {
    return pushRequest(safeKeys, text(), 'json', NOW);
  }
});
