/**
 * Special functions the BG/NBD and Gamma-Gamma models need: log-gamma and the Gaussian
 * hypergeometric function 2F1. Written here (no numeric package) and kept allocation-free,
 * because the likelihood calls them millions of times during a fit.
 */

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * ln Γ(x) by the Lanczos approximation (g = 7, 9 coefficients; relative error of Γ about
 * 1e-15 for x > 0), with the reflection formula Γ(x)Γ(1−x) = π / sin(πx) below 0.5.
 * Returns +Infinity at the poles (0, −1, −2, …). For negative non-integers it returns
 * ln|Γ(x)|, as C's lgamma does.
 */
export function lgamma(x: number): number {
  if (x < 0.5) {
    if (Number.isInteger(x)) return Infinity; // sin(πx) is not exactly 0 in floating point
    const s = Math.sin(Math.PI * x);
    return Math.log(Math.PI / Math.abs(s)) - lgamma(1 - x);
  }
  const z = x - 1;
  // Coefficients unrolled: no array lookups in the hot path (and none that could be undefined).
  const a =
    0.99999999999980993 +
    676.5203681218851 / (z + 1) -
    1259.1392167224028 / (z + 2) +
    771.32342877765313 / (z + 3) -
    176.61502916214059 / (z + 4) +
    12.507343278686905 / (z + 5) -
    0.13857109526572012 / (z + 6) +
    9.9843695780195716e-6 / (z + 7) +
    1.5056327351493116e-7 / (z + 8);
  const t = z + 7.5;
  return HALF_LOG_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b). */
export function lbeta(a: number, b: number): number {
  return lgamma(a) + lgamma(b) - lgamma(a + b);
}

const HYP2F1_MAX_TERMS = 2_000_000;

/**
 * Gauss hypergeometric function 2F1(a, b; c; z) for real z < 1.
 *
 * For 0 ≤ z < 1 the power series Σ (a)_n (b)_n / ((c)_n n!) zⁿ is summed directly. In the
 * BG/NBD conditional expectation (FHL 2005 eq. 10) every parameter is positive, so all terms
 * are positive: no cancellation, the series is accurate even when it needs many terms
 * (z close to 1 happens only for forecast horizons much longer than α + T).
 * For z < 0 Pfaff's transformation 2F1(a,b;c;z) = (1−z)^(−a) 2F1(a, c−b; c; z/(z−1)) maps the
 * argument into [0, 1) so the series converges.
 * Throws RangeError for z ≥ 1 (divergent or needs analytic continuation we do not use).
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (!(z < 1)) throw new RangeError(`hyp2f1: z must be < 1, got ${z}`);
  if (z < 0) return Math.pow(1 - z, -a) * hyp2f1(a, c - b, c, z / (z - 1));
  let term = 1;
  let sum = 1;
  for (let n = 0; n < HYP2F1_MAX_TERMS; n++) {
    const ratio = ((a + n) * (b + n)) / ((c + n) * (n + 1));
    term *= ratio * z;
    sum += term;
    // Stop only once terms are shrinking (|ratio·z| < 1), otherwise an early small term
    // could end the sum before the series has peaked.
    if (Math.abs(term) <= 1e-16 * Math.abs(sum) && Math.abs(ratio * z) < 1) return sum;
    if (term === 0) return sum; // a or b is a non-positive integer: the series terminates
  }
  throw new RangeError(`hyp2f1(${a}, ${b}; ${c}; ${z}) did not converge in ${HYP2F1_MAX_TERMS} terms`);
}
