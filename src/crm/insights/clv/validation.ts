/**
 * The validation figures of a customer-base model on a calibration/holdout split — the three
 * checks Fader, Hardie & Lee (2005) §4 show for BG/NBD on CDNOW: (1) holdout purchases by
 * calibration frequency, predicted vs actual; (2) weekly cumulative repeat purchases over
 * calibration and holdout, predicted vs actual (the "tracking" plot); plus (3) calibration of the
 * churn risk: within deciles of the predicted probability of no purchase in the holdout, the share
 * that indeed bought nothing. Charts are drawn at the edge (intents/render/charts/model-charts.ts).
 */
import type { FittedCustomerModel } from './compare.ts';
import type { CustomerSummaries, TransactionLedger } from './summary.ts';
import { auc } from '../churn/metrics.ts';

export interface ModelValidation {
  model: string;
  /** x = 0..censor−1, then "censor or more". */
  byFrequency: Array<{ x: number; orMore: boolean; customers: number; actual: number; predicted: number }>;
  /** Week k (1-based) from the first purchase in the data: cumulative repeat purchases. */
  tracking: Array<{ week: number; actual: number; predicted: number }>;
  /** The week number where the holdout starts. */
  holdoutStartWeek: number;
  /** Deciles of predicted risk: mean prediction and observed share without a holdout purchase. */
  riskCalibration: Array<{ predicted: number; observed: number; customers: number }>;
  summary: { customers: number; holdoutWeeks: number; predictedHoldout: number; actualHoldout: number; riskAuc: number | null };
}

export interface ValidationOptions {
  calibrationEnd: number;
  holdoutEnd: number;
  unitDays?: number;
  /** Frequencies at or above this share one bin (default 7, as FHL's figure). */
  censor?: number;
}

/**
 * `risk[i]` is the churn risk of customer i of `s` to calibrate (the probability of no purchase in
 * the holdout window); without it the third figure is left empty.
 */
export function modelValidation(model: FittedCustomerModel, s: CustomerSummaries, ledger: TransactionLedger, opts: ValidationOptions, risk?: ArrayLike<number>): ModelValidation {
  const unit = opts.unitDays ?? 7;
  const censor = opts.censor ?? 7;
  const horizon = (opts.holdoutEnd - opts.calibrationEnd) / unit;
  const n = s.ids.length;
  const bins = Array.from({ length: censor + 1 }, (_, x) => ({ x, orMore: x === censor, customers: 0, actual: 0, predicted: 0 }));
  let predictedHoldout = 0;
  let actualHoldout = 0;
  for (let i = 0; i < n; i++) {
    const e = model.expected(horizon, s.x[i]!, s.tx[i]!, s.T[i]!);
    const b = bins[Math.min(s.x[i]!, censor)]!;
    b.customers++;
    b.actual += s.holdout[i]!;
    b.predicted += e;
    predictedHoldout += e;
    actualHoldout += s.holdout[i]!;
  }
  const byFrequency = bins.filter((b) => b.customers > 0).map((b) => ({ ...b, actual: b.actual / b.customers, predicted: b.predicted / b.customers }));

  // Tracking: customers grouped by first day (cohorts share it), repeat days counted per week.
  // Only customers in the model (first purchase ≤ calibration end), as the summaries.
  const { first, repeatDays } = ledger.purchaseDays(opts.calibrationEnd);
  let start = Infinity;
  const cohort = new Map<number, number>();
  for (const d of first) {
    if (d > opts.calibrationEnd) continue;
    start = Math.min(start, d);
    cohort.set(d, (cohort.get(d) ?? 0) + 1);
  }
  const weeks = Math.ceil((opts.holdoutEnd - start + 1) / unit);
  const perWeek = new Float64Array(weeks + 1);
  for (const d of repeatDays) {
    const w = Math.floor((d - start) / unit) + 1;
    if (w >= 1 && w <= weeks) perWeek[w]! += 1;
  }
  const tracking: ModelValidation['tracking'] = [];
  let cum = 0;
  for (let w = 1; w <= weeks; w++) {
    cum += perWeek[w]!;
    const end = start + w * unit; // day after the week's last day
    let predicted = 0;
    for (const [d, count] of cohort) if (end > d) predicted += count * model.unconditional((end - d - 1) / unit);
    tracking.push({ week: w, actual: cum, predicted });
  }

  const riskCalibration: ModelValidation['riskCalibration'] = [];
  let riskAuc: number | null = null;
  if (risk) {
    const order = [...Array(n).keys()].sort((a, b) => risk[a]! - risk[b]!);
    for (let q = 0; q < 10; q++) {
      const part = order.slice(Math.floor((q * n) / 10), Math.floor(((q + 1) * n) / 10));
      if (part.length === 0) continue;
      riskCalibration.push({ predicted: part.reduce((a, i) => a + risk[i]!, 0) / part.length, observed: part.filter((i) => s.holdout[i] === 0).length / part.length, customers: part.length });
    }
    // One AUC for every figure of the product (churn/metrics.ts); NaN (one class only) is reported as none.
    const a = auc(order.map((i) => risk[i]!), order.map((i) => s.holdout[i] === 0));
    riskAuc = Number.isNaN(a) ? null : a;
  }
  return { model: model.model, byFrequency, tracking, holdoutStartWeek: Math.floor((opts.calibrationEnd - start) / unit) + 1, riskCalibration, summary: { customers: n, holdoutWeeks: horizon, predictedHoldout, actualHoldout, riskAuc } };
}
