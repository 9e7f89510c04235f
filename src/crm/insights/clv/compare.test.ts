/** The holdout comparison of the continuous-time models on the CDNOW sample (real data). */
import { beforeAll, describe, expect, it } from 'vitest';
import { cdnowSummaries } from '../../../../test/support/cdnow.ts';
import { compareCustomerModels, fitCustomerModel, type ModelComparison } from './compare.ts';
import type { RfmData } from './rfm-data.ts';

let data: RfmData;
let cmp: ModelComparison;
beforeAll(async () => {
  data = await cdnowSummaries();
  cmp = compareCustomerModels(data);
});

describe('compareCustomerModels on the CDNOW sample', () => {
  it('fits the three models on 4/5 of the customers and scores the other 1/5', () => {
    console.info(`CDNOW holdout LL: ${cmp.models.map((m) => `${m.model} ${m.holdoutLogLikelihood.toFixed(1)}`).join(', ')}; chosen ${cmp.chosen}`);
    expect(cmp.fitCustomers + cmp.holdoutCustomers).toBe(2357);
    expect(cmp.holdoutCustomers).toBe(471);
    expect(cmp.models.map((m) => m.model)).toEqual(['bgnbd', 'mbgnbd', 'paretonbd']);
    for (const m of cmp.models) {
      expect(m.converged).toBe(true);
      // Holdout and fit LL per customer are of the same size (no model is wildly overfitted here).
      expect(m.holdoutLogLikelihood / cmp.holdoutCustomers).toBeGreaterThan((1.3 * m.fitLogLikelihood) / cmp.fitCustomers);
    }
    const best = Math.max(...cmp.models.map((m) => m.holdoutLogLikelihood));
    expect(cmp.models.find((m) => m.model === cmp.chosen)!.holdoutLogLikelihood).toBe(best);
  });

  it('wraps every model behind one interface whose in-sample LL equals the fit', () => {
    const f = fitCustomerModel('paretonbd', data);
    expect(f.logLikelihoodOf(data)).toBeCloseTo(f.logLikelihood, 6);
    expect(f.pAlive(0, 0, 30)).toBeLessThan(1);
    expect(f.expected(39, 2, 30.43, 38.86)).toBeGreaterThan(0);
    expect(f.unconditional(39)).toBeGreaterThan(f.unconditional(10));
  });
});
