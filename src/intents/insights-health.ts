import { z } from 'zod';
import { formatDate, formatYuan, storeScope } from '../crm/kernel/index.ts';
import { healthTrendChart } from './render/charts/health-chart.ts';
import { healthDashboard, type Granularity, type HealthDashboard } from '../crm/insights/index.ts';
import { t, type Lang } from '../i18n/index.ts';
import { calendarPeriodFromText, calendarPeriodOf, dateRangeFromText, metricFromText, METRICS, monthOfRequest, NAMED_PERIODS, namedPeriodFromText, TODAY, type Metric } from './parse/health-request.ts';
import { delta, pct, periodName, renderHealth } from './render/insights.ts';
import { resolveStore, storeDirectory } from './router/stores.ts';
import { staffAccess } from './staff.ts';
import { defineIntent } from './types.ts';

const ROLLING = ['day', 'week', 'month'] as const;

const slots = z.object({
  period: z
    .enum([...ROLLING, 'today', ...NAMED_PERIODS])
    .optional()
    .describe('day or today (today so far), week (last 7 days, default), month (last 30 days) — today included — or a calendar period: yesterday, this_week, last_week, this_month, last_month, this_quarter, last_quarter, this_year, last_year (China time)'),
  month: z.number().int().min(1).max(12).optional().describe('a calendar month by number (10 = October, the latest one that has begun)'),
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().describe('first China date of a date range (YYYY-MM-DD), with to'),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().describe('last China date of a date range, included (YYYY-MM-DD), with from'),
  metric: z.enum(METRICS).optional().describe('the figure asked about, shown first: churn_rate, repurchase_rate, retention, aov (average order value), new_members, active_members, dormant_members'),
  text: z.string().max(500).optional().describe('the whole request (the period, metric and a store name are read from it)'),
  store: z.string().min(1).max(64).optional().describe('one store, by its name, e.g. "上海静安店" or "静安店" (must be one of the staff member\'s stores)'),
});

/** The rolling period a message asks for: 日/今天 → day (today so far), 月 → month, else week (昨天 is a calendar period). */
export function periodFromText(text: string | undefined): Granularity | undefined {
  if (!text) return undefined;
  if (/月|month|30\s*天/i.test(text)) return 'month';
  if (/[日天]报|今天|今日|每日|daily|\bday\b|\btoday\b/i.test(text)) return 'day';
  if (/周|星期|week|7\s*天/i.test(text)) return 'week';
  return undefined;
}

/** 上周（11-09 至 11-15）/ last week (11-09 to 11-15); 近 7 天 for the rolling periods. */
function periodLabel(lang: Lang, d: HealthDashboard): string {
  const c = d.current;
  const last = new Date(c.end.getTime() - 1);
  if (d.range) return `${t(lang, 'healthMetric.range', { from: d.range.from.slice(5), to: d.range.to.slice(5) }).trim()}${d.partial ? t(lang, 'healthMetric.soFar') : ''}`;
  if (!d.period) return t(lang, `healthMetric.rolling_${d.granularity}`);
  return `${periodName(lang, d)}${t(lang, 'healthMetric.range', { from: formatDate(c.start).slice(5), to: formatDate(last).slice(5) })}${d.period.partial ? t(lang, 'healthMetric.soFar') : ''}`;
}

/** The metric asked about, first line of the reply: its value, vs the period before and a year earlier. */
export function metricLine(lang: Lang, d: HealthDashboard, metric: Metric, scope: string): string {
  const period = periodLabel(lang, d);
  const sc = lang === 'zh' ? scope : ` (${scope})`;
  if (metric === 'retention') {
    const k = [...d.cohorts].reverse().find((x) => x.size > 0 && x.retention[0] !== null);
    return k ? t(lang, 'healthMetric.retention', { scope: sc, month: k.month, size: k.size, value: pct(k.retention[0]!) }) : t(lang, 'healthMetric.retentionNone', { scope: sc });
  }
  const c = d.current;
  const key = { churn_rate: 'churnRate', repurchase_rate: 'repurchaseRate', aov: 'aov', new_members: 'new', active_members: 'active', dormant_members: 'dormant' } as const;
  const k = key[metric];
  const value = k === 'churnRate' || k === 'repurchaseRate' ? pct(c[k]) : k === 'aov' ? (c.aov === null ? '—' : formatYuan(c.aov)) : t(lang, 'healthMetric.people', { n: c[k].toLocaleString('en-US') });
  return t(lang, 'healthMetric.line', { scope: sc, period, metric: t(lang, `healthMetric.${metric}`), value, previous: delta(d.vsPrevious[k]), lastYear: delta(d.vsLastYear[k]) });
}

/** 本店会员健康度 (CRM13): figures with trends vs the previous period and last year, and a chart; a named metric first. */
export const insightsHealth = defineIntent({
  name: 'insights.health',
  audience: 'staff',
  description: "Member health dashboard of the staff member's stores: total, new, active, dormant and churned members, churn and repurchase rates, average order value, cohort retention, compared with the previous period and last year, with a trend chart; a named metric (churn rate, repeat rate, retention, AOV, new/active/dormant members) is answered first, over a rolling or calendar period.",
  title: '会员健康度看板（本店）',
  permission: 'churn.read',
  effect: 'read',
  slots,
  examples: [
    { text: '本店会员健康度', slots: { text: '本店会员健康度' } },
    { text: '会员健康度 本月', slots: { period: 'this_month', text: '会员健康度 本月' } },
    { text: '看看门店健康度周报', slots: { text: '看看门店健康度周报' } },
    { text: 'member health dashboard', slots: { text: 'member health dashboard' } },
    { text: '上周流失率多少', slots: { metric: 'churn_rate', period: 'last_week', text: '上周流失率多少' } },
    { text: '10月复购率', slots: { metric: 'repurchase_rate', month: 10, text: '10月复购率' } },
    { text: '今年新增会员有多少', slots: { metric: 'new_members', period: 'this_year', text: '今年新增会员有多少' } },
    { text: 'average order value last month', slots: { metric: 'aov', period: 'last_month', text: 'average order value last month' } },
  ],
  rule: {
    keywords: [
      '健康度', '会员健康', '健康看板', '会员看板', 'health dashboard', 'member health', 'store health',
      // Metric words: the dashboard answers them, the named one first.
      '流失率', '复购率', '回购率', '复购', '留存率', '留存', '客单价', '客单', '单均', '新增会员', '新增了多少',
      // The same metrics in other staff words (parse/health-request.ts reads which).
      /保留率|留客率|流失(?:比例|占比|比率)|掉客率|回店率|再购率|二次消费率|人均消费|人均客单|笔单价/,
      /\bchurn(?:ed)? rate\b|\brepeat(?:[- ]purchase)? rate\b|\brepurchase rate\b|\bretention\b|\baverage order value\b|\bAOV\b/i,
      // "新会员数": a number of new members is this dashboard's metric, never a count of all members.
      [/新会员|新注册|新增|新(?:进来|进|来|加入|加|办卡)了?(?:多少|几个|几位)?的?(?:会员|客人|顾客)|活跃会员|活跃人数|活跃用户|活跃客户|活跃度|沉睡/, /多少|几个|几位|人数|数量|(?<=新会员|新注册会员|新增会员)数|数据|比例|占比|变化|趋势|环比|同比|怎么样|如何|情况|统计|上周|本周|这周|本月|上个?月|这个月|季度|今年|去年|昨天|\d+月/],
      [/\b(?:new|active|dormant) (?:members?|customers?|sign-?ups?)\b/i, /\bhow many\b|\bnumber\b|\bcount\b|\btrend\b|\blast\b|\bthis\b|\bin (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/i],
    ],
    extract: { text: 'text', store: 'store', from: 'dateFrom', to: 'dateTo' },
    // 今天 / today names the rolling day when no other period or month is named ("今天客单" → today).
    derive: (text) => {
      const month = monthOfRequest(text);
      const named = namedPeriodFromText(text);
      return { metric: metricFromText(text), period: named ?? (month === undefined && TODAY.test(text) ? ('today' as const) : undefined), month };
    },
    priority: 6,
  },
  async run(ctx, { period: said, month, from, to, metric, text, store }) {
    // Today so far is the rolling day.
    const period = said === 'today' ? 'day' : said;
    const access = staffAccess(ctx);
    const lang = ctx.lang;
    const named = store === undefined ? undefined : resolveStore(store, await storeDirectory(ctx.services));
    if (store !== undefined && !named) return { text: t(lang, 'insights.storeNotFound', { store }) };
    // A date range or a calendar period from the slots, else from the words; else the rolling day / 7 / 30 days.
    const now = ctx.services.now();
    const asked = month !== undefined || period !== undefined;
    const range = from !== undefined && to !== undefined ? { from, to } : asked ? undefined : dateRangeFromText(text, now);
    const calendar =
      range ? undefined : month !== undefined ? { unit: 'month' as const, month } : period && period !== 'day' && period !== 'week' && period !== 'month' ? calendarPeriodOf(period) : period ? undefined : calendarPeriodFromText(text, now)?.period;
    const granularity = period === 'day' || period === 'week' || period === 'month' ? period : (periodFromText(text) ?? 'week');
    // Scope and the period's validity are enforced in the CRM layer: a store outside the actor's stores, a range that is not one, are refused there.
    const d = await healthDashboard(access, range ? { range, storeId: named?.id } : calendar ? { period: calendar, storeId: named?.id } : { granularity, storeId: named?.id });
    // A store named in the request is what the figures are of, whoever asks (HQ sees every store otherwise).
    const scope = named ? named.name : storeScope(access.actor) === null ? t(lang, 'insights.allStores') : d.stores.length === 1 ? d.stores[0]!.name : t(lang, 'insights.yourStores');
    const chart = healthTrendChart(d, undefined, undefined, lang);
    const wanted = metric ?? metricFromText(text);
    const body = renderHealth(d, scope, lang);
    const first = wanted ? metricLine(lang, d, wanted, scope) : undefined;
    return { text: first ? `${first}

${body}` : body, data: d, image: { png: chart.png, alt: chart.alt } };
  },
});
