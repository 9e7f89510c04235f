/**
 * Choosing between the continuous-time customer-base models (BG/NBD, MBG/NBD, Pareto/NBD) for one
 * set of customers by their HOLDOUT log-likelihood: every k-th customer is set aside, each model
 * is fitted on the others, and the set-aside customers' (x, t_x, T) are scored under each fit.
 * All three are densities of the same observation (x repeat purchases with the last at t_x, given
 * T), so their log-likelihoods compare directly; the in-sample one would favour flexibility, the
 * held-out one rewards what generalises. (BG/BB and sBG describe other data — discrete occasions,
 * contract renewals — and are not in this race.)
 */
import { bgnbdLogLikelihood, expectedPurchases, fitBgNbd, pAlive, unconditionalExpectedPurchases } from './bgnbd.ts';
import { fitMbgNbd, mbgNbdConditionalExpectedPurchases, mbgNbdExpectedPurchases, mbgNbdLogLikelihood, mbgNbdPAlive } from './mbg-nbd.ts';
import type { MinimizeOptions } from './optimize.ts';
import { fitParetoNbd, paretoNbdConditionalExpectedPurchases, paretoNbdExpectedPurchases, paretoNbdLogLikelihood, paretoNbdPAlive } from './pareto-nbd.ts';
import { validateRfm, type RfmData } from './rfm-data.ts';

export const CUSTOMER_MODELS = ['bgnbd', 'mbgnbd', 'paretonbd'] as const;
export type CustomerModel = (typeof CUSTOMER_MODELS)[number];

/** A fitted model behind one interface (the report and the scoring run's choice use it). */
export interface FittedCustomerModel {
  model: CustomerModel;
  params: Record<string, number>;
  logLikelihood: number;
  converged: boolean;
  /** Sum of the log-likelihoods of `data`'s rows under this fit. */
  logLikelihoodOf(data: RfmData): number;
  pAlive(x: number, tx: number, T: number): number;
  /** E[Y(t) | x, t_x, T]. */
  expected(t: number, x: number, tx: number, T: number): number;
  /** E[X(t)] of a customer just acquired. */
  unconditional(t: number): number;
}

/**
 * `options.start`: a starting point in the model's own parameter names (e.g. an earlier fit of the
 * same model on similar customers — the scoring run starts each store's fit from its race's).
 */
export function fitCustomerModel(model: CustomerModel, data: RfmData, options: MinimizeOptions & { start?: Record<string, number> } = {}): FittedCustomerModel {
  const { start, ...minimize } = options;
  const has = (...names: string[]) => start !== undefined && names.every((n) => start[n]! > 0);
  if (model === 'bgnbd') {
    const f = fitBgNbd(data, { ...minimize, ...(has('r', 'alpha', 'a', 'b') ? { start: { r: start!.r!, alpha: start!.alpha!, a: start!.a!, b: start!.b! } } : {}) });
    return {
      model,
      params: { r: f.r, alpha: f.alpha, a: f.a, b: f.b },
      logLikelihood: f.logLikelihood,
      converged: f.converged,
      logLikelihoodOf: (d) => bgnbdLogLikelihood(f, d, validateRfm(d)),
      pAlive: (x, tx, T) => pAlive(f, x, tx, T),
      expected: (t, x, tx, T) => expectedPurchases(f, t, x, tx, T),
      unconditional: (t) => unconditionalExpectedPurchases(f, t),
    };
  }
  if (model === 'mbgnbd') {
    const f = fitMbgNbd(data, { ...minimize, ...(has('r', 'alpha', 'a', 'b') ? { start: { r: start!.r!, alpha: start!.alpha!, a: start!.a!, b: start!.b! } } : {}) });
    return {
      model,
      params: { r: f.r, alpha: f.alpha, a: f.a, b: f.b },
      logLikelihood: f.logLikelihood,
      converged: f.converged,
      logLikelihoodOf: (d) => mbgNbdLogLikelihood(f, d),
      pAlive: (x, tx, T) => mbgNbdPAlive(f, x, tx, T),
      expected: (t, x, tx, T) => mbgNbdConditionalExpectedPurchases(f, t, x, tx, T),
      unconditional: (t) => mbgNbdExpectedPurchases(f, t),
    };
  }
  const f = fitParetoNbd(data, { ...minimize, ...(has('r', 'alpha', 's', 'beta') ? { start: { r: start!.r!, alpha: start!.alpha!, s: start!.s!, beta: start!.beta! } } : {}) });
  return {
    model,
    params: { r: f.r, alpha: f.alpha, s: f.s, beta: f.beta },
    logLikelihood: f.logLikelihood,
    converged: f.converged,
    logLikelihoodOf: (d) => paretoNbdLogLikelihood(f, d),
    pAlive: (x, tx, T) => paretoNbdPAlive(f, x, tx, T),
    expected: (t, x, tx, T) => paretoNbdConditionalExpectedPurchases(f, t, x, tx, T),
    unconditional: (t) => paretoNbdExpectedPurchases(f, t),
  };
}

export interface ModelComparison {
  /** The model with the highest holdout log-likelihood. */
  chosen: CustomerModel;
  fitCustomers: number;
  holdoutCustomers: number;
  models: Array<{ model: CustomerModel; params: Record<string, number>; fitLogLikelihood: number; holdoutLogLikelihood: number; converged: boolean }>;
}

/** Splits `data` (every `every`-th row held out, default 5), fits each model, scores the held-out rows. */
export function compareCustomerModels(data: RfmData, opts: { every?: number; models?: readonly CustomerModel[]; minimize?: MinimizeOptions } = {}): ModelComparison {
  validateRfm(data);
  const every = opts.every ?? 5;
  const pick = (keep: (i: number) => boolean): RfmData => {
    const idx = [...Array(data.x.length).keys()].filter(keep);
    return {
      x: Float64Array.from(idx, (i) => data.x[i]!),
      tx: Float64Array.from(idx, (i) => data.tx[i]!),
      T: Float64Array.from(idx, (i) => data.T[i]!),
      ...(data.weight ? { weight: Float64Array.from(idx, (i) => data.weight![i]!) } : {}),
    };
  };
  const fitSet = pick((i) => i % every !== every - 1);
  const holdSet = pick((i) => i % every === every - 1);
  if (holdSet.x.length === 0 || fitSet.x.length === 0) throw new RangeError(`need at least ${every} customers to hold every ${every}th out`);
  const models = (opts.models ?? CUSTOMER_MODELS).map((m) => {
    let f: FittedCustomerModel;
    try {
      f = fitCustomerModel(m, fitSet, opts.minimize);
    } catch (e) {
      // A model that cannot be fitted on these customers leaves the race; the others still compare.
      if (e instanceof RangeError) return { model: m, params: {}, fitLogLikelihood: -Infinity, holdoutLogLikelihood: -Infinity, converged: false };
      throw e;
    }
    return { model: m, params: f.params, fitLogLikelihood: f.logLikelihood, holdoutLogLikelihood: f.logLikelihoodOf(holdSet), converged: f.converged };
  });
  const best = models.filter((m) => Number.isFinite(m.holdoutLogLikelihood)).sort((a, b) => b.holdoutLogLikelihood - a.holdoutLogLikelihood)[0];
  return { chosen: best?.model ?? 'bgnbd', fitCustomers: fitSet.x.length, holdoutCustomers: holdSet.x.length, models };
}

