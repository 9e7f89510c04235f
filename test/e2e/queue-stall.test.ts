/**
 * The queue watchdog's stuck-queue path (docs/operations.md, "The queue watchdog"): a worker that
 * still runs — `isRunning()` says so — but no longer takes jobs while jobs wait. The hung worker
 * talks to Redis through a TCP relay the test freezes (a half-open connection, as after a NAT or
 * firewall drop): its blocking wait for the next job never returns, and nothing errors. With
 * QUEUE_STALL_MS shortened, /readyz must answer 503 naming the queue, the watchdog must start a
 * new worker that takes the waiting job, and /readyz must be ready again once jobs move.
 */
import { Redis } from 'ioredis';
import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthRoutes } from '../../src/http/health.ts';
import { startOutboundWorker } from '../../src/jobs/outbound-worker.ts';
import { startWatchdog, type Watchdog } from '../../src/jobs/watchdog.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { startTcpRelay, type TcpRelay } from '../support/tcp-relay.ts';
import { waitFor as until } from '../support/wait-for.ts';

const STALL_MS = 1500;

let env: TestEnv;
let wd: Watchdog;
let relay: TcpRelay;
let hungRedis: Redis;

const readyz = async () => {
  const r = await healthRoutes(env.services, () => wd.problem() ?? 'ok').request('/readyz');
  return { status: r.status, body: (await r.json()) as { checks: Record<string, string> } };
};


beforeAll(async () => {
  env = await createTestEnv('queue_stall', { QUEUE_STALL_MS: String(STALL_MS) });
  const url = new URL(env.config.REDIS_URL);
  relay = await startTcpRelay({ host: url.hostname, port: Number(url.port || 6379) });
  hungRedis = new Redis({ host: '127.0.0.1', port: relay.port, maxRetriesPerRequest: null, lazyConnect: false });
  let starts = 0;
  wd = startWatchdog(
    env.services,
    // The runtime's outbound worker (src/runtime.ts): the first one through the relay, its replacements direct.
    [{ queue: env.services.queues.outbound, start: () => startOutboundWorker(starts++ === 0 ? { ...env.services, bullRedis: hungRedis } : env.services, {}) as Worker }],
    { stallMs: env.config.QUEUE_STALL_MS },
  );
  await until(async () => ((await readyz()).status === 200 ? true : undefined), 10_000, 'ready at start');
}, 180_000);
afterAll(async () => {
  relay?.dropConnections();
  await wd?.close();
  await relay?.close();
  hungRedis?.disconnect();
  await env?.cleanup();
});

describe('a queue that stopped moving although its worker runs', () => {
  it('is reported by /readyz and gets a new worker, which takes the waiting job', async () => {
    const hung = wd.workers[0]!;
    // Let the worker reach its blocking wait for a job, then cut the line without closing it.
    await new Promise((r) => setTimeout(r, 500));
    relay.mode = 'frozen';
    // A push on a channel this worker has no adapter for: whichever worker takes it ends it at once (failed, not retried).
    const job = await env.services.queues.outbound.add('stall-probe', { channel: 'console', to: 'nobody', text: 'probe' }, { jobId: 'stall-probe' });
    const t0 = Date.now();
    const report = await until(async () => {
      const r = await readyz();
      return r.status === 503 ? r : undefined;
    }, STALL_MS * 8, '/readyz to report the stuck queue');
    // Not before the stall time: a waiting job is not a stuck queue.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(STALL_MS - 500);
    expect(report.body.checks).toMatchObject({ mysql: 'ok', redis: 'ok' });
    // The stuck-queue path, not the stopped-worker one: the hung worker said it was running.
    expect(report.body.checks.jobs).toMatch(/^outbound: 1 jobs waiting and none taken for \d+ s$/);
    // The watchdog swapped in a new worker, which took the job.
    expect(wd.workers[0]).not.toBe(hung);
    await until(async () => ((await job.getState()) === 'failed' ? true : undefined), 10_000, 'the waiting job to be taken');
    const taken = (await env.services.queues.outbound.getJob('stall-probe'))!;
    expect(taken.attemptsMade).toBe(1);
    expect(taken.failedReason).toMatch(/cannot push/);
    // Jobs move again: ready.
    await until(async () => ((await readyz()).status === 200 ? true : undefined), STALL_MS * 8, '/readyz to be ready again');
  }, 40_000);
});
