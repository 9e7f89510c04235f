/**
 * How well a risk ranks and how honest its probabilities are: AUC (Mann-Whitney, ties counted
 * half), precision and recall of a cut, and calibration (mean predicted vs observed rate per
 * risk band). Used by the supervised churn layer's out-of-time validation, the CDNOW holdout
 * figures (docs/models.md) and `bench:churn`; one implementation for all three.
 */

/** Area under the ROC curve of `scores` (higher = more likely positive) for the `positive` labels. NaN without both classes. */
export function auc(scores: ArrayLike<number>, positive: ArrayLike<boolean>): number {
  const idx = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let rankSum = 0;
  let pos = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]!] === scores[idx[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (positive[idx[k]!]) {
        rankSum += rank;
        pos++;
      }
    }
    i = j + 1;
  }
  const neg = idx.length - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

export interface Confusion {
  precision: number;
  recall: number;
  accuracy: number;
  flagged: number;
}

/** Precision, recall and accuracy of a yes/no prediction against the truth. */
export function confusion(pred: ArrayLike<boolean>, truth: ArrayLike<boolean>): Confusion {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < pred.length; i++) {
    if (pred[i] && truth[i]) tp++;
    else if (pred[i]) fp++;
    else if (truth[i]) fn++;
    else tn++;
  }
  return { precision: tp / Math.max(tp + fp, 1), recall: tp / Math.max(tp + fn, 1), accuracy: (tp + tn) / Math.max(pred.length, 1), flagged: tp + fp };
}

export interface CalibrationBand {
  /** Lower edge of the band of predicted probability (bands are [lo, lo + 1/bands)). */
  lo: number;
  members: number;
  predicted: number;
  observed: number;
}

export interface Calibration {
  bands: CalibrationBand[];
  /** Expected calibration error: member-weighted mean |predicted − observed| over the bands. */
  ece: number;
  /** Brier score: mean squared error of the probabilities. */
  brier: number;
}

/** Calibration of probabilities `p` of the `positive` outcome in `bands` equal-width bands. */
export function calibration(p: ArrayLike<number>, positive: ArrayLike<boolean>, bands = 10): Calibration {
  const n = new Float64Array(bands);
  const sp = new Float64Array(bands);
  const so = new Float64Array(bands);
  let brier = 0;
  for (let i = 0; i < p.length; i++) {
    const v = p[i]!;
    const b = Math.min(bands - 1, Math.max(0, Math.floor(v * bands)));
    const y = positive[i] ? 1 : 0;
    n[b]!++;
    sp[b]! += v;
    so[b]! += y;
    brier += (v - y) ** 2;
  }
  const out: CalibrationBand[] = [];
  let ece = 0;
  for (let b = 0; b < bands; b++) {
    if (!n[b]) continue;
    const predicted = sp[b]! / n[b]!;
    const observed = so[b]! / n[b]!;
    ece += n[b]! * Math.abs(predicted - observed);
    out.push({ lo: b / bands, members: n[b]!, predicted, observed });
  }
  return { bands: out, ece: p.length ? ece / p.length : NaN, brier: p.length ? brier / p.length : NaN };
}
