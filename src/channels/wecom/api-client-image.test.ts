import { once } from 'node:events';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeQyapi, type FakeQyapi } from '../../../test/fakes/qyapi.ts';
import { createTestEnv, type TestEnv } from '../../../test/support/env.ts';
import { createWeComAdapter } from './adapter.ts';
import { createWeComApiClient, type WeComApiClient } from './api-client.ts';
import { SAMPLE } from '../../../test/support/wecom-test-vectors.ts';
import { rejection } from '../../../test/support/rejection.ts';

const CORP = 'ww_test_corp';
const SECRET = 'test-secret-never-logged-0123456789';
const AGENT = '1000002';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** A real 1×1 PNG, plus every byte value so the multipart body is binary-exact. */
const PNG = Buffer.concat([
  Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'),
  Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
]);

let env: TestEnv;
let fake: FakeQyapi;

beforeAll(async () => {
  env = await createTestEnv('wecom_api_image', { WECOM_CORP_ID: CORP, WECOM_SECRET: SECRET, WECOM_AGENT_ID: AGENT, WECOM_TOKEN: SAMPLE.token, WECOM_AES_KEY: SAMPLE.aesKey });
  if (env.services.redis.status !== 'ready') await once(env.services.redis, 'ready');
});
afterAll(async () => env?.cleanup());

beforeEach(async () => {
  fake = await startFakeQyapi({ corpId: CORP, corpSecret: SECRET, agentId: AGENT, knownUsers: ['store_manager_01'] });
  const keys = await env.services.redis.keys(`${env.config.REDIS_PREFIX}:wecom:*`);
  if (keys.length) await env.services.redis.del(...keys);
});
afterEach(async () => fake.close());

const client = (): WeComApiClient =>
  createWeComApiClient({ ...env.services, logger: pino({ level: 'silent' }), config: { ...env.config, WECOM_API_BASE: fake.url } });


describe('media/upload and image messages', () => {
  it('uploads the PNG as multipart field "media" (type=image, .png name) and sends it by media_id', async () => {
    const api = client();
    const mediaId = await api.uploadImage(PNG);
    expect(fake.uploads).toHaveLength(1);
    const up = fake.uploads[0]!;
    expect(up).toMatchObject({ mediaId, type: 'image', contentType: 'image/png' });
    expect(up.filename).toMatch(/\.png$/);
    expect(up.bytes.equals(PNG)).toBe(true);
    await api.sendImage('store_manager_01', mediaId);
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]).toMatchObject({ touser: 'store_manager_01', msgtype: 'image', agentid: 1000002 });
    expect(fake.sent[0]!.body.image).toEqual({ media_id: mediaId });
    expect(fake.tokenRequests).toBe(1); // one token for both calls
  });

  it('42001 during the upload: refreshes the token and uploads again, transparently', async () => {
    const api = client();
    await api.sendText('store_manager_01', 'warm the token cache');
    fake.expireTokens();
    const mediaId = await api.uploadImage(PNG);
    expect(fake.uploadRequests).toBe(2);
    expect(fake.tokenRequests).toBe(2);
    expect(fake.uploads.map((u) => u.mediaId)).toEqual([mediaId]);
    expect(fake.uploads[0]!.bytes.equals(PNG)).toBe(true); // the multipart body is rebuilt for the retry
  });

  it('errcodes on upload become AppErrors with the retryable flag', async () => {
    fake.failUploadNext(45009);
    const busy = await rejection(client().uploadImage(PNG));
    expect(busy).toMatchObject({ code: 'wecom_rate_limited', retryable: true });
    expect(busy.details).toMatchObject({ api: 'media/upload', errcode: 45009 });
    fake.failUploadNext(40004);
    const bad = await rejection(client().uploadImage(PNG));
    expect(bad).toMatchObject({ code: 'wecom_api_error', retryable: false });
    expect(bad.details).toMatchObject({ api: 'media/upload', errcode: 40004 });
    const empty = await rejection(client().uploadImage(Buffer.alloc(0)));
    expect(empty.retryable).toBe(false);
    expect(fake.uploads).toHaveLength(0);
  });

  it('an unknown media_id on send is a permanent error; the same bytes reuse one upload', async () => {
    const api = client();
    const e = await rejection(api.sendImage('store_manager_01', 'no-such-media'));
    expect(e).toMatchObject({ retryable: false });
    expect(e.details).toMatchObject({ api: 'message/send', errcode: 40007 });
    const a = await api.uploadImage(PNG);
    const b = await client().uploadImage(PNG);
    expect(b).toBe(a);
    expect(fake.uploadRequests).toBe(1);
  });
});

describe('adapter: answers with an image are pushed, text then image, retry-safe', () => {
  const adapter = () => createWeComAdapter({ config: env.config, api: client() });

  it('canReplyInline is false for an answer with an image', () => {
    const a = adapter();
    expect(a.canReplyInline({ text: 'short', image: { png: PNG, alt: 'chart' } } as never)).toBe(false);
    expect(a.canReplyInline({ text: 'short' } as never)).toBe(true);
  });

  it('a failed upload retried by the job sends neither the text nor the image twice', async () => {
    const a = adapter();
    const deliver = async () => {
      await a.push('store_manager_01', '本店会员健康度 …', 'req-img-1');
      await a.pushImage('store_manager_01', PNG, 'req-img-1');
    };
    fake.failUploadNext(-1);
    const e = await rejection(deliver());
    expect(e.retryable).toBe(true);
    expect(fake.sent.map((m) => m.msgtype)).toEqual(['text']);
    await deliver(); // BullMQ retry
    expect(fake.sent.map((m) => m.msgtype)).toEqual(['text', 'image']);
    await deliver(); // a redelivered job after success
    expect(fake.sent.map((m) => m.msgtype)).toEqual(['text', 'image']);
    expect(fake.sent[1]!.body.image).toEqual({ media_id: fake.uploads[0]!.mediaId });
    expect(fake.uploads[0]!.bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    // A new request with the same chart is a new message.
    await a.pushImage('store_manager_01', PNG, 'req-img-2');
    expect(fake.sent.map((m) => m.msgtype)).toEqual(['text', 'image', 'image']);
  });
});
