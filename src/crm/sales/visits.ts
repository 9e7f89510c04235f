import type { Pool, PoolConnection } from 'mysql2/promise';

/**
 * The store visit summary behind the health dashboard (src/crm/insights/health): exact distinct-member
 * counts for any day-aligned window without scanning orders.
 *
 * A *visit* is a (member, store, China day) with at least one order; store key 0 stands for
 * "any store" (the all-stores dashboard), so every visit is counted under its store and under 0.
 * For each visit we know the gap to the member's previous and next visit at the same key, and
 * `store_visit_gaps` holds how many visits of each (key, day) have each gap:
 *   - members active in [A, B)           = visits on days d ∈ [A, B) whose previous visit is before A
 *                                           (gap > d − A): each member is counted once, at their first visit;
 *   - members whose last visit before B is in [X, Y) = visits on d ∈ [X, Y) whose next visit is ≥ B
 *                                           (next gap ≥ B − d) — buyers of the year, dormant, churned.
 * Distinct counts never come from summing days; they come from these gap conditions.
 * `store_day_sales` holds orders and sales per (key, day).
 *
 * The summary never depends on "now", so it needs no nightly move: the bulk rebuild writes it
 * (rebuildMemberStats over all members) and every change of a member's orders applies the
 * difference of that member's contribution before and after (resyncMembers: recordOrder,
 * merges), a handful of rows.
 */
export const ALL_STORES = 0;
export const PREV = 0;
export const NEXT = 1;
/** No previous / next visit, or one further away than any dashboard asks about. */
export const NONE = 9999;
/** The longest dashboard period (month = 30 days); previous gaps are exact only where the queries compare them. */
export const MAX_PERIOD_DAYS = 30;
/** Repurchase lookback and the buyers-of-the-year window. */
export const YEAR_DAYS = 365;

/**
 * Previous-visit gaps are compared only with t = d − A ∈ [0, MAX_PERIOD_DAYS) (active) and with
 * t + 365 (repurchase), so gaps between those ranges share a bucket: 31…365 → 365 and anything
 * from 395 on → NONE keep "bucket > t" ⇔ "gap > t" for every t a query uses, with ≤ 62 rows a day.
 */
export function prevBucket(gap: number | null): number {
  if (gap === null) return NONE;
  if (gap <= MAX_PERIOD_DAYS) return gap;
  if (gap <= YEAR_DAYS) return YEAR_DAYS;
  if (gap < YEAR_DAYS + MAX_PERIOD_DAYS) return gap;
  return NONE;
}

/** Next-visit gaps are compared with B − d ∈ [1, 365]: exact up to a year, NONE beyond. */
export function nextBucket(gap: number | null): number {
  return gap === null || gap > YEAR_DAYS ? NONE : gap;
}

/** One order as the summary sees it. */
export interface VisitOrder {
  store: number;
  /** China calendar day number (kernel chinaDay). */
  day: number;
  cents: number;
}

const DAY_BITS = 32768; // China day numbers stay below 2^15 until 2059
const GAP_BITS = 16384;
const gapKey = (store: number, dir: number, day: number, gap: number) => ((store * 2 + dir) * DAY_BITS + day) * GAP_BITS + gap;
const dayKey = (store: number, day: number) => store * DAY_BITS + day;

/** A member's visit days per key (all stores, and each store), ascending, from their orders in paid_at order. */
function visitDays(orders: VisitOrder[]): Map<number, number[]> {
  const byKey = new Map<number, number[]>();
  const visit = (key: number, day: number) => {
    const list = byKey.get(key);
    if (!list) byKey.set(key, [day]);
    else if (list[list.length - 1] !== day) list.push(day);
  };
  for (const o of orders) {
    visit(ALL_STORES, o.day);
    visit(o.store, o.day);
  }
  return byKey;
}

/** Counts to add to the summary tables (signed: a resync subtracts the old contribution). */
export class VisitTally {
  readonly gaps = new Map<number, number>();
  readonly days = new Map<number, { orders: number; cents: number }>();

  /** Adds (sign 1) or removes (sign −1) one member's contribution; `orders` in paid_at order. */
  addMember(orders: VisitOrder[], sign: 1 | -1 = 1): void {
    if (sign === 1) this.addChange([], orders);
    else this.addChange(orders, []);
  }

  /**
   * Adds one member's change — their contribution after minus before, both lists in paid_at
   * order: the same counts as addMember(before, −1) then addMember(after, 1), without the part
   * both lists start with (it cancels). A new order is usually the member's latest, so a
   * change costs a few counts whatever the member's history (subtracting and adding every
   * visit of every member of a batch was the writer's largest CPU cost).
   */
  addChange(before: VisitOrder[], after: VisitOrder[]): void {
    // Day sales: the orders both lists start with add nothing.
    const n = Math.min(before.length, after.length);
    let p = 0;
    while (p < n && before[p]!.store === after[p]!.store && before[p]!.day === after[p]!.day && before[p]!.cents === after[p]!.cents) p++;
    for (let i = p; i < before.length; i++) this.addDay(before[i]!, -1);
    for (let i = p; i < after.length; i++) this.addDay(after[i]!, 1);
    // Visit gaps, per key: a visit's previous gap depends on it and the visit before, its next
    // gap on it and the visit after — so over the visits both lists start with (q of them) the
    // previous gaps are equal, and the next gaps too except the last one's.
    const b = visitDays(before);
    const a = visitDays(after);
    for (const key of new Set([...b.keys(), ...a.keys()])) {
      const db = b.get(key) ?? [];
      const da = a.get(key) ?? [];
      const m = Math.min(db.length, da.length);
      let q = 0;
      while (q < m && db[q] === da[q]) q++;
      this.addVisits(key, db, q, -1);
      this.addVisits(key, da, q, 1);
    }
  }

  private addDay(o: VisitOrder, sign: 1 | -1): void {
    for (const key of [ALL_STORES, o.store]) {
      const k = dayKey(key, o.day);
      const d = this.days.get(k);
      if (d) {
        d.orders += sign;
        d.cents += sign * o.cents;
      } else this.days.set(k, { orders: sign, cents: sign * o.cents });
    }
  }

  /** The gap counts of a key's visits (`days`, ascending) from the q-th on (the next gap of the one before it too). */
  private addVisits(key: number, days: number[], q: number, sign: 1 | -1): void {
    for (let i = Math.max(0, q - 1); i < days.length; i++) {
      const d = days[i]!;
      if (i >= q) this.bump(gapKey(key, PREV, d, prevBucket(i > 0 ? d - days[i - 1]! : null)), sign);
      this.bump(gapKey(key, NEXT, d, nextBucket(i < days.length - 1 ? days[i + 1]! - d : null)), sign);
    }
  }

  private bump(k: number, by: number): void {
    this.gaps.set(k, (this.gaps.get(k) ?? 0) + by);
  }

  /** Rows for store_visit_gaps (store_key, dir, day, gap, members), zero changes left out. */
  gapRows(): number[][] {
    const rows: number[][] = [];
    // In key order (store, dir, day, gap — the table's primary key): concurrent writers of the
    // same summary rows take their locks in one order, so they queue instead of deadlocking.
    for (const [k, n] of [...this.gaps].sort((x, y) => x[0] - y[0])) {
      if (n === 0) continue;
      const gap = k % GAP_BITS;
      const rest = (k - gap) / GAP_BITS;
      const day = rest % DAY_BITS;
      const sd = (rest - day) / DAY_BITS;
      rows.push([Math.floor(sd / 2), sd % 2, day, gap, n]);
    }
    return rows;
  }

  /** Rows for store_day_sales (store_key, day, orders, sales as a decimal string). */
  dayRows(): unknown[][] {
    const rows: unknown[][] = [];
    for (const [k, v] of [...this.days].sort((x, y) => x[0] - y[0])) {
      if (v.orders === 0 && v.cents === 0) continue;
      const day = k % DAY_BITS;
      rows.push([(k - day) / DAY_BITS, day, v.orders, centsToDecimal(v.cents)]);
    }
    return rows;
  }
}

/** Exact decimal string of an integer number of cents (negative deltas included). */
export function centsToDecimal(c: number): string {
  const sign = c < 0 ? '-' : '';
  const a = Math.abs(c);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

const BATCH = 2000;

/**
 * Adds a tally to the summary tables (upserts adding the signed counts). With `replace` the
 * tables are emptied first, in the same transaction when `conn` is given.
 */
export async function writeTally(runner: Pool | PoolConnection, tally: VisitTally, opts: { replace?: boolean } = {}): Promise<void> {
  if (opts.replace) {
    await runner.query('DELETE FROM store_visit_gaps');
    await runner.query('DELETE FROM store_day_sales');
  }
  const gaps = tally.gapRows();
  for (let i = 0; i < gaps.length; i += BATCH) {
    await runner.query('INSERT INTO store_visit_gaps (store_key, dir, day, gap, members) VALUES ? ON DUPLICATE KEY UPDATE members = members + VALUES(members)', [gaps.slice(i, i + BATCH)]);
  }
  const days = tally.dayRows();
  for (let i = 0; i < days.length; i += BATCH) {
    await runner.query(
      'INSERT INTO store_day_sales (store_key, day, orders, sales) VALUES ? ON DUPLICATE KEY UPDATE orders = orders + VALUES(orders), sales = sales + VALUES(sales)',
      [days.slice(i, i + BATCH)],
    );
  }
}
