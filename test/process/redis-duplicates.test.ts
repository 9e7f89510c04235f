/**
 * BullMQ's own connections are duplicates of ours; one whose listener BullMQ took off at close
 * printed ioredis's "[ioredis] Unhandled error event" with a stack when a write failed as Redis
 * went away during shutdown (a CI run of process-life's "stops while Redis is down"). Every
 * duplicate keeps a listener of ours: the outage is one report, never a stack.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Queue, Worker } from 'bullmq';
import { createRedis } from '../../src/redis.ts';
import { startPrivateRedis } from '../support/private-redis.ts';
import { stopChildren } from '../support/child.ts';

afterAll(() => stopChildren());

describe('Redis connections BullMQ duplicates', () => {
  it('a duplicate (and its duplicate) reports an error through the one watch, once, and never prints', async () => {
    const server = await startPrivateRedis();
    const downs: string[] = [];
    const redis = createRedis({ REDIS_URL: server.url }, { forBullmq: true, watch: { down: (m) => downs.push(m), up: () => undefined } });
    const printed = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const copy = redis.duplicate();
      const copyOfCopy = copy.duplicate();
      for (const c of [copy, copyOfCopy]) {
        c.removeAllListeners('connect'); // nothing else of ours on it: only the error listener counts
        expect(c.listenerCount('error')).toBeGreaterThan(0);
      }
      copyOfCopy.emit('error', Object.assign(new Error('write ECONNRESET'), { code: 'ECONNRESET' }));
      copy.emit('error', Object.assign(new Error('write ECONNRESET'), { code: 'ECONNRESET' }));
      expect(downs).toEqual(['write ECONNRESET']);
      expect(printed).not.toHaveBeenCalled();
      copy.disconnect();
      copyOfCopy.disconnect();
    } finally {
      printed.mockRestore();
      redis.disconnect();
      await server.stop();
    }
  });

  it('a worker closed while Redis is down finishes without an unhandled error print', async () => {
    const server = await startPrivateRedis();
    const redis = createRedis({ REDIS_URL: server.url }, { forBullmq: true });
    const printed: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void printed.push(a.map(String).join(' ')));
    try {
      const queue = new Queue('dup-test', { connection: redis });
      queue.on('error', () => undefined);
      let started!: () => void;
      let release!: () => void;
      const running = new Promise<void>((ok) => (started = ok));
      const worker = new Worker(
        'dup-test',
        async () => {
          started();
          await new Promise<void>((r) => (release = r));
          return 'done';
        },
        { connection: redis },
      );
      worker.on('error', () => undefined);
      await queue.add('j', {});
      await running;
      await server.stop();
      release(); // the job finishes as Redis is gone: moveToFinished's write fails
      await Promise.race([worker.close(true), new Promise((r) => setTimeout(r, 3000))]);
      await new Promise((r) => setTimeout(r, 500));
      await Promise.race([queue.close(), new Promise((r) => setTimeout(r, 1000))]);
      expect(printed.filter((l) => /Unhandled error event/.test(l))).toEqual([]);
    } finally {
      spy.mockRestore();
      redis.disconnect();
    }
  }, 30_000);
});
