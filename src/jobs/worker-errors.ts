import { isConnectionError } from '../redis.ts';
import type { Services } from '../services.ts';

/**
 * A worker's 'error' event. While Redis is down every worker reports the same refused
 * connection on each reconnect attempt; the connection itself already logged the outage once
 * (src/redis.ts), so those are dropped here instead of filling the log with the same stack.
 */
export function reportWorkerError(services: Services, err: Error, msg: string, extra: Record<string, unknown> = {}): void {
  if (isConnectionError(err)) return;
  services.logger.error({ err, ...extra }, msg);
}
