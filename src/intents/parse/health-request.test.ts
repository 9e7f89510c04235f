import { describe, expect, it } from 'vitest';
import { calendarPeriodFromText, dateRangeFromText, metricFromText, namedPeriodFromText } from './health-request.ts';

const NOV = new Date('2026-11-21T04:00:00.000Z'); // Saturday, China time

describe('health request words', () => {
  it('names the metric in Chinese and English', () => {
    const cases: [string, string | undefined][] = [
      ['上周流失率多少', 'churn_rate'],
      ['10月复购率', 'repurchase_rate'],
      ['回购率怎么样', 'repurchase_rate'],
      ['留存率', 'retention'],
      ['本季度客单价', 'aov'],
      ['今年新增会员有多少', 'new_members'],
      ['新会员多少', 'new_members'],
      ['上个月活跃会员', 'active_members'],
      ['沉睡会员有多少', 'dormant_members'],
      ['churn rate this year', 'churn_rate'],
      ['repeat rate last month', 'repurchase_rate'],
      ['average order value', 'aov'],
      ['how many new members last month', 'new_members'],
      ['new member count last month', 'new_members'],
      ['这个月新来了多少会员', 'new_members'],
      // Joining said as what the new member did, and returning customers.
      ['那个新加的会员这个月一共多少个', 'new_members'],
      ['本月办卡几个', 'new_members'],
      ['回头客比例', 'repurchase_rate'],
      ['本店会员健康度', undefined],
    ];
    for (const [text, metric] of cases) expect(metricFromText(text), text).toBe(metric);
  });

  it('names calendar periods, and leaves rolling windows to the existing periods', () => {
    const p = (text: string, now = NOV) => calendarPeriodFromText(text, now)?.period;
    expect(p('上周流失率')).toEqual({ unit: 'week', offset: -1 });
    expect(p('上个星期的客单价')).toEqual({ unit: 'week', offset: -1 });
    expect(p('这周')).toEqual({ unit: 'week', offset: 0 });
    expect(p('本月')).toEqual({ unit: 'month', offset: 0 });
    expect(p('上个月')).toEqual({ unit: 'month', offset: -1 });
    expect(p('本季度')).toEqual({ unit: 'quarter', offset: 0 });
    expect(p('上季度')).toEqual({ unit: 'quarter', offset: -1 });
    expect(p('今年')).toEqual({ unit: 'year', offset: 0 });
    expect(p('去年')).toEqual({ unit: 'year', offset: -1 });
    expect(p('10月复购率')).toEqual({ unit: 'month', month: 10 });
    expect(p('十一月的新增会员')).toEqual({ unit: 'month', month: 11 });
    expect(p('retention in October')).toEqual({ unit: 'month', month: 10 });
    expect(p('new members in May')).toEqual({ unit: 'month', month: 5 });
    expect(p('last quarter churn rate')).toEqual({ unit: 'quarter', offset: -1 });
    // 去年10月 in November 2026: October 2025, thirteen months back.
    expect(p('去年10月的客单价')).toEqual({ unit: 'month', offset: -13 });
    expect(p('去年12月')).toEqual({ unit: 'month', offset: -11 });
    expect(p('这个季度的会员健康度')).toEqual({ unit: 'quarter', offset: 0 });
    expect(p('今年新增会员多少')).toEqual({ unit: 'year', offset: 0 });
    // 昨天 is the calendar day before today (the rolling day is today so far).
    expect(p('昨天新增了多少会员')).toEqual({ unit: 'day', offset: -1 });
    for (const rolling of ['近3个月', '最近30天', '近一个月', '近3月', '本店会员健康度', 'it may rain']) expect(p(rolling), rolling).toBeUndefined();
  });

  it('reads the periods in staff shorthand: wk / mo / mth / q, wtd / mtd / qtd / ytd, yday', () => {
    const cases: [string, string | undefined][] = [
      ['流失率mtd', 'this_month'],
      ['上wk流失率', 'last_week'],
      ['本wk复购', 'this_week'],
      ['repeat rate this wk', 'this_week'],
      ['new signups last wk', 'last_week'],
      ['aov last mth', 'last_month'],
      ['aov prev mo', 'last_month'],
      ['active members mtd', 'this_month'],
      ['churn wtd', 'this_week'],
      ['retention qtd', 'this_quarter'],
      ['last q retention', 'last_quarter'],
      ['上季客单', 'last_quarter'],
      ['aov yday', 'yesterday'],
      // Words that merely contain the letters are no periods.
      ['show me more', undefined],
      ['last month', 'last_month'],
      ['上上个月', undefined],
    ];
    for (const [text, period] of cases) expect(namedPeriodFromText(text), text).toBe(period);
  });

  it('names a range of China dates, both ends included, in the latest year it has begun', () => {
    const r = (text: string, now = NOV) => dateRangeFromText(text, now);
    expect(r('11月1号到15号的健康度')).toEqual({ from: '2026-11-01', to: '2026-11-15' });
    expect(r('11月1日至11月15日复购率')).toEqual({ from: '2026-11-01', to: '2026-11-15' });
    expect(r('十一月一号到十五号新增会员')).toEqual({ from: '2026-11-01', to: '2026-11-15' });
    expect(r('2026-11-01到2026-11-15 会员健康度')).toEqual({ from: '2026-11-01', to: '2026-11-15' });
    expect(r('2026年6月1日到8月15日')).toEqual({ from: '2026-06-01', to: '2026-08-15' });
    // December has not begun in November 2026: last year's, into this January.
    expect(r('12月20号到1月5号客单价')).toEqual({ from: '2025-12-20', to: '2026-01-05' });
    expect(r('去年11月1号到15号')).toEqual({ from: '2025-11-01', to: '2025-11-15' });
    // Passed on as written: the dashboard names a date that does not exist.
    expect(r('2月1号到30号')).toEqual({ from: '2026-02-01', to: '2026-02-30' });
    for (const none of ['11月的复购率', '10月到11月', '近3个月', '本季度', '会员健康度']) expect(r(none), none).toBeUndefined();
  });
});
