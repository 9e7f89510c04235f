/**
 * What a health question asks for, read from the staff member's words (insights.health gets the
 * whole message): the metric named first (流失率, 客单价, retention …) and a calendar period by
 * name (上周, 10月, 本季度, 今年 …). Pure functions over NFKC text; the period's dates come from
 * the kernel's China calendar, never from here. An LLM router fills the slots directly instead.
 */
import { calendarPeriodOf, NAMED_PERIODS, type NamedPeriod } from '../../crm/insights/index.ts';
import { chinaDay, chinaMonth, dayNumber, formatDay, type CalendarPeriod } from '../../crm/kernel/index.ts';
import { allMatches } from '../router/extract.ts';
import { CN_NUMERAL, parseNumber } from '../router/numbers.ts';

export const METRICS = ['churn_rate', 'repurchase_rate', 'retention', 'aov', 'new_members', 'active_members', 'dormant_members'] as const;
export type Metric = (typeof METRICS)[number];

// The named periods are the dashboard's own (src/crm/insights/health/periods.ts), shared with the API.
export { calendarPeriodOf, NAMED_PERIODS, type NamedPeriod };

// Each metric by the words staff use for it, not only the dashboard's: a share that is lost (流失比例, 掉客率), customers
// kept (保留率, 留客率), coming back to buy again (回店率, 二次消费率), spend per guest (人均消费, 笔单价).
const METRIC_WORDS: [RegExp, Metric][] = [
  [/流失率|流失(?:比例|占比|比率)|掉客率|\bchurn(?:ed)? rate\b|\battrition\b|\bchurn(?= (?:looking|numbers?|figures?|trend|this|last|for|in)\b)/i, 'churn_rate'],
  [/复购|回购|回头率|回头客|回店率|再购率|二次消费率|重复购买率|\brepeat(?:[- ]purchase)? rate\b|\brepurchase\b|\breturning customers? rate\b/i, 'repurchase_rate'],
  [/留存|保留率|留客率|\breten[ts]ion\b|\bretained\b/i, 'retention'],
  // kdj: the pinyin initials of 客单价.
  [/客单价?|单均|人均消费|人均客单|客均消费|笔单价|平均消费|\bkdj\b|\baverage (?:order|ticket|basket)(?: value| size)?\b|\baov\b|\bavg\.? order\b/i, 'aov'],
  // "新来了多少会员", "new member count": the count of registrations, however the noun is put.
  // 新客 is a tag too; insights.health reads it as the metric only when the router chose the dashboard ("上月新客").
  // 办卡 / 开卡 / 入会: joining is what a new member did ("本月办卡几个").
  [/新增|新客|新会员|新注册|新入会|办卡|开卡|入会|新(?:进来|进|来|加入|加|办卡)了?(?:多少|几个|几位)?的?(?:会员|客人|顾客)|\bnew (?:members?|sign-?ups?|customers?|registrations?)\b/i, 'new_members'],
  [/活跃|\bactive (?:members|customers|buyers)\b/i, 'active_members'],
  [/沉睡|休眠|\bdormant\b/i, 'dormant_members'],
];

/**
 * Today (so far): the dashboard's rolling day, asked by name ("今天客单", "今日新客", "aov today").
 * Not one of the calendar periods (the API's named periods end with yesterday): the slot says
 * `today` and insights.health reads it as the rolling day.
 */
export const TODAY = /今天|今日|今儿个?|\btoday(?:'s)?\b/i;

/** The metric a message names (the first in this order when it names several), or undefined. */
export function metricFromText(text: string | undefined): Metric | undefined {
  return text ? METRIC_WORDS.find(([re]) => re.test(text))?.[1] : undefined;
}

// Staff shorthand for the periods too: wk / mo / mth / q for week, month, quarter ("上wk", "last mth",
// "this q"), and the report abbreviations wtd / mtd / qtd / ytd (so far this week … year) and yday.
const WK = '(?:wk|wks|week)';
const MO = '(?:mo|mth|mnth|month)';
const PREV = '(?:last|prev|previous)';
const NAMED_WORDS: [RegExp, NamedPeriod][] = [
  [/昨天|昨日|\byesterday\b|\byday\b/i, 'yesterday'],
  // 上上周 / 上上个月 / 上上季度 are the ones before: not 上周 (calendarPeriodFromText reads them).
  [new RegExp(`(?<!上)上一?个?(?:周|星期|礼拜|${WK}\\b)|\\b${PREV} ${WK}\\b`, 'i'), 'last_week'],
  [new RegExp(`本周|这一?个?(?:周|星期|礼拜)|(?:本|这)${WK}\\b|\\bthis ${WK}\\b|\\bweek to date\\b|\\bwtd\\b`, 'i'), 'this_week'],
  [/(?<!上)上一?个?季度?(?![度\d一二三四])|\blast quarter\b|\bprevious quarter\b|\b(?:last|prev) q\b/i, 'last_quarter'],
  [/本季度?|这一?个?季度|当季|\bthis quarter\b|\bquarter to date\b|\bqtd\b|\bthis q\b/i, 'this_quarter'],
  [new RegExp(`(?<!上)上一?个月|(?<!上)上月|(?<!上)上${MO}\\b|\\b${PREV} ${MO}\\b`, 'i'), 'last_month'],
  [new RegExp(`本月|这一?个月|当月|(?:本|这个?)${MO}\\b|\\bthis ${MO}\\b|\\bmonth to date\\b|\\bmtd\\b`, 'i'), 'this_month'],
  [/去年|上一年|\blast year\b|\bprevious year\b/i, 'last_year'],
  [/今年|本年度?|\bthis year\b|\byear to date\b|\bytd\b/i, 'this_year'],
];


const EN_MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
// 10月 / 十月 / 10月份, not a number of months (3个月, 近3月, 前两月).
const CN_MONTH = /(?<![\d个半近前过内第每])(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月(?!\s*(?:内|以来|来|之内))/;
// "May" only after in/for/during/of: "may" is a verb too.
const EN_MONTH = /\b(?:(jan)(?:uary)?|(feb)(?:ruary)?|(mar)(?:ch)?|(apr)(?:il)?|(?:in|for|during|of) (may)|(jun)e?|(jul)y?|(aug)(?:ust)?|(sep)(?:t|tember)?|(oct)(?:ober)?|(nov)(?:ember)?|(dec)(?:ember)?)\b/i;

/** A month named in the text (1–12), and whether 去年 / last year goes with it. */
export function monthFromText(text: string): { month: number; lastYear: boolean } | undefined {
  const cn = CN_MONTH.exec(text);
  let month: number | undefined;
  if (cn) month = parseNumber(cn[1]!.replace(/^0/, ''));
  else {
    const en = EN_MONTH.exec(text);
    const name = en?.slice(1).find(Boolean)?.toLowerCase();
    if (name) month = EN_MONTHS.indexOf(name) + 1;
  }
  if (!month || month < 1 || month > 12) return undefined;
  return { month, lastYear: /去年|\blast year\b/i.test(text) };
}

const NUM = `(\\d{1,2}|${CN_NUMERAL}{1,3})`;
const TO = '\\s*(?:到|至|~|～|—|–|-)\\s*';
// 11月1号到15号 / 11月1日至11月15日 / 2026年11月1日到11月15日 / 12月20号到1月5号.
const CN_RANGE = new RegExp(`(?:(\\d{4})\\s*年\\s*)?${NUM}\\s*月\\s*${NUM}\\s*[日号]?${TO}(?:(\\d{4})\\s*年\\s*)?(?:${NUM}\\s*月\\s*)?${NUM}\\s*[日号]?`);
// 2026-11-01 到 2026-11-15 / 2026/11/01~11/15.
const ISO_RANGE = /(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\s*(?:到|至|~|～|—|–|-)\s*(?:(\d{4})[-/.])?(\d{1,2})[-/.](\d{1,2})/;

// 11.3-11.10 / 11/3~11/10: month.day at both ends (a bare "1.5-2" is no range).
const DOT_RANGE = /(?<![\d.\/])(1[0-2]|0?[1-9])[./](3[01]|[12]\d|0?[1-9])\s*(?:到|至|~|～|—|–|-)\s*(1[0-2]|0?[1-9])[./](3[01]|[12]\d|0?[1-9])(?![\d.\/])/;

const pad = (n: number) => String(n).padStart(2, '0');

/** Whether the text names a range of dates (11月1号到15号, 2026-11-01到11-15, 11.3-11.10): its month is no month of its own. */
export const namesDateRange = (text: string): boolean => ISO_RANGE.test(text) || CN_RANGE.test(text) || DOT_RANGE.test(text);

/**
 * A range of China dates a message names, both ends included, as YYYY-MM-DD: "11月1号到15号",
 * "11月1日至11月15日", "2026-11-01到2026-11-15". Without a year, the latest year in which the
 * range has begun (a year earlier with 去年); an end month before the start month is the next
 * year's (12月20号到1月5号). The dates are passed on as written, so the dashboard names a date
 * that does not exist (2月30号) instead of guessing; undefined when the text names no range.
 */
export function dateRangeFromText(text: string | undefined, now: Date): { from: string; to: string } | undefined {
  if (!text) return undefined;
  const iso = ISO_RANGE.exec(text);
  const cn = iso ? null : CN_RANGE.exec(text);
  const dot = iso || cn ? null : DOT_RANGE.exec(text);
  if (!iso && !cn && !dot) return undefined;
  const n = (v: string | undefined) => (v === undefined ? undefined : parseNumber(v));
  const [fy, fm, fd, ty, tm, td] = iso
    ? [iso[1], iso[2], iso[3], iso[4], iso[5], iso[6]].map(n)
    : cn
      ? [cn[1], cn[2], cn[3], cn[4], cn[5], cn[6]].map(n)
      : [undefined, dot![1], dot![2], undefined, dot![3], dot![4]].map(n);
  if (fm === undefined || fd === undefined || td === undefined) return undefined;
  let year = fy;
  if (year === undefined) {
    const today = chinaDay(now);
    const current = Number(formatDay(today).slice(0, 4));
    // The latest such date that has begun; 去年 / last year: the one before.
    const begun = dayNumber(current, fm, Math.min(fd, 28)) <= today ? current : current - 1;
    year = begun - (/去年|\blast year\b/i.test(text) ? 1 : 0);
  }
  const endMonth = tm ?? fm;
  const endYear = ty ?? (endMonth < fm ? year + 1 : year);
  return { from: `${year}-${pad(fm)}-${pad(fd)}`, to: `${endYear}-${pad(endMonth)}-${pad(td)}` };
}

/**
 * The named calendar period a message states (上周, 本季度, last month …), the one said last when
 * it names several ("复购率 上周 … 上个月的呢"); undefined when it names none or names a month
 * (10月, 去年10月: read at run time with the clock).
 */
export function namedPeriodFromText(text: string | undefined): NamedPeriod | undefined {
  if (!text || monthFromText(text)) return undefined;
  const words = periodWords(text);
  // What the period is compared with is not the period asked about ("这个季度客单价比上季度",
  // "上个月的客单价跟去年比", "this month vs last month"): the said-last rule skips it.
  const asked = words.filter((w) => !BASELINE_BEFORE.test(text.slice(Math.max(0, w.start - 4), w.start)) && !BASELINE_AFTER.test(text.slice(w.end, w.end + 3)));
  return (asked.length ? asked : words).at(-1)?.named;
}

/** Words that make the period after them a baseline ("比上季度", "跟去年", "vs last month"), or after it ("去年比"). */
const BASELINE_BEFORE = /(?:比|比起|对比|相比|较|跟|和|与|同|\bvs\.?|\bversus|\bcompared (?:to|with)|\bthan)\s*$/i;
const BASELINE_AFTER = /^\s*(?:比|相比|对比)/;

/**
 * The month a dashboard request names by itself (10月, 十月份, in October): its `month` slot.
 * Not with 去年 (the slot has no year: read from the text at run time) nor inside a range of dates.
 */
export function monthOfRequest(text: string | undefined): number | undefined {
  if (!text || namesDateRange(text)) return undefined;
  const m = monthFromText(text);
  return m && !m.lastYear ? m.month : undefined;
}

const QUARTER = /\bQ([1-4])\b|(?:第)?([一二三四1-4])季度/i;

/** Where each named period or month is said, in order (what a refinement like "本季度的呢" is made of). */
export function periodWords(text: string): { start: number; end: number; named?: NamedPeriod }[] {
  const out: { start: number; end: number; named?: NamedPeriod }[] = [];
  for (const [re, named] of NAMED_WORDS) {
    for (const m of allMatches(text, re)) out.push({ start: m.index, end: m.index + m[0].length, named });
  }
  const month = CN_MONTH.exec(text) ?? EN_MONTH.exec(text);
  if (month) out.push({ start: month.index, end: month.index + month[0].length });
  return out.sort((a, b) => a.start - b.start);
}

/**
 * The calendar period a message names, at `now`: 上周 / 本月 / 本季度 / 去年 …, or a month
 * (10月: the latest October that has begun; 去年10月: the one before). Undefined when it names
 * none (the rolling 昨天 / 7 / 30 days of the existing `period` values apply then).
 */
export function calendarPeriodFromText(text: string | undefined, now: Date): { period: CalendarPeriod; named?: NamedPeriod; month?: number } | undefined {
  if (!text) return undefined;
  const m = monthFromText(text);
  if (m) {
    const current = Number(chinaMonth(now).slice(5, 7));
    // The latest such month, a year earlier with 去年: as an offset from this month.
    const back = (current - m.month + 12) % 12 + (m.lastYear && m.month <= current ? 12 : 0);
    return { period: back === 0 || !m.lastYear ? { unit: 'month', month: m.month } : { unit: 'month', offset: -back }, month: m.month };
  }
  // The one before last: 上上周, 上上个月, 上上季度.
  const before = /上上一?个?(周|星期|礼拜|月|季度)/.exec(text);
  if (before) return { period: { unit: before[1] === '月' ? 'month' : before[1] === '季度' ? 'quarter' : 'week', offset: -2 } };
  // A quarter by number (Q3, 三季度, 第三季度): the latest that has begun, a year earlier with 去年.
  const q = QUARTER.exec(text);
  const quarter = q ? parseNumber(q[1] ?? q[2]!) : undefined;
  if (quarter && !/[本这上当]一?个?季度/.test(text)) {
    const current = Math.floor((Number(chinaMonth(now).slice(5, 7)) - 1) / 3) + 1;
    const back = current - quarter + (quarter > current ? 4 : 0) + (/去年|\blast year\b/i.test(text) && quarter <= current ? 4 : 0);
    return { period: { unit: 'quarter', offset: -back } };
  }
  const named = NAMED_WORDS.find(([re]) => re.test(text))?.[1];
  return named ? { period: calendarPeriodOf(named), named } : undefined;
}
