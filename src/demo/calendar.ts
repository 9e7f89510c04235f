/**
 * China-local calendar arithmetic on UTC instants. The database keeps DATETIME in UTC
 * (src/db/sql.ts), but store hours, weekdays and "today" are China Standard Time (UTC+8,
 * no daylight saving), so every local-time decision goes through these helpers.
 */

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
const CST_OFFSET_MS = 8 * HOUR_MS;

/** Index of the China-local calendar day containing the instant (days since 1970-01-01 CST). */
export function chinaDayIndex(ms: number): number {
  return Math.floor((ms + CST_OFFSET_MS) / DAY_MS);
}

/** UTC instant of China-local midnight starting the given day index. */
export function chinaDayStart(dayIndex: number): number {
  return dayIndex * DAY_MS - CST_OFFSET_MS;
}

/** 0 = Monday … 6 = Sunday, China-local. (1970-01-01 was a Thursday.) */
export function chinaWeekday(dayIndex: number): number {
  return (((dayIndex + 3) % 7) + 7) % 7;
}

/** The start (00:00 China time) of the day containing `d`: the default "now" of a seed. */
export function startOfChinaDay(d: Date): Date {
  return new Date(chinaDayStart(chinaDayIndex(d.getTime())));
}

// A demo spans about a thousand distinct days but ten million orders: format each day once.
const YMD_CACHE = new Map<number, string>();

/** "YYYYMMDD" of a China-local day, for order numbers. */
export function chinaYmd(dayIndex: number): string {
  let s = YMD_CACHE.get(dayIndex);
  if (s === undefined) {
    s = new Date(dayIndex * DAY_MS).toISOString().slice(0, 10).replaceAll('-', '');
    if (YMD_CACHE.size < 100_000) YMD_CACHE.set(dayIndex, s);
  }
  return s;
}

/** China-local calendar date of an instant as { year, month (1–12), day }. */
export function chinaDate(ms: number): { year: number; month: number; day: number } {
  const d = new Date(ms + CST_OFFSET_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}
