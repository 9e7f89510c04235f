/**
 * A small derivative-free minimizer: Nelder–Mead with the dimension-adaptive coefficients of
 * Gao & Han (2012) and restarts from the best point (a fresh simplex escapes the collapsed
 * simplices plain Nelder–Mead is known to stall on). The model likelihoods here have 3–4
 * parameters, which is exactly where Nelder–Mead is robust and cheap.
 *
 * `minimizePositive` runs it in log-parameter space, so every parameter the objective sees
 * is strictly positive (all BG/NBD and Gamma-Gamma parameters are shape/scale parameters).
 */

export interface MinimizeOptions {
  /** Iteration cap per Nelder–Mead run. Default 5000. */
  maxIterations?: number;
  /**
   * Budget of objective evaluations over all runs. Default 4,000 (the CDNOW fits need ~700 and
   * ~1,200). A likelihood whose optimum
   * is at infinity (e.g. Gamma-Gamma on spend with no heterogeneity) then ends with
   * converged = false instead of running for an hour.
   */
  maxEvaluations?: number;
  /** Stop a run when the simplex spans less than this in every coordinate. Default 1e-10. */
  xTolerance?: number;
  /** …and the objective values differ by less than this (absolute + relative). Default 1e-12. */
  fTolerance?: number;
  /** Maximal number of restarts from the best point after a run converges. Default 8. */
  restarts?: number;
  /** Size of the initial simplex edge (in the optimizer's coordinates). Default 0.5. */
  initialStep?: number;
}

export interface MinimizeResult {
  x: number[];
  f: number;
  iterations: number;
  evaluations: number;
  /** True when the last run met both tolerances and a restart no longer improved f. */
  converged: boolean;
}

/** Objective: receives a scratch vector it must not keep. Non-finite values count as +∞. */
export type Objective = (x: Float64Array) => number;

/** Minimizes `f` from `x0` by Nelder–Mead with restarts. */
export function nelderMead(f: Objective, x0: ArrayLike<number>, options: MinimizeOptions = {}): MinimizeResult {
  const n = x0.length;
  if (n === 0) throw new RangeError('nelderMead: empty starting point');
  const maxIterations = options.maxIterations ?? 5000;
  const xTol = options.xTolerance ?? 1e-10;
  const fTol = options.fTolerance ?? 1e-12;
  const restarts = options.restarts ?? 8;
  const step = options.initialStep ?? 0.5;
  const maxEvaluations = options.maxEvaluations ?? 4_000;

  // Gao & Han (2012) adaptive coefficients: standard values for n = 2, gentler for larger n.
  const rho = 1;
  const chi = 1 + 2 / n;
  const psi = 0.75 - 1 / (2 * n);
  const sigma = 1 - 1 / n;

  // All storage is allocated once; the loop only reads and writes these arrays.
  const simplex = new Float64Array((n + 1) * n);
  const values = new Float64Array(n + 1);
  const centroid = new Float64Array(n);
  const xr = new Float64Array(n);
  const xe = new Float64Array(n);
  const xc = new Float64Array(n);
  const best = Float64Array.from(x0);
  let evaluations = 0;
  let iterations = 0;

  const evaluate = (x: Float64Array): number => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  const vertex = (i: number): Float64Array => simplex.subarray(i * n, (i + 1) * n);

  let bestF = evaluate(best);
  let converged = false;

  for (let run = 0; run <= restarts; run++) {
    // Fresh simplex around the best point so far.
    for (let i = 0; i <= n; i++) {
      const v = vertex(i);
      v.set(best);
      if (i > 0) v[i - 1] = (v[i - 1] ?? 0) + step;
      values[i] = i === 0 ? bestF : evaluate(v);
    }
    const startF = bestF;
    let runConverged = false;

    for (let it = 0; it < maxIterations && evaluations < maxEvaluations; it++) {
      iterations++;
      sortSimplex(simplex, values, n);
      if (spread(simplex, n) <= xTol && (values[n] ?? 0) - (values[0] ?? 0) <= fTol * (1 + Math.abs(values[0] ?? 0))) {
        runConverged = true;
        break;
      }
      // Centroid of all vertices but the worst.
      centroid.fill(0);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j] = (centroid[j] ?? 0) + (simplex[i * n + j] ?? 0) / n;
      const worst = vertex(n);
      const fBest = values[0] ?? 0;
      const fSecondWorst = values[n - 1] ?? 0;
      const fWorst = values[n] ?? 0;

      combine(xr, centroid, worst, -rho); // reflection
      const fr = evaluate(xr);
      if (fr < fBest) {
        combine(xe, centroid, worst, -rho * chi); // expansion
        const fe = evaluate(xe);
        if (fe < fr) accept(worst, xe, n, values, fe);
        else accept(worst, xr, n, values, fr);
        continue;
      }
      if (fr < fSecondWorst) {
        accept(worst, xr, n, values, fr);
        continue;
      }
      // Contraction: outside when the reflection beat the worst point, inside otherwise.
      const outside = fr < fWorst;
      combine(xc, centroid, worst, outside ? -rho * psi : psi);
      const fc = evaluate(xc);
      if (fc < (outside ? fr : fWorst)) {
        accept(worst, xc, n, values, fc);
        continue;
      }
      // Shrink towards the best vertex.
      for (let i = 1; i <= n; i++) {
        const v = vertex(i);
        for (let j = 0; j < n; j++) v[j] = (simplex[j] ?? 0) + sigma * ((v[j] ?? 0) - (simplex[j] ?? 0));
        values[i] = evaluate(v);
      }
    }
    sortSimplex(simplex, values, n);
    if ((values[0] ?? Infinity) < bestF) {
      bestF = values[0] ?? Infinity;
      best.set(vertex(0));
    }
    // A restart that found nothing better means we are at a (local) minimum.
    const improvement = startF - bestF;
    if (run > 0 && runConverged && improvement <= fTol * (1 + Math.abs(bestF))) {
      converged = true;
      break;
    }
    if (evaluations >= maxEvaluations) break;
  }
  return { x: Array.from(best), f: bestF, iterations, evaluations, converged };
}

/** Parameters beyond e^±LOG_BOUND are treated as infeasible, so exp() never overflows to ∞ or 0. */
const LOG_BOUND = 60;

/**
 * Minimizes `f` over strictly positive parameters by optimizing their logarithms.
 * `p0` must be positive; the result's `x` is back on the natural scale.
 */
export function minimizePositive(f: Objective, p0: ArrayLike<number>, options: MinimizeOptions = {}): MinimizeResult {
  const n = p0.length;
  const natural = new Float64Array(n);
  const logStart = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = p0[i] ?? NaN;
    if (!(v > 0)) throw new RangeError(`minimizePositive: starting value ${i} must be > 0, got ${v}`);
    logStart[i] = Math.log(v);
  }
  const result = nelderMead(
    (y) => {
      for (let i = 0; i < n; i++) {
        const yi = y[i] ?? 0;
        if (Math.abs(yi) > LOG_BOUND) return Infinity;
        natural[i] = Math.exp(yi);
      }
      return f(natural);
    },
    logStart,
    options,
  );
  // Stuck against the e^±60 wall means the optimum is at 0 or ∞: not a converged fit.
  const atBound = result.x.some((y) => Math.abs(y) > LOG_BOUND - 1);
  return { ...result, x: result.x.map(Math.exp), converged: result.converged && !atBound };
}

/** out = c + k·(w − c): k = −1 reflects w through c, 0 < k < 1 moves towards w. */
function combine(out: Float64Array, c: Float64Array, w: Float64Array, k: number): void {
  for (let j = 0; j < out.length; j++) out[j] = (c[j] ?? 0) + k * ((w[j] ?? 0) - (c[j] ?? 0));
}

function accept(worst: Float64Array, x: Float64Array, n: number, values: Float64Array, fx: number): void {
  worst.set(x);
  values[n] = fx;
}

/** Insertion sort of the n+1 vertices by value (tiny n: cheaper than anything clever). */
function sortSimplex(simplex: Float64Array, values: Float64Array, n: number): void {
  for (let i = 1; i <= n; i++) {
    for (let k = i; k > 0 && (values[k] ?? 0) < (values[k - 1] ?? 0); k--) {
      const fv = values[k] ?? 0;
      values[k] = values[k - 1] ?? 0;
      values[k - 1] = fv;
      for (let j = 0; j < n; j++) {
        const a = simplex[k * n + j] ?? 0;
        simplex[k * n + j] = simplex[(k - 1) * n + j] ?? 0;
        simplex[(k - 1) * n + j] = a;
      }
    }
  }
}

/** Largest coordinate distance of any vertex from the best one. */
function spread(simplex: Float64Array, n: number): number {
  let s = 0;
  for (let i = 1; i <= n; i++) for (let j = 0; j < n; j++) s = Math.max(s, Math.abs((simplex[i * n + j] ?? 0) - (simplex[j] ?? 0)));
  return s;
}

/**
 * Maximum likelihood over named positive parameters: `minimizePositive` on −`logLikelihood`, the
 * names fixing the vector's order. Returns the fitted parameters with the log-likelihood and the
 * optimiser's outcome — the shape every customer-base model's fit answers with.
 */
export function fitPositive<P extends { [K in keyof P]: number }>(
  names: readonly (keyof P)[],
  start: P,
  logLikelihood: (p: P) => number,
  options: MinimizeOptions = {},
): P & { logLikelihood: number; converged: boolean; evaluations: number } {
  const p = { ...start };
  const set = (target: P, v: ArrayLike<number>) => names.forEach((n, i) => ((target as Record<keyof P, number>)[n] = v[i] ?? NaN));
  const result = minimizePositive(
    (v) => {
      set(p, v);
      return -logLikelihood(p);
    },
    names.map((n) => start[n]),
    options,
  );
  const fitted = { ...start };
  set(fitted, result.x);
  return { ...fitted, logLikelihood: -result.f, converged: result.converged, evaluations: result.evaluations };
}
