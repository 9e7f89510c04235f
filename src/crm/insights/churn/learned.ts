/**
 * The supervised churn layer (docs/models.md): a regularised logistic regression over the
 * BG/NBD model's outputs and the member's own signals, trained on a time split of the chain's
 * own history — features as of a cut `horizon` days ago, label "bought nothing between the cut
 * and now" — and applied to the features as of now. Its output is P(no purchase in the next
 * `horizon` days), calibrated on the chain's own past (docs/models.md lists the features and
 * the out-of-time figures; the CDNOW holdout figures come from cdnow-holdout.ts).
 */
import { expectedPurchases, pAlive, type BgNbdParams } from '../clv/index.ts';
import { fitLogistic, predictLogistic, type LogisticModel } from './logistic.ts';

/** What the chain knows of a member with at least one purchase day at some instant (member_stats' columns at that time). */
export interface ChurnSignals {
  /** Days since the last purchase day. */
  daysSince: number;
  /** Repeat purchase days (distinct purchase days − 1). */
  x: number;
  /** Days from the first to the last purchase day. */
  txDays: number;
  /** Days from the first purchase day to the instant. */
  ageDays: number;
  /** Median gap between consecutive purchase days; null below two. */
  medianGapDays: number | null;
  /** Spend in the last 90 days and the 90 before. */
  spend90: number;
  spendPrev90: number;
  complaints60d: number;
  /** Service tickets opened in the last 90 days. */
  tickets90d: number;
  /** Coupons used in the last 180 days (response to offers). */
  couponsUsed180d: number;
  /** Home store; null when none. */
  store: number | null;
}

/** Names of the feature columns, in order (docs/models.md explains each); store indicators follow. */
export const FEATURE_NAMES = [
  'log_expected_h', // log(BG/NBD expected purchases in the horizon + 0.02)
  'p_alive', // BG/NBD P(alive)
  'log_repeat_days', // log(1 + x)
  'log_days_since', // log(1 + days since the last purchase)
  'overdue', // log(1 + days since / own median gap); 0 for one-time buyers
  'one_time', // 1 when x = 0
  'spend_trend', // log((1 + spend 90d) / (1 + spend previous 90d))
  'log_age', // log(1 + days since the first purchase)
  'complaints_60d',
  'tickets_90d',
  'coupons_used_180d',
] as const;

const WEEK = 7;

/** BG/NBD's outputs for one member: expected purchases in the horizon and P(alive). */
export interface BgNbdOutputs {
  expected: number;
  pAlive: number;
}

/**
 * The feature row of one member: model outputs (BG/NBD in weeks, horizon in days) and own signals.
 * `known`: the BG/NBD outputs when the caller has them already (the scoring run computes them for
 * every member anyway; the expectation's 2F1 series is the costliest part of a row).
 */
export function churnFeatures(s: ChurnSignals, bg: BgNbdParams, horizonDays: number, stores: readonly number[], known?: BgNbdOutputs): number[] {
  const tx = s.txDays / WEEK;
  const T = s.ageDays / WEEK;
  const e = known ? known.expected : expectedPurchases(bg, horizonDays / WEEK, s.x, tx, T);
  const rhythm = s.medianGapDays !== null && s.medianGapDays > 0 ? s.medianGapDays : s.x > 0 ? s.txDays / s.x : 0;
  const row = [
    Math.log(Math.max(e, 0) + 0.02),
    known ? known.pAlive : pAlive(bg, s.x, tx, T),
    Math.log1p(s.x),
    Math.log1p(s.daysSince),
    rhythm > 0 ? Math.log1p(s.daysSince / rhythm) : 0,
    s.x === 0 ? 1 : 0,
    Math.log((1 + s.spend90) / (1 + s.spendPrev90)),
    Math.log1p(s.ageDays),
    Math.min(s.complaints60d, 3),
    Math.min(s.tickets90d, 3),
    Math.min(s.couponsUsed180d, 3),
  ];
  for (const st of stores) row.push(s.store === st ? 1 : 0);
  return row;
}

export interface LearnedChurn {
  model: LogisticModel;
  bg: BgNbdParams;
  horizonDays: number;
  /** Stores with their own intercept shift (those with enough training members). */
  stores: number[];
  trainedOn: number;
}

/** Stores with at least this many training members get their own indicator column. */
const MIN_STORE_MEMBERS = 200;

/**
 * Trains the layer on members as they were at a cut: `signals[i]` as of the cut, `gone[i]` =
 * no purchase in the `horizonDays` after it; `bg` is the BG/NBD fit on the data up to the cut.
 */
export function trainChurn(signals: readonly ChurnSignals[], gone: readonly boolean[], bg: BgNbdParams, horizonDays: number, lambda = 1e-3): LearnedChurn {
  const count = new Map<number, number>();
  for (const s of signals) if (s.store !== null) count.set(s.store, (count.get(s.store) ?? 0) + 1);
  const stores = [...count].filter(([, c]) => c >= MIN_STORE_MEMBERS).map(([st]) => st).sort((a, b) => a - b);
  const rows = signals.map((s) => churnFeatures(s, bg, horizonDays, stores));
  return { model: fitLogistic(rows, gone, { lambda }), bg, horizonDays, stores, trainedOn: signals.length };
}

/** P(no purchase in the horizon) for a member as of now, `bg` the BG/NBD fit as of now (`known`: its outputs for this member, see churnFeatures). */
export function predictChurn(m: LearnedChurn, s: ChurnSignals, bg: BgNbdParams, known?: BgNbdOutputs): number {
  return predictLogistic(m.model, churnFeatures(s, bg, m.horizonDays, m.stores, known));
}

/**
 * One customer's signals at the end of day `cutDay` from their purchase days (ascending,
 * one entry per day, amounts summed per day); null when they had not bought by then.
 * `events` are the other signals as of the cut (the caller counts them in their windows).
 */
export function signalsAt(
  days: ArrayLike<number>,
  amounts: ArrayLike<number>,
  cutDay: number,
  events: Pick<ChurnSignals, 'complaints60d' | 'tickets90d' | 'couponsUsed180d' | 'store'> = { complaints60d: 0, tickets90d: 0, couponsUsed180d: 0, store: null },
): ChurnSignals | null {
  let n = 0;
  while (n < days.length && days[n]! <= cutDay) n++;
  if (n === 0) return null;
  const first = days[0]!;
  const last = days[n - 1]!;
  const gaps: number[] = [];
  for (let k = 1; k < n; k++) gaps.push(days[k]! - days[k - 1]!);
  gaps.sort((a, b) => a - b);
  const median = gaps.length ? (gaps.length % 2 ? gaps[(gaps.length - 1) / 2]! : (gaps[gaps.length / 2 - 1]! + gaps[gaps.length / 2]!) / 2) : null;
  let spend90 = 0;
  let spendPrev90 = 0;
  for (let k = 0; k < n; k++) {
    const ago = cutDay - days[k]!;
    if (ago < 90) spend90 += amounts[k]!;
    else if (ago < 180) spendPrev90 += amounts[k]!;
  }
  return { daysSince: cutDay - last, x: n - 1, txDays: last - first, ageDays: cutDay - first, medianGapDays: median, spend90, spendPrev90, ...events };
}

/** Whether the customer bought in (cutDay, cutDay + horizonDays]. */
export function boughtWithin(days: ArrayLike<number>, cutDay: number, horizonDays: number): boolean {
  for (let k = 0; k < days.length; k++) if (days[k]! > cutDay && days[k]! <= cutDay + horizonDays) return true;
  return false;
}
