import { Redis } from 'ioredis';

export type { Redis };

/** Where a connection reports that Redis went away or came back (one line each, never a stack). */
export interface RedisWatch {
  down(message: string): void;
  up(): void;
}

/**
 * ioredis connection. BullMQ workers need maxRetriesPerRequest = null (blocking commands);
 * request/response code gets a bounded retry so /readyz fails fast when Redis is down.
 *
 * An ioredis connection without an 'error' listener prints "[ioredis] Unhandled error event"
 * with a stack on every reconnect attempt; this one always has a listener, which reports the
 * outage once (when it starts) and the recovery once (docs/guides/administrator.md).
 */
export function createRedis(url: string, opts: { forBullmq?: boolean; watch?: RedisWatch } = {}): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: opts.forBullmq ? null : 2,
    enableOfflineQueue: opts.forBullmq ? true : false,
    lazyConnect: false,
    // Reconnect with backoff up to 5 s, for as long as it takes: recovery without a restart.
    retryStrategy: (times) => Math.min(200 * 2 ** Math.min(times, 5), 5000),
  });
  let down = false;
  redis.on('error', (err: Error) => {
    if (down) return;
    down = true;
    opts.watch?.down(err.message || String(err));
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    opts.watch?.up();
  });
  return redis;
}

/** Closes a connection without waiting on a Redis that does not answer (quit would queue forever). */
export async function closeRedis(redis: Redis, ms = 2000): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  const t = new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
  await Promise.race([redis.quit().then(() => undefined, () => undefined), t]);
  if ((redis.status as string) !== 'end') redis.disconnect();
}

/** True for an error that only says Redis (or the network to it) is unavailable. */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | undefined;
  const code = e?.code ?? '';
  return ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN', 'NOAUTH'].includes(code) || /Connection is closed|connect ECONNREFUSED|Stream isn't writeable|NOAUTH|WRONGPASS|max retries per request/i.test(e?.message ?? '');
}
