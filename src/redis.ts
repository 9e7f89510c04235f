import { Redis } from 'ioredis';

export type { Redis };

/**
 * ioredis connection. BullMQ workers need maxRetriesPerRequest = null (blocking commands);
 * request/response code gets a bounded retry so /readyz fails fast when Redis is down.
 */
export function createRedis(url: string, opts: { forBullmq?: boolean } = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: opts.forBullmq ? null : 2,
    enableOfflineQueue: opts.forBullmq ? true : false,
    lazyConnect: false,
  });
}
