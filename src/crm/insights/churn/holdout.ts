/**
 * Out-of-time evaluation of the churn risks on a transaction file (the CDNOW sample in the
 * tests and docs/models.md; any file the readers take): the supervised layer is trained on an
 * earlier split that ends at the calibration end — features as of `calibrationEnd − trainHorizon`,
 * label "no purchase by the calibration end" — and never sees the holdout. Then every ranking is
 * scored on the same customers against "no purchase in the holdout": the supervised layer,
 * BG/NBD alone (expected purchases and P(no purchase) over the holdout), the rule-based risk of
 * assess.ts, and days since the last purchase.
 */
import { fitBgNbd, probabilityNoPurchase, expectedPurchases, type BgNbdFit, type TransactionSink } from '../clv/index.ts';
import { assessChurn } from './assess.ts';
import { boughtWithin, predictChurn, signalsAt, trainChurn, type ChurnSignals, type LearnedChurn } from './learned.ts';
import { auc, calibration, confusion, type Calibration, type Confusion } from './metrics.ts';

/** Purchase days per customer (amounts summed per day), filled through `sink`. */
export class PurchaseDays {
  private readonly byCustomer = new Map<string, Map<number, number>>();

  readonly sink: TransactionSink = (customerId, day, amount) => {
    let m = this.byCustomer.get(customerId);
    if (!m) this.byCustomer.set(customerId, (m = new Map()));
    m.set(day, (m.get(day) ?? 0) + amount);
  };

  /** Every customer's days ascending with their amounts. */
  histories(): { id: string; days: Int32Array; amounts: Float64Array }[] {
    return [...this.byCustomer].map(([id, m]) => {
      const days = Int32Array.from(m.keys()).sort();
      return { id, days, amounts: Float64Array.from(days, (d) => m.get(d)!) };
    });
  }
}

export interface HoldoutOptions {
  /** Last day of the calibration period (inclusive). */
  calibrationEnd: number;
  /** Last day of the holdout (inclusive). */
  holdoutEnd: number;
  /** Length of the training split's outcome window, days (default 90, the product's horizon). */
  trainHorizonDays?: number;
  /** The risk cut of the "high" level (default 0.7, DEFAULT_CHURN). */
  highCut?: number;
}

export interface HoldoutReport {
  customers: number;
  trainCustomers: number;
  /** Share of customers with no purchase in the holdout. */
  goneShare: number;
  auc: { learned: number; bgnbdExpected: number; bgnbdNoPurchase: number; rules: number; daysSince: number };
  /** Precision/recall of risk ≥ highCut for the learned layer and BG/NBD P(no purchase in the holdout). */
  high: { learned: Confusion; bgnbd: Confusion };
  /** Calibration of the learned P(no purchase in the training horizon) against the first horizon days of the holdout. */
  calibration: Calibration;
  /** AUCs against "no purchase in the first horizon days of the holdout" (the horizon the layer predicts). */
  aucHorizon: { learned: number; bgnbdNoPurchase: number };
  bgTrain: BgNbdFit;
  bgCalibration: BgNbdFit;
  learned: LearnedChurn;
}

const WEEK = 7;

function fit(signals: ChurnSignals[]): BgNbdFit {
  return fitBgNbd({
    x: Float64Array.from(signals, (s) => s.x),
    tx: Float64Array.from(signals, (s) => s.txDays / WEEK),
    T: Float64Array.from(signals, (s) => s.ageDays / WEEK),
  });
}

export function evaluateHoldout(data: PurchaseDays, o: HoldoutOptions): HoldoutReport {
  const H = o.trainHorizonDays ?? 90;
  const cut = o.calibrationEnd - H;
  const hist = data.histories();
  // Training split: customers as of the cut, label from (cut, calibrationEnd] only.
  const trainS: ChurnSignals[] = [];
  const trainY: boolean[] = [];
  for (const h of hist) {
    const s = signalsAt(h.days, h.amounts, cut);
    if (!s) continue;
    trainS.push(s);
    trainY.push(!boughtWithin(h.days, cut, H));
  }
  const bgTrain = fit(trainS);
  const learned = trainChurn(trainS, trainY, bgTrain, H);

  // Evaluation: customers as of the calibration end, truth from the holdout.
  const evalS: ChurnSignals[] = [];
  const gone: boolean[] = [];
  const goneH: boolean[] = [];
  for (const h of hist) {
    const s = signalsAt(h.days, h.amounts, o.calibrationEnd);
    if (!s) continue;
    evalS.push(s);
    gone.push(!boughtWithin(h.days, o.calibrationEnd, o.holdoutEnd - o.calibrationEnd));
    goneH.push(!boughtWithin(h.days, o.calibrationEnd, H));
  }
  const bgCal = fit(evalS);
  const t = (o.holdoutEnd - o.calibrationEnd) / WEEK;
  const learnedRisk = evalS.map((s) => predictChurn(learned, s, bgCal));
  const expected = evalS.map((s) => expectedPurchases(bgCal, t, s.x, s.txDays / WEEK, s.ageDays / WEEK));
  const pNo = evalS.map((s) => probabilityNoPurchase(bgCal, t, s.x, s.txDays / WEEK, s.ageDays / WEEK));
  const pNoH = evalS.map((s) => probabilityNoPurchase(bgCal, H / WEEK, s.x, s.txDays / WEEK, s.ageDays / WEEK));
  const rules = evalS.map((s, i) =>
    assessChurn({
      daysSince: s.daysSince,
      daysRegistered: s.ageDays,
      orderDays: s.x + 1,
      medianGapDays: s.medianGapDays,
      spend90: s.spend90,
      spendPrev90: s.spendPrev90,
      complaints60d: s.complaints60d,
      pNoPurchase: pNoH[i]!,
      expected90: expectedPurchases(bgCal, H / WEEK, s.x, s.txDays / WEEK, s.ageDays / WEEK),
    }).risk,
  );
  const cutHigh = o.highCut ?? 0.7;
  return {
    customers: evalS.length,
    trainCustomers: trainS.length,
    goneShare: gone.filter(Boolean).length / gone.length,
    auc: {
      learned: auc(learnedRisk, gone),
      bgnbdExpected: auc(expected.map((e) => -e), gone),
      bgnbdNoPurchase: auc(pNo, gone),
      rules: auc(rules, gone),
      daysSince: auc(evalS.map((s) => s.daysSince), gone),
    },
    high: { learned: confusion(learnedRisk.map((r) => r >= cutHigh), gone), bgnbd: confusion(pNo.map((r) => r >= cutHigh), gone) },
    calibration: calibration(learnedRisk, goneH),
    aucHorizon: { learned: auc(learnedRisk, goneH), bgnbdNoPurchase: auc(pNoH, goneH) },
    bgTrain,
    bgCalibration: bgCal,
    learned,
  };
}
