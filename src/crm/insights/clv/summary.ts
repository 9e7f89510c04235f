/**
 * Per-customer RFM summaries for the BG/NBD and Gamma-Gamma models, built the way the
 * published CDNOW figures were (lifetimes' `calibration_and_holdout_data` with freq='D'):
 *
 * - purchases are counted per DAY: several transactions on one day are one purchase whose
 *   amount is their sum (FHL 2005 §4 works with repeat purchase days);
 * - x   = number of repeat purchase days in the calibration period (distinct days − 1);
 * - t_x = last calibration purchase day − first purchase day;
 * - T   = calibration end − first purchase day;
 * - m_x = mean amount of the repeat purchase days (first purchase excluded, as in FHL's
 *         Gamma-Gamma note and the `zbar` column of the CDNOW summary); 0 when x = 0;
 * - holdout = distinct purchase days in (calibration end, holdout end].
 *
 * Times are in days divided by `unitDays` (7 → weeks, the unit of the published figures).
 * Customers whose first purchase falls after the calibration end are left out: the model
 * has no calibration history for them.
 */
import type { TransactionSink } from './transactions.ts';

export interface SummaryOptions {
  /** Last day (day number) of the calibration period, inclusive. */
  calibrationEnd: number;
  /** Last day of the holdout period, inclusive; omit for no holdout counts. */
  holdoutEnd?: number;
  /** Days per model time unit. Default 7 (weeks). */
  unitDays?: number;
}

/** Column-oriented summaries: index i is one customer across every array. */
export interface CustomerSummaries {
  ids: string[];
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  /** Mean spend per repeat purchase day (m_x / zbar). */
  monetary: Float64Array;
  /** Purchase days in the holdout period (all zero without a holdout end). */
  holdout: Float64Array;
  unitDays: number;
}

/** Per-customer discrete summaries (TransactionLedger.periodSummaries). */
export interface PeriodSummaries {
  ids: string[];
  x: number[];
  tx: number[];
  n: number[];
  /** Periods with a purchase in the holdout, out of `nStar` whole periods. */
  holdout: number[];
  nStar: number[];
  periodDays: number;
}

/**
 * Collects transactions in growable typed arrays (16 bytes a row) and turns them into
 * summaries. Use `sink` as the TransactionSink of the readers.
 */
export class TransactionLedger {
  private readonly index = new Map<string, number>();
  private readonly ids: string[] = [];
  private cust = new Int32Array(1024);
  private day = new Int32Array(1024);
  private amount = new Float64Array(1024);
  private n = 0;

  readonly sink: TransactionSink = (customerId, day, amount) => this.add(customerId, day, amount);

  get size(): number {
    return this.n;
  }

  get customers(): number {
    return this.ids.length;
  }

  add(customerId: string, day: number, amount: number): void {
    let c = this.index.get(customerId);
    if (c === undefined) {
      c = this.ids.length;
      this.index.set(customerId, c);
      this.ids.push(customerId);
    }
    if (this.n === this.cust.length) this.grow();
    this.cust[this.n] = c;
    this.day[this.n] = day;
    this.amount[this.n] = amount;
    this.n++;
  }

  summarize(options: SummaryOptions): CustomerSummaries {
    const { calibrationEnd } = options;
    const holdoutEnd = options.holdoutEnd ?? calibrationEnd;
    const unit = options.unitDays ?? 7;
    if (holdoutEnd < calibrationEnd) throw new RangeError('holdout end is before calibration end');
    const nc = this.ids.length;

    const { start, days, amounts } = this.byCustomer();

    const keep: number[] = [];
    const x = new Float64Array(nc);
    const tx = new Float64Array(nc);
    const T = new Float64Array(nc);
    const monetary = new Float64Array(nc);
    const holdout = new Float64Array(nc);
    let out = 0;
    for (let c = 0; c < nc; c++) {
      const s = start[c] ?? 0;
      const e = start[c + 1] ?? 0;
      let first = Infinity;
      for (let k = s; k < e; k++) first = Math.min(first, days[k] ?? Infinity);
      if (first > calibrationEnd) continue;
      // Repeat spend: every calibration amount not on the first day; summing per day and
      // averaging over x days equals this total divided by x.
      let repeatSpend = 0;
      for (let k = s; k < e; k++) {
        const d = days[k] ?? 0;
        if (d !== first && d <= calibrationEnd) repeatSpend += amounts[k] ?? 0;
      }
      const own = days.subarray(s, e);
      own.sort(); // typed-array sort is numeric
      let distinctCal = 0;
      let last = first;
      let distinctHold = 0;
      let prev = NaN;
      for (let k = 0; k < own.length; k++) {
        const d = own[k] ?? 0;
        if (d === prev) continue;
        prev = d;
        if (d <= calibrationEnd) {
          distinctCal++;
          last = d;
        } else if (d <= holdoutEnd) distinctHold++;
      }
      const repeats = distinctCal - 1;
      keep.push(c);
      x[out] = repeats;
      tx[out] = (last - first) / unit;
      T[out] = (calibrationEnd - first) / unit;
      monetary[out] = repeats > 0 ? repeatSpend / repeats : 0;
      holdout[out] = distinctHold;
      out++;
    }
    return {
      ids: keep.map((c) => this.ids[c] ?? ''),
      x: x.slice(0, out),
      tx: tx.slice(0, out),
      T: T.slice(0, out),
      monetary: monetary.slice(0, out),
      holdout: holdout.slice(0, out),
      unitDays: unit,
    };
  }

  /**
   * Discrete-occasion summaries for BG/BB (bg-bb.ts): time is cut into periods of `periodDays`
   * starting at each customer's first purchase day (period 0). x = periods 1..n with a purchase,
   * t_x = the last such period (0 when none), n = whole periods between period 0 and the
   * calibration end (a period still running at the calibration end is not counted, so an
   * occasion is never half observed); holdout = periods n+1 .. n+nStar with a purchase, nStar
   * being the whole periods that fit between period n's end and the holdout end.
   * Customers first seen after the calibration end are left out.
   */
  periodSummaries(options: { calibrationEnd: number; holdoutEnd?: number; periodDays?: number }): PeriodSummaries {
    const P = options.periodDays ?? 7;
    const { calibrationEnd } = options;
    const holdoutEnd = options.holdoutEnd ?? calibrationEnd;
    const { start, days } = this.byCustomer();
    const ids: string[] = [];
    const x: number[] = [];
    const tx: number[] = [];
    const n: number[] = [];
    const holdout: number[] = [];
    const nStar: number[] = [];
    for (let c = 0; c < this.ids.length; c++) {
      const s = start[c] ?? 0;
      const e = start[c + 1] ?? 0;
      let first = Infinity;
      for (let k = s; k < e; k++) first = Math.min(first, days[k] ?? Infinity);
      if (first > calibrationEnd) continue;
      const periods = Math.floor((calibrationEnd - first + 1) / P) - 1;
      if (periods < 1) continue; // not one whole occasion observed after the first
      const later = Math.floor((holdoutEnd - first + 1) / P) - 1 - periods;
      const seen = new Set<number>();
      for (let k = s; k < e; k++) seen.add(Math.floor(((days[k] ?? 0) - first) / P));
      let xi = 0;
      let last = 0;
      let h = 0;
      for (const q of seen) {
        if (q >= 1 && q <= periods) {
          xi++;
          last = Math.max(last, q);
        } else if (q > periods && q <= periods + later) h++;
      }
      ids.push(this.ids[c] ?? '');
      x.push(xi);
      tx.push(last);
      n.push(periods);
      holdout.push(h);
      nStar.push(Math.max(later, 0));
    }
    return { ids, x, tx, n, holdout, nStar, periodDays: P };
  }

  /**
   * Each customer's first purchase day, and every repeat purchase day (distinct days after the
   * first, per customer, of the customers whose first purchase is on or before `firstBy`) — the raw material of the weekly tracking chart (validation.ts).
   */
  purchaseDays(firstBy = Infinity): { first: Int32Array; repeatDays: Int32Array } {
    const { start, days } = this.byCustomer();
    const nc = this.ids.length;
    const first = new Int32Array(nc);
    const repeat: number[] = [];
    for (let c = 0; c < nc; c++) {
      const own = days.subarray(start[c] ?? 0, start[c + 1] ?? 0);
      own.sort();
      first[c] = own[0] ?? 0;
      if ((own[0] ?? 0) > firstBy) continue;
      for (let k = 1; k < own.length; k++) if (own[k] !== own[k - 1]) repeat.push(own[k] ?? 0);
    }
    return { first, repeatDays: Int32Array.from(repeat) };
  }

  /** Counting sort of the rows by customer (O(n), no comparator sort over millions of rows). */
  private byCustomer(): { start: Int32Array; days: Int32Array; amounts: Float64Array } {
    const nc = this.ids.length;
    const start = new Int32Array(nc + 1);
    for (let i = 0; i < this.n; i++) start[(this.cust[i] ?? 0) + 1]!++;
    for (let c = 0; c < nc; c++) start[c + 1]! += start[c] ?? 0;
    const fill = start.slice(0, nc);
    const days = new Int32Array(this.n);
    const amounts = new Float64Array(this.n);
    for (let i = 0; i < this.n; i++) {
      const c = this.cust[i] ?? 0;
      const k = fill[c]!++;
      days[k] = this.day[i] ?? 0;
      amounts[k] = this.amount[i] ?? 0;
    }

    return { start, days, amounts };
  }

  private grow(): void {
    const size = this.cust.length * 2;
    const cust = new Int32Array(size);
    cust.set(this.cust);
    const day = new Int32Array(size);
    day.set(this.day);
    const amount = new Float64Array(size);
    amount.set(this.amount);
    this.cust = cust;
    this.day = day;
    this.amount = amount;
  }
}
