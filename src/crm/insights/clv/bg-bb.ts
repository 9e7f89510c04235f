/**
 * BG/BB ("beta-geometric / beta-binomial") model of Fader, Hardie & Shang (2010),
 * "Customer-Base Analysis in a Discrete-Time Noncontractual Setting", Marketing Science 29(6);
 * equation numbers below refer to that paper. For purchases that can only happen at discrete
 * occasions — a restaurant's weekly visit (did the member come this week or not), an annual
 * donation: while alive a customer transacts at each occasion with probability p ~ Beta(α, β)
 * and, between occasions, dies with probability θ ~ Beta(γ, δ).
 * A customer is summarised by x (occasions with a transaction after the first one), t_x (the
 * occasion of the last one, 0 when x = 0) and n (occasions observed after the first).
 */
import { fitPositive, type MinimizeOptions } from './optimize.ts';
import { lbeta, lgamma } from './special.ts';

export interface BgBbParams {
  alpha: number;
  beta: number;
  gamma: number;
  delta: number;
}

export interface BgBbFit extends BgBbParams {
  logLikelihood: number;
  converged: boolean;
  evaluations: number;
}

/** Discrete summaries, one row per customer or per identical (x, t_x, n) with a weight. */
export interface BgBbData {
  x: ArrayLike<number>;
  tx: ArrayLike<number>;
  n: ArrayLike<number>;
  weight?: ArrayLike<number>;
}

function logAdd(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** ln L(α, β, γ, δ | x, t_x, n) — eq. (5): alive through n, or died after occasion t_x + i. */
export function bgBbCustomerLogLikelihood(p: BgBbParams, x: number, tx: number, n: number): number {
  const { alpha, beta, gamma, delta } = p;
  const bab = lbeta(alpha, beta);
  const bgd = lbeta(gamma, delta);
  let ll = lbeta(alpha + x, beta + n - x) - bab + lbeta(gamma, delta + n) - bgd;
  for (let i = 0; i <= n - tx - 1; i++) ll = logAdd(ll, lbeta(alpha + x, beta + tx - x + i) - bab + lbeta(gamma + 1, delta + tx + i) - bgd);
  return ll;
}

export function bgBbLogLikelihood(p: BgBbParams, data: BgBbData): number {
  if (!(p.alpha > 0 && p.beta > 0 && p.gamma > 0 && p.delta > 0)) return -Infinity;
  let ll = 0;
  for (let i = 0; i < data.x.length; i++) ll += (data.weight?.[i] ?? 1) * bgBbCustomerLogLikelihood(p, data.x[i] ?? 0, data.tx[i] ?? 0, data.n[i] ?? 0);
  return ll;
}

/** Checks 0 ≤ x ≤ t_x ≤ n, integers, t_x = 0 when x = 0 (and x ≤ t_x: one transaction per occasion). */
export function validateBgBb(data: BgBbData): void {
  const len = data.x.length;
  if (data.tx.length !== len || data.n.length !== len || (data.weight && data.weight.length !== len)) throw new RangeError('BG/BB arrays differ in length');
  if (len === 0) throw new RangeError('no customers to fit');
  for (let i = 0; i < len; i++) {
    const x = data.x[i] ?? NaN;
    const tx = data.tx[i] ?? NaN;
    const n = data.n[i] ?? NaN;
    if (![x, tx, n].every((v) => Number.isInteger(v) && v >= 0) || x > tx || tx > n || (x === 0 && tx !== 0)) {
      throw new RangeError(`row ${i}: need integers 0 ≤ x ≤ t_x ≤ n (t_x = 0 when x = 0), got x=${x}, t_x=${tx}, n=${n}`);
    }
  }
}

/** Identical (x, t_x, n) rows merged with weights: with weekly occasions there are few distinct ones. */
function aggregate(data: BgBbData): Required<BgBbData> {
  const at = new Map<string, number>();
  const x: number[] = [];
  const tx: number[] = [];
  const n: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < data.x.length; i++) {
    const key = `${data.x[i]}|${data.tx[i]}|${data.n[i]}`;
    const k = at.get(key);
    if (k === undefined) {
      at.set(key, x.length);
      x.push(data.x[i] ?? 0);
      tx.push(data.tx[i] ?? 0);
      n.push(data.n[i] ?? 0);
      w.push(data.weight?.[i] ?? 1);
    } else w[k] = (w[k] ?? 0) + (data.weight?.[i] ?? 1);
  }
  return { x, tx, n, weight: w };
}

export interface BgBbFitOptions extends MinimizeOptions {
  start?: BgBbParams;
}

/** Maximum-likelihood fit (optimize.ts, log-parameters). */
export function fitBgBb(data: BgBbData, options: BgBbFitOptions = {}): BgBbFit {
  validateBgBb(data);
  const rows = aggregate(data);
  const { alpha, beta, gamma, delta, logLikelihood, converged, evaluations } = fitPositive(['alpha', 'beta', 'gamma', 'delta'], options.start ?? { alpha: 1, beta: 1, gamma: 1, delta: 1 }, (p) => bgBbLogLikelihood(p, rows), options);
  return { alpha, beta, gamma, delta, logLikelihood, converged, evaluations };
}

/** P(alive at occasion n + m | x, t_x, n) — eq. (11) with B(γ, δ+n+m). */
export function bgBbPAlive(p: BgBbParams, x: number, tx: number, n: number, m = 1): number {
  const { alpha, beta, gamma, delta } = p;
  return Math.exp(lbeta(alpha + x, beta + n - x) - lbeta(alpha, beta) + lbeta(gamma, delta + n + m) - lbeta(gamma, delta) - bgBbCustomerLogLikelihood(p, x, tx, n));
}

/** P(X(n) = x) for a new customer over n occasions — eq. (7). */
export function bgBbProbabilityOfTransactions(p: BgBbParams, n: number, x: number): number {
  const { alpha, beta, gamma, delta } = p;
  const lchoose = (a: number, b: number) => lgamma(a + 1) - lgamma(b + 1) - lgamma(a - b + 1);
  const bab = lbeta(alpha, beta);
  const bgd = lbeta(gamma, delta);
  let sum = Math.exp(lchoose(n, x) + lbeta(alpha + x, beta + n - x) - bab + lbeta(gamma, delta + n) - bgd);
  for (let i = x; i <= n - 1; i++) sum += Math.exp(lchoose(i, x) + lbeta(alpha + x, beta + i - x) - bab + lbeta(gamma + 1, delta + i) - bgd);
  return sum;
}

/** E[X(n, n+n*) | x, t_x, n]: expected transactions in the next n* occasions — eq. (13). */
export function bgBbConditionalExpectedTransactions(p: BgBbParams, nStar: number, x: number, tx: number, n: number): number {
  const { alpha, beta, gamma, delta } = p;
  if (nStar <= 0) return 0;
  const head = lbeta(alpha + x + 1, beta + n - x) - lbeta(alpha, beta) + lgamma(gamma + delta) - lgamma(1 + delta) - bgBbCustomerLogLikelihood(p, x, tx, n);
  const diff = Math.exp(lgamma(1 + delta + n) - lgamma(gamma + delta + n)) - Math.exp(lgamma(1 + delta + n + nStar) - lgamma(gamma + delta + n + nStar));
  return Math.exp(head) * (delta / (gamma - 1)) * diff;
}
