import { chinaDay, chinaDayStartMs, chinaWeekday, DAY_MS } from '../crm/kernel/index.ts';
import { LAST_ORDER_MINUTE, OPEN_MINUTE } from './menu.ts';
import type { Rng } from './random.ts';

/**
 * When a member buys. Purchases follow the member's latent process (personas.ts); recorded
 * orders are those inside the observation window, but the process runs from registration so a
 * member can already be gone before the window opens, as in real legacy data.
 */

// Weekday pattern (Mon … Sun, mean 1): restaurants fill up at weekends. Applied by thinning a
// faster Poisson process, so the member's long-run rate stays exactly λ.
const WEEKDAY_WEIGHT = [0.85, 0.85, 0.85, 0.85, 1.05, 1.3, 1.25] as const;
const WEIGHT_MAX = 1.3;

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
  rate: number;
  dropout: number;
  /** Registration instant: the process starts here. */
  startMs: number;
  /** Buy at registration (members who sign up at the till). */
  firstAtStart: boolean;
  /** Drawn end of a lapsed member's activity (China midnight), if any. */
  forcedChurnMs: number | null;
  windowStartMs: number;
  nowMs: number;
}

export interface ProcessOutput {
  /** Purchase instants inside [windowStart, now), ascending, at most one per day. */
  paidAt: number[];
  /** When the member dropped out, or null when still alive at now. */
  churnedAtMs: number | null;
}

/** Runs one member's (M)BG/NBD purchase process up to `now`. */
export function simulatePurchases(rng: Rng, p: ProcessInput): ProcessOutput {
  const paidAt: number[] = [];
  let lastDay = -Infinity;
  let lastPaid = 0;
  const record = (paid: number): void => {
    if (paid >= p.windowStartMs) paidAt.push(paid);
    lastDay = chinaDay(paid);
    lastPaid = paid;
  };

  if (p.firstAtStart) {
    record(p.startMs + rng.int(60_000, 20 * 60_000));
    if (rng.chance(p.dropout)) return { paidAt, churnedAtMs: lastPaid };
  }
  let t = p.startMs;
  for (;;) {
    t += rng.exp(p.rate * WEIGHT_MAX) * DAY_MS;
    // The forced end comes first: a slow buyer's next draw may leap past both it and now.
    if (p.forcedChurnMs !== null && t >= p.forcedChurnMs) return { paidAt, churnedAtMs: p.forcedChurnMs };
    if (t >= p.nowMs) break;
    const day = chinaDay(t);
    if (rng.float() * WEIGHT_MAX >= WEEKDAY_WEIGHT[chinaWeekday(day)]!) continue;
    // One visit a day at most: a second draw the same day is the same visit.
    if (day === lastDay) continue;
    const paid = purchaseInstant(rng, day);
    if (paid >= p.nowMs) break; // only today can overshoot now, and no day follows it
    record(paid);
    if (rng.chance(p.dropout)) return { paidAt, churnedAtMs: paid };
  }
  return { paidAt, churnedAtMs: null };
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
