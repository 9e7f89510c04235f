import { z } from 'zod';
import { chinaDay, chinaDayStartMs, chinaWeekday, parseIsoDay } from '../../kernel/index.ts';

/**
 * Business hours of a store (or the chain's default): per weekday, the shifts it is open, in
 * China time. A restaurant closes between lunch and dinner, so a day has several shifts
 * (`10:00–14:00`, `17:00–22:00`); a day without shifts is closed. `closedDates` are whole days
 * off (public holidays, a renovation), China dates. SLA clocks run only inside these shifts.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const clock = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a China time of day, HH:mm (00:00–24:00)')
  .describe('China time, HH:mm; 24:00 = midnight at the end of the day');

/** Minutes since 00:00 of an HH:mm already checked by `clock`. */
export const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export const shiftSchema = z.strictObject({ start: clock, end: clock });
export type Shift = z.infer<typeof shiftSchema>;

/** One day's shifts: each ends after it starts, none overlaps another (touching is fine). */
const dayShifts = z
  .array(shiftSchema)
  .max(6)
  .superRefine((shifts, ctx) => {
    shifts.forEach((s, i) => {
      if (minutesOf(s.end) <= minutesOf(s.start)) ctx.addIssue({ code: 'custom', path: [i, 'end'], message: `shift ends (${s.end}) before or when it starts (${s.start}); a night past midnight is two shifts, …–24:00 and 00:00–…` });
    });
    const sorted = shifts.map((s, i) => ({ i, from: minutesOf(s.start), to: minutesOf(s.end) })).sort((a, b) => a.from - b.from);
    for (let k = 1; k < sorted.length; k++) {
      const prev = sorted[k - 1]!;
      const cur = sorted[k]!;
      if (cur.from < prev.to) ctx.addIssue({ code: 'custom', path: [cur.i, 'start'], message: `shift overlaps shift ${prev.i} (${shifts[prev.i]!.start}–${shifts[prev.i]!.end})` });
    }
  });

const closedDate = z.string().refine((s) => !Number.isNaN(parseIsoDay(s)), 'a real date, YYYY-MM-DD (China date)');

export const businessHoursSchema = z
  .strictObject({
    days: z.strictObject(Object.fromEntries(WEEKDAYS.map((d) => [d, dayShifts])) as Record<Weekday, typeof dayShifts>).describe('each weekday’s open shifts; [] = closed that day'),
    closedDates: z.array(closedDate).max(366).default([]).describe('whole days closed (holidays), China dates YYYY-MM-DD'),
  })
  .superRefine((h, ctx) => {
    // A clock that never runs would never fall due: some weekday must be open.
    if (WEEKDAYS.every((d) => h.days[d].length === 0)) ctx.addIssue({ code: 'custom', path: ['days'], message: 'open on no day of the week: give at least one shift' });
  });
export type BusinessHours = z.output<typeof businessHoursSchema>;
export type BusinessHoursInput = z.input<typeof businessHoursSchema>;

/** Open around the clock, every day: the default, under which business time is wall-clock time. */
export const ALWAYS_OPEN: BusinessHours = {
  days: Object.fromEntries(WEEKDAYS.map((d) => [d, [{ start: '00:00', end: '24:00' }]])) as BusinessHours['days'],
  closedDates: [],
};

/** A schedule ready for arithmetic: per weekday (0 = Monday) the shifts as [from, to) ms after 00:00, sorted. */
interface Compiled {
  week: Array<Array<[number, number]>>;
  closed: Set<number>;
}

function compile(h: BusinessHours): Compiled {
  return {
    week: WEEKDAYS.map((d) => h.days[d].map((s): [number, number] => [minutesOf(s.start) * 60_000, minutesOf(s.end) * 60_000]).sort((a, b) => a[0] - b[0])),
    closed: new Set(h.closedDates.map(parseIsoDay)),
  };
}

/**
 * The instant `minutes` business minutes after `from`: the clock runs only inside the shifts of
 * `hours` (China time), so a ticket opened at 21:50 with 30 minutes to answer, in a store open
 * 10:00–14:00 and 17:00–22:00, is due at 10:20 on the next open day. Opened while closed, the
 * clock starts at the next opening. Exactly at a shift's end counts as within it (due 22:00, not
 * at the next opening). The schema guarantees some open weekday, so this ends.
 */
export function addBusinessMinutes(from: Date, minutes: number, hours: BusinessHours): Date {
  const { week, closed } = compile(hours);
  let remaining = minutes * 60_000;
  let day = chinaDay(from);
  let cursor = from.getTime() - chinaDayStartMs(day);
  for (;;) {
    if (!closed.has(day)) {
      for (const [open, close] of week[chinaWeekday(day)]!) {
        if (cursor >= close) continue;
        const start = Math.max(cursor, open);
        if (remaining <= close - start) return new Date(chinaDayStartMs(day) + start + remaining);
        remaining -= close - start;
        cursor = close;
      }
    }
    day += 1;
    cursor = 0;
  }
}
