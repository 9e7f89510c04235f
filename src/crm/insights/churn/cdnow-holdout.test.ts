/**
 * The supervised churn layer against BG/NBD alone on the CDNOW sample's holdout (issue 17
 * item 3; the figures in docs/models.md): trained on the split that ends at the calibration
 * end (features as of 1997-07-02, label from the 90 days after), scored on the 39-week holdout
 * it never saw.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readTransactionFile } from '../clv/index.ts';
import { parseIsoDay } from '../../kernel/index.ts';
import { evaluateHoldout, PurchaseDays, type HoldoutReport } from './holdout.ts';

const SAMPLE = new URL('../../../../test/fixtures/cdnow/CDNOW_sample.txt', import.meta.url);
let r: HoldoutReport;

beforeAll(async () => {
  const d = new PurchaseDays();
  await readTransactionFile(SAMPLE, 'cdnow', d.sink);
  r = evaluateHoldout(d, { calibrationEnd: parseIsoDay('1997-09-30'), holdoutEnd: parseIsoDay('1998-06-30') });
  console.info(`CDNOW holdout AUC (no purchase in 39 weeks): learned ${r.auc.learned.toFixed(4)}, BG/NBD expected ${r.auc.bgnbdExpected.toFixed(4)}, BG/NBD P(no purchase) ${r.auc.bgnbdNoPurchase.toFixed(4)}, rules ${r.auc.rules.toFixed(4)}; 90 days: learned ${r.aucHorizon.learned.toFixed(4)} vs ${r.aucHorizon.bgnbdNoPurchase.toFixed(4)}, ECE ${r.calibration.ece.toFixed(4)}`);
});

describe('supervised churn layer on the CDNOW holdout', () => {
  it('trains only on the calibration period: the BG/NBD fit of the training split differs from the calibration fit', () => {
    expect(r.trainCustomers).toBe(2357);
    expect(r.customers).toBe(2357);
    expect(Math.abs(r.bgTrain.r - r.bgCalibration.r) + Math.abs(r.bgTrain.alpha - r.bgCalibration.alpha)).toBeGreaterThan(0.01);
  });

  it('ranks "no purchase in the 39-week holdout" better than BG/NBD alone and than the rule-based risk', () => {
    expect(r.auc.learned).toBeGreaterThan(r.auc.bgnbdExpected + 0.005);
    expect(r.auc.learned).toBeGreaterThan(r.auc.bgnbdNoPurchase + 0.005);
    expect(r.auc.learned).toBeGreaterThan(r.auc.rules);
  });

  it('beats BG/NBD on the horizon it predicts (the first 90 holdout days) and is calibrated there', () => {
    expect(r.aucHorizon.learned).toBeGreaterThan(r.aucHorizon.bgnbdNoPurchase);
    expect(r.calibration.ece).toBeLessThan(0.06);
    const top = r.calibration.bands.at(-1)!;
    expect(Math.abs(top.predicted - top.observed)).toBeLessThan(0.05);
  });
});
