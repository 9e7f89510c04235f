/**
 * Test-only simulator of the BG/NBD generative story (FHL 2005 §3), with a seeded PRNG so
 * tests are deterministic. Kept beside the tests that use it; not part of the model API.
 */
import { Rng } from '../../src/demo/random.ts';
import type { BgNbdParams } from '../../src/crm/insights/clv/bgnbd.ts';

// The seeded PRNG and gamma sampler are the demo seeder's (src/demo/random.ts): one
// implementation of Marsaglia–Tsang serves both the generator and these simulations.
export { Rng };

export interface SimulatedCustomer {
  x: number;
  tx: number;
  T: number;
  /** Purchases in (T, T + horizon]. */
  future: number;
}

/**
 * One customer: first purchase at 0; while alive, purchases arrive as Poisson(λ); after each
 * repeat purchase she drops out with probability p. λ ~ Gamma(r, α), p ~ Beta(a, b).
 */
export function simulateCustomer(u: Rng, params: BgNbdParams, T: number, horizon: number): SimulatedCustomer {
  const lambda = u.gamma(params.r) / params.alpha;
  const ga = u.gamma(params.a);
  const p = ga / (ga + u.gamma(params.b));
  let t = 0;
  let x = 0;
  let tx = 0;
  let future = 0;
  for (;;) {
    t += u.exp(lambda);
    if (!(t <= T + horizon)) break;
    if (t <= T) {
      x++;
      tx = t;
    } else future++;
    if (u.chance(p)) break;
  }
  return { x, tx, T, future };
}
