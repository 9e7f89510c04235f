import type { Rng } from './random.ts';

/**
 * Purchase behaviour. Each member follows the (M)BG/NBD story of Fader, Hardie & Lee (2005) /
 * Batislam et al. (2007): while "alive" they buy as a Poisson process with their own rate λ
 * (λ ~ Gamma across members), and right after each purchase they drop out for good with their
 * own probability p (p ~ Beta). Personas are mixtures of those hyper-parameters, so rhythms
 * differ visibly between groups and still vary inside each. `lapsed` members are additionally
 * forced out at a drawn date ("active, then stopped"), the pattern churn warnings look for.
 * The drawn λ, p and churn date are written to demo_member_truth for scoring churn models.
 */

export const PERSONAS = ['regular', 'occasional', 'lapsed', 'new', 'one_time'] as const;
export type Persona = (typeof PERSONAS)[number];

export interface PersonaSpec {
  /** Share of generated members. */
  weight: number;
  /** Mean days between purchases across the persona (λ's mean is its inverse). */
  meanGapDays: number;
  /** Gamma shape of λ across members: larger = more alike. */
  rateShape: number;
  /** Beta(a, b) of the per-purchase dropout probability. */
  dropout: [number, number];
  /** Mean order amount across the persona, yuan (each member's own mean ~ Gamma around it). */
  meanSpendYuan: number;
  /** Registration window, days before now. */
  registeredDaysAgo: [number, number];
}

// Calibrated so the mix averages roughly 10 orders per member over two years (the scale the
// benchmarks target: 1M members, about 10M orders; docs/benchmarks.md).
export const PERSONA_SPECS: Readonly<Record<Persona, PersonaSpec>> = {
  regular: { weight: 0.12, meanGapDays: 11, rateShape: 6, dropout: [1, 250], meanSpendYuan: 95, registeredDaysAgo: [120, 1095] },
  occasional: { weight: 0.36, meanGapDays: 55, rateShape: 3, dropout: [1.2, 40], meanSpendYuan: 135, registeredDaysAgo: [60, 1095] },
  lapsed: { weight: 0.22, meanGapDays: 20, rateShape: 4, dropout: [1, 120], meanSpendYuan: 150, registeredDaysAgo: [200, 1095] },
  new: { weight: 0.08, meanGapDays: 25, rateShape: 2, dropout: [1, 30], meanSpendYuan: 110, registeredDaysAgo: [1, 90] },
  one_time: { weight: 0.22, meanGapDays: 150, rateShape: 1.5, dropout: [6, 4], meanSpendYuan: 120, registeredDaysAgo: [30, 1095] },
};

const WEIGHTS = PERSONAS.map((p) => PERSONA_SPECS[p].weight);

export function drawPersona(rng: Rng): Persona {
  return rng.weighted(PERSONAS, WEIGHTS);
}

/** One member's latent process parameters. */
export interface Latent {
  persona: Persona;
  /** Purchases per day while alive. */
  rate: number;
  /** Dropout probability after each purchase. */
  dropout: number;
  /** The member's mean order amount in cents. */
  meanSpendCents: number;
}

export function drawLatent(rng: Rng, persona: Persona): Latent {
  const spec = PERSONA_SPECS[persona];
  return {
    persona,
    rate: rng.gammaMean(1 / spec.meanGapDays, spec.rateShape),
    dropout: rng.beta(spec.dropout[0], spec.dropout[1]),
    meanSpendCents: Math.max(3000, Math.round(rng.gammaMean(spec.meanSpendYuan, 5) * 100)),
  };
}
