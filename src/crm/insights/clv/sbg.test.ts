/**
 * sBG parity on the worked example of Fader & Hardie (2007), "How to Project Customer
 * Retention": two cohorts of 1,000 customers, "regular" and "high end", active at the end of
 * years 0..12 (the paper's Table 1); the model is fitted on years 1–7 as in the paper.
 * - high end: α 0.668, β 3.806, LL −1,611.2 (the paper's §4 and Appendix B);
 * - regular:  α 0.704, β 1.182 (the paper's §4);
 * - projections of years 8–12 within a few customers of the actual counts (the paper's Figure 3
 *   shows the same fit; checked here at 2 % of the cohort).
 */
import { describe, expect, it } from 'vitest';
import { fitSbg, sbgLogLikelihood, sbgRetentionRate, sbgSurvival, validateSurvivors } from './sbg.ts';

const REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173];
const HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491, 468, 445, 427, 409, 394];

describe('sBG on the Fader & Hardie retention example', () => {
  it('matches the published high-end fit', () => {
    const fit = fitSbg([HIGH_END.slice(0, 8)]);
    console.info(`sBG high end: α ${fit.alpha.toFixed(4)} β ${fit.beta.toFixed(4)} LL ${fit.logLikelihood.toFixed(2)}`);
    expect(fit.converged).toBe(true);
    expect(fit.alpha).toBeCloseTo(0.668, 3);
    expect(fit.beta).toBeCloseTo(3.806, 2);
    expect(Math.abs(fit.logLikelihood - -1611.2)).toBeLessThanOrEqual(0.1);
    for (let t = 8; t <= 12; t++) expect(Math.abs(1000 * sbgSurvival(fit, t) - HIGH_END[t]!)).toBeLessThan(20);
  });

  it('matches the published regular fit', () => {
    const fit = fitSbg([REGULAR.slice(0, 8)]);
    console.info(`sBG regular: α ${fit.alpha.toFixed(4)} β ${fit.beta.toFixed(4)} LL ${fit.logLikelihood.toFixed(2)}`);
    expect(fit.alpha).toBeCloseTo(0.704, 3);
    expect(fit.beta).toBeCloseTo(1.182, 3);
    for (let t = 8; t <= 12; t++) expect(Math.abs(1000 * sbgSurvival(fit, t) - REGULAR[t]!)).toBeLessThan(20);
    // Retention rises with tenure (the paper's point): r(t) = (β+t−1)/(α+β+t−1).
    expect(sbgRetentionRate(fit, 5)).toBeGreaterThan(sbgRetentionRate(fit, 1));
  });

  it('adds the cohorts\' log-likelihoods when fitted together, and refuses a rising curve', () => {
    const p = { alpha: 0.7, beta: 2 };
    expect(sbgLogLikelihood(p, [REGULAR, HIGH_END])).toBeCloseTo(sbgLogLikelihood(p, [REGULAR]) + sbgLogLikelihood(p, [HIGH_END]), 8);
    expect(() => validateSurvivors([[100, 90, 95]])).toThrow(/95 survivors is more than the 90/);
  });
});
