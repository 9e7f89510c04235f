/**
 * BG/BB parity on the donation data of Fader, Hardie & Shang (2010): 11,104 first-time supporters
 * of 1995, whether they gave in each of 1996–2001 (n = 6), as the 22 (x, t_x) patterns with
 * counts published with the paper (brucehardie.com datasets; lifetimes ships the same table as
 * donations.csv). Reference figures:
 * - α 1.204, β 0.750, γ 0.657, δ 2.783, LL −33,225.6: the paper's Table 2 / spreadsheet (lifetimes
 *   test_params_out_is_close_to_Hardie_paper checks the parameters to 2 decimals);
 * - P(alive in 2002): 0.11 for (x 0, t_x 0), 0.59 for (2, 4), 0.93 for (6, 6): the paper's Table 6;
 * - expected donors with 0 and 6 repeat years over the 6 years, 3,454.9 and 1,253.1, and the sum of
 *   conditional expectations for 2002–2006, 12,884.2: Hardie's BG/BB spreadsheet (note 010), cells
 *   quoted by lifetimes' tests.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bgBbConditionalExpectedTransactions, bgBbLogLikelihood, bgBbPAlive, bgBbProbabilityOfTransactions, fitBgBb, type BgBbFit } from './bg-bb.ts';

// frequency, recency, count; n = 6 for every row.
const DONATIONS = [
  [0, 0, 3464], [1, 1, 1091], [1, 2, 277], [1, 3, 129], [1, 4, 78], [1, 5, 119], [1, 6, 129], [2, 2, 613], [2, 3, 255], [2, 4, 155], [2, 5, 173],
  [2, 6, 234], [3, 3, 322], [3, 4, 181], [3, 5, 225], [3, 6, 357], [4, 4, 240], [4, 5, 284], [4, 6, 512], [5, 5, 335], [5, 6, 728], [6, 6, 1203],
] as const;
const data = { x: DONATIONS.map((r) => r[0]), tx: DONATIONS.map((r) => r[1]), n: DONATIONS.map(() => 6), weight: DONATIONS.map((r) => r[2]) };
const N = 11_104;

let fit: BgBbFit;
beforeAll(() => {
  fit = fitBgBb(data);
});

describe('BG/BB on the donation data', () => {
  it('has the 11,104 donors', () => {
    expect(data.weight.reduce((a, b) => a + b, 0)).toBe(N);
  });

  it('matches the published parameters and log-likelihood', () => {
    console.info(`BG/BB: α ${fit.alpha.toFixed(4)} β ${fit.beta.toFixed(4)} γ ${fit.gamma.toFixed(4)} δ ${fit.delta.toFixed(4)} LL ${fit.logLikelihood.toFixed(2)}`);
    expect(fit.converged).toBe(true);
    expect(fit.alpha).toBeCloseTo(1.204, 2);
    expect(fit.beta).toBeCloseTo(0.75, 2);
    expect(fit.gamma).toBeCloseTo(0.657, 2);
    expect(fit.delta).toBeCloseTo(2.783, 2);
    expect(Math.abs(fit.logLikelihood - -33225.6)).toBeLessThanOrEqual(0.1);
    expect(bgBbLogLikelihood(fit, data)).toBeCloseTo(fit.logLikelihood, 6);
  });

  it('reproduces P(alive in 2002) of Table 6', () => {
    expect(bgBbPAlive(fit, 0, 0, 6)).toBeCloseTo(0.11, 2);
    expect(bgBbPAlive(fit, 2, 4, 6)).toBeCloseTo(0.59, 2);
    expect(bgBbPAlive(fit, 6, 6, 6)).toBeCloseTo(0.93, 2);
  });

  it('reproduces the spreadsheet in-sample counts and 5-year conditional expectations', () => {
    expect(Math.abs(N * bgBbProbabilityOfTransactions(fit, 6, 0) - 3454.9)).toBeLessThan(0.5);
    expect(Math.abs(N * bgBbProbabilityOfTransactions(fit, 6, 6) - 1253.1)).toBeLessThan(0.5);
    let total = 0;
    for (let k = 0; k <= 6; k++) total += bgBbProbabilityOfTransactions(fit, 6, k);
    expect(total).toBeCloseTo(1, 10);
    const expected = DONATIONS.reduce((sum, [x, tx, count]) => sum + count * bgBbConditionalExpectedTransactions(fit, 5, x, tx, 6), 0);
    expect(Math.abs(expected - 12884.2)).toBeLessThan(0.5);
  });
});
