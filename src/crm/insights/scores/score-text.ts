/**
 * The scoring pass's text, written straight into LOAD DATA's TSV (load-scores.ts): a million
 * rows a run, each with five fixed-point numbers and the reasons' JSON. Each helper gives
 * exactly the text of the generic call it replaces (`toFixed`, `JSON.stringify`), without its
 * cost: at 1M members `toFixed` and `JSON.stringify` of the reasons were seconds of the run's
 * CPU (docs/benchmarks.md, session 15). score-text.test.ts checks them against the generic calls.
 */
import { dayParts } from '../../kernel/index.ts';

const SCALES = [1, 10, 100, 1000, 10_000] as const;
/** |x · 10^places| below this: its product's rounding error (≤ 2^-53 of it) is far below the tie window. */
const EXACT = 1e9;
/** Products this close to a half are ties or near-ties: left to toFixed's exact decimal rule. */
const TIE = 1e-6;

/**
 * The integer n of `x.toFixed(places)` (its digits without the point, the sign apart): the
 * nearest integer to x · 10^places, computed as a float product where that cannot be wrong — not
 * near a half, not large — and by toFixed's exact rule otherwise. Null for NaN.
 */
export function fixedUnits(x: number, places: 0 | 1 | 2 | 3 | 4): number | null {
  if (Number.isNaN(x)) return null;
  const y = Math.abs(x) * SCALES[places];
  if (y < EXACT) {
    const k = Math.round(y);
    const d = y - k;
    if (d < 0.5 - TIE && d > -0.5 + TIE) return k;
  }
  return Math.round(Math.abs(Number(x.toFixed(places))) * SCALES[places]);
}

const PADS = ['', '0', '00', '000', '0000'];

/** Exactly `x.toFixed(places)`, for finite x (NaN, ±Infinity and |x| ≥ 1e21 go to toFixed itself). */
export function fixed(x: number, places: 2 | 4): string {
  if (!Number.isFinite(x) || Math.abs(x) >= 1e21) return x.toFixed(places);
  const n = fixedUnits(x, places)!;
  if (n > Number.MAX_SAFE_INTEGER) return x.toFixed(places);
  const scale = SCALES[places];
  const whole = Math.floor(n / scale);
  const frac = String(n - whole * scale);
  // toFixed writes "-" for any x < 0, also when the digits are all zero (-0.00001 → "-0.0000").
  return `${x < 0 ? '-' : ''}${whole}.${PADS[places - frac.length]}${frac}`;
}

/** Exactly `(cents / 100).toFixed(2)` for integer cents (the members' past spend). */
export function centsText(cents: number): string {
  if (!Number.isSafeInteger(cents)) return (cents / 100).toFixed(2);
  const a = cents < 0 ? -cents : cents;
  const whole = Math.floor(a / 100);
  const frac = a - whole * 100;
  return `${cents < 0 ? '-' : ''}${whole}.${frac < 10 ? '0' : ''}${frac}`;
}

/** A character JSON.stringify would escape: a quote, a backslash, a control character or a lone surrogate. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * Exactly `JSON.stringify(items)` for a list of objects of string fields (`{ code, text }`, the
 * churn reasons), written by concatenation: the generic walk cost ~2 s per million members.
 * A value that JSON would escape (never in the reasons' sentences) goes through JSON.stringify.
 */
export function stringFieldsJson<T extends { [K in keyof T]: string }>(items: readonly T[]): string {
  let out = '[';
  for (let k = 0; k < items.length; k++) {
    const item = items[k]!;
    let fields = '';
    for (const key in item) fields += `${fields ? ',' : ''}${jsonString(key)}:${jsonString(item[key])}`;
    out += `${k ? ',' : ''}{${fields}}`;
  }
  return `${out}]`;
}

const jsonString = (s: string) => (NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`);

const two = (v: number) => (v < 10 ? `0${v}` : String(v));
const three = (v: number) => (v < 10 ? `00${v}` : v < 100 ? `0${v}` : String(v));
/** 0001-01-01 and 10000-01-01 in epoch ms: toISOString writes a 4-digit year between them. */
const FIRST_MS = -62_135_596_800_000;
const LAST_MS = 253_402_300_800_000;

/**
 * A UTC DATETIME(3) literal of epoch milliseconds (the pool's time zone is UTC): exactly
 * `new Date(ms).toISOString().slice(0, 23).replace('T', ' ')`, computed from the day number
 * (the kernel's civil-from-days conversion, `dayParts`) instead of a Date and three strings per call — one per
 * member's last order, 3 s of CPU per million members that way (session 15).
 */
export function utcText(ms: number): string {
  if (!Number.isInteger(ms) || ms < FIRST_MS || ms >= LAST_MS) return new Date(ms).toISOString().slice(0, 23).replace('T', ' ');
  const days = Math.floor(ms / 86_400_000);
  let rest = ms - days * 86_400_000;
  // The kernel's one civil-from-days conversion (proleptic Gregorian), as the calendar uses it.
  const { year, month, day } = dayParts(days);
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const y = String(year);
  return `${y.length < 4 ? '000'.slice(y.length - 1) + y : y}-${two(month)}-${two(day)} ${two(hours)}:${two(minutes)}:${two(seconds)}.${three(rest - seconds * 1000)}`;
}
