import type { Config } from './config.ts';
import { createPrisma, type Db } from './db/prisma.ts';
import { createSqlPool, type SqlPool } from './db/sql.ts';
import { createQueues, type Queues } from './jobs/queues.ts';
import { createLogger, type Logger } from './logger.ts';
import { createRedis, type Redis } from './redis.ts';

/**
 * The typed services object every handler, intent and processor receives (docs/architecture.md, conventions):
 * no module reaches for a global connection.
 */
export interface Services {
  config: Config;
  logger: Logger;
  db: Db;
  sql: SqlPool;
  redis: Redis;
  /** Redis connection for BullMQ (blocking commands need their own). */
  bullRedis: Redis;
  queues: Queues;
  /** Injected clock: tests move time, code never calls new Date() for decisions. */
  now: () => Date;
  /** Namespaces a Redis key with the process's REDIS_PREFIX. */
  key: (...parts: (string | number)[]) => string;
  close(): Promise<void>;
}

export function createServices(config: Config, overrides: { logger?: Logger; now?: () => Date } = {}): Services {
  const logger = overrides.logger ?? createLogger(config.LOG_LEVEL);
  const db = createPrisma(config.DATABASE_URL);
  const sql = createSqlPool(config.DATABASE_URL);
  const redis = createRedis(config.REDIS_URL);
  const bullRedis = createRedis(config.REDIS_URL, { forBullmq: true });
  const queues = createQueues(bullRedis, config.REDIS_PREFIX);
  return {
    config,
    logger,
    db,
    sql,
    redis,
    bullRedis,
    queues,
    now: overrides.now ?? (() => new Date()),
    key: (...parts) => [config.REDIS_PREFIX, ...parts].join(':'),
    async close() {
      await queues.close();
      await Promise.allSettled([db.$disconnect(), sql.end(), redis.quit(), bullRedis.quit()]);
    },
  };
}
