import type { SelectedMembers } from '../tags/list-difference.ts';
import type { HeldTagRows } from '../tags/write.ts';

/**
 * The smart tags' rules evaluated on the scoring run's own arrays, where the run hands them over
 * (insights' runScoring): the same selections as the SQL over member_scores (smart-tags.ts
 * `selects`), without reading back the million rows the run has just written — at 1M members those
 * selections into session tables were most of the smart tags' 7–8 s of database work
 * (docs/benchmarks.md, session 16). `from-scores.test.ts` compares both on a scored database,
 * ties of spend included.
 */

/** The churn-risk floors of 易流失 and 沉睡会员 (smart-tags.ts; constants, never user text, in the SQL). */
export const CHURNING_RISK = 0.9;
export const DORMANT_RISK = 0.8;

/**
 * A scoring run's figures for every member it wrote to member_scores, index by index, in the
 * columns' own units so that no rounding stands between the two evaluations: exactly the values
 * of the rows loaded.
 */
export interface SmartTagScores {
  ids: ArrayLike<number>;
  /** rfm_r, rfm_f, rfm_m; 0 where the column is NULL (no order). */
  rfmR: ArrayLike<number>;
  rfmF: ArrayLike<number>;
  rfmM: ArrayLike<number>;
  /** churn_risk (DECIMAL(5,4)) in units of 10^-4. */
  riskUnits: ArrayLike<number>;
  /** last_order_at (DATETIME(3), UTC) as epoch ms; NaN where NULL. */
  lastOrderMs: ArrayLike<number>;
  /** total_spend (DECIMAL(12,2)) in cents. */
  spendCents: ArrayLike<number>;
  /**
   * What the rules and their writes read besides the scores, read by the scoring run while the
   * server builds member_scores' indexes (smart-tags.ts `readSmartTagFacts`); absent: read by the refresh.
   */
  facts?: Promise<SmartTagFacts>;
}

/** What KOC潜力 reads besides the scores: the KOCs and each member's activity / praise / KOC-promotion interactions in 180 days. */
export interface KocFacts {
  kocs: Set<number>;
  interactions: Map<number, number>;
}

/**
 * What a refresh on the run's figures reads before it writes, read ahead by the scoring run: the
 * KOC facts (as of `now`) and the model rows of each tag already there (by name; a tag not
 * created yet has none).
 */
export interface SmartTagFacts {
  now: Date;
  koc: KocFacts;
  rows: Map<string, HeldTagRows>;
}

/**
 * MariaDB's ROUND(x, 3) of a DOUBLE (PERCENT_RANK's value): x · 1000 rounded by rint — the C
 * library's current mode, to nearest, ties to even — then divided back; returned as the integer
 * of thousandths it stands for (the double k / 1000 prints as exactly k thousandths, so the
 * DECIMAL column it lands in holds k · 10 ten-thousandths).
 */
export function roundDouble3(x: number): number {
  const y = x * 1000;
  let k = Math.round(y);
  // Math.round rounds a half up; rint to even.
  if (k - y === 0.5 && k % 2 !== 0) k -= 1;
  return k;
}

const DAY_MS = 86_400_000;

/** A selection built in member order (ids ascending, as the run reads them) or sorted after. */
class ListBuilder {
  private ids: number[] = [];
  private conf: number[] = [];
  private ascending = true;
  push(id: number, units: number): void {
    const n = this.ids.length;
    if (n && this.ids[n - 1]! >= id) this.ascending = false;
    this.ids.push(id);
    this.conf.push(units);
  }
  done(): SelectedMembers {
    const n = this.ids.length;
    const order = Array.from({ length: n }, (_, k) => k);
    if (!this.ascending) order.sort((a, b) => this.ids[a]! - this.ids[b]!);
    const list: SelectedMembers = { ids: new Int32Array(n), confidence: new Int32Array(n) };
    for (let k = 0; k < n; k++) {
      list.ids[k] = this.ids[order[k]!]!;
      list.confidence[k] = this.conf[order[k]!]!;
    }
    return list;
  }
}

/**
 * 高消费, 易流失, 沉睡会员 and KOC潜力 as the SQL rules select them from member_scores, members
 * deleted since the run (`deleted`) left out as there. Confidences in units of 10^-4 (the
 * selection's DECIMAL(5,4)).
 */
export function selectFromScores(s: SmartTagScores, now: Date, deleted: Set<number>, koc: KocFacts): Record<'高消费' | '易流失' | '沉睡会员' | 'KOC潜力', SelectedMembers> {
  const n = s.ids.length;
  // 高消费: PERCENT_RANK() OVER (ORDER BY total_spend) among the rows with rfm_m, then rfm_m = 5:
  // (rank − 1) / (rows − 1), rank = 1 + the rows with a lower spend (ties share it), 0 for one row.
  // The window counts deleted members' rows too (they are filtered after it, as in the SQL).
  let rows = 0;
  for (let i = 0; i < n; i++) if (s.rfmM[i]! > 0) rows++;
  const spends = new Float64Array(rows);
  for (let i = 0, k = 0; i < n; i++) if (s.rfmM[i]! > 0) spends[k++] = s.spendCents[i]!;
  spends.sort();
  const below = (cents: number) => {
    let lo = 0;
    let hi = rows;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (spends[mid]! < cents) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  // Thresholds of the SQL's `last_order_at > ? - INTERVAL 180 DAY` and `<= ? - INTERVAL 90 DAY` (UTC, ms).
  const recent = now.getTime() - 180 * DAY_MS;
  const silent = now.getTime() - 90 * DAY_MS;
  const churning = Math.round(CHURNING_RISK * 10_000);
  const dormant = Math.round(DORMANT_RISK * 10_000);
  const high = new ListBuilder();
  const churn = new ListBuilder();
  const sleep = new ListBuilder();
  const kocs = new ListBuilder();
  for (let i = 0; i < n; i++) {
    const id = s.ids[i]!;
    if (deleted.has(id)) continue;
    const m = s.rfmM[i]!;
    if (m === 5) high.push(id, 10 * roundDouble3(rows > 1 ? below(s.spendCents[i]!) / (rows - 1) : 0));
    const risk = s.riskUnits[i]!;
    const last = s.lastOrderMs[i]!;
    if (risk >= churning && last > recent) churn.push(id, risk);
    if (last <= silent && risk >= dormant) sleep.push(id, risk);
    if (s.rfmR[i]! >= 4 && s.rfmF[i]! >= 4 && !koc.kocs.has(id)) kocs.push(id, Math.min(9500, 5000 + 1000 * (koc.interactions.get(id) ?? 0)));
  }
  return { 高消费: high.done(), 易流失: churn.done(), 沉睡会员: sleep.done(), KOC潜力: kocs.done() };
}
