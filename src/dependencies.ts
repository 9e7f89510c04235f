import mysql from 'mysql2/promise';
import { Redis } from 'ioredis';
import type { Logger } from './logger.ts';

/**
 * One try at the MySQL server: connect and SELECT 1. The server, not the database: on a fresh
 * machine the database does not exist yet, and the migrations that run next create it.
 */
async function pingMysql(url: string): Promise<void> {
  const server = new URL(url);
  server.pathname = '/';
  const conn = await mysql.createConnection({ uri: server.toString(), connectTimeout: 3000 });
  try {
    await conn.query('SELECT 1');
  } finally {
    await conn.end().catch(() => undefined);
  }
}

/** One try at Redis: connect and PING, no reconnects, no queued commands. */
async function pingRedis(url: string): Promise<void> {
  const r = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 3000 });
  r.on('error', () => undefined);
  try {
    await r.connect();
    await r.ping();
  } finally {
    r.disconnect();
  }
}

const reason = (e: unknown) => (e instanceof Error ? e.message || (e as { code?: string }).code || e.name : String(e));

/**
 * Waits until MySQL and Redis both answer, so start-up neither dies nor loops on stack traces
 * when one is down: one log line per failed attempt, then a retry after 1, 2, 4 … up to 30 s
 * (docs/guides/administrator.md, "When MySQL or Redis is down"). `stopped()` ends the wait
 * (a signal arrived); the result says whether both answered.
 */
export async function waitForDependencies(urls: { mysql: string; redis: string }, logger: Logger, stopped: () => boolean, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))): Promise<boolean> {
  const checks: [string, () => Promise<void>][] = [
    ['MySQL', () => pingMysql(urls.mysql)],
    ['Redis', () => pingRedis(urls.redis)],
  ];
  for (let attempt = 1; ; attempt++) {
    const results = await Promise.allSettled(checks.map(([, f]) => f()));
    if (stopped()) return false;
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [[checks[i]![0], reason(r.reason)] as const] : []));
    if (failed.length === 0) {
      if (attempt > 1) logger.info({ attempt }, 'MySQL and Redis reachable: starting');
      return true;
    }
    const delayMs = Math.min(1000 * 2 ** (attempt - 1), 30_000);
    for (const [name, why] of failed) logger.warn({ dependency: name, attempt, retryInMs: delayMs, error: why }, `${name} unreachable (${why}): retrying in ${Math.round(delayMs / 1000)} s`);
    const until = Date.now() + delayMs;
    while (Date.now() < until) {
      if (stopped()) return false;
      await sleep(Math.min(200, until - Date.now()));
    }
  }
}
