import type { Services } from '../../services.ts';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * A computed insight cached in Redis as JSON under `key` for `ttlSeconds` (dates come back as
 * dates): the key must name everything the value depends on (the health dashboard's data stamp,
 * the model report's day and scoring run), so a stale value is never read. Redis down: computed.
 */
export async function cachedJson<T>(services: Pick<Services, 'redis'>, key: string, ttlSeconds: number, compute: () => Promise<T>): Promise<T> {
  const hit = await services.redis.get(key).catch(() => null);
  if (hit) return JSON.parse(hit, (_k, v) => (typeof v === 'string' && ISO.test(v) ? new Date(v) : v)) as T;
  const value = await compute();
  await services.redis.set(key, JSON.stringify(value), 'EX', ttlSeconds).catch(() => {});
  return value;
}
