import { Queue } from 'bullmq';
import { runNightlyScoring } from '../crm/insights/index.ts';
import type { Services } from '../services.ts';
import { startRepeatable, type Repeatable } from './repeatable.ts';

export const SCORING_QUEUE = 'scoring';

/**
 * The nightly value-model run (rollup, BG/NBD + Gamma-Gamma fit, member_scores, smart tags, the
 * per-store model race) at 03:00 China time, when stores are closed. Not at start: the model
 * fits are CPU work on the process's one thread (the per-store race takes minutes on a few
 * thousand buyers per store), and a run at every start held the event loop — no WeCom callback
 * was answered within its 5 s for that long. A first start on an empty database scores before it
 * listens (`ensureScores`, small chains); a deployment at scale runs the workers in their own
 * process (ROLE=worker, docs/deployment.md). member_stats moves incrementally to the run's `now`
 * and every score is recomputed from it, so a retried or doubled run gives the same result.
 */
export const SCORING_PATTERN = '0 3 * * *';

export function startScoring(services: Services): Promise<Repeatable> {
  return startRepeatable(services, { queue: SCORING_QUEUE, pattern: SCORING_PATTERN, run: () => runNightlyScoring({ services }) });
}

/**
 * One scoring run as soon as the scoring worker is free (after an administrator changed the RFM
 * or churn settings of a chain too large to rescore inside the request). Deduplicated: changes
 * in a row queue one run, and one made while a run is under way queues exactly one more, which
 * reads the settings when it starts. Returns the job's id.
 */
export async function queueScoringNow(services: Services): Promise<string> {
  const queue = new Queue(SCORING_QUEUE, { connection: services.bullRedis, prefix: services.queuePrefix(SCORING_QUEUE) });
  try {
    const job = await queue.add(SCORING_QUEUE, {}, { deduplication: { id: 'scoring-now', keepLastIfActive: true }, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } });
    return String(job.id);
  } finally {
    await queue.close();
  }
}
