import { describe, expect, it } from 'vitest';
import { fitLogistic, predictLogistic } from './logistic.ts';
import { auc, calibration, confusion } from './metrics.ts';

/** A small deterministic generator (LCG) so the test needs no seed file. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('logistic regression', () => {
  it('recovers the coefficients of data drawn from a known logistic model, and ignores a constant column', () => {
    const rnd = lcg(7);
    const rows: number[][] = [];
    const y: boolean[] = [];
    for (let i = 0; i < 20_000; i++) {
      const a = rnd() * 4 - 2;
      const b = rnd() * 2;
      rows.push([a, b, 5]);
      y.push(rnd() < 1 / (1 + Math.exp(-(0.5 + 1.5 * a - 2 * b))));
    }
    const m = fitLogistic(rows, y, { lambda: 1e-6 });
    // weights are on standardised columns: back to raw units
    expect(m.weights[0]! / m.sd[0]!).toBeCloseTo(1.5, 1);
    expect(m.weights[1]! / m.sd[1]!).toBeCloseTo(-2, 1);
    expect(m.weights[2]).toBe(0);
    expect(predictLogistic(m, [0, 0, 5])).toBeCloseTo(1 / (1 + Math.exp(-0.5)), 1);
  });
});

describe('metrics', () => {
  it('AUC counts ordered pairs, ties half', () => {
    // positives 0.9, 0.4; negatives 0.4, 0.1: pairs (0.9>0.4)=1, (0.9>0.1)=1, (0.4=0.4)=0.5, (0.4>0.1)=1 → 3.5/4
    expect(auc([0.9, 0.4, 0.4, 0.1], [true, true, false, false])).toBe(0.875);
    expect(auc([1, 2], [true, true])).toBeNaN();
  });

  it('precision/recall and calibration bands', () => {
    const c = confusion([true, true, false, false], [true, false, true, false]);
    expect(c).toEqual({ precision: 0.5, recall: 0.5, accuracy: 0.5, flagged: 2 });
    const cal = calibration([0.05, 0.05, 0.95, 0.95], [false, false, true, false]);
    expect(cal.bands.map((b) => [b.members, b.observed])).toEqual([[2, 0], [2, 0.5]]);
    expect(cal.ece).toBeCloseTo((2 * 0.05 + 2 * 0.45) / 4, 10);
  });
});
