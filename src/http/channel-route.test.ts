import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../channels/types.ts';
import { limitBody } from './channel-route.ts';
import type { AppEnv } from './env.ts';
import { handleHttpError } from './errors.ts';

/** A real server (the Node adapter, as in production): the body limit reads the wire's Content-Length or counts a chunked body. */
let server: ReturnType<typeof serve>;
let port = 0;
beforeAll(async () => {
  const app = new Hono<AppEnv>();
  app.onError(handleHttpError(pino({ level: 'silent' })));
  app.post('/cb', limitBody({ maxBodyBytes: 100 } as ChannelAdapter), async (c) => c.text(`got ${(await c.req.text()).length}`));
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      port = info.port;
      resolve();
    });
  });
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** POSTs `chunks` (one chunk with a Content-Length, several chunked); the status and body. */
const post = (chunks: string[], chunked: boolean) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const total = Buffer.byteLength(chunks.join(''));
    const req = request({ host: '127.0.0.1', port, path: '/cb', method: 'POST', headers: chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(total) } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });

describe('limitBody', () => {
  it('passes a body within the limit, declared or chunked, to the handler whole', async () => {
    expect(await post(['x'.repeat(100)], false)).toEqual({ status: 200, body: 'got 100' });
    expect(await post(['x'.repeat(60), 'y'.repeat(40)], true)).toEqual({ status: 200, body: 'got 100' });
    expect(await post(['中'.repeat(33)], false)).toEqual({ status: 200, body: 'got 33' }); // 99 bytes
  });

  it('refuses a body over the limit with a 413 body_too_large, declared or chunked', async () => {
    for (const [chunks, chunked] of [[['x'.repeat(101)], false], [['中'.repeat(34)], false], [['x'.repeat(60), 'y'.repeat(41)], true]] as const) {
      const r = await post([...chunks], chunked);
      expect(r.status).toBe(413);
      expect(JSON.parse(r.body).error.code).toBe('body_too_large');
    }
  });
});
