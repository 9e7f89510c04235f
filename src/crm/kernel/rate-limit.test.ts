/**
 * The limiter's scripts go by SHA (EVALSHA), with the source sent only to a server that does not
 * hold it yet. A private redis-server: the test empties its script cache, which the shared server's
 * other users must not see.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopChildren } from '../../../test/support/child.ts';
import { startPrivateRedis, type PrivateRedis } from '../../../test/support/private-redis.ts';
import { createRateLimiter } from './rate-limit.ts';

let server: PrivateRedis;
let redis: Redis;

beforeAll(async () => {
  server = await startPrivateRedis();
  redis = new Redis(server.url, { lazyConnect: false });
}, 30_000);

afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
  await stopChildren();
});

/** The commands the server ran, by name, while `f` ran (INFO commandstats before and after). */
async function commandsDuring(f: () => Promise<void>): Promise<Record<string, number>> {
  const calls = async () => {
    const info = await redis.info('commandstats');
    return Object.fromEntries([...info.matchAll(/cmdstat_(\w+):calls=(\d+)/g)].map((m) => [m[1]!, Number(m[2])]));
  };
  const before = await calls();
  await f();
  const after = await calls();
  return Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]).filter(([, v]) => Number(v) > 0));
}

describe('the rate limiter on Redis', () => {
  const clock = { now: new Date('2026-12-05T10:00:00Z') };
  const limiter = () => createRateLimiter(redis, (...p) => ['t', ...p].join(':'), () => clock.now);

  it('sends each script once, then calls it by SHA — and again after the server lost its scripts', async () => {
    const rl = limiter();
    const first = await commandsDuring(async () => {
      const waits: number[] = [];
      for (let i = 0; i < 5; i++) waits.push(await rl.windows('m1', [{ limit: 3, ms: 60_000 }]));
      expect(waits.map((w) => w > 0)).toEqual([false, false, false, true, true]);
    });
    expect(first.eval ?? 0).toBe(1);
    expect(first.evalsha).toBeGreaterThanOrEqual(4); // every call by SHA (whether Redis counts the NOSCRIPT answer as a call varies)
    await redis.script('FLUSH');
    const again = await commandsDuring(async () => {
      expect(await rl.bucket('b1', 60, 2)).toBe(0);
      expect(await rl.bucket('b1', 60, 2)).toBe(0);
      expect(await rl.bucket('b1', 60, 2)).toBeGreaterThan(0); // the burst of 2 is spent
      expect((await rl.windowsWhich('m1', [{ limit: 3, ms: 60_000 }])).full).toBe(0); // the window still counts 3
    });
    expect(again.eval).toBe(2); // one per script, after NOSCRIPT
    expect(again.evalsha).toBeGreaterThanOrEqual(4);
  });
});
