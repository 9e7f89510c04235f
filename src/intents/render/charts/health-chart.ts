import type { HealthDashboard } from '../../../crm/insights/index.ts';
import { formatDate } from '../../../crm/kernel/index.ts';
import type { EChartsOption } from 'echarts';
import { t, type Lang } from '../../../i18n/index.ts';
import { chartLocale, renderChartPng, type ChartImage } from './render.ts';

/** China date: YYYY-MM-DD on monthly charts, MM-DD otherwise. */
const label = (d: Date, monthly: boolean) => formatDate(d).slice(monthly ? 0 : 5);

const TEXT = {
  zh: {
    title: (scope: string, g: string) => `会员健康度：${scope}，${g}`,
    granularity: { day: '按日', week: '按周（7天）', month: '按月（30天）' },
    active: '活跃会员',
    new: '新会员',
    aov: '客单价（元）',
    members: '人数',
    yuan: '元',
    noStore: '无门店',
  },
  en: {
    title: (scope: string, g: string) => `Member health: ${scope}, ${g}`,
    granularity: { day: 'daily', week: 'weekly (7 days)', month: 'monthly (30 days)' },
    active: 'Active buyers',
    new: 'New members',
    aov: 'Avg order value (CNY)',
    members: 'members',
    yuan: 'CNY',
    noStore: 'no store',
  },
} as const;

/**
 * The health dashboard's trend as an ECharts option: active buyers and new members per period
 * (bars and line, left axis) and average order value (right axis), x labels = each period's
 * first day; labels in Chinese when the machine can draw them (render.ts chartLocale), else
 * English, with the store codes (SH-XH …) naming the scope.
 */
export function healthTrendOption(d: HealthDashboard, locale: 'zh' | 'en' = chartLocale()): EChartsOption {
  const t = TEXT[locale];
  const monthly = d.granularity === 'month';
  const x = d.trend.map((p) => label(p.start, monthly));
  const scope = d.stores.length === 1 ? d.stores[0]!.code : d.stores.length ? d.stores.map((s) => s.code).join(' + ') : t.noStore;
  return {
    title: { text: t.title(scope, t.granularity[d.granularity]), left: 'center', textStyle: { fontSize: 16 } },
    legend: { bottom: 0, data: [t.active, t.new, t.aov] },
    grid: { left: 60, right: 70, top: 50, bottom: 60 },
    xAxis: { type: 'category', data: x, axisLabel: { fontSize: 11 } },
    yAxis: [
      { type: 'value', name: t.members, minInterval: 1 },
      { type: 'value', name: t.yuan, position: 'right', splitLine: { show: false } },
    ],
    series: [
      { name: t.active, type: 'bar', data: d.trend.map((p) => p.active), itemStyle: { color: '#5470c6' } },
      { name: t.new, type: 'line', data: d.trend.map((p) => p.new), itemStyle: { color: '#91cc75' }, lineStyle: { width: 2 } },
      { name: t.aov, type: 'line', yAxisIndex: 1, data: d.trend.map((p) => p.aov), itemStyle: { color: '#ee6666' }, lineStyle: { type: 'dashed' } },
    ],
  };
}

/** The trend chart as a PNG, with a text alternative in the asker's language (the labels drawn depend on the fonts, above). */
export function healthTrendChart(d: HealthDashboard, width = 800, height = 420, lang: Lang = 'zh'): ChartImage {
  const alt = t(lang, 'insights.chart.alt', { periods: d.trend.length, active: d.trend.map((p) => p.active).join('/'), new: d.trend.map((p) => p.new).join('/') });
  return renderChartPng(healthTrendOption(d), width, height, alt);
}
