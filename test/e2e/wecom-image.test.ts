import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callback, post, setupWeComApp, waitFor, type WeComApp } from '../support/wecom-app.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('WeCom: the store health dashboard arrives as text, then the chart as an image message', () => {
  let ctx: WeComApp;
  beforeAll(async () => {
    // 4 s budget: answers are ready in time; the image forces the push path anyway.
    ctx = await setupWeComApp('e2e_wecom_image', 4000);
    ctx.rt.startWorkers();
  });
  afterAll(async () => ctx?.close());

  const forUser = (user: string) => ctx.fake.sent.filter((m) => m.touser === user);

  it('"本店会员健康度" → empty 200 ack → message/send text, then media/upload + message/send image (a PNG)', async () => {
    const res = await post(ctx.rt, callback('本店会员健康度', '920001'));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(''); // no passive reply: the answer carries an image
    await waitFor(() => (forUser('store_manager_01').some((m) => m.msgtype === 'image') ? true : undefined), 20_000);
    const sent = forUser('store_manager_01');
    // The dashboard's lines are a list: pushed as markdown (src/channels/wecom/markdown.ts).
    expect(sent.map((m) => m.msgtype)).toEqual(['markdown', 'image']);
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
    // Another chart than the first test's (the same PNG would reuse its cached media_id): 30-day steps.
    const res = await post(ctx.rt, callback('会员健康度 近30天', '920002'));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    await waitFor(() => (ctx.fake.sent.slice(before.sent).some((m) => m.msgtype === 'image') ? true : undefined), 20_000);
    expect(ctx.fake.sent.slice(before.sent).map((m) => m.msgtype)).toEqual(['markdown', 'image']);
    expect(ctx.fake.uploadRequests - before.uploads).toBe(2);
  });
});
