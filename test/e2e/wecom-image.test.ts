import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawRequest } from '../../src/channels/types.ts';
import { encryptedCallback, textMessageXml } from '../../src/channels/wecom/callback-builder.ts';
import { SAMPLE } from '../../src/channels/wecom/test-vectors.ts';
import { seedDemo } from '../../src/crm/seed/index.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { startFakeQyapi } from '../fakes/qyapi.ts';
import { createTestEnv } from '../support/env.ts';

const keys = { token: SAMPLE.token, aesKey: SAMPLE.aesKey, corpId: SAMPLE.corpId };
const SECRET = 'test-corp-secret';
const AGENT_ID = '1000002';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A running app with the WeCom channel configured (4 s budget: answers are ready in time), a fake qyapi and the demo data. */
async function setup(label: string) {
  const fake = await startFakeQyapi({ corpId: keys.corpId, corpSecret: SECRET, agentId: AGENT_ID });
  const env = await createTestEnv(label, {
    WECOM_CORP_ID: keys.corpId,
    WECOM_TOKEN: keys.token,
    WECOM_AES_KEY: keys.aesKey,
    WECOM_SECRET: SECRET,
    WECOM_AGENT_ID: AGENT_ID,
    WECOM_API_BASE: fake.url,
    WECOM_REPLY_BUDGET_MS: '4000',
  });
  await seedDemo(env.services.sql, { members: 120, seed: 11, now: new Date('2026-11-01T00:00:00Z') });
  await env.services.redis.ping();
  const rt = createRuntime(env.services);
  rt.startWorkers();
  return { fake, env, rt };
}

const post = (rt: Runtime, req: RawRequest) =>
  rt.app.request(`/wecom/callback?${new URLSearchParams(req.query)}`, { method: req.method, body: req.method === 'POST' ? req.body : undefined, headers: req.headers });

const callback = (text: string, msgId: string, from = 'store_manager_01', now = new Date()) =>
  encryptedCallback(keys, textMessageXml({ corpId: keys.corpId, from, text, msgId, createTime: Math.floor(now.getTime() / 1000) }), now);

async function waitFor<T>(probe: () => T | undefined, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('WeCom: the store health dashboard arrives as text, then the chart as an image message', () => {
  let ctx: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    ctx = await setup('e2e_wecom_image');
  });
  afterAll(async () => {
    await ctx?.rt.stop();
    await ctx?.env.cleanup();
    await ctx?.fake.close();
  });

  const forUser = (user: string) => ctx.fake.sent.filter((m) => m.touser === user);

  it('"本店会员健康度" → empty 200 ack → message/send text, then media/upload + message/send image (a PNG)', async () => {
    const res = await post(ctx.rt, callback('本店会员健康度', '920001'));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(''); // no passive reply: the answer carries an image
    await waitFor(() => (forUser('store_manager_01').some((m) => m.msgtype === 'image') ? true : undefined));
    const sent = forUser('store_manager_01');
    expect(sent.map((m) => m.msgtype)).toEqual(['text', 'image']);
    expect(sent[0]!.content).toMatch(/健康度|会员/);
    expect(ctx.fake.uploads).toHaveLength(1);
    const upload = ctx.fake.uploads[0]!;
    expect(sent[1]!.body.image).toEqual({ media_id: upload.mediaId });
    expect(upload.type).toBe('image');
    expect(upload.filename).toMatch(/\.png$/);
    expect(upload.bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(upload.bytes.length).toBeGreaterThan(1000);
    expect(sent[1]!.at.getTime()).toBeGreaterThanOrEqual(sent[0]!.at.getTime());
    // Once delivered, the PNG is dropped from the job BullMQ keeps for a day.
    const until = Date.now() + 10_000;
    let done: Record<string, unknown>[] = [];
    while (Date.now() < until && done.length === 0) {
      done = (await ctx.env.services.queues.outbound.getCompleted()).map((j) => j.data as Record<string, unknown>).filter((d) => d.to === 'store_manager_01');
      if (done.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(done).toHaveLength(1);
    expect(done[0]).not.toHaveProperty('image');
    expect(done[0]).toMatchObject({ channel: 'wecom', to: 'store_manager_01' });
  });

  it('a failed upload is retried by the job without sending the text twice', async () => {
    const before = { sent: ctx.fake.sent.length, uploads: ctx.fake.uploadRequests };
    ctx.fake.failUploadNext(-1); // WeCom "system busy": retryable
    const res = await post(ctx.rt, callback('会员健康度 本月', '920002'));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    await waitFor(() => (ctx.fake.sent.slice(before.sent).some((m) => m.msgtype === 'image') ? true : undefined));
    expect(ctx.fake.sent.slice(before.sent).map((m) => m.msgtype)).toEqual(['text', 'image']);
    expect(ctx.fake.uploadRequests - before.uploads).toBe(2);
  });
});
