import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawRequest } from '../../src/channels/types.ts';
import { computeSignature } from '../../src/channels/shared/crypto.ts';
import { encryptedCallback, readPassiveReply, textMessageXml, verificationRequest } from '../support/wecom-callback-builder.ts';
import { AGENT_ID, callback, keys, post, setupWeComApp, waitFor, type WeComApp } from '../support/wecom-app.ts';

describe('WeCom callback, passive path (answer ready within the budget)', () => {
  let ctx: WeComApp;
  const audits = async () => Number(((await ctx.env.services.sql.query<any[]>('SELECT COUNT(*) AS n FROM audit_logs'))[0][0] as any).n);
  beforeAll(async () => {
    ctx = await setupWeComApp('e2e_wecom_passive', 4000);
  });
  afterAll(async () => ctx?.close());

  it('passes URL verification with a callback built as WeCom builds it', async () => {
    const res = await post(ctx.rt, verificationRequest(keys, '1288432023552776189', new Date()));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('1288432023552776189');
  });

  it('answers "查一下 13800000001" with the member card in an encrypted passive reply', async () => {
    const res = await post(ctx.rt, callback('查一下 13800000001', '900001'));
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain('<Encrypt>');
    const reply = readPassiveReply(keys, { status: res.status, contentType: res.headers.get('content-type') ?? '', body });
    expect(reply.MsgType).toBe('text');
    expect(reply.ToUserName).toBe('store_manager_01');
    expect(reply.Content).toContain('M00000001');
    expect(reply.Content).toContain('13800000001');
    expect(ctx.fake.sendRequests).toBe(0); // the passive path needs no access token
  });

  it('answers the same MsgId delivered three times once, with one audit entry (a resend gets the recorded answer)', async () => {
    const before = await audits();
    const req = callback('look up 13800000001', '900002');
    const replies: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await post(ctx.rt, req);
      expect(res.status).toBe(200);
      replies.push(await res.text());
    }
    // WeCom resends only when it did not get the reply: each resend gets the answer recorded by the one run.
    const contents = replies.map((body) => readPassiveReply(keys, { status: 200, contentType: 'application/xml', body }).Content);
    expect(contents[0]!.length).toBeGreaterThan(0);
    expect(new Set(contents).size).toBe(1);
    expect(await audits()).toBe(before + 1);
    expect(ctx.fake.sendRequests).toBe(0);
  });

  it('rejects bad callbacks with a 4xx, leaves no trace in the database, and keeps serving', async () => {
    const snapshot = async () => {
      const [rows] = await ctx.env.services.sql.query<any[]>('CHECKSUM TABLE audit_logs, members, member_tags, tags, orders');
      return JSON.stringify(rows);
    };
    const before = await snapshot();
    const good = callback('查一下 13800000001', '900003');
    const stale = callback('查一下 13800000001', '900004', 'store_manager_01', new Date(Date.now() - 3600_000));
    const cases: Record<string, RawRequest> = {
      unsigned: { ...good, query: { timestamp: good.query.timestamp!, nonce: good.query.nonce! } },
      'mis-signed': { ...good, query: { ...good.query, msg_signature: 'f'.repeat(40) } },
      stale,
      truncated: { ...good, body: good.body.slice(0, good.body.length / 2) },
      'non-base64': encryptedCallbackWithRawEncrypt('@@@not base64@@@'),
      'wrong receive id': encryptedCallback(keys, textMessageXml({ corpId: keys.corpId, from: 'store_manager_01', text: 'x', msgId: '900005', createTime: Math.floor(Date.now() / 1000) }), new Date(), { receiveId: 'wwSomeoneElse' }),
      oversized: { ...good, body: `<xml><Encrypt><![CDATA[${'A'.repeat(200_000)}]]></Encrypt></xml>` },
      'malformed xml': { ...good, body: '<xml><Encrypt>abc</Encr' },
      'entity expansion': { ...good, body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><xml><Encrypt>&b;</Encrypt></xml>' },
    };
    for (const [label, req] of Object.entries(cases)) {
      const res = await post(ctx.rt, req);
      expect(res.status, label).toBeGreaterThanOrEqual(400);
      expect(res.status, label).toBeLessThan(500);
      const body = (await res.json()) as { error: { code: string; requestId: string } };
      expect(body.error.code, label).toMatch(/^[a-z_]+$/);
      expect(body.error.requestId, label).toBe(res.headers.get('x-request-id'));
    }
    expect(await snapshot()).toBe(before);
    const after = await post(ctx.rt, callback('查一下 13800000001', '900006'));
    expect(after.status).toBe(200);
    expect(await after.text()).toContain('<Encrypt>');
  });
});

/** A correctly signed envelope around an Encrypt value that is not base64 at all. */
function encryptedCallbackWithRawEncrypt(encryptValue: string): RawRequest {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = '123456';
  return {
    method: 'POST',
    query: { msg_signature: computeSignature(keys.token, timestamp, nonce, encryptValue), timestamp, nonce },
    headers: { 'content-type': 'text/xml' },
    body: `<xml><ToUserName><![CDATA[${keys.corpId}]]></ToUserName><Encrypt><![CDATA[${encryptValue}]]></Encrypt></xml>`,
  };
}

describe('WeCom callback, push path (answer slower than the budget)', () => {
  let ctx: WeComApp;
  beforeAll(async () => {
    ctx = await setupWeComApp('e2e_wecom_push', 0);
    ctx.rt.startWorkers();
  });
  afterAll(async () => ctx?.close());

  it('acks with an empty 200 and pushes the answer through message/send', async () => {
    const res = await post(ctx.rt, callback('查一下 13800000001', '910001', 'hq_ops_01'));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    const sent = await waitFor(() => ctx.fake.sent.find((m) => m.touser === 'hq_ops_01'));
    expect(sent.content).toContain('M00000001');
    expect(sent.agentid).toBe(Number(AGENT_ID));
    expect(ctx.fake.tokenRequests).toBe(1);
  });

  it('retries a push that hit the API rate limit (45009) and delivers it once', async () => {
    ctx.fake.failNext(45009, 1);
    const res = await post(ctx.rt, callback('帮助', '910002', 'hq_ops_01'));
    expect(res.status).toBe(200);
    const before = ctx.fake.sent.length;
    await waitFor(() => (ctx.fake.sent.length > before ? true : undefined), 20_000);
    // The help text may be split into several messages (2048 bytes each): each part once, the answer once.
    const texts = ctx.fake.sent.filter((m) => m.touser === 'hq_ops_01').map((m) => String(m.content));
    expect(new Set(texts).size).toBe(texts.length);
    expect(texts.filter((t) => t.includes('你可以这样问我'))).toHaveLength(1);
  });
});
