/**
 * L2-regularised logistic regression fitted by Newton's method (IRLS) on standardised columns:
 * the supervised churn layer (learned.ts) has a dozen features, so the exact Hessian is tiny
 * and a handful of iterations converge; no package needed. Columns with no spread in the
 * training rows get weight 0 (a signal the chain does not record cannot be learned).
 */

export interface LogisticModel {
  /** Per-column mean and standard deviation used to standardise (sd 0 = column unused). */
  mean: number[];
  sd: number[];
  /** Weights on the standardised columns; `bias` is the intercept. */
  weights: number[];
  bias: number;
  iterations: number;
}

export interface LogisticOptions {
  /** L2 penalty on the standardised weights (not on the intercept), per training row. Default 1e-3. */
  lambda?: number;
  maxIterations?: number;
}

/** Fits P(y = 1 | x) = σ(bias + w·z), z the standardised row. `rows` are equally long feature vectors. */
export function fitLogistic(rows: ArrayLike<number>[], y: ArrayLike<boolean>, options: LogisticOptions = {}): LogisticModel {
  const n = rows.length;
  if (n === 0) throw new RangeError('no training rows');
  const d = rows[0]!.length;
  const lambda = (options.lambda ?? 1e-3) * n;
  const mean = new Array<number>(d).fill(0);
  const sd = new Array<number>(d).fill(0);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j]! += r[j]! / n;
  for (const r of rows) for (let j = 0; j < d; j++) sd[j]! += (r[j]! - mean[j]!) ** 2 / n;
  for (let j = 0; j < d; j++) sd[j] = sd[j]! > 1e-12 ? Math.sqrt(sd[j]!) : 0;
  const used = [...Array(d).keys()].filter((j) => sd[j]! > 0);
  const k = used.length + 1; // intercept last
  const Z = rows.map((r) => {
    const z = new Float64Array(k);
    used.forEach((j, c) => (z[c] = (r[j]! - mean[j]!) / sd[j]!));
    z[k - 1] = 1;
    return z;
  });
  const beta = new Float64Array(k);
  let pos = 0;
  for (let i = 0; i < n; i++) if (y[i]) pos++;
  beta[k - 1] = Math.log((pos + 0.5) / (n - pos + 0.5));
  let it = 0;
  for (; it < (options.maxIterations ?? 50); it++) {
    const g = new Float64Array(k);
    const H = new Float64Array(k * k);
    for (let i = 0; i < n; i++) {
      const z = Z[i]!;
      let eta = 0;
      for (let c = 0; c < k; c++) eta += z[c]! * beta[c]!;
      const p = 1 / (1 + Math.exp(-eta));
      const w = Math.max(p * (1 - p), 1e-10);
      const r = (y[i] ? 1 : 0) - p;
      for (let a = 0; a < k; a++) {
        g[a]! += r * z[a]!;
        const wa = w * z[a]!;
        for (let b = a; b < k; b++) H[a * k + b]! += wa * z[b]!;
      }
    }
    for (let a = 0; a < k - 1; a++) {
      g[a]! -= lambda * beta[a]!;
      H[a * k + a]! += lambda;
    }
    for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) H[a * k + b] = H[b * k + a]!;
    const step = solve(H, g, k);
    let max = 0;
    for (let c = 0; c < k; c++) {
      beta[c]! += step[c]!;
      max = Math.max(max, Math.abs(step[c]!));
    }
    if (max < 1e-8) break;
  }
  const weights = new Array<number>(d).fill(0);
  used.forEach((j, c) => (weights[j] = beta[c]!));
  return { mean, sd, weights, bias: beta[k - 1]!, iterations: it + 1 };
}

/** P(y = 1) of one feature row under the model. */
export function predictLogistic(m: LogisticModel, row: ArrayLike<number>): number {
  let eta = m.bias;
  for (let j = 0; j < m.weights.length; j++) if (m.sd[j]! > 0) eta += (m.weights[j]! * (row[j]! - m.mean[j]!)) / m.sd[j]!;
  return 1 / (1 + Math.exp(-eta));
}

/** Solves the symmetric positive-definite system H·s = g (Gaussian elimination with partial pivoting). */
function solve(H: Float64Array, g: Float64Array, k: number): Float64Array {
  const A = Float64Array.from(H);
  const b = Float64Array.from(g);
  for (let c = 0; c < k; c++) {
    let piv = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(A[r * k + c]!) > Math.abs(A[piv * k + c]!)) piv = r;
    if (piv !== c) {
      for (let j = 0; j < k; j++) [A[c * k + j], A[piv * k + j]] = [A[piv * k + j]!, A[c * k + j]!];
      [b[c], b[piv]] = [b[piv]!, b[c]!];
    }
    const d = A[c * k + c]! || 1e-12;
    for (let r = c + 1; r < k; r++) {
      const f = A[r * k + c]! / d;
      if (f === 0) continue;
      for (let j = c; j < k; j++) A[r * k + j]! -= f * A[c * k + j]!;
      b[r]! -= f * b[c]!;
    }
  }
  const s = new Float64Array(k);
  for (let r = k - 1; r >= 0; r--) {
    let v = b[r]!;
    for (let j = r + 1; j < k; j++) v -= A[r * k + j]! * s[j]!;
    s[r] = v / (A[r * k + r]! || 1e-12);
  }
  return s;
}
