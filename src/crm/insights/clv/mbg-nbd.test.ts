/**
 * MBG/NBD parity on the CDNOW sample summaries (test/fixtures/cdnow/):
 * - r 0.525, α 6.183, a 0.891, b 1.614: BTYDplus (R, mbgcnbd with k = 1) on CDNOW, the values
 *   lifetimes' TestModifiedBetaGammaFitter.test_params_out_is_close_to_BTYDplus checks to 3 decimals;
 * - E[Y(39) | x 2, t_x 30.43, T 38.86] within 0.05 of 1.226 (lifetimes
 *   test_conditional_expectation_returns_same_value_as_Hardie_excel_sheet: the BG/NBD figure of
 *   Fader & Hardie's spreadsheet, which the modified model must stay close to).
 * The log-likelihood has no published figure in those tests; ours (−9582.13, measured here) is
 * printed and asserted above BG/NBD's published −9582.4 on the same data.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fitMbgNbd, mbgNbdConditionalExpectedPurchases, mbgNbdExpectedPurchases, mbgNbdLogLikelihood, mbgNbdPAlive, type MbgNbdFit } from './mbg-nbd.ts';
import { cdnowSummaries } from '../../../../test/support/cdnow.ts';
import type { RfmData } from './rfm-data.ts';

let fit: MbgNbdFit;
let data: RfmData;
beforeAll(async () => {
  data = await cdnowSummaries();
  fit = fitMbgNbd(data);
});

describe('MBG/NBD on the CDNOW sample', () => {
  it('matches the BTYDplus parameters to 3 decimals', () => {
    console.info(`MBG/NBD on CDNOW: r ${fit.r.toFixed(4)} α ${fit.alpha.toFixed(4)} a ${fit.a.toFixed(4)} b ${fit.b.toFixed(4)} LL ${fit.logLikelihood.toFixed(2)}`);
    expect(fit.converged).toBe(true);
    expect(Math.abs(fit.r - 0.525)).toBeLessThan(0.0015);
    expect(Math.abs(fit.alpha - 6.183)).toBeLessThan(0.0015);
    expect(Math.abs(fit.a - 0.891)).toBeLessThan(0.0015);
    expect(Math.abs(fit.b - 1.614)).toBeLessThan(0.0015);
    expect(fit.logLikelihood).toBeGreaterThan(-9582.4);
    expect(mbgNbdLogLikelihood(fit, data)).toBeCloseTo(fit.logLikelihood, 6);
  });

  it('stays near the spreadsheet conditional expectation and gives one-time buyers P(alive) < 1', () => {
    console.info(`MBG/NBD E[Y(39) | 2, 30.43, 38.86] = ${mbgNbdConditionalExpectedPurchases(fit, 39, 2, 30.43, 38.86)}`);
    expect(Math.abs(mbgNbdConditionalExpectedPurchases(fit, 39, 2, 30.43, 38.86) - 1.226)).toBeLessThan(0.05);
    expect(mbgNbdPAlive(fit, 0, 0, 30)).toBeLessThan(1);
    expect(mbgNbdPAlive(fit, 0, 0, 30)).toBeGreaterThan(0);
    // The unconditional curve at t = 0 is 0 and rises.
    expect(mbgNbdExpectedPurchases(fit, 0)).toBe(0);
    expect(mbgNbdExpectedPurchases(fit, 39)).toBeGreaterThan(mbgNbdExpectedPurchases(fit, 10));
  });
});
