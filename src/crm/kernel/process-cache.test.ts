import { describe, expect, it } from 'vitest';
import { processCache } from './process-cache.ts';

describe('processCache', () => {
  it('reads once for concurrent misses, keeps the value for the TTL, and forget drops it', async () => {
    const cache = processCache<number>();
    const owner = {};
    let reads = 0;
    const load = async () => ++reads;
    expect(await Promise.all([cache.get(owner, 'k', 60_000, load), cache.get(owner, 'k', 60_000, load)])).toEqual([1, 1]);
    expect(await cache.get(owner, 'k', 60_000, load)).toBe(1);
    // Another owner (another pool) has its own copy.
    expect(await cache.get({}, 'k', 60_000, load)).toBe(2);
    cache.forget(owner);
    expect(await cache.get(owner, 'k', 60_000, load)).toBe(3);
  });

  it('keeps no failed read, and reads every time with a TTL of 0', async () => {
    const cache = processCache<string>();
    const owner = {};
    await expect(cache.get(owner, 'k', 60_000, () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    await new Promise((r) => setImmediate(r));
    expect(await cache.get(owner, 'k', 60_000, async () => 'up')).toBe('up');
    let reads = 0;
    await cache.get(owner, 'z', 0, async () => String(++reads));
    await cache.get(owner, 'z', 0, async () => String(++reads));
    expect(reads).toBe(2);
  });

  it('a forget during a read drops what that read returns', async () => {
    const cache = processCache<string>();
    const owner = {};
    let release!: () => void;
    const slow = cache.get(owner, 'k', 60_000, () => new Promise<string>((r) => (release = () => r('old'))));
    cache.forget(owner);
    release();
    expect(await slow).toBe('old');
    expect(await cache.get(owner, 'k', 60_000, async () => 'new')).toBe('new');
  });
});
