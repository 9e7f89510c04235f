/**
 * The China calendar: the one place that turns instants into China calendar days, weeks and
 * months and back. The database keeps DATETIME in UTC (src/db/sql.ts); the stores, their staff
 * and members live in mainland China, China Standard Time, UTC+8 all year (no daylight saving
 * since 1991), so "today", "this month", store hours and dates shown to people are China time,
 * whatever the server's zone.
 *
 * A *day number* is a calendar date counted in days since 1970-01-01 (proleptic Gregorian):
 * `chinaDay(instant)` is the day number of the China date the instant falls on, and the same
 * numbers serve zone-less dates (a CDNOW transaction date, a birthday). Integer days keep the
 * hot loops (rollups over millions of orders, the demo generator) free of Date objects.
 * A *month key* is `YYYY-MM`.
 */

/** The IANA zone, for schedulers that take one (BullMQ cron patterns). */
export const CHINA_TIME_ZONE = 'Asia/Shanghai';
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
const OFFSET_MS = 8 * HOUR_MS;

const msOf = (at: Date | number) => (typeof at === 'number' ? at : at.getTime());

// ---- instants → China days ---------------------------------------------------------------

/** Day number of the China calendar date of an instant (00:00 China time = 16:00 UTC the day before). */
export function chinaDay(at: Date | number): number {
  return Math.floor((msOf(at) + OFFSET_MS) / DAY_MS);
}

/** Epoch milliseconds of 00:00 China time starting a day number. */
export function chinaDayStartMs(day: number): number {
  return day * DAY_MS - OFFSET_MS;
}

/** 00:00 China time of the day an instant falls on. */
export function startOfChinaDay(at: Date | number): Date {
  return new Date(chinaDayStartMs(chinaDay(at)));
}

/** The day number when the instant is exactly 00:00 China time, else null (period bounds). */
export function chinaMidnightDay(at: Date | number): number | null {
  const t = msOf(at) + OFFSET_MS;
  return t % DAY_MS === 0 ? t / DAY_MS : null;
}

/** 0 = Monday … 6 = Sunday, of a day number (1970-01-01 was a Thursday). */
export function chinaWeekday(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** 00:00 China time of the Monday starting the week an instant falls in. */
export function startOfChinaWeek(at: Date | number): Date {
  const day = chinaDay(at);
  return new Date(chinaDayStartMs(day - chinaWeekday(day)));
}

/** Minutes since 00:00 China time (0 … 1439). */
export function chinaMinuteOfDay(at: Date | number): number {
  const t = (msOf(at) + OFFSET_MS) % DAY_MS;
  return Math.floor((t < 0 ? t + DAY_MS : t) / 60_000);
}

/** The first instant at or after `at` whose China time of day is `minuteOfDay` (minutes since 00:00). */
export function nextChinaTimeOfDay(at: Date, minuteOfDay: number): Date {
  const target = chinaDayStartMs(chinaDay(at)) + minuteOfDay * 60_000;
  return new Date(target >= at.getTime() ? target : target + DAY_MS);
}

/** The instant `days` whole days later (earlier when negative); a China day is always 24 h. */
export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * DAY_MS);
}

/** Calendar fields of an instant in China time (month 1–12). */
export function chinaParts(at: Date | number): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const d = new Date(msOf(at) + OFFSET_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
}

/**
 * A China wall-clock reading written down as if it were UTC (an Excel date cell, Date.UTC of
 * China fields) → the instant it names.
 */
export function fromChinaWallClock(wall: Date | number): Date {
  return new Date(msOf(wall) - OFFSET_MS);
}

// ---- day numbers ↔ calendar dates --------------------------------------------------------

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days in month `m` (1–12) of year `y`. */
export function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Day number of the calendar date y-m-d (month 1–12), or NaN when it is not a real date. */
export function dayNumber(y: number, m: number, d: number): number {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return NaN;
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return NaN;
  // Howard Hinnant's days_from_civil: exact for every Gregorian date.
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The calendar date of a day number (month 1–12); Hinnant's civil_from_days. */
export function dayParts(day: number): { year: number; month: number; day: number } {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day: doy - Math.floor((153 * mp + 2) / 5) + 1 };
}

/** A day number as a DATE column holds it (00:00 UTC of that date): birthdays, date-only values. */
export function dayDate(day: number): Date {
  return new Date(day * DAY_MS);
}

/** Parses `YYYY-MM-DD` to a day number; NaN when malformed or not a real date. */
export function parseIsoDay(s: string): number {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return NaN;
  return dayNumber(digits(s, 0, 4), digits(s, 5, 7), digits(s, 8, 10));
}

/** Parses `YYYYMMDD` (the CDNOW layout) to a day number; NaN when malformed. */
export function parseCompactDay(s: string): number {
  if (s.length !== 8) return NaN;
  return dayNumber(digits(s, 0, 4), digits(s, 4, 6), digits(s, 6, 8));
}

function digits(s: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return v;
}

/** `YYYY-MM-DD` as 00:00 China time of that date; an invalid Date when it is not a real date. */
export function parseChinaDate(ymd: string): Date {
  const day = parseIsoDay(ymd);
  return new Date(Number.isNaN(day) ? NaN : chinaDayStartMs(day));
}

// ---- formatting --------------------------------------------------------------------------

/** A day number as `YYYY-MM-DD` (or with another separator: `YYYYMMDD` for ''). */
export function formatDay(day: number, sep = '-'): string {
  const iso = new Date(day * DAY_MS).toISOString().slice(0, 10);
  return sep === '-' ? iso : iso.replaceAll('-', sep);
}

/** The China date of an instant, `YYYY-MM-DD` (2026-11-21; `YYYYMMDD` with sep ''). */
export function formatDate(at: Date | number, sep = '-'): string {
  return formatDay(chinaDay(at), sep);
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** China time as `MM-DD HH:mm` (00:00 … 23:59), for lists where the year goes without saying. */
export function formatMonthDayTime(at: Date | number): string {
  const p = chinaParts(at);
  return `${pad2(p.month)}-${pad2(p.day)} ${pad2(p.hour)}:${pad2(p.minute)}`;
}

// ---- months ------------------------------------------------------------------------------

/** The China calendar month of an instant, `YYYY-MM`. */
export function chinaMonth(at: Date | number): string {
  return formatDate(at).slice(0, 7);
}

/** Month number (year × 12 + month − 1) of a day number: consecutive months differ by one. */
export function monthNumberOfDay(day: number): number {
  // civil_from_days as in dayParts, without the object: this runs once per order in the rollups.
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const mp = Math.floor((5 * (doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))) + 2) / 153);
  // mp counts months from March: 0 = March … 11 = February (of the next calendar year).
  return (yoe + era * 400) * 12 + mp + 2;
}

/** The month key `n` months after (before, when negative) a month key. */
export function shiftMonth(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const k = y * 12 + m - 1 + n;
  const year = Math.floor(k / 12);
  return `${String(year).padStart(4, '0')}-${pad2(k - year * 12 + 1)}`;
}

/** 00:00 China time on the 1st of a month key, optionally `n` months later (earlier when negative). */
export function chinaMonthStart(month: string, n = 0): Date {
  const [y, m] = shiftMonth(month, n).split('-').map(Number) as [number, number];
  return new Date(chinaDayStartMs(dayNumber(y, m, 1)));
}

/** 00:00 China time on the 1st of the month an instant falls in. */
export function startOfChinaMonth(at: Date | number): Date {
  return chinaMonthStart(chinaMonth(at));
}

// ---- SQL ---------------------------------------------------------------------------------

/** A UTC DATETIME expression moved to China wall time, for DATE_FORMAT and friends in SQL. */
export function chinaSql(expr: string): string {
  return `${expr} + INTERVAL 8 HOUR`;
}

// ---- elapsed time ------------------------------------------------------------------------

/** Whole days elapsed from `from` to `to` (floor), the same as SQL TIMESTAMPDIFF(DAY, from, to). */
export function daysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / 86_400_000);
}

// ---- named periods -----------------------------------------------------------------------

/**
 * A calendar period as people name it: `offset` 0 = the current one (本周, 本月, 本季度, 今年),
 * −1 = the one before (昨天, 上周, 上个月, 上季度, 去年); or, with unit 'month' and `month`
 * (1–12), the latest such month that has begun (10月 in November is this year's, in March last
 * year's). Weeks start on Monday.
 */
export interface CalendarPeriod {
  unit: 'day' | 'week' | 'month' | 'quarter' | 'year';
  offset?: number;
  month?: number;
}

/** A period's instants [start, end) with what it is compared with; every bound is China time. */
export interface PeriodRange {
  start: Date;
  /** The period's end, or `now` while the period is still running (`partial`). */
  end: Date;
  partial: boolean;
  /** The period before (the week, month … before), as far into it as this one has run. */
  previous: [Date, Date];
  /** The same dates a year earlier (the same weekdays for days and weeks: 52 weeks back). */
  lastYear: [Date, Date];
}

const MONTHS_OF: Record<'month' | 'quarter' | 'year', number> = { month: 1, quarter: 3, year: 12 };

/** The instants of a named period at `now` (the period must have begun; the future is refused). */
export function chinaPeriodRange(p: CalendarPeriod, now: Date): PeriodRange {
  const offset = p.offset ?? 0;
  let full: [Date, Date];
  let previous: [Date, Date];
  let lastYear: [Date, Date];
  if (p.unit === 'day' || p.unit === 'week') {
    const len = p.unit === 'day' ? 1 : 7;
    const today = chinaDay(now);
    const first = (p.unit === 'day' ? today : today - chinaWeekday(today)) + offset * len;
    const at = (day: number) => new Date(chinaDayStartMs(day));
    full = [at(first), at(first + len)];
    previous = [at(first - len), at(first)];
    lastYear = [at(first - 364), at(first - 364 + len)];
  } else {
    const span = MONTHS_OF[p.unit];
    const current = chinaMonth(now);
    let key: string;
    if (p.unit === 'month' && p.month !== undefined) {
      if (!Number.isInteger(p.month) || p.month < 1 || p.month > 12) throw new RangeError(`not a month: ${p.month}`);
      const [y, m] = current.split('-').map(Number) as [number, number];
      key = `${String(p.month <= m ? y : y - 1).padStart(4, '0')}-${pad2(p.month)}`;
    } else {
      const m = Number(current.slice(5, 7));
      // The first month of the unit the current month is in: itself, its quarter's, January.
      const first = p.unit === 'month' ? 0 : p.unit === 'quarter' ? -((m - 1) % 3) : -(m - 1);
      key = shiftMonth(current, first + offset * span);
    }
    full = [chinaMonthStart(key), chinaMonthStart(key, span)];
    previous = [chinaMonthStart(key, -span), full[0]];
    lastYear = [chinaMonthStart(key, -12), chinaMonthStart(key, span - 12)];
  }
  return periodAt(full, previous, lastYear, now);
}

/**
 * The last `days` China days up to `now`, today included so far: [00:00 of the day `days` − 1
 * before today, now), compared with the `days` days before it and the same days 365 days
 * earlier, each as far in as this one has run.
 */
export function chinaRollingRange(days: number, now: Date): PeriodRange {
  const first = chinaDay(now) - days + 1;
  const at = (day: number) => new Date(chinaDayStartMs(day));
  return periodAt([at(first), at(first + days)], [at(first - days), at(first)], [at(first - 365), at(first - 365 + days)], now);
}

/**
 * China dates `from` … `to` (day numbers, both included): [from 00:00, the day after `to` 00:00),
 * compared with as many days just before it and the same dates 365 days earlier; cut at `now`
 * when it reaches today (the caller refuses a range that has not begun).
 */
export function chinaDateRange(from: number, to: number, now: Date): PeriodRange {
  const days = to - from + 1;
  const at = (day: number) => new Date(chinaDayStartMs(day));
  return periodAt([at(from), at(to + 1)], [at(from - days), at(from)], [at(from - 365), at(to + 1 - 365)], now);
}

/** A period at `now`: whole when over, else cut at now with its comparisons cut to the same length. */
function periodAt(full: [Date, Date], previous: [Date, Date], lastYear: [Date, Date], now: Date): PeriodRange {
  if (full[0] > now) throw new RangeError('the period has not begun');
  if (full[1] <= now) return { start: full[0], end: full[1], partial: false, previous, lastYear };
  // Still running: compare like with like, the same stretch of the earlier periods.
  const elapsed = now.getTime() - full[0].getTime();
  const upTo = ([s, e]: [Date, Date]): [Date, Date] => [s, new Date(Math.min(s.getTime() + elapsed, e.getTime()))];
  return { start: full[0], end: now, partial: true, previous: upTo(previous), lastYear: upTo(lastYear) };
}
