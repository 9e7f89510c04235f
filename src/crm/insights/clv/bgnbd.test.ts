import { describe, expect, it } from 'vitest';
import {
  BgNbdScorer,
  bgnbdLogLikelihood,
  expectedPurchases,
  fitBgNbd,
  pAlive,
  probabilityNoPurchase,
  unconditionalExpectedPurchases,
  type BgNbdParams,
} from './bgnbd.ts';
import { aggregateRfm, type RfmData } from './rfm-data.ts';
import { Rng, simulateCustomer } from '../../../../test/support/clv-simulate.ts';
import { hyp2f1, lgamma } from './special.ts';

const CDNOW: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

describe('BG/NBD closed forms', () => {
  it('P(alive) is 1 for x = 0 and falls as recency ages', () => {
    expect(pAlive(CDNOW, 0, 0, 39)).toBe(1);
    const recent = pAlive(CDNOW, 5, 38, 39);
    const stale = pAlive(CDNOW, 5, 5, 39);
    expect(recent).toBeGreaterThan(0.85);
    expect(stale).toBeLessThan(recent);
  });

  it('expectedPurchases equals eq. 10 written out literally', () => {
    const { r, alpha, a, b } = CDNOW;
    for (const [x, tx, T, t] of [
      [0, 0, 38.86, 39],
      [2, 30.43, 38.86, 39],
      [7, 35, 39, 52],
      [30, 20, 39, 10],
    ] as const) {
      const num = ((a + b + x - 1) / (a - 1)) * (1 - Math.pow((alpha + T) / (alpha + T + t), r + x) * hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t)));
      const den = 1 + (x > 0 ? (a / (b + x - 1)) * Math.pow((alpha + T) / (alpha + tx), r + x) : 0);
      expect(expectedPurchases(CDNOW, t, x, tx, T)).toBeCloseTo(num / den, 10);
    }
  });

  it('the likelihood equals eq. 6 written with Beta and Gamma functions', () => {
    const { r, alpha, a, b } = CDNOW;
    const lB = (p: number, q: number) => lgamma(p) + lgamma(q) - lgamma(p + q);
    const direct = (x: number, tx: number, T: number) => {
      const common = lgamma(r + x) - lgamma(r) + r * Math.log(alpha);
      const t1 = Math.exp(lB(a, b + x) - lB(a, b) + common - (r + x) * Math.log(alpha + T));
      const t2 = x > 0 ? Math.exp(lB(a + 1, b + x - 1) - lB(a, b) + common - (r + x) * Math.log(alpha + tx)) : 0;
      return Math.log(t1 + t2);
    };
    const data: RfmData = { x: Float64Array.of(0, 1, 4, 12), tx: Float64Array.of(0, 2, 20, 38), T: Float64Array.of(10, 30, 39, 39) };
    let expected = 0;
    for (let i = 0; i < 4; i++) expected += direct(data.x[i] ?? 0, data.tx[i] ?? 0, data.T[i] ?? 0);
    expect(bgnbdLogLikelihood(CDNOW, data, 12)).toBeCloseTo(expected, 10);
  });

  it('aggregating identical rows leaves the likelihood unchanged', () => {
    const data: RfmData = { x: Float64Array.of(0, 0, 2, 2, 0), tx: Float64Array.of(0, 0, 5, 5, 0), T: Float64Array.of(9, 9, 9, 9, 8) };
    const agg = aggregateRfm(data);
    expect(agg.x.length).toBe(3);
    expect(bgnbdLogLikelihood(CDNOW, agg, 2)).toBeCloseTo(bgnbdLogLikelihood(CDNOW, data, 2), 10);
  });

  it('P(no purchase in t) of a new customer is (α/(α+t))^r (eq. 8 at x = 0) and tends to 1 − P(alive)', () => {
    expect(probabilityNoPurchase(CDNOW, 10, 0, 0, 0)).toBeCloseTo(Math.pow(CDNOW.alpha / (CDNOW.alpha + 10), CDNOW.r), 14);
    expect(probabilityNoPurchase(CDNOW, 1e9, 3, 10, 39)).toBeCloseTo(1 - pAlive(CDNOW, 3, 10, 39), 3);
  });

  it('E[X(t)] of a new customer equals the conditional expectation at x = t_x = T = 0', () => {
    expect(expectedPurchases(CDNOW, 52, 0, 0, 0)).toBeCloseTo(unconditionalExpectedPurchases(CDNOW, 52), 12);
  });
});

describe('BG/NBD against simulation', () => {
  // The population average of a conditional prediction equals the simulated outcome (law of
  // total expectation), per x so that errors cannot cancel between groups.
  it('expected purchases and P(no purchase) agree with simulated futures', () => {
    const u = new Rng(42);
    const T = 39;
    const horizon = 39;
    const groups = new Map<string, { n: number; predicted: number; actual: number; p0: number; zero: number }>();
    for (let i = 0; i < 200_000; i++) {
      const c = simulateCustomer(u, CDNOW, T, horizon);
      const key = c.x === 0 ? '0' : c.x === 1 ? '1' : c.x <= 4 ? '2-4' : '5+';
      const g = groups.get(key) ?? { n: 0, predicted: 0, actual: 0, p0: 0, zero: 0 };
      g.n++;
      g.predicted += expectedPurchases(CDNOW, horizon, c.x, c.tx, T);
      g.actual += c.future;
      g.p0 += probabilityNoPurchase(CDNOW, horizon, c.x, c.tx, T);
      g.zero += c.future === 0 ? 1 : 0;
      groups.set(key, g);
    }
    for (const [key, g] of groups) {
      const se = 1 / Math.sqrt(g.n);
      expect.soft(Math.abs(g.p0 / g.n - g.zero / g.n), `P(0) in group x=${key}`).toBeLessThan(4 * se);
      expect.soft(Math.abs(g.predicted - g.actual) / g.actual, `E[Y] in group x=${key}`).toBeLessThan(0.05);
    }
  });

  it('recovers the generating parameters from simulated day-level data', () => {
    const u = new Rng(7);
    const n = 30_000;
    const x = new Float64Array(n);
    const tx = new Float64Array(n);
    const T = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const Ti = (273 - u.int(0, 83)) / 7; // first purchases over 12 weeks, like CDNOW
      const c = simulateCustomer(u, CDNOW, Ti, 0);
      x[i] = c.x;
      tx[i] = Math.min(Math.round(c.tx * 7) / 7, Ti); // day granularity
      if (c.x === 0) tx[i] = 0;
      T[i] = Ti;
    }
    const fit = fitBgNbd({ x, tx, T });
    expect(fit.converged).toBe(true);
    expect(fit.r).toBeGreaterThan(0.2);
    expect(fit.r).toBeLessThan(0.29);
    expect(fit.alpha / CDNOW.alpha).toBeGreaterThan(0.75);
    expect(fit.alpha / CDNOW.alpha).toBeLessThan(1.3);
    expect(fit.a / fit.b).toBeCloseTo(CDNOW.a / CDNOW.b, 1);
    // and aggregated vs raw rows give the same optimum
    const raw = fitBgNbd({ x, tx, T }, { aggregate: false });
    expect(raw.logLikelihood).toBeCloseTo(fit.logLikelihood, 4);
  });
});

describe('BgNbdScorer', () => {
  it('gives bit for bit the numbers of pAlive, expectedPurchases and probabilityNoPurchase, memo hits and off-grid T included', () => {
    const params = { r: 0.6696, alpha: 2.8105, a: 0.9483, b: 11.9064 };
    const scorer = new BgNbdScorer(params, 90 / 7, 365 / 7, 7);
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let checked = 0;
    for (let k = 0; k < 20_000; k++) {
      const x = Math.floor(rand() * 12) * (rand() < 0.4 ? 0 : 1);
      const days = Math.floor(rand() * 900);
      // Mostly whole days (memo), some off the grid.
      const T = k % 10 === 0 ? days / 7 + rand() / 13 : days / 7;
      const tx = x === 0 ? 0 : Math.floor(rand() * (days + 1)) / 7;
      scorer.score(x, Math.min(tx, T), T);
      const txc = Math.min(tx, T);
      expect(Object.is(scorer.pAlive, pAlive(params, x, txc, T))).toBe(true);
      expect(Object.is(scorer.expected, expectedPurchases(params, 90 / 7, x, txc, T))).toBe(true);
      expect(Object.is(scorer.pNoPurchase, probabilityNoPurchase(params, 90 / 7, x, txc, T))).toBe(true);
      if (k % 3 === 0) expect(Object.is(scorer.expectedLong(), expectedPurchases(params, 365 / 7, x, txc, T))).toBe(true);
      checked++;
    }
    expect(checked).toBe(20_000);
  });
});
