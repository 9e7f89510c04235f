/**
 * Per-customer BG/NBD scores over a forecast window, in one pass over the summaries:
 * what the churn list and the analytics command need for every member.
 */
import { expectedPurchases, pAlive, probabilityNoPurchase, type BgNbdParams } from './bgnbd.ts';
import type { RfmData } from './rfm-data.ts';

export interface CustomerScores {
  /** P(alive | x, t_x, T); 1 for every x = 0 customer (model caveat, see bgnbd.ts). */
  pAlive: Float64Array;
  /** Expected purchases in the next `horizon` time units (eq. 10). */
  expected: Float64Array;
  /** P(no purchase in the next `horizon` units): 0..1, higher = more likely lost. */
  churnRisk: Float64Array;
}

/** Scores every row of `data` for a window of `horizon` time units after its T. */
export function scoreCustomers(params: BgNbdParams, data: RfmData, horizon: number): CustomerScores {
  const n = data.x.length;
  const out: CustomerScores = { pAlive: new Float64Array(n), expected: new Float64Array(n), churnRisk: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const x = data.x[i] ?? 0;
    const tx = data.tx[i] ?? 0;
    const T = data.T[i] ?? 0;
    out.pAlive[i] = pAlive(params, x, tx, T);
    out.expected[i] = expectedPurchases(params, horizon, x, tx, T);
    out.churnRisk[i] = probabilityNoPurchase(params, horizon, x, tx, T);
  }
  return out;
}
