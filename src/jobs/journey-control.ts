/**
 * The journey control worker (thin): recall progress checks and attribution, the trigger sweep,
 * orphan recovery and the staff alert sweeps, on the journey-control queue. Recurring work is
 * registered with idempotent job schedulers, so every process may call this at start.
 */
import { Worker, type Job } from 'bullmq';
import { checkRecall, churnDigest, installTemplates, journeyFailureAlerts, recallAttribution, requeueEnrollments, resumeOrphans, scanTriggers, slaBreaches, type JourneyDeps } from '../crm/automation/index.ts';
import { journeyDeps } from './journey-deps.ts';
import { CHINA_TIME_ZONE } from '../crm/kernel/index.ts';
import type { Services } from '../services.ts';
import { JOB_LOCK, QUEUE_NAMES, type JourneyControlJob } from './queues.ts';
import { reportWorkerError } from './worker-errors.ts';
import { tracedProcessor } from '../telemetry/index.ts';

export async function processControl(services: Services, deps: JourneyDeps, job: JourneyControlJob): Promise<unknown> {
  switch (job.kind) {
    case 'recall-check':
      return checkRecall(services, Number(job.recallId));
    case 'recall-attribution':
      return recallAttribution(services, Number(job.recallId), Number(job.days));
    case 'triggers-scan':
      return scanTriggers(deps);
    case 'orphans':
      return resumeOrphans(deps);
    case 'requeue':
      // The second look after Redis lost its jobs (src/jobs/recovery.ts): whatever a live worker held then is done or stuck now.
      return requeueEnrollments(deps, { busyGraceMs: Number(job.busyGraceMs ?? 30_000) });
    case 'alerts-sweep':
      return { sla: await slaBreaches(services), journeys: await journeyFailureAlerts(deps) };
    case 'churn-digest':
      return churnDigest(services);
    default:
      services.logger.warn({ kind: job.kind }, 'unknown journey control job');
      return null;
  }
}

/** Registers the recurring jobs (idempotent upserts). */
export async function scheduleJourneyControl(services: Services): Promise<void> {
  const q = services.queues.journeyControl;
  await q.upsertJobScheduler('triggers-scan', { every: 5 * 60_000 }, { name: 'triggers-scan', data: { kind: 'triggers-scan' } });
  await q.upsertJobScheduler('orphans', { every: 10 * 60_000 }, { name: 'orphans', data: { kind: 'orphans' } });
  await q.upsertJobScheduler('alerts-sweep', { every: 15 * 60_000 }, { name: 'alerts-sweep', data: { kind: 'alerts-sweep' } });
  await q.upsertJobScheduler('churn-digest', { pattern: '30 9 * * *', tz: CHINA_TIME_ZONE }, { name: 'churn-digest', data: { kind: 'churn-digest' } });
}

/** Whether this process registers the recurring sweeps unless told (tests drive those jobs themselves). */
export const controlSchedulesByDefault = (services: Services): boolean => services.config.NODE_ENV !== 'test';

export function startJourneyControl(services: Services, opts: { deps?: JourneyDeps; schedules?: boolean } = {}): Worker<JourneyControlJob> {
  const deps = opts.deps ?? journeyDeps(services);
  // Tests drive these jobs themselves: a test process never registers the recurring sweeps
  // (they would touch other test files' tickets) unless it asks to.
  if (opts.schedules ?? controlSchedulesByDefault(services)) {
    scheduleJourneyControl(services).catch((err) => services.logger.error({ err }, 'journey control schedules not registered'));
    // The shipped templates appear as drafts once (idempotent), ready to be reviewed and activated.
    installTemplates(services).catch((err) => services.logger.error({ err }, 'journey templates not installed'));
  }
  const worker = new Worker<JourneyControlJob>(QUEUE_NAMES.journeyControl, tracedProcessor(QUEUE_NAMES.journeyControl, (job: Job<JourneyControlJob>) => processControl(services, deps, job.data)), {
    connection: services.bullRedis,
    prefix: services.queuePrefix(QUEUE_NAMES.journeyControl),
    concurrency: 2,
    ...JOB_LOCK,
  });
  worker.on('error', (err) => reportWorkerError(services, err, 'journey control worker error'));
  return worker;
}
