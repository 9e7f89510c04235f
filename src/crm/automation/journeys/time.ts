/**
 * Journey timing rules on the China calendar (kernel china-calendar.ts), always from the
 * injected clock: quiet hours, "until 10:00", "until the birthday", weekly frequency buckets.
 */
import { chinaDayStartMs, chinaMinuteOfDay, chinaParts, dayNumber, daysInMonth, formatDate, nextChinaTimeOfDay, startOfChinaWeek } from '../../kernel/index.ts';

const parseHm = (s: string) => {
  const [h, m] = s.split(':').map(Number);
  return h! * 60 + m!;
};

/** The next instant (strictly after `at` unless it is exactly now) at HH:MM China time. */
export function nextTimeOfDay(at: Date, hhmm: string): Date {
  return nextChinaTimeOfDay(at, parseHm(hhmm));
}

export interface QuietHours {
  start: number;
  end: number;
}

export function parseQuietHours(spec: string | undefined): QuietHours | null {
  if (!spec || spec === 'off') return null;
  const [a, b] = spec.split('-');
  return { start: parseHm(a!), end: parseHm(b!) };
}

/** When `at` falls inside the quiet window, the instant the window ends; else null. */
export function quietUntil(at: Date, q: QuietHours | null): Date | null {
  if (!q || q.start === q.end) return null;
  const m = chinaMinuteOfDay(at);
  const inside = q.start < q.end ? m >= q.start && m < q.end : m >= q.start || m < q.end;
  if (!inside) return null;
  return nextChinaTimeOfDay(at, q.end);
}

/** The next birthday (month/day, China calendar) shifted by offsetDays, at HH:MM; today counts if still ahead. */
export function nextBirthday(at: Date, birthday: Date, offsetDays: number, hhmm: string): Date {
  // A birthday is a DATE (00:00 UTC of the date): its own calendar fields, no zone.
  const month = birthday.getUTCMonth() + 1;
  const day = birthday.getUTCDate();
  const { year } = chinaParts(at);
  for (const y of [year, year + 1]) {
    // Feb 29 birthdays are celebrated on Feb 28 in common years.
    const d = dayNumber(y, month, Math.min(day, daysInMonth(y, month)));
    const t = chinaDayStartMs(d + offsetDays) + parseHm(hhmm) * 60_000;
    if (t >= at.getTime()) return new Date(t);
  }
  return at;
}

/** Monday (China calendar) of the week containing `at`, as YYYY-MM-DD. */
export function weekStart(at: Date): string {
  return formatDate(startOfChinaWeek(at));
}
