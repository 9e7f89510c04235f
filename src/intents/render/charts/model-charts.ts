import type { EChartsOption } from 'echarts';
import type { ModelValidation } from '../../../crm/insights/index.ts';
import type { Lang } from '../../../i18n/index.ts';
import { chartLocale, renderChartPng, type ChartImage } from './render.ts';

const MODEL_NAMES: Record<string, string> = { bgnbd: 'BG/NBD', mbgnbd: 'MBG/NBD', paretonbd: 'Pareto/NBD' };

const TEXT = {
  zh: {
    freq: (m: string) => `留存期购买次数：预测与实际（按校准期购买次数，${m}）`,
    track: (m: string) => `每周累计复购：预测与实际（${m}）`,
    calib: '流失风险校准：预测与实际未购比例（十分位）',
    x: '校准期复购次数',
    perCustomer: '人均留存期购买',
    week: '周',
    cumulative: '累计复购次数',
    predictedRisk: '预测流失风险',
    observed: '实际未购比例',
    actual: '实际',
    predicted: '预测',
    ideal: '完全校准',
    holdout: '留存期开始',
  },
  en: {
    freq: (m: string) => `Holdout purchases by calibration frequency (${m})`,
    track: (m: string) => `Weekly cumulative repeat purchases (${m})`,
    calib: 'Churn risk calibration (deciles)',
    x: 'repeat purchases in calibration',
    perCustomer: 'holdout purchases per customer',
    week: 'week',
    cumulative: 'cumulative repeat purchases',
    predictedRisk: 'predicted risk',
    observed: 'share without a purchase',
    actual: 'Actual',
    predicted: 'Predicted',
    ideal: 'Perfect calibration',
    holdout: 'holdout starts',
  },
} as const;

const round = (v: number, d = 3) => Number(v.toFixed(d));

/** Holdout purchases per customer by calibration frequency (FHL 2005 Figure 4's layout). */
export function frequencyOption(v: ModelValidation, locale: 'zh' | 'en' = chartLocale()): EChartsOption {
  const t = TEXT[locale];
  return {
    title: { text: t.freq(MODEL_NAMES[v.model] ?? v.model), left: 'center', textStyle: { fontSize: 15 } },
    legend: { bottom: 0, data: [t.actual, t.predicted] },
    grid: { left: 60, right: 30, top: 50, bottom: 70 },
    xAxis: { type: 'category', name: t.x, nameLocation: 'middle', nameGap: 28, data: v.byFrequency.map((b) => (b.orMore ? `${b.x}+` : String(b.x))) },
    yAxis: { type: 'value', name: t.perCustomer },
    series: [
      { name: t.actual, type: 'bar', data: v.byFrequency.map((b) => round(b.actual)), itemStyle: { color: '#5470c6' } },
      { name: t.predicted, type: 'line', data: v.byFrequency.map((b) => round(b.predicted)), itemStyle: { color: '#ee6666' }, lineStyle: { width: 2 } },
    ],
  };
}

/** Weekly cumulative repeat purchases over calibration and holdout (FHL 2005 Figure 3's layout). */
export function trackingOption(v: ModelValidation, locale: 'zh' | 'en' = chartLocale()): EChartsOption {
  const t = TEXT[locale];
  return {
    title: { text: t.track(MODEL_NAMES[v.model] ?? v.model), left: 'center', textStyle: { fontSize: 15 } },
    legend: { bottom: 0, data: [t.actual, t.predicted] },
    grid: { left: 70, right: 30, top: 70, bottom: 70 },
    xAxis: { type: 'category', name: t.week, nameLocation: 'middle', nameGap: 28, data: v.tracking.map((p) => String(p.week)) },
    yAxis: { type: 'value', name: t.cumulative },
    series: [
      {
        name: t.actual,
        type: 'line',
        showSymbol: false,
        data: v.tracking.map((p) => p.actual),
        itemStyle: { color: '#5470c6' },
        markLine: { symbol: 'none', label: { formatter: t.holdout }, lineStyle: { type: 'dashed', color: '#999' }, data: [{ xAxis: String(v.holdoutStartWeek) }] },
      },
      { name: t.predicted, type: 'line', showSymbol: false, data: v.tracking.map((p) => round(p.predicted, 1)), itemStyle: { color: '#ee6666' }, lineStyle: { type: 'dashed', width: 2 } },
    ],
  };
}

/** Predicted churn risk vs the observed share without a holdout purchase, by decile. */
export function calibrationOption(v: ModelValidation, locale: 'zh' | 'en' = chartLocale()): EChartsOption {
  const t = TEXT[locale];
  return {
    title: { text: t.calib, left: 'center', textStyle: { fontSize: 15 } },
    legend: { bottom: 0, data: [t.actual, t.ideal] },
    grid: { left: 60, right: 30, top: 50, bottom: 70 },
    xAxis: { type: 'value', name: t.predictedRisk, nameLocation: 'middle', nameGap: 28, min: 0, max: 1 },
    yAxis: { type: 'value', name: t.observed, min: 0, max: 1 },
    series: [
      { name: t.actual, type: 'line', data: v.riskCalibration.map((b) => [round(b.predicted), round(b.observed)]), itemStyle: { color: '#5470c6' } },
      { name: t.ideal, type: 'line', showSymbol: false, data: [[0, 0], [1, 1]], lineStyle: { type: 'dashed', color: '#999' }, itemStyle: { color: '#999' } },
    ],
  };
}

function altText(v: ModelValidation, lang: Lang): string {
  const s = v.summary;
  const m = MODEL_NAMES[v.model] ?? v.model;
  const auc = s.riskAuc === null ? '—' : s.riskAuc.toFixed(3);
  return lang === 'zh'
    ? `${m}：${s.customers} 位顾客，留存期 ${s.holdoutWeeks.toFixed(0)} 周预测购买 ${s.predictedHoldout.toFixed(0)} 次，实际 ${s.actualHoldout.toFixed(0)} 次；流失风险 AUC ${auc}`
    : `${m}: ${s.customers} customers; ${s.holdoutWeeks.toFixed(0)}-week holdout, predicted ${s.predictedHoldout.toFixed(0)} purchases, actual ${s.actualHoldout.toFixed(0)}; churn risk AUC ${auc}`;
}

/** The validation report's three charts as PNG files (the analytics command writes them). */
export function modelReportCharts(v: ModelValidation, lang: Lang = 'zh'): Array<{ file: string; image: ChartImage }> {
  const alt = altText(v, lang);
  const charts = [
    { file: 'holdout-by-frequency.png', image: renderChartPng(frequencyOption(v), 800, 420, alt) },
    { file: 'weekly-tracking.png', image: renderChartPng(trackingOption(v), 900, 420, alt) },
  ];
  if (v.riskCalibration.length) charts.push({ file: 'churn-risk-calibration.png', image: renderChartPng(calibrationOption(v), 600, 460, alt) });
  return charts;
}

/**
 * The chat answer's one image: holdout by frequency and the weekly tracking side by side (the
 * churn-risk calibration is in the text and in the analytics report).
 */
export function modelReportPanel(v: ModelValidation, alt: string): ChartImage {
  const f = frequencyOption(v);
  const k = trackingOption(v);
  const half = (o: EChartsOption, left: string, right: string) => ({ ...(o.grid as object), left, right, top: 70, bottom: 70 });
  const option: EChartsOption = {
    title: [{ ...(f.title as object), left: '25%', textAlign: 'center', textStyle: { fontSize: 13 } }, { ...(k.title as object), left: '75%', textAlign: 'center', textStyle: { fontSize: 13 } }],
    legend: f.legend,
    grid: [half(f, '6%', '54%'), half(k, '56%', '3%')],
    xAxis: [{ ...(f.xAxis as object), gridIndex: 0 }, { ...(k.xAxis as object), gridIndex: 1 }],
    yAxis: [{ ...(f.yAxis as object), gridIndex: 0 }, { ...(k.yAxis as object), gridIndex: 1 }],
    series: [...(f.series as object[]).map((s) => ({ ...s, xAxisIndex: 0, yAxisIndex: 0 })), ...(k.series as object[]).map((s) => ({ ...s, xAxisIndex: 1, yAxisIndex: 1 }))] as EChartsOption['series'],
  };
  return renderChartPng(option, 1400, 460, alt);
}
