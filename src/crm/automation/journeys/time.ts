/**
 * China-time arithmetic for journeys (stores are in mainland China: UTC+8, no DST), always
 * from the injected clock: quiet hours, "until 10:00", "until the birthday", weekly buckets.
 */
const OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** Minutes since China-time midnight. */
export function chinaMinutes(at: Date): number {
  return Math.floor(((at.getTime() + OFFSET_MS) % DAY_MS) / 60_000);
}

/** UTC instant of China-time midnight of the day containing `at`. */
export function chinaMidnight(at: Date): Date {
  const t = at.getTime() + OFFSET_MS;
  return new Date(t - (t % DAY_MS) - OFFSET_MS);
}

const parseHm = (s: string) => {
  const [h, m] = s.split(':').map(Number);
  return h! * 60 + m!;
};

/** The next instant (strictly after `at` unless it is exactly now) at HH:MM China time. */
export function nextTimeOfDay(at: Date, hhmm: string): Date {
  const target = new Date(chinaMidnight(at).getTime() + parseHm(hhmm) * 60_000);
  return target.getTime() >= at.getTime() ? target : new Date(target.getTime() + DAY_MS);
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
  const m = chinaMinutes(at);
  const inside = q.start < q.end ? m >= q.start && m < q.end : m >= q.start || m < q.end;
  if (!inside) return null;
  const end = `${String(Math.floor(q.end / 60)).padStart(2, '0')}:${String(q.end % 60).padStart(2, '0')}`;
  return nextTimeOfDay(at, end);
}

/** The next birthday (month/day, China calendar) shifted by offsetDays, at HH:MM; today counts if still ahead. */
export function nextBirthday(at: Date, birthday: Date, offsetDays: number, hhmm: string): Date {
  const month = birthday.getUTCMonth();
  const day = birthday.getUTCDate();
  const today = new Date(at.getTime() + OFFSET_MS);
  for (const year of [today.getUTCFullYear(), today.getUTCFullYear() + 1]) {
    // Feb 29 birthdays are celebrated on Feb 28 in common years.
    const d = new Date(Date.UTC(year, month, day));
    if (d.getUTCMonth() !== month) d.setUTCDate(0);
    const t = new Date(d.getTime() + offsetDays * DAY_MS - OFFSET_MS + parseHm(hhmm) * 60_000);
    if (t.getTime() >= at.getTime()) return t;
  }
  return at;
}

/** Monday (China calendar) of the week containing `at`, as YYYY-MM-DD. */
export function weekStart(at: Date): string {
  const local = new Date(at.getTime() + OFFSET_MS);
  const dow = (local.getUTCDay() + 6) % 7; // Monday = 0
  return new Date(local.getTime() - dow * DAY_MS).toISOString().slice(0, 10);
}

/** China calendar date YYYY-MM-DD. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}
