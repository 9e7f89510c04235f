import { chinaDay, chinaDayStartMs, chinaWeekday, DAY_MS } from '../crm/kernel/index.ts';
import { LAST_ORDER_MINUTE, OPEN_MINUTE } from './menu.ts';
import type { Latent } from './personas.ts';
import type { Rng } from './random.ts';

/**
 * When a member buys: the renewal-and-hazard process of personas.ts (not BG/NBD). Recorded
 * orders are those inside the observation window, but the process runs from registration so a
 * member can already be gone before the window opens, as in real legacy data.
 */

// Weekday pattern (Mon … Sun): restaurants fill up at weekends. A visit drawn on a quiet day
// moves to a later day with the odds of the weights.
const WEEKDAY_WEIGHT = [0.85, 0.85, 0.85, 0.85, 1.05, 1.3, 1.25] as const;
const WEIGHT_MAX = 1.3;
// Visit rate by China month (Jan … Dec): Spring Festival and National Day busy, summer slow.
const SEASON = [1.15, 1.3, 0.95, 0.95, 1, 0.9, 0.85, 0.85, 1, 1.1, 0.95, 1.1] as const;

/** Store effects: visit rate, leaving hazard and bad-experience rate per visit (store 3 serves worst). */
export const STORE_EFFECTS: Readonly<Record<number, { visits: number; hazard: number; complaint: number }>> = {
  1: { visits: 1, hazard: 0.9, complaint: 0.01 },
  2: { visits: 1.05, hazard: 1, complaint: 0.015 },
  3: { visits: 0.9, hazard: 1.5, complaint: 0.035 },
};
const DEFAULT_STORE = { visits: 1, hazard: 1, complaint: 0.015 };
/** A complaint multiplies the leaving hazard this much for COMPLAINT_DAYS days. */
const COMPLAINT_HAZARD = 15;
const COMPLAINT_DAYS = 90;
/** The chain's price rise: this many days before now. */
export const PRICE_RISE_DAYS_AGO = 200;

/** A minute of the China-local day inside store hours, shaped like lunch and dinner rushes. */
export function mealMinute(rng: Rng): number {
  const r = rng.float();
  let m: number;
  if (r < 0.4) m = 12 * 60 + 15 + rng.normal() * 40;
  else if (r < 0.9) m = 18 * 60 + 45 + rng.normal() * 60;
  else m = rng.range(OPEN_MINUTE, LAST_ORDER_MINUTE);
  return Math.min(LAST_ORDER_MINUTE, Math.max(OPEN_MINUTE, Math.floor(m)));
}

/** The instant of a purchase on a China-local day: a meal minute plus random seconds. */
export function purchaseInstant(rng: Rng, dayIndex: number): number {
  return chinaDayStartMs(dayIndex) + mealMinute(rng) * 60_000 + rng.int(0, 59_999);
}

export interface ProcessInput {
  latent: Latent;
  homeStoreId: number;
  /** Registration instant: the process starts here. */
  startMs: number;
  /** Buy at registration (members who sign up at the till). */
  firstAtStart: boolean;
  /** Drawn end of a lapsed member's activity (China midnight), if any: no coming back. */
  forcedChurnMs: number | null;
  windowStartMs: number;
  nowMs: number;
  /** Campaign instants (ascending): a gone member may come back at one with a coupon. */
  campaignsMs: readonly number[];
}

export interface ProcessOutput {
  /** Purchase instants inside [windowStart, now), ascending, at most one per day. */
  paidAt: number[];
  /** When the member left for good (as of now), or null when still a customer at now. */
  churnedAtMs: number | null;
  /** Bad experiences the member complained about (instants before now, ascending). */
  complaintsAt: number[];
}

function weibull(rng: Rng, mean: number, shape: number): number {
  const scale = mean / Math.exp(lgammaSmall(1 + 1 / shape));
  return scale * Math.pow(-Math.log(1 - rng.float()), 1 / shape);
}

/** log Γ(x) for 1 < x ≤ 3 (Stirling on x + 5, shifted back); enough for Weibull scales. */
function lgammaSmall(x: number): number {
  let shift = 0;
  while (x < 6) {
    shift += Math.log(x);
    x += 1;
  }
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x ** 3) - shift;
}

/** Runs one member's visit-and-leave process up to `now`. */
export function simulatePurchases(rng: Rng, p: ProcessInput): ProcessOutput {
  const L = p.latent;
  const store = STORE_EFFECTS[p.homeStoreId] ?? DEFAULT_STORE;
  const priceRiseMs = p.nowMs - PRICE_RISE_DAYS_AGO * DAY_MS;
  const paidAt: number[] = [];
  const complaintsAt: number[] = [];
  let lastDay = -Infinity;
  let lastComplaint = -Infinity;
  const record = (paid: number): void => {
    if (paid >= p.windowStartMs) paidAt.push(paid);
    lastDay = chinaDay(paid);
    if (rng.chance(store.complaint * (L.priceSensitivity > 0.5 && paid >= priceRiseMs ? 2 : 1))) {
      const at = paid + rng.int(10, 120) * 60_000;
      if (at < p.nowMs) complaintsAt.push(at);
      lastComplaint = at;
    }
  };
  const hazardAt = (t: number): number => {
    const tenureYears = (t - p.startMs) / (365 * DAY_MS);
    let h = L.hazard * store.hazard * (1 + 0.5 * tenureYears);
    if (t - lastComplaint < COMPLAINT_DAYS * DAY_MS) h *= COMPLAINT_HAZARD;
    if (t >= priceRiseMs) h *= 1 + 3 * L.priceSensitivity;
    return h;
  };
  const gapAt = (t: number): number => {
    const base = rng.chance(L.breakShare) ? rng.gammaMean(L.meanGapDays * rng.range(3, 6), 2) : weibull(rng, L.meanGapDays, L.gapShape);
    const month = SEASON[new Date(t + 8 * 3_600_000).getUTCMonth()]!;
    return (base * (t >= priceRiseMs ? 1 + L.priceSensitivity : 1)) / (month * store.visits);
  };

  if (p.firstAtStart) record(p.startMs + rng.int(60_000, 20 * 60_000));
  let t = p.startMs;
  let campaign = 0;
  for (;;) {
    const gap = gapAt(t) * DAY_MS;
    const leave = t + rng.exp(hazardAt(t)) * DAY_MS;
    const forced = p.forcedChurnMs !== null && Math.min(leave, t + gap) >= p.forcedChurnMs;
    if (forced) return { paidAt, churnedAtMs: p.forcedChurnMs, complaintsAt };
    if (leave < t + gap) {
      if (leave >= p.nowMs) break;
      // A lapsed member's stop is final: no coupon brings them back before their forced end.
      if (p.forcedChurnMs !== null) return { paidAt, churnedAtMs: leave, complaintsAt };
      // Gone: the next campaign's coupon may bring them back, each with the member's response rate.
      while (campaign < p.campaignsMs.length && p.campaignsMs[campaign]! <= leave) campaign++;
      let back = -1;
      for (; campaign < p.campaignsMs.length && p.campaignsMs[campaign]! < p.nowMs; campaign++) {
        if (rng.chance(L.couponResponse)) {
          back = p.campaignsMs[campaign++]!;
          break;
        }
      }
      if (back < 0) return { paidAt, churnedAtMs: leave, complaintsAt };
      t = back;
      const day = chinaDay(back) + rng.int(0, 10);
      const paid = purchaseInstant(rng, day);
      if (paid >= p.nowMs) break;
      if (day !== lastDay) record(paid);
      t = paid;
      continue;
    }
    t += gap;
    if (t >= p.nowMs) break;
    let day = chinaDay(t);
    // Towards the weekend: a quiet day passes the visit on with the odds of the weights.
    for (let k = 0; k < 6 && rng.float() * WEIGHT_MAX >= WEEKDAY_WEIGHT[chinaWeekday(day)]!; k++) day++;
    // One visit a day at most: a second draw the same day is the same visit.
    if (day === lastDay) continue;
    const paid = purchaseInstant(rng, day);
    if (paid >= p.nowMs) break; // only today can overshoot now, and no day follows it
    if (p.forcedChurnMs !== null && paid >= p.forcedChurnMs) return { paidAt, churnedAtMs: p.forcedChurnMs, complaintsAt };
    record(paid);
    t = paid;
  }
  return { paidAt, churnedAtMs: null, complaintsAt };
}

/**
 * A steady, hand-specified rhythm for the fixed demo members (every `gapDays` ± `jitterDays`
 * days between two China-local days), so their documented facts hold for every seed.
 */
export function steadySchedule(rng: Rng, fromDay: number, untilDay: number, gapDays: number, jitterDays: number, nowMs: number): number[] {
  const out: number[] = [];
  for (let day = fromDay; day < untilDay; day += gapDays + rng.int(-jitterDays, jitterDays)) {
    const paid = purchaseInstant(rng, day);
    if (paid < nowMs) out.push(paid);
  }
  return out;
}
