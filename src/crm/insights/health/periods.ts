/**
 * The periods a health dashboard answers, as the API and the chat name them: the rolling last
 * day / 7 / 30 days (today so far included), a named calendar period (上周, 本季度, 今年 …),
 * or any range of China dates. Every instant comes from the kernel's China calendar.
 */
import { fieldError } from '../../kernel/index.ts';
import { chinaDateRange, chinaDay, chinaPeriodRange, chinaRollingRange, formatDay, parseIsoDay, type CalendarPeriod, type PeriodRange } from '../../kernel/index.ts';

export type Granularity = 'day' | 'week' | 'month';
export const PERIOD_DAYS: Record<Granularity, number> = { day: 1, week: 7, month: 30 };

/** The longest date range a dashboard takes: a leap year. */
export const MAX_RANGE_DAYS = 366;

export const NAMED_PERIODS = ['yesterday', 'this_week', 'last_week', 'this_month', 'last_month', 'this_quarter', 'last_quarter', 'this_year', 'last_year'] as const;
export type NamedPeriod = (typeof NAMED_PERIODS)[number];

const PERIOD_OF: Record<NamedPeriod, CalendarPeriod> = {
  yesterday: { unit: 'day', offset: -1 },
  this_week: { unit: 'week', offset: 0 },
  last_week: { unit: 'week', offset: -1 },
  this_month: { unit: 'month', offset: 0 },
  last_month: { unit: 'month', offset: -1 },
  this_quarter: { unit: 'quarter', offset: 0 },
  last_quarter: { unit: 'quarter', offset: -1 },
  this_year: { unit: 'year', offset: 0 },
  last_year: { unit: 'year', offset: -1 },
};

export const calendarPeriodOf = (p: NamedPeriod): CalendarPeriod => PERIOD_OF[p];

/** China dates, both included (YYYY-MM-DD). */
export interface DateRange {
  from: string;
  to: string;
}

/** What a dashboard is asked for: at most one of a named period and a date range; else the rolling granularity. */
export interface PeriodAsk {
  granularity?: Granularity;
  period?: CalendarPeriod;
  range?: DateRange;
}

const bad = (field: string, message: string) => fieldError('invalid_period', [field], message);

/**
 * The China days of a from/to range (to inclusive), or 400 invalid_period naming the field: dates
 * that are not real, `from` after `to`, longer than `maxDays`, or starting after today.
 */
export function checkedDays(range: DateRange, maxDays: number, now: Date): [number, number] {
  const from = parseIsoDay(range.from);
  const to = parseIsoDay(range.to);
  if (Number.isNaN(from)) throw bad('from', `「${range.from}」不是有效日期（YYYY-MM-DD）`);
  if (Number.isNaN(to)) throw bad('to', `「${range.to}」不是有效日期（YYYY-MM-DD）`);
  if (from > to) throw bad('to', `结束日期 ${range.to} 早于开始日期 ${range.from}`);
  if (to - from + 1 > maxDays) throw bad('to', `时间范围最长 ${maxDays} 天（现在是 ${to - from + 1} 天）`);
  const today = chinaDay(now);
  if (from > today) throw bad('from', `开始日期 ${range.from} 还没到（今天是 ${formatDay(today)}）`);
  return [from, to];
}

/**
 * The instants of the asked period at `now`, or 400 invalid_period naming the field: a range
 * whose dates are not real, `from` after `to`, longer than MAX_RANGE_DAYS, or starting after
 * today; a named period that has not begun; both a named period and a range.
 */
export function dashboardRange(ask: PeriodAsk, now: Date): PeriodRange {
  if (ask.range) {
    if (ask.period) throw bad('period', '不能同时指定时段和起止日期');
    return chinaDateRange(...checkedDays(ask.range, MAX_RANGE_DAYS, now), now);
  }
  if (ask.period) {
    try {
      return chinaPeriodRange(ask.period, now);
    } catch (e) {
      if (e instanceof RangeError) throw bad('period', '这个时段还没开始');
      throw e;
    }
  }
  return chinaRollingRange(PERIOD_DAYS[ask.granularity ?? 'week'], now);
}
