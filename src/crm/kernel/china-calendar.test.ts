import { describe, expect, it } from 'vitest';
import {
  addDays,
  chinaDay,
  chinaDayStartMs,
  chinaMidnightDay,
  chinaMinuteOfDay,
  chinaMonth,
  chinaMonthStart,
  chinaParts,
  chinaPeriodRange,
  chinaSql,
  chinaWeekday,
  dayDate,
  dayNumber,
  dayParts,
  daysInMonth,
  formatDate,
  formatDay,
  formatMonthDayTime,
  fromChinaWallClock,
  monthNumberOfDay,
  nextChinaTimeOfDay,
  parseChinaDate,
  parseCompactDay,
  parseIsoDay,
  shiftMonth,
  startOfChinaDay,
  startOfChinaMonth,
  startOfChinaWeek,
} from './china-calendar.ts';

const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();

describe('China days', () => {
  it('a China day starts at 16:00 UTC the day before: 15:59:59.999 is still yesterday', () => {
    expect(formatDate(at('2026-11-20T15:59:59.999Z'))).toBe('2026-11-20');
    expect(formatDate(at('2026-11-20T16:00:00.000Z'))).toBe('2026-11-21');
    expect(chinaDay(at('2026-11-20T16:00:00Z')) - chinaDay(at('2026-11-20T15:59:59.999Z'))).toBe(1);
    expect(chinaDay(at('2026-11-20T16:00:00Z'))).toBe(dayNumber(2026, 11, 21));
    // Epoch milliseconds work the same as Dates.
    expect(chinaDay(Date.parse('2026-11-20T16:00:00Z'))).toBe(dayNumber(2026, 11, 21));
    expect(chinaDay(0)).toBe(0);
    expect(chinaDay(-8 * 3_600_000 - 1)).toBe(-1);
  });

  it('start of the China day, as a Date and as epoch ms', () => {
    expect(iso(startOfChinaDay(at('2026-11-21T03:00:00Z')))).toBe('2026-11-20T16:00:00.000Z');
    expect(iso(startOfChinaDay(at('2026-11-20T17:00:00Z')))).toBe('2026-11-20T16:00:00.000Z');
    expect(iso(startOfChinaDay(at('2026-11-20T16:00:00Z')))).toBe('2026-11-20T16:00:00.000Z');
    expect(iso(startOfChinaDay(at('2026-11-20T15:59:59.999Z')))).toBe('2026-11-19T16:00:00.000Z');
    expect(new Date(chinaDayStartMs(dayNumber(2027, 1, 1))).toISOString()).toBe('2026-12-31T16:00:00.000Z');
  });

  it('knows whether an instant is exactly a China midnight', () => {
    expect(chinaMidnightDay(at('2026-11-20T16:00:00Z'))).toBe(dayNumber(2026, 11, 21));
    expect(chinaMidnightDay(at('2026-11-20T16:00:00.001Z'))).toBeNull();
    expect(chinaMidnightDay(at('2026-11-21T00:00:00Z'))).toBeNull();
  });

  it('weekdays and weeks start on Monday, China time', () => {
    expect(chinaWeekday(dayNumber(2026, 11, 21))).toBe(5); // a Saturday
    expect(chinaWeekday(dayNumber(1970, 1, 1))).toBe(3); // a Thursday
    expect(chinaWeekday(dayNumber(1969, 12, 29))).toBe(0); // a Monday, before the epoch
    // Sunday 23:59 China time is still the week that began the Monday before …
    expect(iso(startOfChinaWeek(at('2026-11-22T15:59:00Z')))).toBe('2026-11-15T16:00:00.000Z');
    // … and Monday 00:00 China time (Sunday 16:00 UTC) starts the next one.
    expect(iso(startOfChinaWeek(at('2026-11-22T16:00:00Z')))).toBe('2026-11-22T16:00:00.000Z');
    // A week across the year end.
    expect(formatDate(startOfChinaWeek(at('2027-01-02T04:00:00Z')))).toBe('2026-12-28');
  });

  it('minutes of the China day and the next time of day', () => {
    expect(chinaMinuteOfDay(at('2026-11-20T16:00:00Z'))).toBe(0);
    expect(chinaMinuteOfDay(at('2026-11-20T15:59:59Z'))).toBe(1439);
    expect(chinaMinuteOfDay(at('2026-11-21T01:30:00Z'))).toBe(9 * 60 + 30);
    expect(chinaMinuteOfDay(-1)).toBe(8 * 60 - 1);
    // 10:00 China time: later today, exactly now, or tomorrow.
    expect(iso(nextChinaTimeOfDay(at('2026-11-20T23:00:00Z'), 600))).toBe('2026-11-21T02:00:00.000Z');
    expect(iso(nextChinaTimeOfDay(at('2026-11-21T02:00:00Z'), 600))).toBe('2026-11-21T02:00:00.000Z');
    expect(iso(nextChinaTimeOfDay(at('2026-11-21T02:00:00.001Z'), 600))).toBe('2026-11-22T02:00:00.000Z');
    // 23:30 China time on New Year's Eve: 15:30 UTC the same day.
    expect(iso(nextChinaTimeOfDay(at('2026-12-31T10:00:00Z'), 23 * 60 + 30))).toBe('2026-12-31T15:30:00.000Z');
  });

  it('adds days and reads calendar fields in China time', () => {
    expect(iso(addDays(at('2026-02-28T16:00:00Z'), 1))).toBe('2026-03-01T16:00:00.000Z');
    expect(iso(addDays(at('2026-02-28T16:00:00Z'), -1))).toBe('2026-02-27T16:00:00.000Z');
    expect(chinaParts(at('2026-12-31T16:00:00Z'))).toEqual({ year: 2027, month: 1, day: 1, hour: 0, minute: 0, second: 0 });
    expect(chinaParts(at('2026-12-31T15:59:59Z'))).toEqual({ year: 2026, month: 12, day: 31, hour: 23, minute: 59, second: 59 });
    expect(iso(fromChinaWallClock(Date.UTC(2026, 0, 1, 9, 30)))).toBe('2026-01-01T01:30:00.000Z');
    expect(iso(fromChinaWallClock(at('2026-01-01T00:00:00Z')))).toBe('2025-12-31T16:00:00.000Z');
  });
});

describe('day numbers and calendar dates', () => {
  it('round-trips every date from 1899 to 2101, leap days included', () => {
    let expected = dayNumber(1899, 1, 1);
    for (let y = 1899; y <= 2101; y++)
      for (let m = 1; m <= 12; m++)
        for (let d = 1; d <= daysInMonth(y, m); d++) {
          const n = dayNumber(y, m, d);
          if (n !== expected++) throw new Error(`${y}-${m}-${d}: ${n}`);
          const p = dayParts(n);
          if (p.year !== y || p.month !== m || p.day !== d) throw new Error(`${n}: ${JSON.stringify(p)}`);
          if (monthNumberOfDay(n) !== y * 12 + m - 1) throw new Error(`month of ${y}-${m}-${d}`);
        }
    expect(dayNumber(1970, 1, 1)).toBe(0);
    expect(dayNumber(2101, 12, 31)).toBe(expected - 1);
  });

  it('leap days: 2024-02-29 and 2000-02-29 exist, 2026-02-29 and 1900-02-29 do not', () => {
    expect(dayNumber(2024, 2, 29) - dayNumber(2024, 2, 28)).toBe(1);
    expect(dayNumber(2024, 3, 1) - dayNumber(2024, 2, 29)).toBe(1);
    expect(dayNumber(2000, 2, 29)).not.toBeNaN();
    expect(dayNumber(2026, 2, 29)).toBeNaN();
    expect(dayNumber(1900, 2, 29)).toBeNaN();
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2100, 2)).toBe(28);
    expect(formatDate(at('2024-02-28T16:00:00Z'))).toBe('2024-02-29');
    expect(formatDate(at('2024-02-29T16:00:00Z'))).toBe('2024-03-01');
  });

  it('parses YYYY-MM-DD and YYYYMMDD strictly', () => {
    expect(parseIsoDay('2026-11-21')).toBe(dayNumber(2026, 11, 21));
    expect(parseIsoDay('2024-02-29')).toBe(dayNumber(2024, 2, 29));
    for (const bad of ['2026-02-29', '2026-13-01', '2026-00-10', '2026-1-01', '2026/11/21', 'abcd-ef-gh', '']) expect(parseIsoDay(bad)).toBeNaN();
    expect(parseCompactDay('19970101')).toBe(dayNumber(1997, 1, 1));
    expect(parseCompactDay('19970230')).toBeNaN();
  });

  it('parses YYYY-MM-DD as 00:00 China time of that date', () => {
    expect(iso(parseChinaDate('2026-11-21'))).toBe('2026-11-20T16:00:00.000Z');
    expect(iso(parseChinaDate('2027-01-01'))).toBe('2026-12-31T16:00:00.000Z');
    expect(iso(parseChinaDate('2024-02-29'))).toBe('2024-02-28T16:00:00.000Z');
    expect(parseChinaDate('2026-02-29').getTime()).toBeNaN();
    expect(parseChinaDate('2026-11-21T00:00').getTime()).toBeNaN();
    // The same instant the ISO parser gives for an explicit +08:00 midnight.
    for (const d of ['1999-12-31', '2026-03-01', '2030-07-15']) expect(parseChinaDate(d).getTime()).toBe(Date.parse(`${d}T00:00:00+08:00`));
  });

  it('formats day numbers, China dates and China times', () => {
    expect(formatDay(dayNumber(2026, 11, 21))).toBe('2026-11-21');
    expect(formatDay(dayNumber(2026, 11, 21), '')).toBe('20261121');
    expect(formatDate(at('2026-11-20T17:00:00Z'))).toBe('2026-11-21');
    expect(formatDate(at('2026-12-31T16:00:00Z'), '')).toBe('20270101');
    expect(iso(dayDate(dayNumber(1990, 5, 1)))).toBe('1990-05-01T00:00:00.000Z');
    // Midnight is 00:xx, not 24:xx.
    expect(formatMonthDayTime(at('2026-11-20T16:05:00Z'))).toBe('11-21 00:05');
    expect(formatMonthDayTime(at('2026-11-21T01:02:00Z'))).toBe('11-21 09:02');
    expect(formatMonthDayTime(at('2026-12-31T15:59:00Z'))).toBe('12-31 23:59');
  });
});

describe('China months', () => {
  it('month keys change at 00:00 China time on the 1st, across the year end too', () => {
    expect(chinaMonth(at('2026-11-30T15:59:59.999Z'))).toBe('2026-11');
    expect(chinaMonth(at('2026-11-30T16:00:00Z'))).toBe('2026-12');
    expect(chinaMonth(at('2026-12-31T15:59:59.999Z'))).toBe('2026-12');
    expect(chinaMonth(at('2026-12-31T16:00:00Z'))).toBe('2027-01');
    expect(chinaMonth(at('2024-02-29T15:59:59Z'))).toBe('2024-02');
    expect(chinaMonth(at('2024-02-29T16:00:00Z'))).toBe('2024-03');
  });

  it('shifts month keys and finds month starts', () => {
    expect(shiftMonth('2026-11', 1)).toBe('2026-12');
    expect(shiftMonth('2026-12', 1)).toBe('2027-01');
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
    expect(shiftMonth('2026-03', -14)).toBe('2025-01');
    expect(shiftMonth('2026-03', 0)).toBe('2026-03');
    expect(iso(chinaMonthStart('2027-01'))).toBe('2026-12-31T16:00:00.000Z');
    expect(iso(chinaMonthStart('2026-03', -1))).toBe('2026-01-31T16:00:00.000Z');
    expect(iso(chinaMonthStart('2026-01', -6))).toBe('2025-06-30T16:00:00.000Z');
    expect(iso(startOfChinaMonth(at('2024-02-29T16:00:00Z')))).toBe('2024-02-29T16:00:00.000Z');
    expect(iso(startOfChinaMonth(at('2024-02-29T15:59:59Z')))).toBe('2024-01-31T16:00:00.000Z');
  });

  it('month numbers of day numbers count months consecutively', () => {
    expect(monthNumberOfDay(dayNumber(2027, 1, 1)) - monthNumberOfDay(dayNumber(2026, 12, 31))).toBe(1);
    expect(monthNumberOfDay(dayNumber(2024, 2, 29))).toBe(2024 * 12 + 1);
    expect(monthNumberOfDay(chinaDay(at('2026-11-30T16:00:00Z')))).toBe(2026 * 12 + 11);
  });

  it('moves SQL DATETIMEs to China wall time', () => {
    expect(chinaSql('m.registered_at')).toBe('m.registered_at + INTERVAL 8 HOUR');
  });
});

describe('named periods (chinaPeriodRange)', () => {
  const range = (p: Parameters<typeof chinaPeriodRange>[0], now: string) => {
    const r = chinaPeriodRange(p, at(now));
    return { start: iso(r.start), end: iso(r.end), partial: r.partial, previous: r.previous.map(iso), lastYear: r.lastYear.map(iso) };
  };

  it('weeks start on Monday 00:00 China time: Sunday 23:59:59.999 is still the week before', () => {
    // 2026-11-15 is a Sunday; 16:00 UTC is Monday 00:00 in China.
    expect(range({ unit: 'week', offset: -1 }, '2026-11-15T15:59:59.999Z')).toEqual({
      start: '2026-11-01T16:00:00.000Z',
      end: '2026-11-08T16:00:00.000Z',
      partial: false,
      previous: ['2026-10-25T16:00:00.000Z', '2026-11-01T16:00:00.000Z'],
      lastYear: ['2025-11-02T16:00:00.000Z', '2025-11-09T16:00:00.000Z'],
    });
    expect(range({ unit: 'week', offset: -1 }, '2026-11-15T16:00:00.000Z').start).toBe('2026-11-08T16:00:00.000Z');
    const thisWeek = range({ unit: 'week' }, '2026-11-21T04:00:00.000Z');
    expect(thisWeek).toMatchObject({ start: '2026-11-15T16:00:00.000Z', end: '2026-11-21T04:00:00.000Z', partial: true });
    // The week before, as far into it as this one has run (5 days 12 hours).
    expect(thisWeek.previous).toEqual(['2026-11-08T16:00:00.000Z', '2026-11-14T04:00:00.000Z']);
  });

  it('months, quarters and years by the China calendar; a month by number is the latest one begun', () => {
    // 2026-10-31T16:00Z is 1 November 00:00 China time: October is over.
    expect(range({ unit: 'month', month: 10 }, '2026-10-31T16:00:00.000Z')).toMatchObject({ start: '2026-09-30T16:00:00.000Z', end: '2026-10-31T16:00:00.000Z', partial: false, previous: ['2026-08-31T16:00:00.000Z', '2026-09-30T16:00:00.000Z'], lastYear: ['2025-09-30T16:00:00.000Z', '2025-10-31T16:00:00.000Z'] });
    expect(range({ unit: 'month', month: 10 }, '2026-10-31T15:59:59.999Z')).toMatchObject({ start: '2026-09-30T16:00:00.000Z', partial: true });
    expect(range({ unit: 'month', month: 10 }, '2026-03-10T04:00:00.000Z').start).toBe('2025-09-30T16:00:00.000Z');
    expect(range({ unit: 'month', offset: -1 }, '2026-03-10T04:00:00.000Z')).toMatchObject({ start: '2026-01-31T16:00:00.000Z', end: '2026-02-28T16:00:00.000Z', previous: ['2025-12-31T16:00:00.000Z', '2026-01-31T16:00:00.000Z'] });
    expect(range({ unit: 'quarter' }, '2026-11-21T04:00:00.000Z')).toMatchObject({ start: '2026-09-30T16:00:00.000Z', partial: true });
    expect(range({ unit: 'quarter', offset: -1 }, '2026-11-21T04:00:00.000Z')).toMatchObject({ start: '2026-06-30T16:00:00.000Z', end: '2026-09-30T16:00:00.000Z', previous: ['2026-03-31T16:00:00.000Z', '2026-06-30T16:00:00.000Z'] });
    expect(range({ unit: 'year', offset: -1 }, '2026-01-01T03:00:00.000Z')).toMatchObject({ start: '2024-12-31T16:00:00.000Z', end: '2025-12-31T16:00:00.000Z', partial: false });
    // 2025-12-31T16:30Z is already 2026 in China.
    expect(range({ unit: 'year' }, '2025-12-31T16:30:00.000Z')).toMatchObject({ start: '2025-12-31T16:00:00.000Z', partial: true });
    expect(range({ unit: 'day', offset: -1 }, '2026-11-21T04:00:00.000Z')).toMatchObject({ start: '2026-11-19T16:00:00.000Z', end: '2026-11-20T16:00:00.000Z' });
    expect(() => chinaPeriodRange({ unit: 'week', offset: 1 }, at('2026-11-21T04:00:00.000Z'))).toThrow(RangeError);
  });
});
