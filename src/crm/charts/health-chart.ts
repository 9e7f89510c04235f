import type { HealthDashboard } from '../health/dashboard.ts';
import { renderChartPng, type ChartImage } from './render.ts';

const CHINA = 8 * 3_600_000;
const label = (d: Date, monthly: boolean) => new Date(d.getTime() + CHINA).toISOString().slice(monthly ? 0 : 5, 10);

/**
 * The health dashboard's trend as a PNG: active buyers and new members per period (bars and
 * line, left axis) and average order value (right axis), x labels = each period's first day.
 * ASCII labels only (see render.ts); the store codes (SH-XH …) name the scope.
 */
export function healthTrendChart(d: HealthDashboard, width = 800, height = 420): ChartImage {
  const monthly = d.granularity === 'month';
  const x = d.trend.map((p) => label(p.start, monthly));
  const scope = d.stores.length === 1 ? d.stores[0]!.code : d.stores.length ? d.stores.map((s) => s.code).join(' + ') : 'no store';
  const title = `Member health: ${scope}, ${d.granularity === 'day' ? 'daily' : d.granularity === 'week' ? 'weekly (7 days)' : 'monthly (30 days)'}`;
  const alt = `会员健康度趋势（${d.trend.length} 期）：活跃会员 ${d.trend.map((p) => p.active).join('/')}，新会员 ${d.trend.map((p) => p.new).join('/')}`;
  return renderChartPng(
    {
      title: { text: title, left: 'center', textStyle: { fontSize: 16 } },
      legend: { bottom: 0, data: ['Active buyers', 'New members', 'Avg order value (CNY)'] },
      grid: { left: 60, right: 70, top: 50, bottom: 60 },
      xAxis: { type: 'category', data: x, axisLabel: { fontSize: 11 } },
      yAxis: [
        { type: 'value', name: 'members', minInterval: 1 },
        { type: 'value', name: 'CNY', position: 'right', splitLine: { show: false } },
      ],
      series: [
        { name: 'Active buyers', type: 'bar', data: d.trend.map((p) => p.active), itemStyle: { color: '#5470c6' } },
        { name: 'New members', type: 'line', data: d.trend.map((p) => p.new), itemStyle: { color: '#91cc75' }, lineStyle: { width: 2 } },
        { name: 'Avg order value (CNY)', type: 'line', yAxisIndex: 1, data: d.trend.map((p) => p.aov), itemStyle: { color: '#ee6666' }, lineStyle: { type: 'dashed' } },
      ],
    },
    width,
    height,
    alt,
  );
}
