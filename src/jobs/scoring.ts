import { Queue } from 'bullmq';
import { runNightlyScoring } from '../crm/insights/index.ts';
import type { Services } from '../services.ts';
import { startRepeatable, type Repeatable } from './repeatable.ts';

export const SCORING_QUEUE = 'scoring';

/**
 * The nightly value-model run (rollup, BG/NBD + Gamma-Gamma fit, member_scores, smart tags, the
 * per-store model race),
 * every `everyMs` (default 24 h). member_stats moves incrementally to the run's `now` and every
 * score is recomputed from it, so a retried or doubled run gives the same result.
 */
export function startScoring(services: Services, everyMs = 24 * 3600 * 1000): Promise<Repeatable> {
  return startRepeatable(services, { queue: SCORING_QUEUE, everyMs, run: () => runNightlyScoring({ services }) });
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
