import { describe, expect, it } from 'vitest';
import { minimizePositive, nelderMead } from './optimize.ts';

describe('nelderMead', () => {
  it('finds the minimum of a shifted quadratic', () => {
    const res = nelderMead((v) => ((v[0] ?? 0) - 3) ** 2 + 10 * ((v[1] ?? 0) + 1) ** 2, [0, 0]);
    expect(res.converged).toBe(true);
    expect(res.x[0]).toBeCloseTo(3, 6);
    expect(res.x[1]).toBeCloseTo(-1, 6);
    expect(res.f).toBeLessThan(1e-12);
  });

  it('solves the Rosenbrock valley in 2 and 4 dimensions', () => {
    const rosen = (v: Float64Array) => {
      let s = 0;
      for (let i = 0; i + 1 < v.length; i++) s += 100 * ((v[i + 1] ?? 0) - (v[i] ?? 0) ** 2) ** 2 + (1 - (v[i] ?? 0)) ** 2;
      return s;
    };
    for (const start of [
      [-1.2, 1],
      [-1.2, 1, -1.2, 1],
    ]) {
      const res = nelderMead(rosen, start);
      for (const xi of res.x) expect(xi).toBeCloseTo(1, 5);
    }
  });

  it('treats non-finite objective values as +∞', () => {
    const res = nelderMead((v) => ((v[0] ?? 0) < 0 ? NaN : ((v[0] ?? 0) - 2) ** 2), [1]);
    expect(res.x[0]).toBeCloseTo(2, 6);
  });
});

describe('minimizePositive', () => {
  it('keeps parameters positive and finds an interior optimum', () => {
    const seen: number[] = [];
    // Minimum at (0.05, 400): scales far apart, like r and α.
    const res = minimizePositive(
      (v) => {
        seen.push(Math.min(v[0] ?? 0, v[1] ?? 0));
        return (Math.log(v[0] ?? 0) - Math.log(0.05)) ** 2 + (Math.log(v[1] ?? 0) - Math.log(400)) ** 2;
      },
      [1, 1],
    );
    expect(Math.min(...seen)).toBeGreaterThan(0);
    expect(res.x[0]).toBeCloseTo(0.05, 6);
    expect(res.x[1]).toBeCloseTo(400, 3);
  });

  it('reports no convergence, within its evaluation budget, when the optimum is at infinity', () => {
    const res = minimizePositive((v) => 1 / (v[0] ?? 1), [1], { maxEvaluations: 500 });
    expect(res.converged).toBe(false);
    expect(res.evaluations).toBeLessThanOrEqual(501);
    expect(Number.isFinite(res.x[0])).toBe(true);
  });

  it('rejects a non-positive start', () => {
    expect(() => minimizePositive(() => 0, [0, 1])).toThrow(RangeError);
  });
});
