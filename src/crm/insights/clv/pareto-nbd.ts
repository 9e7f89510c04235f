/**
 * Pareto/NBD model of Schmittlein, Morrison & Colombo (1987), in the form of Fader & Hardie's
 * note "A Note on Deriving the Pareto/NBD Model and Related Expressions" (2005): while alive a
 * customer buys as a Poisson process with rate λ ~ Gamma(r, α) and her lifetime is exponential
 * with rate μ ~ Gamma(s, β). Same summaries as BG/NBD (x repeat purchases, t_x, T; weeks).
 * Unlike BG/NBD a customer can die before her first repeat purchase, so P(alive) < 1 for x = 0.
 */
import { fitPositive, type MinimizeOptions } from './optimize.ts';
import { aggregateRfm, meanAge, validateRfm, type RfmData } from './rfm-data.ts';
import { hyp2f1, lgamma } from './special.ts';

export interface ParetoNbdParams {
  r: number;
  alpha: number;
  s: number;
  beta: number;
}

export interface ParetoNbdFit extends ParetoNbdParams {
  logLikelihood: number;
  converged: boolean;
  evaluations: number;
}

/** log(e^a + e^b) without overflow. */
function logAdd(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/**
 * ln A0 of the note's eq. (19)–(20): with the larger of α, β as the base and 2F1 over the
 * difference, A0 = F(t_x)/(m+t_x)^(r+s+x) − F(T)/(m+T)^(r+s+x), computed as a log difference.
 * Returns −∞ when t_x = T (A0 = 0).
 */
function logA0(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const rsx = r + s + x;
  const [m, b] = alpha >= beta ? [alpha, s + 1] : [beta, r + x];
  const d = Math.abs(alpha - beta);
  const l1 = Math.log(hyp2f1(rsx, b, rsx + 1, d / (m + tx))) - rsx * Math.log(m + tx);
  const l2 = Math.log(hyp2f1(rsx, b, rsx + 1, d / (m + T))) - rsx * Math.log(m + T);
  if (!(l1 > l2)) return -Infinity;
  return l1 + Math.log1p(-Math.exp(l2 - l1));
}

/** One customer's log-likelihood (the note's eq. 21 in logs); `weight` customers alike. */
export function paretoNbdCustomerLogLikelihood(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const head = lgamma(r + x) - lgamma(r) + r * Math.log(alpha) + s * Math.log(beta);
  const alive = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  const dead = Math.log(s / (r + s + x)) + logA0(p, x, tx, T);
  return head + logAdd(alive, dead);
}

/** Sum of the customers' log-likelihoods (weights honoured). */
export function paretoNbdLogLikelihood(p: ParetoNbdParams, data: RfmData): number {
  const { r, alpha, s, beta } = p;
  if (!(r > 0 && alpha > 0 && s > 0 && beta > 0)) return -Infinity;
  let ll = 0;
  try {
    for (let i = 0; i < data.x.length; i++) {
      ll += (data.weight?.[i] ?? 1) * paretoNbdCustomerLogLikelihood(p, data.x[i] ?? 0, data.tx[i] ?? 0, data.T[i] ?? 0);
    }
  } catch (e) {
    // 2F1 of A0 does not converge (special.ts) only far out — r + s + x in the thousands with
    // α/(α+T) ≈ 1 — where a fit's simplex can wander on a small store: infeasible, so the
    // optimiser turns back instead of the fit (and the per-store race) failing.
    if (e instanceof RangeError) return -Infinity;
    throw e;
  }
  return ll;
}

export interface ParetoNbdFitOptions extends MinimizeOptions {
  start?: ParetoNbdParams;
}

/** Maximum-likelihood fit (Nelder–Mead in log-parameters, optimize.ts) over identical rows merged. */
export function fitParetoNbd(data: RfmData, options: ParetoNbdFitOptions = {}): ParetoNbdFit {
  validateRfm(data);
  const rows = aggregateRfm(data);
  const meanT = meanAge(rows);
  const { r, alpha, s, beta, logLikelihood, converged, evaluations } = fitPositive(['r', 'alpha', 's', 'beta'], options.start ?? { r: 1, alpha: meanT, s: 1, beta: meanT }, (p) => paretoNbdLogLikelihood(p, rows), options);
  return { r, alpha, s, beta, logLikelihood, converged, evaluations };
}

/** P(alive | x, t_x, T) — the note's eq. (22): 1 / (1 + s/(r+s+x) · (α+T)^(r+x) (β+T)^s · A0). */
export function paretoNbdPAlive(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const logOdds = Math.log(s / (r + s + x)) + (r + x) * Math.log(alpha + T) + s * Math.log(beta + T) + logA0(p, x, tx, T);
  return 1 / (1 + Math.exp(logOdds));
}

/** E[X(t)] of a new customer (eq. 17): rβ/(α(s−1)) · [1 − (β/(β+t))^(s−1)]; s = 1 by its limit. */
export function paretoNbdExpectedPurchases(p: ParetoNbdParams, t: number): number {
  const { r, alpha, s, beta } = p;
  if (t <= 0) return 0;
  if (Math.abs(s - 1) < 1e-9) return ((r * beta) / alpha) * Math.log((beta + t) / beta);
  return ((r * beta) / (alpha * (s - 1))) * (1 - Math.pow(beta / (beta + t), s - 1));
}

/** E[Y(t) | x, t_x, T] (eq. 23): P(alive) × the expectation under the posterior Gamma(r+x, α+T), Gamma(s, β+T). */
export function paretoNbdConditionalExpectedPurchases(p: ParetoNbdParams, t: number, x: number, tx: number, T: number): number {
  return paretoNbdPAlive(p, x, tx, T) * paretoNbdExpectedPurchases({ r: p.r + x, alpha: p.alpha + T, s: p.s, beta: p.beta + T }, t);
}
