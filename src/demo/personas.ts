import type { Rng } from './random.ts';

/**
 * Purchase behaviour — deliberately NOT the BG/NBD story the product's models assume, so the
 * churn benchmark measures them on a process they were not built from
 * (docs/demo-data.md):
 * - gaps between visits are a renewal process: a Weibull "routine" gap mixed with gamma-shaped
 *   "long breaks", stretched by the season and moved towards the weekend;
 * - leaving is a hazard in calendar time (not a coin flip after each purchase), rising with
 *   tenure, with the home store's service, after a complaint (a shock that lasts 90 days) and,
 *   for price-sensitive members, after the chain's price rise;
 * - a gone member may come back after a campaign's coupon, with their own response rate.
 * Personas are mixtures of those parameters. The drawn parameters go to demo_member_truth
 * (purchase_rate = 1 / mean routine gap, dropout_prob = base daily leaving hazard).
 */

export const PERSONAS = ['regular', 'occasional', 'lapsed', 'new', 'one_time'] as const;
export type Persona = (typeof PERSONAS)[number];

export interface PersonaSpec {
  /** Share of generated members. */
  weight: number;
  /** Mean routine gap in days across the persona (each member's own ~ Gamma around it). */
  meanGapDays: number;
  /** Weibull shape range of the routine gap (1 = memoryless, higher = more regular). */
  gapShape: [number, number];
  /** Beta(a, b) of the share of gaps that are long breaks (3–6 × the routine gap). */
  breakShare: [number, number];
  /** Mean base hazard of leaving, per 1,000 days (each member's own ~ Gamma(2) around it). */
  hazardPerMille: number;
  /** Beta(a, b) of the coupon response: chance to come back at each campaign once gone. */
  couponResponse: [number, number];
  /** Beta(a, b) of price sensitivity (0..1): how much the price rise raises hazard and gaps. */
  priceSensitivity: [number, number];
  /** Mean order amount across the persona, yuan (each member's own mean ~ Gamma around it). */
  meanSpendYuan: number;
  /** Registration window, days before now. */
  registeredDaysAgo: [number, number];
}

// Calibrated so the mix averages roughly 10 orders per member over two years (the scale the
// benchmarks target: 1M members, about 10M orders; docs/benchmarks.md).
export const PERSONA_SPECS: Readonly<Record<Persona, PersonaSpec>> = {
  regular: { weight: 0.12, meanGapDays: 10, gapShape: [1.8, 3.2], breakShare: [1, 12], hazardPerMille: 0.6, couponResponse: [2, 6], priceSensitivity: [1, 6], meanSpendYuan: 95, registeredDaysAgo: [120, 1095] },
  occasional: { weight: 0.36, meanGapDays: 60, gapShape: [1.1, 2], breakShare: [1, 5], hazardPerMille: 1.6, couponResponse: [1, 8], priceSensitivity: [2, 4], meanSpendYuan: 135, registeredDaysAgo: [60, 1095] },
  lapsed: { weight: 0.22, meanGapDays: 18, gapShape: [1.4, 2.6], breakShare: [1, 8], hazardPerMille: 1.2, couponResponse: [1, 20], priceSensitivity: [4, 2], meanSpendYuan: 150, registeredDaysAgo: [200, 1095] },
  new: { weight: 0.08, meanGapDays: 22, gapShape: [1.2, 2.2], breakShare: [1, 6], hazardPerMille: 3, couponResponse: [1, 6], priceSensitivity: [2, 3], meanSpendYuan: 110, registeredDaysAgo: [1, 90] },
  one_time: { weight: 0.22, meanGapDays: 90, gapShape: [0.9, 1.4], breakShare: [1, 3], hazardPerMille: 9, couponResponse: [1, 30], priceSensitivity: [2, 3], meanSpendYuan: 120, registeredDaysAgo: [30, 1095] },
};

const WEIGHTS = PERSONAS.map((p) => PERSONA_SPECS[p].weight);

export function drawPersona(rng: Rng): Persona {
  return rng.weighted(PERSONAS, WEIGHTS);
}

/** One member's latent process parameters. */
export interface Latent {
  persona: Persona;
  /** Mean routine gap between visits, days. */
  meanGapDays: number;
  /** Weibull shape of the routine gap. */
  gapShape: number;
  /** Share of gaps that are long breaks. */
  breakShare: number;
  /** Base hazard of leaving per day (before tenure, store, complaint and price effects). */
  hazard: number;
  couponResponse: number;
  priceSensitivity: number;
  /** The member's mean order amount in cents. */
  meanSpendCents: number;
}

export function drawLatent(rng: Rng, persona: Persona): Latent {
  const spec = PERSONA_SPECS[persona];
  return {
    persona,
    meanGapDays: Math.max(2, rng.gammaMean(spec.meanGapDays, 4)),
    gapShape: rng.range(spec.gapShape[0], spec.gapShape[1]),
    breakShare: rng.beta(spec.breakShare[0], spec.breakShare[1]),
    hazard: rng.gammaMean(spec.hazardPerMille / 1000, 2),
    couponResponse: rng.beta(spec.couponResponse[0], spec.couponResponse[1]),
    priceSensitivity: rng.beta(spec.priceSensitivity[0], spec.priceSensitivity[1]),
    meanSpendCents: Math.max(3000, Math.round(rng.gammaMean(spec.meanSpendYuan, 5) * 100)),
  };
}
