/**
 * MBG/NBD ("modified BG/NBD") of Batislam, Denizel & Filiztekin (2007), "Empirical validation
 * and comparison of models for customer base analysis", IJRM 24(3): BG/NBD (bgnbd.ts) with one
 * change — a customer may also drop out right after her FIRST purchase, not only after repeat
 * ones — so one-time buyers no longer all have P(alive) = 1. Same summaries (x, t_x, T; weeks).
 *
 * ln L = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x+1) − ln B(a, b)
 *        + ln[ (α+T)^−(r+x) + a/(b+x) · (α+t_x)^−(r+x) ]          (every x, also x = 0)
 */
import { fitPositive, type MinimizeOptions } from './optimize.ts';
import { aggregateRfm, meanAge, validateRfm, type RfmData } from './rfm-data.ts';
import { hyp2f1, lbeta, lgamma } from './special.ts';
import type { BgNbdParams } from './bgnbd.ts';

/** Same four parameters as BG/NBD: λ ~ Gamma(r, α), dropout p ~ Beta(a, b). */
export type MbgNbdParams = BgNbdParams;

export interface MbgNbdFit extends MbgNbdParams {
  logLikelihood: number;
  converged: boolean;
  evaluations: number;
}

export function mbgNbdCustomerLogLikelihood(p: MbgNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = p;
  const head = lgamma(r + x) - lgamma(r) + r * Math.log(alpha) + lbeta(a, b + x + 1) - lbeta(a, b);
  const a3 = -(r + x) * Math.log(alpha + T);
  const a4 = Math.log(a) - Math.log(b + x) - (r + x) * Math.log(alpha + tx);
  return head + (a3 > a4 ? a3 + Math.log1p(Math.exp(a4 - a3)) : a4 + Math.log1p(Math.exp(a3 - a4)));
}

export function mbgNbdLogLikelihood(p: MbgNbdParams, data: RfmData): number {
  if (!(p.r > 0 && p.alpha > 0 && p.a > 0 && p.b > 0)) return -Infinity;
  let ll = 0;
  for (let i = 0; i < data.x.length; i++) ll += (data.weight?.[i] ?? 1) * mbgNbdCustomerLogLikelihood(p, data.x[i] ?? 0, data.tx[i] ?? 0, data.T[i] ?? 0);
  return ll;
}

export interface MbgNbdFitOptions extends MinimizeOptions {
  start?: MbgNbdParams;
}

/** Maximum-likelihood fit (optimize.ts, log-parameters) over identical rows merged. */
export function fitMbgNbd(data: RfmData, options: MbgNbdFitOptions = {}): MbgNbdFit {
  validateRfm(data);
  const rows = aggregateRfm(data);
  const meanT = meanAge(rows);
  const { r, alpha, a, b, logLikelihood, converged, evaluations } = fitPositive(['r', 'alpha', 'a', 'b'], options.start ?? { r: 1, alpha: meanT, a: 1, b: 1 }, (p) => mbgNbdLogLikelihood(p, rows), options);
  return { r, alpha, a, b, logLikelihood, converged, evaluations };
}

/** P(alive | x, t_x, T) = 1 / (1 + a/(b+x) · ((α+T)/(α+t_x))^(r+x)); below 1 for x = 0 too. */
export function mbgNbdPAlive(p: MbgNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = p;
  return 1 / (1 + Math.exp(Math.log(a) - Math.log(b + x) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx))));
}

/** E[X(t)] of a new customer: b/(a−1) · [1 − (α/(α+t))^r · 2F1(r, b+1; a+b; t/(α+t))]; NaN for a = 1 (the formula's pole; a < 1 is fine). */
export function mbgNbdExpectedPurchases(p: MbgNbdParams, t: number): number {
  const { r, alpha, a, b } = p;
  if (t <= 0) return 0;
  if (a === 1) return NaN;
  return (b / (a - 1)) * (1 - Math.pow(alpha / (alpha + t), r) * hyp2f1(r, b + 1, a + b, t / (alpha + t)));
}

/**
 * E[Y(t) | x, t_x, T]: (a+b+x)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x+1; a+b+x; t/(α+T+t))]
 * × P(alive) — the BG/NBD eq. 10 with the dropout chance after every purchase including the first.
 */
export function mbgNbdConditionalExpectedPurchases(p: MbgNbdParams, t: number, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = p;
  if (t <= 0) return 0;
  if (a === 1) return NaN;
  const z = t / (alpha + T + t);
  const inner = ((a + b + x) / (a - 1)) * (1 - Math.pow((alpha + T) / (alpha + T + t), r + x) * hyp2f1(r + x, b + x + 1, a + b + x, z));
  return inner * mbgNbdPAlive(p, x, tx, T);
}
