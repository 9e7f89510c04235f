/**
 * Calendar dates as whole day numbers (days since 1970-01-01, proleptic Gregorian, no time
 * zone): the models work at day granularity (FHL 2005 counts repeat purchases per day), and
 * integer arithmetic is far cheaper than Date objects over millions of transactions.
 */

/** Day number of a valid calendar date, or NaN when y-m-d is not a real date. */
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

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
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

/** Formats a day number as `YYYY-MM-DD`. */
export function formatDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
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
