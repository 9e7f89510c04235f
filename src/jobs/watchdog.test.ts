import { Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/support/env.ts';
import { waitFor } from '../../test/support/wait-for.ts';
import { startWatchdog, type Watchdog } from './watchdog.ts';

let env: TestEnv;
let queue: Queue;
let wd: Watchdog;
const done: string[] = [];

beforeAll(async () => {
  env = await createTestEnv('watchdog');
  const connection = env.services.bullRedis;
  const prefix = env.config.REDIS_PREFIX;
  queue = new Queue('wd', { connection, prefix });
  const start = () => new Worker('wd', async (job) => void done.push(String(job.id)), { connection, prefix });
  wd = startWatchdog(env.services, [{ queue, start }], { stallMs: 1000, everyMs: 200 });
}, 180_000);
afterAll(async () => {
  await wd?.close();
  await queue?.close();
  await env?.cleanup();
});

describe('the queue watchdog', () => {
  it('replaces a worker that was closed, and reports it until jobs move', async () => {
    const first = wd.workers[0]!;
    await first.close();
    expect(wd.problem()).toMatch(/wd: .*not running/);
    await queue.add('j', {}, { jobId: 'after-close' });
    await waitFor(() => done.includes('after-close') || undefined, 10_000);
    expect(wd.workers[0]).not.toBe(first);
    await waitFor(() => (wd.problem() === null) || undefined, 5000);
  });

});
