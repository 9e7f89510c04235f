import { secretValues, type Config } from './config.ts';
import { keyring } from './crm/kernel/index.ts';
import { createPrisma, type Db } from './db/prisma.ts';
import { createReadReplica, type ReadReplica } from './db/read-replica.ts';
import { createSqlPool, type SqlPool } from './db/sql.ts';
import { createQueues, queuePrefix, type Queues } from './jobs/queues.ts';
import { createLogger, type Logger } from './logger.ts';
import { closeRedis, createRedis, type Redis, type RedisWatch } from './redis.ts';

/**
 * The typed services object every handler, intent and processor receives (docs/architecture.md, conventions):
 * no module reaches for a global connection.
 */
export interface Services {
  config: Config;
  logger: Logger;
  db: Db;
  sql: SqlPool;
  /**
   * The pool for heavy reads that may lag the primary by a moment (segment previews, counts and
   * runs' selection, dashboards, churn list, RFM overview, exports): READ_DATABASE_URL's replica,
   * or `sql` itself when unset. Never for a read that must see this process's own writes.
   */
  readSql: SqlPool;
  /** With READ_DATABASE_URL: the replica's state (in use, or fallen back to the primary and why), for /readyz. */
  readReplica?: Pick<ReadReplica, 'status' | 'check'>;
  redis: Redis;
  /** Redis connection for BullMQ (blocking commands need their own). */
  bullRedis: Redis;
  queues: Queues;
  /** Injected clock: tests move time, code never calls new Date() for decisions. */
  now: () => Date;
  /**
   * Namespaces a Redis key with the process's REDIS_PREFIX. Keys that one command, script, MULTI
   * or pipeline touches together must share a hash slot on a Redis Cluster: give them one `{tag}`
   * part (`slotTag`), e.g. key('rl', 'win', slotTag(name), …) (docs/scale-out.md).
   */
  key: (...parts: (string | number)[]) => string;
  /** The BullMQ prefix of a queue (hash-tagged on a Redis Cluster: src/jobs/queues.ts, queuePrefix). */
  queuePrefix: (queue: string) => string;
  close(): Promise<void>;
}

export function createServices(config: Config, overrides: { logger?: Logger; now?: () => Date } = {}): Services {
  const logger = overrides.logger ?? createLogger(config.LOG_LEVEL, {}, { secrets: secretValues(config) });
  if (keyring().development) {
    logger.warn('DATA_KEYS is not set: personal data (phones, emails) is sealed with the fixed, published development key — anyone can read it. Set DATA_KEYS, DATA_KEY_ID and DATA_INDEX_KEY before real data goes in (docs/deployment.md, "Personal data keys").');
  }
  // Prisma is built on first use: its client holds ~15 MB of heap from construction (the
  // deserialised parameterisation graph) and its WASM query compiler ~55 MB of RSS from the first
  // query, while a web process's hot paths (a chat turn's lookup, the 360 view) run on mysql2
  // alone (docs/benchmarks.md, bench:http memory). A process that never asks for it never pays.
  let prisma: Db | undefined;
  const db = () => (prisma ??= createPrisma(config.DATABASE_URL));
  // A journey job holds one connection at a time and the worker runs JOURNEY_CONCURRENCY of them
  // (a batch job, src/crm/automation/journeys/batch.ts, too): with fewer connections than jobs,
  // jobs queue for a connection while the database idles; the rest of the process keeps its ten.
  const sql = createSqlPool(config.DATABASE_URL, 10 + config.JOURNEY_CONCURRENCY);
  const replicaPool = config.READ_DATABASE_URL ? createSqlPool(config.READ_DATABASE_URL) : undefined;
  // Reads fall back to the primary while the replica is down or lags (src/db/read-replica.ts).
  const readReplica = replicaPool ? createReadReplica({ replica: replicaPool, primary: sql, maxLagS: config.READ_REPLICA_MAX_LAG_S, logger, now: overrides.now }) : undefined;
  const readSql = readReplica?.pool ?? sql;
  // One line when Redis goes away and one when it is back, whichever connection sees it first.
  let redisDown = false;
  const watch: RedisWatch = {
    down(message) {
      if (redisDown) return;
      redisDown = true;
      logger.warn({ error: message }, `Redis unreachable (${message}): reconnecting with backoff; /readyz answers 503 meanwhile`);
    },
    up() {
      if (!redisDown) return;
      redisDown = false;
      logger.info('Redis reachable again');
    },
  };
  const redis = createRedis(config, { watch });
  const bullRedis = createRedis(config, { forBullmq: true, watch });
  const queues = createQueues(bullRedis, (queue) => queuePrefix(config, queue));
  return {
    config,
    logger,
    get db() {
      return db();
    },
    sql,
    readSql,
    readReplica,
    redis,
    bullRedis,
    queues,
    now: overrides.now ?? (() => new Date()),
    key: (...parts) => [config.REDIS_PREFIX, ...parts].join(':'),
    queuePrefix: (queue) => queuePrefix(config, queue),
    async close() {
      // With Redis down, closing a queue waits for a connection that may never come back:
      // drop the connections first in that case, then the pools (docs/guides/administrator.md).
      const redisUp = redis.status === 'ready' && bullRedis.status === 'ready';
      if (!redisUp) await Promise.allSettled([closeRedis(redis), closeRedis(bullRedis)]);
      await Promise.race([queues.close().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
      readReplica?.stop();
      await Promise.allSettled([closeRedis(redis), closeRedis(bullRedis), prisma?.$disconnect(), sql.end(), ...(replicaPool ? [replicaPool.end()] : [])]);
    },
  };
}
