import type { Job, Queue, Worker } from 'bullmq';
import { jobDuration, jobWait, queueJobs } from './registry.ts';

const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized', 'waiting-children'] as const;

/** Sets the queue-depth gauge from Redis (called when /metrics is scraped; a failing queue is skipped). */
export async function sampleQueueDepths(queues: readonly Queue[]): Promise<void> {
  await Promise.all(
    queues.map(async (q) => {
      const counts = await q.getJobCounts(...STATES).catch(() => null);
      if (!counts) return;
      for (const state of STATES) queueJobs.set({ queue: q.name, state }, counts[state] ?? 0);
    }),
  );
}

/**
 * Observes a worker's jobs: run time by result, and the wait from when the job was due (its
 * timestamp plus its delay) to when a worker took it — the latency a member or a staff member feels.
 */
export function observeWorker<W extends Worker>(worker: W): W {
  const observe = (job: Job | undefined, result: 'completed' | 'failed') => {
    if (!job?.processedOn) return;
    if (job.finishedOn) jobDuration.observe({ queue: worker.name, result }, Math.max(0, job.finishedOn - job.processedOn) / 1000);
    if (job.attemptsMade <= 1) jobWait.observe({ queue: worker.name }, Math.max(0, job.processedOn - job.timestamp - (job.opts.delay ?? 0)) / 1000);
  };
  worker.on('completed', (job) => observe(job, 'completed'));
  worker.on('failed', (job) => observe(job, 'failed'));
  return worker;
}
