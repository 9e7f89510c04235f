/**
 * BG/NBD ("beta-geometric / negative binomial") model of Fader, Hardie & Lee (2005),
 * "Counting Your Customers the Easy Way", Marketing Science 24(2). Equation numbers below
 * refer to that paper.
 *
 * While alive a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after every
 * purchase she drops out with probability p ~ Beta(a, b). A customer is summarised by
 * x (repeat purchases), t_x (time of the last one) and T (time since the first purchase),
 * all in the time unit of the summaries (weeks for the published CDNOW figures).
 *
 * Caveat the churn code must know: P(alive) is 1 for every customer with x = 0, because
 * in this model dropout can only happen right after a purchase. P(alive) alone therefore
 * ranks one-time buyers badly; expected purchases (eq. 10) and the probability of no
 * purchase in a window (below) rank them sensibly.
 */
import { fitPositive, type MinimizeOptions } from './optimize.ts';
import { aggregateRfm, meanAge, validateRfm, type RfmData } from './rfm-data.ts';
import { hyp2f1, lgamma } from './special.ts';

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export interface BgNbdFit extends BgNbdParams {
  /** Total log-likelihood of the data at the fitted parameters (eq. 6 summed). */
  logLikelihood: number;
  converged: boolean;
  evaluations: number;
}

/**
 * Sum of the per-customer log-likelihoods (eq. 6, computed in the log form of FHL's
 * Excel note: ln L = A1 + A2 + ln(e^A3 + δ_{x>0} e^A4)).
 * `maxX` is the largest x in the data; the x-only terms (four lgamma calls) are computed
 * once per distinct x into `scratch` (length ≥ 2·(maxX+1)), so the loop over customers does
 * only logs and one exp and allocates nothing.
 */
export function bgnbdLogLikelihood(params: BgNbdParams, data: RfmData, maxX: number, scratch = new Float64Array(2 * (maxX + 1))): number {
  const { r, alpha, a, b } = params;
  if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) return -Infinity;
  const base = lgamma(a + b) - lgamma(b) - lgamma(r) + r * Math.log(alpha);
  const logA = Math.log(a);
  const stride = maxX + 1;
  for (let x = 0; x <= maxX; x++) {
    // A1 + A2 without the per-customer parts: lnΓ(r+x) − lnΓ(r) + r ln α + lnΓ(a+b) + lnΓ(b+x) − lnΓ(b) − lnΓ(a+b+x)
    scratch[x] = base + lgamma(r + x) + lgamma(b + x) - lgamma(a + b + x);
    // A4 without the t_x part: ln a − ln(b + x − 1); only used when x > 0.
    scratch[stride + x] = x > 0 ? logA - Math.log(b + x - 1) : 0;
  }
  const { x: xs, tx: txs, T: Ts, weight } = data;
  const n = xs.length;
  let ll = 0;
  for (let i = 0; i < n; i++) {
    const x = xs[i] ?? 0;
    const rx = r + x;
    const a3 = -rx * Math.log(alpha + (Ts[i] ?? 0));
    let li: number;
    if (x > 0) {
      const a4 = (scratch[stride + x] ?? 0) - rx * Math.log(alpha + (txs[i] ?? 0));
      // log(e^a3 + e^a4) without overflow
      li = a3 > a4 ? a3 + Math.log1p(Math.exp(a4 - a3)) : a4 + Math.log1p(Math.exp(a3 - a4));
    } else li = a3;
    ll += (weight ? (weight[i] ?? 1) : 1) * ((scratch[x] ?? 0) + li);
  }
  return ll;
}

export interface BgNbdFitOptions extends MinimizeOptions {
  /** Collapse identical (x, t_x, T) rows before fitting. Default true. */
  aggregate?: boolean;
  /** Starting point; default r = a = b = 1 and α = mean T (puts α on the data's time scale). */
  start?: BgNbdParams;
}

/**
 * Maximum-likelihood fit of the BG/NBD model (eq. 6), Nelder–Mead in log-parameter space.
 * For speed at a million members: identical (x, t_x, T) rows are merged with weights, and
 * ln(α+T), ln(α+t_x) are computed once per distinct T and t_x value (at day granularity there
 * are only as many as days in the history), so a likelihood evaluation costs one exp and one
 * log1p per row.
 */
export function fitBgNbd(data: RfmData, options: BgNbdFitOptions = {}): BgNbdFit {
  const maxX = validateRfm(data);
  const rows = options.aggregate === false ? data : aggregateRfm(data);
  const kernel = prepareKernel(rows, maxX);
  const meanT = meanAge(rows);
  const { r, alpha, a, b, logLikelihood, converged, evaluations } = fitPositive(['r', 'alpha', 'a', 'b'], options.start ?? { r: 1, alpha: meanT, a: 1, b: 1 }, (p) => kernelLogLikelihood(p, kernel), options);
  return { r, alpha, a, b, logLikelihood, converged, evaluations };
}

interface Kernel {
  n: number;
  maxX: number;
  x: Int32Array;
  w: Float64Array;
  tIndex: Uint32Array;
  txIndex: Uint32Array;
  tValues: Float64Array;
  txValues: Float64Array;
  /** Per evaluation: ln(α + tValues[k]) and ln(α + txValues[k]). */
  logT: Float64Array;
  logTx: Float64Array;
  scratch: Float64Array;
}

function prepareKernel(rows: RfmData, maxX: number): Kernel {
  const n = rows.x.length;
  const t = distinct(rows.T);
  const tx = distinct(rows.tx);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = rows.weight?.[i] ?? 1;
  return {
    n,
    maxX,
    x: Int32Array.from(rows.x),
    w,
    tIndex: t.index,
    txIndex: tx.index,
    tValues: t.values,
    txValues: tx.values,
    logT: new Float64Array(t.values.length),
    logTx: new Float64Array(tx.values.length),
    scratch: new Float64Array(2 * (maxX + 1)),
  };
}

function distinct(values: Float64Array): { values: Float64Array; index: Uint32Array } {
  const seen = new Map<number, number>();
  const index = new Uint32Array(values.length);
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? 0;
    let k = seen.get(v);
    if (k === undefined) {
      k = out.length;
      seen.set(v, k);
      out.push(v);
    }
    index[i] = k;
  }
  return { values: Float64Array.from(out), index };
}

/** bgnbdLogLikelihood over a prepared kernel (same sum, fewer logs); allocation-free. */
function kernelLogLikelihood(params: BgNbdParams, k: Kernel): number {
  const { r, alpha, a, b } = params;
  if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) return -Infinity;
  const { scratch, logT, logTx, tValues, txValues } = k;
  const base = lgamma(a + b) - lgamma(b) - lgamma(r) + r * Math.log(alpha);
  const logA = Math.log(a);
  const stride = k.maxX + 1;
  for (let x = 0; x <= k.maxX; x++) {
    scratch[x] = base + lgamma(r + x) + lgamma(b + x) - lgamma(a + b + x);
    scratch[stride + x] = x > 0 ? logA - Math.log(b + x - 1) : 0;
  }
  for (let j = 0; j < tValues.length; j++) logT[j] = Math.log(alpha + (tValues[j] ?? 0));
  for (let j = 0; j < txValues.length; j++) logTx[j] = Math.log(alpha + (txValues[j] ?? 0));
  const { x: xs, w, tIndex, txIndex } = k;
  let ll = 0;
  for (let i = 0; i < k.n; i++) {
    const x = xs[i] ?? 0;
    const rx = r + x;
    const a3 = -rx * (logT[tIndex[i] ?? 0] ?? 0);
    let li: number;
    if (x > 0) {
      const a4 = (scratch[stride + x] ?? 0) - rx * (logTx[txIndex[i] ?? 0] ?? 0);
      li = a3 > a4 ? a3 + Math.log1p(Math.exp(a4 - a3)) : a4 + Math.log1p(Math.exp(a3 - a4));
    } else li = a3;
    ll += (w[i] ?? 1) * ((scratch[x] ?? 0) + li);
  }
  return ll;
}

/**
 * P(alive | x, t_x, T) — Fader, Hardie & Lee's note "Computing P(alive) using the BG/NBD
 * model" (2008); the same ratio is the denominator of eq. 10:
 * 1 / (1 + δ_{x>0} · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)).
 * Equals 1 whenever x = 0 (see the module caveat).
 */
export function pAlive(params: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 1;
  const { r, alpha, a, b } = params;
  const logOdds = Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * E[X(t)], the expected number of purchases in (0, t] of a new customer (eq. 9):
 * (a+b−1)/(a−1) · [1 − (α/(α+t))^r · 2F1(r, b; a+b−1; t/(α+t))].
 * Undefined (NaN) in the degenerate cases a = 1 or a + b ≤ 1.
 */
export function unconditionalExpectedPurchases(params: BgNbdParams, t: number): number {
  const { r, alpha, a, b } = params;
  if (t <= 0) return 0;
  if (a === 1 || a + b <= 1) return NaN;
  const z = t / (alpha + t);
  return ((a + b - 1) / (a - 1)) * (1 - Math.pow(alpha / (alpha + t), r) * hyp2f1(r, b, a + b - 1, z));
}

/**
 * E[Y(t) | x, t_x, T], expected purchases in (T, T+t] of a customer with history
 * (x, t_x, T) — eq. 10. Computed as P(alive) × eq. 9 with the posterior parameters
 * r+x, α+T, a, b+x (given alive at T, λ ~ Gamma(r+x, α+T), p ~ Beta(a, b+x) and the process
 * restarts at T); multiplying out gives eq. 10 term for term.
 */
export function expectedPurchases(params: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = params;
  return pAlive(params, x, tx, T) * unconditionalExpectedPurchases({ r: r + x, alpha: alpha + T, a, b: b + x }, t);
}

/**
 * P(Y(t) = 0 | x, t_x, T): probability of no purchase in (T, T+t]. By the posterior mixture:
 * with probability 1 − P(alive) the customer is gone and buys nothing; otherwise she is
 * alive at T with λ ~ Gamma(r+x, α+T), and since dropout only follows a purchase, "no
 * purchase in t" is just "no Poisson event in t": E[e^{−λt}] = ((α+T)/(α+T+t))^(r+x). So
 *   P(Y(t)=0 | ·) = 1 − P(alive) + P(alive) · ((α+T)/(α+T+t))^(r+x).
 * (This is the y = 0 case of FHL's conditional PMF note, and for x = t_x = T = 0 reduces to
 * the unconditional P(X(t)=0) = (α/(α+t))^r of eq. 8.) Used as the churn risk score.
 */
export function probabilityNoPurchase(params: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  const { r, alpha } = params;
  const alive = pAlive(params, x, tx, T);
  return 1 - alive + alive * Math.exp((r + x) * (Math.log(alpha + T) - Math.log(alpha + T + t)));
}

/**
 * BG/NBD's outputs for many customers of one fit, at a horizon `t` and a longer one `tLong`
 * (the scoring run: 90 days and the CLV's 12 months), each exactly the number pAlive,
 * expectedPurchases and probabilityNoPurchase give — the same operations on the same values —
 * with P(alive) computed once per customer instead of once per output, and the parts that depend
 * on (x, T) alone — eq. 9 with the posterior parameters (a 2F1 series of hundreds of terms for a
 * young customer over 12 months) and P(no event in t | alive) — once per distinct (x, T) where T
 * is a whole number of `1 / perUnit` (days in weeks: perUnit 7; other T are computed each time):
 * a million customers have far fewer such pairs. `score` leaves P(alive), P(no purchase in t)
 * and the expected purchases in t in the fields; `expectedLong` is computed when asked.
 */
export class BgNbdScorer {
  pAlive = NaN;
  pNoPurchase = NaN;
  expected = NaN;
  /** By x, then T · perUnit (small integers: array indexes, no hashing of doubles): the parts below. */
  private readonly byX: (Parts | undefined)[][] = [];
  private parts: Parts = { T: NaN, x: 0, u: NaN, q: NaN, uLong: NaN, long: false };

  constructor(
    private readonly params: BgNbdParams,
    private readonly t: number,
    private readonly tLong: number,
    private readonly perUnit = 1,
  ) {}

  score(x: number, tx: number, T: number): void {
    const k = T * this.perUnit;
    const memo = Number.isInteger(k) && k >= 0 && k < 1 << 20 && Number.isInteger(x) && x >= 0 && x < 1 << 16;
    let parts = memo ? this.byX[x]?.[k] : undefined;
    if (!parts || parts.T !== T) {
      const { r, alpha, a, b } = this.params;
      parts = { T, x, u: unconditionalExpectedPurchases({ r: r + x, alpha: alpha + T, a, b: b + x }, this.t), q: Math.exp((r + x) * (Math.log(alpha + T) - Math.log(alpha + T + this.t))), uLong: NaN, long: false };
      if (memo) (this.byX[x] ??= [])[k] = parts;
    }
    this.parts = parts;
    const alive = pAlive(this.params, x, tx, T);
    this.pAlive = alive;
    // As expectedPurchases and probabilityNoPurchase write them.
    this.expected = alive * parts.u;
    this.pNoPurchase = 1 - alive + alive * parts.q;
  }

  /** expectedPurchases at tLong of the customer last scored. */
  expectedLong(): number {
    const parts = this.parts;
    if (!parts.long) {
      const { r, alpha, a, b } = this.params;
      parts.uLong = unconditionalExpectedPurchases({ r: r + parts.x, alpha: alpha + parts.T, a, b: b + parts.x }, this.tLong);
      parts.long = true;
    }
    return this.pAlive * parts.uLong;
  }
}

/** BgNbdScorer's parts of one (x, T): eq. 9 at t (u) and at tLong (uLong, once `long`), P(no event in t | alive) (q). */
interface Parts {
  T: number;
  x: number;
  u: number;
  q: number;
  uLong: number;
  long: boolean;
}
