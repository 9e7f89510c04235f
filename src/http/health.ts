import { Hono } from 'hono';
import type { Services } from '../services.ts';

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref())]);

/**
 * GET /healthz: the process is up. GET /readyz: MySQL and Redis answer and, in a process that
 * runs workers, its queues run: Redis answering PING is not enough when it lost its jobs and
 * they are still being put back, or a worker stopped (src/jobs/recovery.ts, watchdog.ts).
 * With READ_DATABASE_URL the body also reports the read replica (`replica`: in use, or fallen back
 * to the primary and why) without making the process unready: its reads fall back to the primary
 * (src/db/read-replica.ts), so taking web processes out of the balancer would only lose capacity.
 * Stable endpoints: docs/api.md.
 */
export function healthRoutes(services: Services, jobsCheck?: () => string | undefined): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const [mysql, redis] = await Promise.allSettled([withTimeout(services.sql.query('SELECT 1'), 2000), withTimeout(services.redis.ping(), 2000)]);
    const checks: Record<string, string> = {
      mysql: mysql.status === 'fulfilled' ? 'ok' : String(mysql.reason?.message ?? mysql.reason),
      redis: redis.status === 'fulfilled' ? 'ok' : String(redis.reason?.message ?? redis.reason),
    };
    const jobs = jobsCheck?.();
    if (jobs !== undefined) checks.jobs = jobs;
    const ready = Object.values(checks).every((v) => v === 'ok');
    const replica = services.readReplica?.status();
    return c.json({ status: ready ? 'ready' : 'not_ready', checks, ...(replica ? { replica } : {}) }, ready ? 200 : 503);
  });
  return app;
}
