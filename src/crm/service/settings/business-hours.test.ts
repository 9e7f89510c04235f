import { describe, expect, it } from 'vitest';
import { slaDue } from '../tickets/sla.ts';
import { addBusinessMinutes, ALWAYS_OPEN, businessHoursSchema, type BusinessHoursInput } from './business-hours.ts';
import { DEFAULT_SLA_POLICY } from './sla-policy.ts';

// Due-time arithmetic on business hours, China time (UTC+8): split shifts, nights, weekends,
// holidays and day boundaries. Instants are written with their +08:00 offset, as people read them.
const restaurant = (over: Partial<BusinessHoursInput['days']> = {}, closedDates: string[] = []) => {
  const split = [{ start: '10:00', end: '14:00' }, { start: '17:00', end: '22:00' }];
  return businessHoursSchema.parse({ days: { mon: split, tue: split, wed: split, thu: split, fri: split, sat: split, sun: split, ...over }, closedDates });
};
const cn = (s: string) => new Date(`${s}+08:00`);
const due = (from: string, minutes: number, hours = restaurant()) => addBusinessMinutes(cn(from), minutes, hours).toISOString();

describe('business minutes on split shifts, China time', () => {
  it('carries a ticket opened at 21:50 over the night to 10:20 the next open day', () => {
    expect(due('2026-12-02T21:50:00', 30)).toBe(cn('2026-12-03T10:20:00').toISOString());
  });

  it('skips the afternoon break between lunch and dinner', () => {
    expect(due('2026-12-02T13:50:00', 30)).toBe(cn('2026-12-02T17:20:00').toISOString());
    // 4 h from 11:00: 3 h of lunch, then 1 h of dinner.
    expect(due('2026-12-02T11:00:00', 240)).toBe(cn('2026-12-02T18:00:00').toISOString());
  });

  it('starts the clock at the next opening when opened while closed', () => {
    expect(due('2026-12-02T15:00:00', 30)).toBe(cn('2026-12-02T17:30:00').toISOString());
    expect(due('2026-12-02T07:00:00', 30)).toBe(cn('2026-12-02T10:30:00').toISOString());
    expect(due('2026-12-02T22:00:00', 1)).toBe(cn('2026-12-03T10:01:00').toISOString());
  });

  it('falls due exactly at the end of a shift when the minutes fill it, not at the next opening', () => {
    expect(due('2026-12-02T13:30:00', 30)).toBe(cn('2026-12-02T14:00:00').toISOString());
    expect(due('2026-12-02T21:30:00', 30)).toBe(cn('2026-12-02T22:00:00').toISOString());
  });

  it('skips closed weekdays: Friday night to Monday morning when closed at the weekend', () => {
    const weekdays = restaurant({ sat: [], sun: [] });
    // 2026-12-04 is a Friday.
    expect(due('2026-12-04T21:50:00', 30, weekdays)).toBe(cn('2026-12-07T10:20:00').toISOString());
    // Opened on Saturday: the clock starts on Monday.
    expect(due('2026-12-05T12:00:00', 60, weekdays)).toBe(cn('2026-12-07T11:00:00').toISOString());
  });

  it('skips closed dates (holidays) in China dates', () => {
    const holiday = restaurant({}, ['2026-12-03']);
    expect(due('2026-12-02T21:50:00', 30, holiday)).toBe(cn('2026-12-04T10:20:00').toISOString());
  });

  it('reads the weekday and time of day in China time, whatever the UTC date says', () => {
    const weekdays = restaurant({ sat: [], sun: [] });
    // Sunday 2026-12-06 23:30 China time is still Sunday (15:30 UTC): closed until Monday 10:00.
    expect(addBusinessMinutes(new Date('2026-12-06T15:30:00Z'), 10, weekdays).toISOString()).toBe('2026-12-07T02:10:00.000Z');
    // Monday 00:30 China time is Sunday 16:30 UTC: Monday's hours apply.
    expect(addBusinessMinutes(new Date('2026-12-06T16:30:00Z'), 10, weekdays).toISOString()).toBe('2026-12-07T02:10:00.000Z');
  });

  it('runs through midnight on shifts that meet at 24:00 / 00:00 (a late-night store)', () => {
    const late = businessHoursSchema.parse({
      days: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ start: '00:00', end: '02:00' }, { start: '18:00', end: '24:00' }]])),
    });
    expect(due('2026-12-02T23:30:00', 60, late)).toBe(cn('2026-12-03T00:30:00').toISOString());
    expect(due('2026-12-03T01:30:00', 60, late)).toBe(cn('2026-12-03T18:30:00').toISOString());
  });

  it('spans many days for a long resolution time (72 business hours at 9 h a day)', () => {
    // 9 h a day: 72 h = 8 full days; from Wednesday 10:00, the 8th day's end is Wednesday+7 22:00.
    expect(due('2026-12-02T10:00:00', 72 * 60)).toBe(cn('2026-12-09T22:00:00').toISOString());
  });

  it('is wall-clock time on the default hours, to the millisecond (today’s behaviour)', () => {
    const from = new Date('2026-11-21T04:00:00.123Z');
    for (const m of [1, 30, 240, 24 * 60, 168 * 60]) expect(addBusinessMinutes(from, m, ALWAYS_OPEN).getTime()).toBe(from.getTime() + m * 60_000);
    expect(slaDue('urgent', from)).toEqual({ responseDueAt: new Date(from.getTime() + 1_800_000), resolveDueAt: new Date(from.getTime() + 4 * 3_600_000) });
    expect(slaDue('low', from, DEFAULT_SLA_POLICY, ALWAYS_OPEN).resolveDueAt.getTime()).toBe(from.getTime() + 168 * 3_600_000);
  });
});

describe('the business-hours schema', () => {
  const days = (mon: unknown) => ({ days: { mon, tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } });
  const issues = (v: unknown) => {
    const r = businessHoursSchema.safeParse(v);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('refuses a shift ending before it starts, naming it', () => {
    expect(issues(days([{ start: '14:00', end: '10:00' }]))).toEqual([expect.stringMatching(/^days\.mon\.0\.end: shift ends \(10:00\) before/)]);
  });

  it('refuses overlapping shifts and accepts touching ones', () => {
    expect(issues(days([{ start: '10:00', end: '14:00' }, { start: '13:00', end: '22:00' }]))).toEqual([expect.stringMatching(/^days\.mon\.1\.start: shift overlaps shift 0/)]);
    expect(issues(days([{ start: '17:00', end: '22:00' }, { start: '10:00', end: '17:30' }]))).toEqual([expect.stringMatching(/^days\.mon\.0\.start: shift overlaps shift 1/)]);
    expect(issues(days([{ start: '10:00', end: '14:00' }, { start: '14:00', end: '22:00' }]))).toEqual([]);
  });

  it('refuses malformed times, a week with no open day, unknown keys and unreal dates', () => {
    expect(issues(days([{ start: '9:00', end: '14:00' }]))[0]).toMatch(/^days\.mon\.0\.start: a China time of day/);
    expect(issues(days([{ start: '10:00', end: '24:30' }]))[0]).toMatch(/^days\.mon\.0\.end/);
    expect(issues(days([]))).toEqual(['days: open on no day of the week: give at least one shift']);
    expect(issues({ ...days([{ start: '10:00', end: '14:00' }]), closedDates: ['2026-02-30'] })[0]).toMatch(/^closedDates\.0: a real date/);
    expect(issues({ days: { ...days([{ start: '10:00', end: '14:00' }]).days, holiday: [] } }).length).toBe(1);
    expect(issues({ days: { mon: [{ start: '10:00', end: '14:00' }] } }).some((m) => m.startsWith('days.tue'))).toBe(true);
  });
});
