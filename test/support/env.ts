import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../../src/config.ts';
import { dropDatabase } from '../../src/db/sql.ts';
import { migrate } from '../../src/db/migrate.ts';
import { deleteKeys, scanKeys } from '../../src/redis.ts';
import { createServices, type Services } from '../../src/services.ts';
import { TEST_SERVER_URL } from './server.ts';
import { createFromTemplate } from './template-db.ts';

export interface TestEnv {
  services: Services;
  config: Config;
  databaseUrl: string;
  /** Closes connections, drops the database and deletes the Redis keys of this test. */
  cleanup(): Promise<void>;
}

/**
 * A migrated database and a Redis prefix of the test file's own (docs/testing.md), against
 * the machine's real MariaDB and Redis. `env` overrides config (e.g. WECOM_API_BASE of a fake).
 * `server` puts the database on another MariaDB (a private primary), and `readServer` sets
 * READ_DATABASE_URL to the same database on its replica (test/support/private-mariadb.ts).
 */
export async function createTestEnv(label: string, env: Record<string, string> = {}, opts: { now?: () => Date; server?: string; readServer?: string } = {}): Promise<TestEnv> {
  // The creation time (base-36 seconds) is part of the name so a later run's global setup can
  // tell an abandoned database from one a parallel run is still using.
  const id = `${label.replace(/[^a-z0-9]/gi, '_').toLowerCase().slice(0, 20)}_${Math.floor(Date.now() / 1000).toString(36)}_${randomBytes(3).toString('hex')}`;
  const databaseUrl = `${opts.server ?? TEST_SERVER_URL}crm_t_${id}`;
  const read = opts.readServer ? { READ_DATABASE_URL: `${opts.readServer}crm_t_${id}` } : {};
  const config = loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test', DATABASE_URL: databaseUrl, REDIS_PREFIX: `crm_t_${id}`, ...read, ...env });
  // On the machine's server the database is a copy of the migrated template (template-db.ts); a
  // private server (opts.server) is migrated from scratch.
  if (opts.server) await migrate(databaseUrl);
  else await createFromTemplate(TEST_SERVER_URL, `crm_t_${id}`);
  const services = createServices(config, { now: opts.now });
  await redisReady(services);
  return {
    services,
    config,
    databaseUrl,
    async cleanup() {
      // The app's keys, and the queues' (hash-tagged `{prefix:queue}` on a cluster), on every node.
      const keys = [...(await scanKeys(services.redis, `${config.REDIS_PREFIX}:*`)), ...(await scanKeys(services.redis, `{${config.REDIS_PREFIX}:*`))];
      await deleteKeys(services.redis, keys);
      await services.close();
      await dropDatabase(databaseUrl);
    },
  };
}

/**
 * Waits (up to 5 s) until the Redis connection is ready: the app's client runs with the offline
 * queue off, so a command sent before the connection is up fails instead of waiting. A test whose
 * Redis is down on purpose (an outage test) just goes on after the 5 s.
 */
async function redisReady(services: Services): Promise<void> {
  const redis = services.redis;
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve) => {
    const t = setTimeout(done, 5000);
    function done() {
      clearTimeout(t);
      redis.off('ready', done);
      resolve();
    }
    redis.once('ready', done);
  });
}
