import { afterAll, describe, expect, it } from 'vitest';
import { Rng, simulateCustomer } from '../../../../test/support/clv-simulate.ts';
import { fitBgNbd, fitGammaGamma } from '../clv/index.ts';
import { fitThreads } from './fit-threads.ts';

// The fits on worker threads answer exactly what they answer on this thread: same code, same
// arrays (structured clone keeps every double), same order of evaluation.
describe('fit threads', () => {
  const threads = fitThreads(2);
  afterAll(() => threads.close());

  const u = new Rng(17);
  const people = Array.from({ length: 3000 }, (_, k) => simulateCustomer(u, { r: 0.24, alpha: 4.4, a: 0.79, b: 2.4 }, 20 + (k % 19), 0));
  const rfm = { x: Float64Array.from(people, (p) => p.x), tx: Float64Array.from(people, (p) => p.tx), T: Float64Array.from(people, (p) => p.T) };
  const repeat = people.filter((p) => p.x > 0);
  const spend = { x: Float64Array.from(repeat, (p) => p.x), monetary: Float64Array.from(repeat, (p, k) => 20 + ((k * 37) % 41) + p.x) };

  it('BG/NBD and Gamma-Gamma: the same parameters, likelihood and evaluations as in this thread, fits side by side', async () => {
    const [bg, gg] = await Promise.all([threads.bgnbd(rfm), threads.gammaGamma(spend)]);
    expect(bg).toEqual(fitBgNbd(rfm));
    expect(gg).toEqual(fitGammaGamma(spend));
    expect(bg.converged).toBe(true);
  }, 180_000);

  it('a fit that throws rejects with its message, and the threads go on', async () => {
    await expect(threads.bgnbd({ x: new Float64Array(0), tx: new Float64Array(0), T: new Float64Array(0) })).rejects.toThrow('no customers to fit');
    expect((await threads.bgnbd(rfm)).r).toBe(fitBgNbd(rfm).r);
  }, 180_000);
});
