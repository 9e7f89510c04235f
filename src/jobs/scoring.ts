import { runScoring } from '../crm/insights/index.ts';
import type { Services } from '../services.ts';
import { startRepeatable, type Repeatable } from './repeatable.ts';

export const SCORING_QUEUE = 'scoring';

/**
 * The nightly value-model run (rollup, BG/NBD + Gamma-Gamma fit, member_scores, smart tags),
 * every `everyMs` (default 24 h). member_stats moves incrementally to the run's `now` and every
 * score is recomputed from it, so a retried or doubled run gives the same result.
 */
export function startScoring(services: Services, everyMs = 24 * 3600 * 1000): Promise<Repeatable> {
  return startRepeatable(services, { queue: SCORING_QUEUE, everyMs, run: () => runScoring({ services }) });
}
