/**
 * Shifted-beta-geometric (sBG) model of Fader & Hardie (2007), "How to Project Customer
 * Retention", Journal of Interactive Marketing 21(1); equation numbers refer to that paper.
 * For contracts renewed period by period (a B2B annual service agreement, a membership card
 * renewed yearly): at each renewal a customer cancels with her own probability θ ~ Beta(α, β),
 * so the cohort's retention rate rises over time as the likely leavers go first.
 *
 * Input: survivor curves, one per cohort — the cohort's size at period 0, then how many are
 * still under contract at the end of periods 1, 2, … (e.g. [1000, 869, 743, …]).
 */
import { fitPositive, type MinimizeOptions } from './optimize.ts';
import { lbeta } from './special.ts';

export interface SbgParams {
  alpha: number;
  beta: number;
}

export interface SbgFit extends SbgParams {
  logLikelihood: number;
  converged: boolean;
  evaluations: number;
}

/** Checks each curve: at least 2 points, whole numbers, never rising, size > 0. */
export function validateSurvivors(cohorts: ReadonlyArray<ReadonlyArray<number>>): void {
  if (cohorts.length === 0) throw new RangeError('no cohorts to fit');
  cohorts.forEach((c, k) => {
    if (c.length < 2) throw new RangeError(`cohort ${k + 1}: need the size and at least one later count`);
    if (!(c[0]! > 0)) throw new RangeError(`cohort ${k + 1}: the size (first count) must be > 0`);
    for (let t = 0; t < c.length; t++) {
      const v = c[t]!;
      if (!Number.isFinite(v) || v < 0) throw new RangeError(`cohort ${k + 1}, period ${t}: count must be ≥ 0, got ${v}`);
      if (t > 0 && v > c[t - 1]!) throw new RangeError(`cohort ${k + 1}, period ${t}: ${v} survivors is more than the ${c[t - 1]} of the period before`);
    }
  });
}

/** ln P(T = t) for t = 1..k — eq. (3) by the recursion (7): P(T=1) = α/(α+β), then × (β+t−2)/(α+β+t−1). */
function logChurnProbabilities(p: SbgParams, k: number): Float64Array {
  const out = new Float64Array(k + 1);
  for (let t = 1; t <= k; t++) out[t] = lbeta(p.alpha + 1, p.beta + t - 1) - lbeta(p.alpha, p.beta);
  return out;
}

/** Survival S(t) = B(α, β+t) / B(α, β) — eq. (4). */
export function sbgSurvival(p: SbgParams, t: number): number {
  return Math.exp(lbeta(p.alpha, p.beta + t) - lbeta(p.alpha, p.beta));
}

/** Retention rate r(t) = S(t)/S(t−1) = (β+t−1)/(α+β+t−1) — eq. (6); rises with t. */
export function sbgRetentionRate(p: SbgParams, t: number): number {
  return (p.beta + t - 1) / (p.alpha + p.beta + t - 1);
}

/**
 * LL = Σ_t n_t ln P(T = t) + (still active at the end) · ln S(k) per cohort — Appendix B; the last
 * term is the right-censoring of those who have not cancelled yet.
 */
export function sbgLogLikelihood(p: SbgParams, cohorts: ReadonlyArray<ReadonlyArray<number>>): number {
  if (!(p.alpha > 0 && p.beta > 0)) return -Infinity;
  const longest = Math.max(...cohorts.map((c) => c.length - 1));
  const lp = logChurnProbabilities(p, longest);
  let ll = 0;
  for (const c of cohorts) {
    const k = c.length - 1;
    for (let t = 1; t <= k; t++) {
      const lost = c[t - 1]! - c[t]!;
      if (lost > 0) ll += lost * lp[t]!;
    }
    if (c[k]! > 0) ll += c[k]! * (lbeta(p.alpha, p.beta + k) - lbeta(p.alpha, p.beta));
  }
  return ll;
}

/** Maximum-likelihood fit (optimize.ts, log-parameters). */
export function fitSbg(cohorts: ReadonlyArray<ReadonlyArray<number>>, options: MinimizeOptions & { start?: SbgParams } = {}): SbgFit {
  validateSurvivors(cohorts);
  const { alpha, beta, logLikelihood, converged, evaluations } = fitPositive(['alpha', 'beta'], options.start ?? { alpha: 1, beta: 1 }, (p) => sbgLogLikelihood(p, cohorts), options);
  return { alpha, beta, logLikelihood, converged, evaluations };
}
