import { describe, expect, it } from 'vitest';
import { expectedPurchases, type BgNbdParams } from './bgnbd.ts';
import { customerLifetimeValue, expectedAverageSpend, fitGammaGamma, gammaGammaLogLikelihood, type GammaGammaParams } from './gamma-gamma.ts';
import { Rng } from '../../../../test/support/clv-simulate.ts';
import { lgamma } from './special.ts';

const GG: GammaGammaParams = { p: 6.25, q: 3.74, gamma: 15.44 };
const BG: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

describe('Gamma-Gamma', () => {
  it('log-likelihood is the log density of the mean of x Gamma(p, ν) values, ν ~ Gamma(q, γ)', () => {
    const { p, q, gamma } = GG;
    const x = 3;
    const m = 25;
    const direct =
      lgamma(p * x + q) - lgamma(p * x) - lgamma(q) + q * Math.log(gamma) + (p * x - 1) * Math.log(m) + p * x * Math.log(x) - (p * x + q) * Math.log(gamma + m * x);
    // x = 0 and m = 0 rows are skipped
    expect(gammaGammaLogLikelihood(GG, { x: Float64Array.of(3, 0, 2), monetary: Float64Array.of(25, 0, 0) })).toBeCloseTo(direct, 12);
  });

  it('expected spend shrinks the own mean towards the population mean, less so as x grows', () => {
    const population = (GG.p * GG.gamma) / (GG.q - 1);
    expect(expectedAverageSpend(GG, 0, 0)).toBeCloseTo(population, 12);
    const one = expectedAverageSpend(GG, 1, 100);
    const many = expectedAverageSpend(GG, 20, 100);
    expect(one).toBeGreaterThan(population);
    expect(one).toBeLessThan(many);
    expect(many).toBeLessThan(100);
    expect(expectedAverageSpend({ ...GG, q: 0.9 }, 2, 10)).toBeNaN();
  });

  it('recovers its parameters from simulated spend', () => {
    const u = new Rng(3);
    const n = 20_000;
    const x = new Float64Array(n);
    const m = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const nu = u.gamma(GG.q) / GG.gamma;
      x[i] = u.int(1, 8);
      let sum = 0;
      for (let k = 0; k < (x[i] ?? 0); k++) sum += u.gamma(GG.p) / nu;
      m[i] = sum / (x[i] ?? 1);
    }
    const fit = fitGammaGamma({ x, monetary: m });
    expect(fit.customers).toBe(n);
    expect(fit.p / GG.p).toBeGreaterThan(0.9);
    expect(fit.p / GG.p).toBeLessThan(1.1);
    // the population mean spend pγ/(q−1) is well identified
    expect((fit.p * fit.gamma) / (fit.q - 1) / ((GG.p * GG.gamma) / (GG.q - 1))).toBeCloseTo(1, 1);
  });

  it('refuses to fit without repeat customers', () => {
    expect(() => fitGammaGamma({ x: Float64Array.of(0, 0), monetary: Float64Array.of(0, 0) })).toThrow(RangeError);
  });
});

describe('customerLifetimeValue', () => {
  const history = { x: 4, tx: 30, T: 39, monetary: 40 };

  it('without discounting is expected purchases over the horizon × expected spend', () => {
    const u = 30.4375 / 7;
    const clv = customerLifetimeValue(BG, GG, history, { months: 12 });
    expect(clv).toBeCloseTo(expectedPurchases(BG, 12 * u, 4, 30, 39) * expectedAverageSpend(GG, 4, 40), 8);
  });

  it('discounting lowers it and a longer horizon raises it', () => {
    const base = customerLifetimeValue(BG, GG, history, { months: 12 });
    expect(customerLifetimeValue(BG, GG, history, { months: 12, monthlyDiscountRate: 0.01 })).toBeLessThan(base);
    expect(customerLifetimeValue(BG, GG, history, { months: 24 })).toBeGreaterThan(base);
  });
});
