/**
 * The Cloudflare Workers edge under workerd (miniflare, offline): the bundle `npm run build:edge`
 * makes, in front of the real origin app (MySQL, Redis, BullMQ, the fake qyapi), plus a test entry
 * of the same Worker with a fixed platform clock for the channel contract fixtures and Tencent's
 * published sample vectors (docs/deployment.md, "Edge (Cloudflare Workers)").
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Miniflare, Response as MfResponse, type Request as MfRequest } from 'miniflare';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawRequest } from '../../src/channels/types.ts';
import { parseHandoff, signHandoff, verifyHandoff, type Handoff } from '../../src/edge/handoff.ts';
import { wecomFixture } from '../channels/fixtures/wecom.ts';
import { miniprogramFixture } from '../channels/fixtures/miniprogram.ts';
import { pushRequest, textDoc, verificationRequest as mpVerificationRequest, type MpKeys } from '../support/miniprogram-callback-builder.ts';
import { encryptedCallback, verificationRequest } from '../support/wecom-callback-builder.ts';
import { SAMPLE, atUnix } from '../support/wecom-test-vectors.ts';
import { callback, keys, setupWeComApp, waitFor, type WeComApp } from '../support/wecom-app.ts';

const root = join(import.meta.dirname, '..', '..');
const HANDOFF_SECRET = 'edge-test-handoff-secret-0123456789abcdef';
const MP: MpKeys = { appId: 'wx5823bf96d3bd56c7', token: 'mp-edge-token', aesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' };
const COMPAT = { modules: true, modulesRoot: '/', compatibilityDate: '2025-09-01', compatibilityFlags: ['nodejs_compat'] };
const DEDUPE = { EDGE_DEDUPE: { className: 'EdgeDedupe', useSQLite: true } };

type Fetcher = { fetch(url: string, init?: RequestInit): Promise<Response> };

/** A platform request as WeCom / WeChat send it, to the edge. */
const toEdge = (w: Fetcher, path: string, req: RawRequest, at?: Date) =>
  w.fetch(`https://edge.test${path}?${new URLSearchParams(req.query)}`, {
    method: req.method,
    headers: { ...req.headers, ...(at ? { 'x-test-now': at.toISOString() } : {}) },
    ...(req.method === 'POST' ? { body: req.body } : {}),
  });

describe('Workers edge under workerd', () => {
  let dir: string;
  let mf: Miniflare;
  let edge: Fetcher; // the production bundle, real clock, before the real origin
  let contract: Fetcher; // the same Worker with a fixed platform clock, before a recording origin
  let origin: WeComApp;
  /** Hand-offs that reached the origin app, as it received them. */
  const handoffs: Handoff[] = [];
  /** Hand-offs of the contract Worker, with their headers, answered 200 by a recorder. */
  const recorded: { headers: Record<string, string>; body: string }[] = [];
  let originDown = false;
  let originDelayMs = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'edge-test-'));
    const prod = join(dir, 'worker.js');
    const fixed = join(dir, 'fixed-clock.js');
    const build = (...args: string[]) =>
      new Promise<void>((resolve, reject) => execFile(process.execPath, ['scripts/build-edge.mjs', ...args], { cwd: root }, (err) => (err ? reject(err) : resolve())));
    // The two bundles (npm run build:edge's script) and the origin's database are made side by side.
    [, , origin] = await Promise.all([
      build('--out', prod),
      build('--entry', 'test/edge/fixed-clock-entry.ts', '--out', fixed),
      setupWeComApp('edge_origin', 0, { EDGE_HANDOFF_SECRET: HANDOFF_SECRET, MP_APP_ID: MP.appId, MP_TOKEN: MP.token, MP_AES_KEY: MP.aesKey! }),
    ]);
    origin.rt.startWorkers();

    const platform = { WECOM_CORP_ID: keys.corpId, WECOM_TOKEN: keys.token, WECOM_AES_KEY: keys.aesKey, MP_APP_ID: MP.appId, MP_TOKEN: MP.token, MP_AES_KEY: MP.aesKey! };
    mf = new Miniflare({
      workers: [
        {
          name: 'edge',
          scriptPath: prod,
          ...COMPAT,
          durableObjects: DEDUPE,
          bindings: { ...platform, EDGE_ORIGIN_URL: 'http://origin.test', EDGE_HANDOFF_SECRET: HANDOFF_SECRET, EDGE_ORIGIN_TIMEOUT_MS: '3000' },
          // The Worker's outbound HTTP lands on the origin app (the signed bytes cross from workerd to Node).
          outboundService: async (req: MfRequest) => {
            if (originDown) return new MfResponse('down', { status: 503 });
            if (originDelayMs) await new Promise((r) => setTimeout(r, originDelayMs));
            const body = await req.text();
            const res = await origin.rt.app.fetch(new Request(req.url, { method: req.method, headers: Object.fromEntries(req.headers), body }));
            if (res.ok) handoffs.push(parseHandoff(body));
            return new MfResponse(await res.text(), { status: res.status, headers: Object.fromEntries(res.headers) });
          },
        },
        {
          name: 'contract',
          scriptPath: fixed,
          ...COMPAT,
          durableObjects: DEDUPE,
          bindings: { ...platform, MP_TOKEN: 'mp-contract-token', EDGE_ORIGIN_URL: 'http://recorder.test', EDGE_HANDOFF_SECRET: HANDOFF_SECRET },
          outboundService: async (req: MfRequest) => {
            recorded.push({ headers: Object.fromEntries(req.headers), body: await req.text() });
            return new MfResponse('{"accepted":true}', { status: 200 });
          },
        },
      ],
    });
    edge = (await mf.getWorker('edge')) as unknown as Fetcher;
    contract = (await mf.getWorker('contract')) as unknown as Fetcher;
  }, 180_000);

  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    await mf?.dispose().catch(() => undefined); // never started when the set-up failed
    await origin?.close();
  });

  describe('the channel contract, at the edge', () => {
    it("answers Tencent's published sample vectors: the URL verification echo and the sample message", async () => {
      const v = SAMPLE.verify;
      const verify: RawRequest = { method: 'GET', query: { msg_signature: v.msgSignature, timestamp: v.timestamp, nonce: v.nonce, echostr: v.echostr }, headers: {}, body: '' };
      const echo = await toEdge(contract, '/wecom/callback', verify, atUnix(v.timestamp));
      expect(echo.status).toBe(200);
      expect(await echo.text()).toBe(v.plaintext);

      const m = SAMPLE.message;
      const before = recorded.length;
      const msg: RawRequest = { method: 'POST', query: { msg_signature: m.msgSignature, timestamp: m.timestamp, nonce: m.nonce }, headers: { 'content-type': 'text/xml' }, body: `<xml><ToUserName><![CDATA[${SAMPLE.corpId}]]></ToUserName><Encrypt><![CDATA[${m.encrypt}]]></Encrypt><AgentID><![CDATA[${m.agentId}]]></AgentID></xml>` };
      const res = await toEdge(contract, '/wecom/callback', msg, atUnix(m.timestamp));
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(''); // WeCom's empty ack
      expect(recorded.length).toBe(before + 1);
      expect(parseHandoff(recorded.at(-1)!.body)).toMatchObject({ kind: 'message', channel: 'wecom', from: m.from, text: m.content, messageId: m.msgId });
    });

    for (const fx of [wecomFixture(), miniprogramFixture()]) {
      const path = `/${fx.adapter.channel}/callback`;

      it(`${fx.name}: a platform-built text message is acked and handed off signed`, async () => {
        const before = recorded.length;
        const res = await toEdge(contract, path, fx.valid('查一下 13800000001', 'store_manager_01', `edge-${fx.name}`), fx.now);
        expect(res.status).toBe(200);
        expect(await res.text()).toBe(fx.name === 'wecom' ? '' : 'success');
        expect(recorded.length).toBe(before + 1);
        const { headers, body } = recorded.at(-1)!;
        expect(() => verifyHandoff([HANDOFF_SECRET], headers, body, new Date(), 60)).not.toThrow();
        expect(parseHandoff(body)).toMatchObject({ kind: 'message', channel: fx.adapter.channel, text: '查一下 13800000001', from: 'store_manager_01' });
      });

      it(`${fx.name}: every invalid request is refused with the code the origin's adapter gives, and nothing is handed off`, async () => {
        const before = recorded.length;
        for (const [label, req] of Object.entries(fx.invalid())) {
          const local = fx.adapter.parse(req, fx.now, 'r');
          if (local.ok) throw new Error(`${label}: the fixture is valid`);
          const res = await toEdge(contract, path, req, fx.now);
          const body = (await res.json()) as { error: { code: string; requestId: string } };
          expect([res.status, body.error.code], label).toEqual([local.error.status, local.error.code]);
        }
        expect(recorded.length).toBe(before);
      });
    }
  });

  describe('in front of the origin', () => {
    const inboxRows = async (messageId: string) => {
      const [rows] = await origin.env.services.sql.query<RowDataPacket[]>('SELECT channel, state FROM inbound_messages WHERE message_id = ?', [messageId]);
      return rows;
    };

    it('answers the URL verification (GET echo) of both platforms', async () => {
      const w = await toEdge(edge, '/wecom/callback', verificationRequest(keys, '1288432023552776189', new Date()));
      expect([w.status, await w.text()]).toEqual([200, '1288432023552776189']);
      const m = await toEdge(edge, '/miniprogram/callback', mpVerificationRequest(MP, 'mp-echo-42', new Date()));
      expect([m.status, await m.text()]).toEqual([200, 'mp-echo-42']);
    });

    it('acks a signed callback in time, hands it to the origin once although WeCom delivers it three times, and the answer is pushed once', async () => {
      const req = callback('查一下 13800000001', '970001', 'hq_ops_01');
      const t0 = performance.now();
      const first = await toEdge(edge, '/wecom/callback', req);
      const ms = performance.now() - t0;
      expect(first.status).toBe(200);
      expect(await first.text()).toBe('');
      expect(ms).toBeLessThan(5000); // WeCom's window
      console.info(`edge: first delivery acked in ${ms.toFixed(0)} ms`);
      for (let i = 0; i < 2; i++) {
        const again = await toEdge(edge, '/wecom/callback', req);
        expect([again.status, await again.text()]).toEqual([200, '']);
      }
      expect(handoffs.filter((h) => h.messageId === '970001')).toHaveLength(1);
      expect(await inboxRows('970001')).toHaveLength(1);
      const sent = await waitFor(() => origin.fake.sent.find((m) => m.touser === 'hq_ops_01'));
      expect(sent.content).toContain('M00000001');
      await new Promise((r) => setTimeout(r, 300));
      expect(origin.fake.sent.filter((m) => m.touser === 'hq_ops_01')).toHaveLength(1);
    });

    it('hands a 客户联系 event to the origin (the origin records it), once, and acks it empty', async () => {
      const xml =
        `<xml><ToUserName><![CDATA[${keys.corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime>` +
        '<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[del_follow_user]]></ChangeType>' +
        '<UserID><![CDATA[store_manager_01]]></UserID><ExternalUserID><![CDATA[wmEdgeTest0001]]></ExternalUserID></xml>';
      const req = encryptedCallback(keys, xml, new Date());
      for (let i = 0; i < 2; i++) {
        const res = await toEdge(edge, '/wecom/callback', req);
        expect([res.status, await res.text()]).toEqual([200, '']);
      }
      const mine = handoffs.filter((h) => h.kind === 'ignored' && JSON.stringify(h).includes('wmEdgeTest0001'));
      expect(mine).toHaveLength(1);
      expect(await inboxRows(mine[0]!.messageId)).toHaveLength(1);
    });

    it('hands two concurrent deliveries of one message off once (the second waits for the first)', async () => {
      originDelayMs = 400;
      try {
        const req = callback('帮助', '970002', 'hq_ops_01');
        const [a, b] = await Promise.all([toEdge(edge, '/wecom/callback', req), toEdge(edge, '/wecom/callback', req)]);
        expect([a.status, b.status]).toEqual([200, 200]);
      } finally {
        originDelayMs = 0;
      }
      expect(handoffs.filter((h) => h.messageId === '970002')).toHaveLength(1);
    });

    it('hands a mini-program message to the origin, into its durable inbox', async () => {
      const req = pushRequest(MP, textDoc({ openid: 'oEdge_01', text: '我的积分', msgId: '970003', at: new Date() }), 'json', new Date());
      const res = await toEdge(edge, '/miniprogram/callback', req);
      expect([res.status, await res.text()]).toEqual([200, 'success']);
      expect(await inboxRows('970003')).toMatchObject([{ channel: 'miniprogram' }]);
    });

    it('refuses a bad signature at the edge: nothing reaches the origin', async () => {
      const before = handoffs.length;
      const good = callback('查一下 13800000001', '970004');
      const res = await toEdge(edge, '/wecom/callback', { ...good, query: { ...good.query, msg_signature: 'f'.repeat(40) } });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad_signature');
      expect(handoffs.length).toBe(before);
      expect(await inboxRows('970004')).toHaveLength(0);
    });

    it('tells WeCom to retry while the origin is down, and hands the retry off once it is back', async () => {
      const req = callback('帮助', '970005', 'hq_ops_01');
      originDown = true;
      const down = await toEdge(edge, '/wecom/callback', req);
      originDown = false;
      expect(down.status).toBe(503);
      expect(((await down.json()) as { error: { code: string } }).error.code).toBe('origin_unavailable');
      const retry = await toEdge(edge, '/wecom/callback', req);
      expect(retry.status).toBe(200);
      expect(handoffs.filter((h) => h.messageId === '970005')).toHaveLength(1);
    });

    it('the origin refuses a forged, unsigned, stale or tampered hand-off with its registered code', async () => {
      const h: Handoff = { v: 1, kind: 'message', channel: 'wecom', messageId: '970006', from: 'hq_ops_01', text: '查一下 13800000001', receivedAt: new Date().toISOString() };
      const body = JSON.stringify(h);
      const send = (headers: Record<string, string>, b = body, channel = 'wecom') =>
        origin.rt.app.request(`/edge/handoff/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: b });
      const cases: [string, Response | Promise<Response>, number, string][] = [
        ['forged', send(signHandoff('someone-else-secret-0123456789abcdef0123', body, new Date())), 401, 'bad_handoff_signature'],
        ['unsigned', send({}), 401, 'handoff_unsigned'],
        ['stale', send(signHandoff(HANDOFF_SECRET, body, new Date(Date.now() - 600_000))), 401, 'handoff_stale'],
        ['tampered', send(signHandoff(HANDOFF_SECRET, body, new Date()), body.replace('hq_ops_01', 'admin_01')), 401, 'bad_handoff_signature'],
        ['other channel', send(signHandoff(HANDOFF_SECRET, body, new Date()), body, 'miniprogram'), 400, 'bad_handoff'],
      ];
      for (const [label, pending, status, code] of cases) {
        const res = await pending;
        expect([res.status, ((await res.json()) as { error: { code: string } }).error.code], label).toEqual([status, code]);
      }
      expect(await inboxRows('970006')).toHaveLength(0);
      // The same hand-off, signed: accepted.
      const ok = await send(signHandoff(HANDOFF_SECRET, body, new Date()));
      expect(ok.status).toBe(200);
      expect(await inboxRows('970006')).toHaveLength(1);
    });
  });
});
