/**
 * Test-only simulator of the BG/NBD generative story (FHL 2005 §3), with a seeded PRNG so
 * tests are deterministic. Kept beside the tests that use it; not part of the model API.
 */
import type { BgNbdParams } from './bgnbd.ts';

/** mulberry32: tiny, fast, seeded uniform PRNG in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(u: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

/** Gamma(shape, 1) by Marsaglia & Tsang, with the u^(1/shape) boost for shape < 1. */
export function gammaVariate(u: () => number, shape: number): number {
  if (shape < 1) return gammaVariate(u, shape + 1) * Math.pow(1 - u(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(u);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const w = 1 - u();
    if (Math.log(w) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

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
export function simulateCustomer(u: () => number, params: BgNbdParams, T: number, horizon: number): SimulatedCustomer {
  const lambda = gammaVariate(u, params.r) / params.alpha;
  const ga = gammaVariate(u, params.a);
  const p = ga / (ga + gammaVariate(u, params.b));
  let t = 0;
  let x = 0;
  let tx = 0;
  let future = 0;
  for (;;) {
    t += -Math.log(1 - u()) / lambda;
    if (!(t <= T + horizon)) break;
    if (t <= T) {
      x++;
      tx = t;
    } else future++;
    if (u() < p) break;
  }
  return { x, tx, T, future };
}
