/**
 * Parity with the published CDNOW results (test/fixtures/cdnow/README.md): our summaries
 * equal the published per-customer summaries, and real fits of both models reproduce the
 * published parameters to 2 decimals and log-likelihoods to 0.1.
 */
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { bgnbdLogLikelihood, fitBgNbd, type BgNbdFit } from './bgnbd.ts';
import { parseIsoDay } from '../../kernel/index.ts';
import { fitGammaGamma, gammaGammaLogLikelihood } from './gamma-gamma.ts';
import { scoreCustomers } from './score.ts';
import { pearson } from './stats.ts';
import { TransactionLedger, type CustomerSummaries } from './summary.ts';
import { readTransactionFile } from './transactions.ts';

const CDNOW = new URL('../../../../test/fixtures/cdnow/', import.meta.url);
const CALIBRATION_END = parseIsoDay('1997-09-30');
const HOLDOUT_END = parseIsoDay('1998-06-30'); // 39 weeks after the calibration end

let s: CustomerSummaries;
let bg: BgNbdFit;

beforeAll(async () => {
  const ledger = new TransactionLedger();
  await readTransactionFile(new URL('CDNOW_sample.txt', CDNOW), 'cdnow', ledger.sink);
  s = ledger.summarize({ calibrationEnd: CALIBRATION_END, holdoutEnd: HOLDOUT_END });
  bg = fitBgNbd(s);
});

/** Published CSV rows by ID; handles the CRLF endings of the _with_transactions file. */
async function readPublished(name: string): Promise<Map<string, number[]>> {
  const text = await readFile(new URL(name, CDNOW), 'utf8');
  const [, ...rows] = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  return new Map(rows.map((r) => {
    const [id = '', ...values] = r.split(',');
    return [id, values.map(Number)];
  }));
}

describe('CDNOW summaries', () => {
  it('has the 2,357 customers keyed by sample id', () => {
    expect(s.ids.length).toBe(2357);
  });

  it('equals cdnow_customers_summary.csv (frequency, recency, T) for every customer', async () => {
    const published = await readPublished('cdnow_customers_summary.csv');
    expect(published.size).toBe(2357);
    let mismatches = 0;
    s.ids.forEach((id, i) => {
      const [x = NaN, tx = NaN, T = NaN] = published.get(id) ?? [];
      // the file rounds recency and T to 2 decimals
      if (x !== s.x[i] || Math.abs(tx - (s.tx[i] ?? 0)) > 0.0051 || Math.abs(T - (s.T[i] ?? 0)) > 0.0051) mismatches++;
    });
    expect(mismatches).toBe(0);
  });

  it('equals the mean repeat spend zbar of cdnow_customers_summary_with_transactions.csv', async () => {
    const published = await readPublished('cdnow_customers_summary_with_transactions.csv');
    expect(published.size).toBe(2357);
    let mismatches = 0;
    s.ids.forEach((id, i) => {
      const [x = NaN, , , zbar = NaN] = published.get(id) ?? [];
      if (x !== s.x[i] || Math.abs(zbar - (s.monetary[i] ?? 0)) > 0.0051) mismatches++;
    });
    expect(mismatches).toBe(0);
  });
});

describe('BG/NBD on CDNOW_sample', () => {
  it('matches the published parameters (r 0.243, α 4.414, a 0.793, b 2.426) and LL −9582.4', () => {
    expect(bg.converged).toBe(true);
    expect(bg.r).toBeCloseTo(0.243, 2);
    expect(bg.alpha).toBeCloseTo(4.414, 2);
    expect(bg.a).toBeCloseTo(0.793, 2);
    expect(bg.b).toBeCloseTo(2.426, 2);
    expect(Math.abs(bg.logLikelihood - -9582.4)).toBeLessThanOrEqual(0.1);
  });

  it('predicts the 39-week holdout with a correlation near the published 0.63', () => {
    const scores = scoreCustomers(bg, s, (HOLDOUT_END - CALIBRATION_END) / 7);
    const r = pearson(scores.expected, s.holdout);
    console.info(`CDNOW holdout correlation (predicted vs actual repeat purchases): ${r.toFixed(4)}`);
    expect(r).toBeGreaterThan(0.58);
    expect(r).toBeLessThan(0.68);
    // churn risk ranks: customers who bought nothing in the holdout have higher mean risk
    let zeroSum = 0;
    let zeroN = 0;
    let buyerSum = 0;
    s.holdout.forEach((h, i) => {
      if (h === 0) {
        zeroSum += scores.churnRisk[i] ?? 0;
        zeroN++;
      } else buyerSum += scores.churnRisk[i] ?? 0;
    });
    expect(zeroSum / zeroN).toBeGreaterThan(buyerSum / (s.ids.length - zeroN) + 0.1);
  });
});

describe('Gamma-Gamma on CDNOW_sample', () => {
  it('matches the published parameters (p 6.25, q 3.74, γ 15.44) and LL −4055.9 on the 946 repeat customers', () => {
    const gg = fitGammaGamma(s);
    expect(gg.customers).toBe(946);
    expect(gg.converged).toBe(true);
    expect(gg.p).toBeCloseTo(6.25, 2);
    expect(gg.q).toBeCloseTo(3.74, 2);
    expect(gg.gamma).toBeCloseTo(15.44, 2);
    // The published LL is the full log density of the observed means (constants included).
    expect(Math.abs(gg.logLikelihood - -4055.9)).toBeLessThanOrEqual(0.1);
  });
});

describe('fit kernels', () => {
  it('report the same log-likelihood as the reference likelihood functions', () => {
    let maxX = 0;
    for (const x of s.x) maxX = Math.max(maxX, x);
    expect(bgnbdLogLikelihood(bg, s, maxX)).toBeCloseTo(bg.logLikelihood, 8);
    const gg = fitGammaGamma(s);
    expect(gammaGammaLogLikelihood(gg, s)).toBeCloseTo(gg.logLikelihood, 8);
  });
});
