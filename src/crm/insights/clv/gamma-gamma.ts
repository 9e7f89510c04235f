/**
 * Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005, "RFM and CLV:
 * Using Iso-Value Curves for Customer Base Analysis", JMR 42(4), §4, and Fader & Hardie's
 * note "The Gamma-Gamma Model of Monetary Value", 2013).
 *
 * A customer's transaction values are Gamma(p, ν); ν varies across customers as
 * Gamma(q, γ). The model sees each repeat customer through x (repeat purchases) and m_x
 * (their mean value) and is fitted on customers with x > 0 only. It assumes spend is
 * independent of the purchase process, so CLV = expected purchases (BG/NBD) × expected spend.
 */
import { expectedPurchases, type BgNbdParams } from './bgnbd.ts';
import { fitPositive, type MinimizeOptions } from './optimize.ts';
import { lgamma } from './special.ts';

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

export interface GammaGammaFit extends GammaGammaParams {
  logLikelihood: number;
  /** Customers the fit used (x > 0 and m_x > 0). */
  customers: number;
  converged: boolean;
  evaluations: number;
}

export interface SpendData {
  /** Repeat purchases x. */
  x: Float64Array;
  /** Mean spend of those repeat purchases m_x. */
  monetary: Float64Array;
  weight?: Float64Array;
}

/**
 * Log-likelihood of the observed means: Σ ln f(m_x | p, q, γ; x) with the density of the
 * mean of x Gamma(p, ν) values mixed over ν (FHL 2005 "RFM and CLV", eq. 3):
 *   f(m_x) = Γ(px+q) / (Γ(px) Γ(q)) · γ^q · m_x^(px−1) · x^(px) / (γ + x m_x)^(px+q).
 * Every term is kept (no constant dropped), which is the definition the published CDNOW
 * value −4055.9 uses. Rows with x = 0 or m_x ≤ 0 are skipped (the density is for m_x > 0).
 */
export function gammaGammaLogLikelihood(params: GammaGammaParams, data: SpendData): number {
  const { p, q, gamma } = params;
  if (!(p > 0 && q > 0 && gamma > 0)) return -Infinity;
  const base = q * Math.log(gamma) - lgamma(q);
  const { x: xs, monetary: ms, weight } = data;
  let ll = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] ?? 0;
    const m = ms[i] ?? 0;
    if (!(x > 0 && m > 0)) continue;
    const px = p * x;
    const li = lgamma(px + q) - lgamma(px) + base + (px - 1) * Math.log(m) + px * Math.log(x) - (px + q) * Math.log(gamma + x * m);
    ll += (weight ? (weight[i] ?? 1) : 1) * li;
  }
  return ll;
}

export interface GammaGammaFitOptions extends MinimizeOptions {
  /** Starting point; default p = q = 1, γ = mean m_x. */
  start?: GammaGammaParams;
}

/**
 * Maximum-likelihood fit on the repeat customers (x > 0, m_x > 0). Throws when there are none.
 * The data are first compacted to those customers with ln m_x and ln x precomputed, and the
 * x-only terms lnΓ(px+q) − lnΓ(px) are evaluated once per distinct x, so an evaluation costs
 * one log per customer (the fit of a million members stays in seconds).
 */
export function fitGammaGamma(data: SpendData, options: GammaGammaFitOptions = {}): GammaGammaFit {
  const rows = compactSpend(data);
  if (rows.n === 0) throw new RangeError('Gamma-Gamma needs at least one repeat customer with positive spend');
  const scratch = new Float64Array(rows.maxX + 1);
  const { p, q, gamma, logLikelihood, converged, evaluations } = fitPositive(['p', 'q', 'gamma'], options.start ?? { p: 1, q: 1, gamma: rows.meanM }, (params) => spendKernel(params, rows, scratch), options);
  return { p, q, gamma, logLikelihood, customers: rows.customers, converged, evaluations };
}

interface CompactSpend {
  n: number;
  customers: number;
  meanM: number;
  maxX: number;
  x: Int32Array;
  m: Float64Array;
  lnm: Float64Array;
  lnx: Float64Array;
  w: Float64Array;
}

function compactSpend(data: SpendData): CompactSpend {
  let n = 0;
  let maxX = 0;
  for (let i = 0; i < data.x.length; i++) {
    const x = data.x[i] ?? 0;
    if (x > 0 && (data.monetary[i] ?? 0) > 0) {
      if (!Number.isInteger(x)) throw new RangeError(`row ${i}: x must be an integer, got ${x}`);
      n++;
      maxX = Math.max(maxX, x);
    }
  }
  const out: CompactSpend = { n, customers: 0, meanM: 0, maxX, x: new Int32Array(n), m: new Float64Array(n), lnm: new Float64Array(n), lnx: new Float64Array(n), w: new Float64Array(n) };
  let k = 0;
  for (let i = 0; i < data.x.length; i++) {
    const x = data.x[i] ?? 0;
    const m = data.monetary[i] ?? 0;
    if (!(x > 0 && m > 0)) continue;
    const w = data.weight?.[i] ?? 1;
    out.x[k] = x;
    out.m[k] = m;
    out.lnm[k] = Math.log(m);
    out.lnx[k] = Math.log(x);
    out.w[k] = w;
    out.customers += w;
    out.meanM += w * m;
    k++;
  }
  if (out.customers > 0) out.meanM /= out.customers;
  return out;
}

/** Same sum as gammaGammaLogLikelihood over compacted rows; allocation-free. */
function spendKernel(params: GammaGammaParams, rows: CompactSpend, scratch: Float64Array): number {
  const { p, q, gamma } = params;
  if (!(p > 0 && q > 0 && gamma > 0)) return -Infinity;
  const base = q * Math.log(gamma) - lgamma(q);
  for (let x = 1; x <= rows.maxX; x++) scratch[x] = lgamma(p * x + q) - lgamma(p * x) + base;
  const { x: xs, m, lnm, lnx, w } = rows;
  let ll = 0;
  for (let i = 0; i < rows.n; i++) {
    const x = xs[i] ?? 1;
    const px = p * x;
    ll += (w[i] ?? 1) * ((scratch[x] ?? 0) + (px - 1) * (lnm[i] ?? 0) + px * (lnx[i] ?? 0) - (px + q) * Math.log(gamma + x * (m[i] ?? 0)));
  }
  return ll;
}

/**
 * E[M | p, q, γ, m_x, x], the expected mean spend of a customer (FHL 2005 "RFM and CLV",
 * eq. 5): (p(γ + x m_x)) / (px + q − 1) — a weighted average of the population mean
 * pγ/(q−1) and the customer's own m_x, the latter weighted more as x grows.
 * With x = 0 it is the population mean. Needs q > 1 (otherwise the mean spend is infinite: NaN).
 */
export function expectedAverageSpend(params: GammaGammaParams, x: number, monetary: number): number {
  const { p, q, gamma } = params;
  if (!(q > 1)) return NaN;
  if (x <= 0) return (p * gamma) / (q - 1);
  return (p * (gamma + x * monetary)) / (p * x + q - 1);
}

export interface ClvOptions {
  /** Horizon in months. */
  months: number;
  /** Discount rate per month (0.01 = 1 %/month). Default 0. */
  monthlyDiscountRate?: number;
  /** Model time units per month; default 30.4375 / 7 (the summaries' default unit is a week). */
  unitsPerMonth?: number;
}

/**
 * Customer lifetime value over a horizon: Σ_{i=1..months} E[purchases in month i] ×
 * E[spend] / (1 + d)^i, with E[purchases in month i] = E[Y(i·u)] − E[Y((i−1)·u)] from the
 * BG/NBD conditional expectation (eq. 10) and E[spend] from Gamma-Gamma (eq. 5). This is the
 * simple discrete monthly discounting lifetimes uses, not FHL's continuous DERT; it is
 * enough to rank members and to size a segment's value.
 */
export function customerLifetimeValue(
  bg: BgNbdParams,
  gg: GammaGammaParams,
  history: { x: number; tx: number; T: number; monetary: number },
  options: ClvOptions,
): number {
  const { x, tx, T, monetary } = history;
  const d = options.monthlyDiscountRate ?? 0;
  const u = options.unitsPerMonth ?? 30.4375 / 7;
  const spend = expectedAverageSpend(gg, x, monetary);
  let value = 0;
  let previous = 0;
  for (let i = 1; i <= options.months; i++) {
    const cumulative = expectedPurchases(bg, i * u, x, tx, T);
    value += ((cumulative - previous) * spend) / Math.pow(1 + d, i);
    previous = cumulative;
  }
  return value;
}
