import { Queue, Worker } from 'bullmq';
import type { Services } from '../services.ts';
import { reportWorkerError } from './worker-errors.ts';
import { tracedProcessor } from '../telemetry/index.ts';

export interface Repeatable {
  queue: Queue;
  worker: Worker;
  /** Registers the schedule again (after Redis lost it: src/jobs/recovery.ts); idempotent. */
  register(): Promise<void>;
  close(): Promise<void>;
}

/**
 * When a periodic task runs: every `everyMs` (BullMQ runs the first one as soon as the schedule
 * is created — at a first start, or after Redis lost it), or at a cron `pattern` in China time
 * (the first run waits for the next matching minute).
 */
export type RepeatEvery = { everyMs: number } | { pattern: string };

/**
 * A periodic task on BullMQ: one job scheduler entry (an idempotent upsert, so every process
 * may call this at start without duplicating the schedule) and one worker running the task
 * one at a time. Thin: `run` does the work in src/crm. `run` gets the job's data: `{}` from the
 * schedule, whatever a one-off job added to the same queue carries (segment-refresh.ts).
 */
export async function startRepeatable(services: Services, spec: { queue: string; run: (data: unknown) => Promise<unknown> } & RepeatEvery): Promise<Repeatable> {
  const connection = services.bullRedis;
  const prefix = services.queuePrefix(spec.queue);
  const queue = new Queue(spec.queue, { connection, prefix, defaultJobOptions: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } });
  const register = async () => {
    const repeat = 'pattern' in spec ? { pattern: spec.pattern, tz: 'Asia/Shanghai' } : { every: spec.everyMs };
    await queue.upsertJobScheduler(`${spec.queue}-every`, repeat, { name: spec.queue, data: {} });
  };
  await register();
  const worker = new Worker(spec.queue, tracedProcessor(spec.queue, (job: { name: string; data: unknown; attemptsMade: number }) => spec.run(job.data)), { connection, prefix, concurrency: 1 });
  worker.on('error', (err) => reportWorkerError(services, err, 'repeatable worker error', { queue: spec.queue }));
  worker.on('failed', (_job, err) => services.logger.warn({ err: err.message, queue: spec.queue }, 'repeatable task failed'));
  return {
    queue,
    worker,
    register,
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
