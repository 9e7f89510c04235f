/**
 * Pareto/NBD parity on the CDNOW sample (the published summaries, test/fixtures/cdnow/):
 * - parameters r 0.553, α 10.578, s 0.606, β 11.669 and LL −9595.0: Fader & Hardie's Pareto/NBD
 *   note on this data set, the figures the BTYD (R) walkthrough and lifetimes'
 *   TestParetoNBDFitter.test_params_out_is_close_to_Hardie_paper reproduce;
 * - P(alive | x 26, t_x 30.86, T 31) = 0.9979 at (0.5534, 10.5802, 0.6061, 11.6562) and
 *   E[Y(52) | same] = 25.46: the BTYD walkthrough (lifetimes test_conditional_probability_alive,
 *   test_conditional_expectation_returns_same_value_as_R_BTYD);
 * - E[X(t)], t = 0..9 at the rounded parameters (0.55, 10.58, 0.61, 11.67): BTYD's
 *   pnbd.Expectation example as lifetimes' test_expectation_returns_same_value_as_R_BTYD
 *   quotes it (agrees to 6e-4: the example's own parameters are rounded).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fitParetoNbd, paretoNbdConditionalExpectedPurchases, paretoNbdExpectedPurchases, paretoNbdLogLikelihood, paretoNbdPAlive, type ParetoNbdFit } from './pareto-nbd.ts';
import type { RfmData } from './rfm-data.ts';
import { cdnowSummaries } from '../../../../test/support/cdnow.ts';

let fit: ParetoNbdFit;
let data: RfmData;
beforeAll(async () => {
  data = await cdnowSummaries();
  fit = fitParetoNbd(data);
});

describe('Pareto/NBD on the CDNOW sample', () => {
  it('matches the published parameters and log-likelihood', () => {
    expect(fit.converged).toBe(true);
    expect(fit.r).toBeCloseTo(0.553, 2);
    expect(fit.alpha).toBeCloseTo(10.578, 1);
    expect(fit.s).toBeCloseTo(0.606, 2);
    expect(fit.beta).toBeCloseTo(11.669, 1);
    expect(Math.abs(fit.logLikelihood - -9595.0)).toBeLessThanOrEqual(0.1);
    expect(paretoNbdLogLikelihood(fit, data)).toBeCloseTo(fit.logLikelihood, 6);
  });

  it('reproduces the BTYD walkthrough P(alive) and conditional expectation', () => {
    const p = { r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 };
    expect(Math.abs(paretoNbdPAlive(p, 26, 30.86, 31) - 0.9979)).toBeLessThan(0.001);
    expect(Math.abs(paretoNbdConditionalExpectedPurchases(fit, 52, 26, 30.86, 31) - 25.46)).toBeLessThan(0.01);
  });

  it('reproduces BTYD pnbd.Expectation for t = 0..9', () => {
    const expected = [0, 0.05077821, 0.09916088, 0.14542507, 0.1897993, 0.23247466, 0.27361274, 0.31335159, 0.35181024, 0.38909211];
    const rounded = { r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67 };
    expected.forEach((e, t) => expect(Math.abs(paretoNbdExpectedPurchases(rounded, t) - e)).toBeLessThan(0.001));
  });

  it('gives one-time buyers a P(alive) below 1 that falls with T', () => {
    expect(paretoNbdPAlive(fit, 0, 0, 10)).toBeLessThan(1);
    expect(paretoNbdPAlive(fit, 0, 0, 30)).toBeLessThan(paretoNbdPAlive(fit, 0, 0, 10));
  });
});
