/**
 * The journey step worker (thin: src/crm/automation/journeys/engine.ts does the work). A provider error
 * worth retrying is thrown (StepRetry) so BullMQ retries with exponential backoff; on the last
 * attempt the engine records the step as failed and the member moves on.
 */
import { Worker, type Job } from 'bullmq';
import { applyOutcome, applyOutcomes, createSendGate, liveBatchesKey, processBatch, processStep, type JobHistory, type JourneyDeps, type StepMemo } from '../crm/automation/index.ts';
import { journeyDeps } from './journey-deps.ts';
import type { Services } from '../services.ts';
import { JOB_LOCK, QUEUE_NAMES, type JourneyJob } from './queues.ts';
import { reportWorkerError } from './worker-errors.ts';
import { tracedProcessor } from '../telemetry/index.ts';

/** Steps run back to back in one job at most (the graph has no cycles; this bounds a long one). */
const MAX_CHAIN = 20;

export interface JourneyWorkerOptions {
  concurrency?: number;
  deps?: JourneyDeps;
  /** BullMQ lock duration: how soon a job of a dead process is redelivered (default JOB_LOCK, src/jobs/queues.ts). */
  lockDuration?: number;
  stalledInterval?: number;
  /** Filled with the enrollments whose job this worker is running (src/jobs/recovery.ts leaves them alone). */
  running?: Set<number>;
}

export function startJourneyWorker(services: Services, opts: JourneyWorkerOptions = {}): Worker<JourneyJob> {
  const deps = opts.deps ?? journeyDeps(services);
  const runJob = async (job: Job<JourneyJob>) => {
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    // Steps due at once (coupon → message → exit) run in this one job: each has its own claim
    // row, so a retry of the job replays the finished ones and resumes where it stopped.
    const memo: StepMemo = {};
    // The cause of a send an earlier attempt left unanswered (docs/journeys.md, "Delivery states").
    const history: JobHistory = { failedReason: job.failedReason || undefined, stalled: (job.stalledCounter ?? 0) > 0 };
    let cur = { enrollmentId: job.data.enrollmentId, stepId: job.data.stepId };
    let out = await processStep(deps, cur, { finalAttempt, memo, history });
    for (let hop = 1; out.kind === 'next' && out.at.getTime() <= services.now().getTime() && hop < MAX_CHAIN; hop++) {
      cur = { ...cur, stepId: out.stepId };
      out = await processStep(deps, cur, { finalAttempt, memo, history });
    }
    await applyOutcome(deps, cur, out);
    return out.kind;
  };
  // Many members' step at once (enrolment queues one job per batch): the batch engine does the
  // fresh ones a statement for all, and gives every other member its own step job.
  const concurrency = opts.concurrency ?? services.config.JOURNEY_CONCURRENCY;
  const gate = createSendGate(concurrency);
  const runBatch = async (job: Job<JourneyJob>) => {
    const history: JobHistory = { failedReason: job.failedReason || undefined, stalled: (job.stalledCounter ?? 0) > 0 };
    const outs = await processBatch(deps, { enrollmentIds: job.data.enrollmentIds!, stepId: job.data.stepId }, { gate, history });
    await applyOutcomes(deps, outs);
    await services.redis.srem(liveBatchesKey(services), job.id!);
    return `batch of ${job.data.enrollmentIds!.length}`;
  };
  const worker = new Worker<JourneyJob>(
    QUEUE_NAMES.journey,
    tracedProcessor(QUEUE_NAMES.journey, async (job: Job<JourneyJob>) => {
      const ids = job.data.enrollmentIds ?? [job.data.enrollmentId];
      for (const id of ids) opts.running?.add(id);
      try {
        return await (job.data.enrollmentIds ? runBatch(job) : runJob(job));
      } finally {
        for (const id of ids) opts.running?.delete(id);
      }
    }),
    {
      connection: services.bullRedis,
      prefix: services.queuePrefix(QUEUE_NAMES.journey),
      concurrency,
      lockDuration: opts.lockDuration ?? JOB_LOCK.lockDuration,
      stalledInterval: opts.stalledInterval ?? JOB_LOCK.stalledInterval,
    },
  );
  worker.on('failed', (job, err) => services.logger.warn({ jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, 'journey step failed'));
  worker.on('error', (err) => reportWorkerError(services, err, 'journey worker error'));
  return worker;
}
