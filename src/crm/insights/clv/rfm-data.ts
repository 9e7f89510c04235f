/**
 * The (x, t_x, T) input of the BG/NBD likelihood as typed arrays, optionally collapsed to
 * distinct triples with counts. The likelihood depends on a customer only through
 * (x, t_x, T), so at day granularity a million members shrink to far fewer rows (every
 * one-time buyer with the same first day is one row) and a fit costs proportionally less.
 */

export interface RfmData {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  /** How many customers each row stands for; all 1 when absent. */
  weight?: Float64Array;
}

/** Collapses identical (x, t_x, T) rows into one row with a weight. */
export function aggregateRfm(data: RfmData): Required<RfmData> {
  const n = data.x.length;
  const rowOf = new Map<string, number>();
  const x: number[] = [];
  const tx: number[] = [];
  const T: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < n; i++) {
    const xi = data.x[i] ?? 0;
    const ti = data.tx[i] ?? 0;
    const Ti = data.T[i] ?? 0;
    const key = `${xi}|${ti}|${Ti}`;
    const row = rowOf.get(key);
    const wi = data.weight?.[i] ?? 1;
    if (row === undefined) {
      rowOf.set(key, x.length);
      x.push(xi);
      tx.push(ti);
      T.push(Ti);
      w.push(wi);
    } else w[row] = (w[row] ?? 0) + wi;
  }
  return { x: Float64Array.from(x), tx: Float64Array.from(tx), T: Float64Array.from(T), weight: Float64Array.from(w) };
}

/** Checks the invariants the likelihoods rely on; returns the largest x. */
export function validateRfm(data: RfmData): number {
  const n = data.x.length;
  if (data.tx.length !== n || data.T.length !== n || (data.weight && data.weight.length !== n)) {
    throw new RangeError('RFM arrays differ in length');
  }
  if (n === 0) throw new RangeError('no customers to fit');
  let maxX = 0;
  for (let i = 0; i < n; i++) {
    const x = data.x[i] ?? NaN;
    const tx = data.tx[i] ?? NaN;
    const T = data.T[i] ?? NaN;
    if (!Number.isInteger(x) || x < 0) throw new RangeError(`row ${i}: x must be a non-negative integer, got ${x}`);
    if (!(tx >= 0 && tx <= T)) throw new RangeError(`row ${i}: need 0 ≤ t_x ≤ T, got t_x=${tx}, T=${T}`);
    if (x === 0 && tx !== 0) throw new RangeError(`row ${i}: t_x must be 0 when x is 0`);
    maxX = Math.max(maxX, x);
  }
  return maxX;
}

/** The customers' mean age T (weighted): the scale every NBD model's α (and Pareto/NBD's β) starts its fit from. */
export function meanAge(rows: RfmData): number {
  let sum = 0;
  let total = 0;
  for (let i = 0; i < rows.x.length; i++) {
    const w = rows.weight?.[i] ?? 1;
    sum += w * (rows.T[i] ?? 0);
    total += w;
  }
  return Math.max(sum / total, 1e-6);
}
