import type { HealthDashboard, HealthFigures, RfmOverview } from '../../crm/insights/index.ts';
import { formatDate, formatMonthDayTime, formatYuan } from '../../crm/kernel/index.ts';
import { t, type Lang } from '../../i18n/index.ts';

/** When a snapshot was taken, China time: `2026-11-22 02:00`. */
export const chinaStamp = (d: Date) => `${formatDate(d)} ${formatMonthDayTime(d).slice(6)}`;
/** MM-DD, China date. */
const day = (d: Date) => formatDate(d).slice(5);
export const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const n = (v: number) => v.toLocaleString('en-US');
/** "+5.2%" / "-3.0%" / "—" */
export const delta = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}%`);
const yuan = (v: string | null) => (v === null ? '—' : formatYuan(v));

function storeLine(name: string, f: HealthFigures, lang: Lang): string {
  return t(lang, 'insights.health.storeLine', { name, total: n(f.total), new: n(f.new), active: n(f.active), dormant: n(f.dormant), churned: n(f.churned), churnRate: pct(f.churnRate), repurchase: pct(f.repurchaseRate), aov: yuan(f.aov) });
}

const EN_MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The name of the period a dashboard answers: 本月, 上周, 10月, 2026-08 …; 近 7 天 for a rolling one, 所选时段 for a date range. */
export function periodName(lang: Lang, d: HealthDashboard): string {
  const p = d.period?.name;
  if (!p) return t(lang, d.range ? 'insights.gran.asked' : `insights.gran.${d.granularity}`);
  if (p.month !== undefined) return t(lang, 'healthMetric.month_n', { month: lang === 'zh' ? p.month : EN_MONTH_NAMES[p.month - 1] });
  if (p.unit === 'month' && (p.offset ?? 0) < -1) return formatDate(d.current.start).slice(0, 7);
  return t(lang, `healthMetric.${p.unit}_${Math.min(1, -(p.offset ?? 0)) as 0 | 1}`);
}

/** insights.health: the figures with their changes, per store, cohorts and how they are counted. */
export function renderHealth(d: HealthDashboard, scope: string, lang: Lang = 'zh'): string {
  const c = d.current;
  const p = d.vsPrevious;
  const y = d.vsLastYear;
  const lines = [
    // A named period or a date range shows its dates; a period still running ends now (MM-DD HH:mm).
    t(lang, 'insights.health.head', { scope, period: periodName(lang, d), from: day(c.start), to: d.partial ? formatMonthDayTime(c.end) : day(new Date(c.end.getTime() - 1)) }),
    t(lang, 'insights.health.total', { total: n(c.total), new: n(c.new), newPrev: delta(p.new), newYear: delta(y.new) }),
    t(lang, 'insights.health.active', { active: n(c.active), prev: delta(p.active), year: delta(y.active) }),
    t(lang, 'insights.health.dormant', { dormant: n(c.dormant), dormantPrev: delta(p.dormant), churned: n(c.churned), churnRate: pct(c.churnRate), churnRateYear: delta(y.churnRate) }),
    t(lang, 'insights.health.repurchase', { rate: pct(c.repurchaseRate), ratePrev: delta(p.repurchaseRate), aov: yuan(c.aov), aovPrev: delta(p.aov), aovYear: delta(y.aov) }),
    t(lang, 'insights.health.orders', { orders: n(c.orders), sales: formatYuan(c.sales), salesPrev: delta(p.sales) }),
  ];
  if (d.perStore.length > 1) {
    lines.push(t(lang, 'insights.health.perStore'));
    for (const s of d.perStore) lines.push(storeLine(s.name, s.figures, lang));
  }
  const cohorts = d.cohorts.filter((k) => k.size > 0);
  if (cohorts.length) {
    lines.push(t(lang, 'insights.health.cohorts'));
    for (const k of cohorts) lines.push(t(lang, 'insights.health.cohort', { month: k.month, size: n(k.size), retention: k.retention.map(pct).join(' / ') }));
  }
  if (d.membersAsOf) lines.push(t(lang, 'insights.health.membersAsOf', { at: chinaStamp(d.membersAsOf) }));
  lines.push(t(lang, 'insights.health.definitions'));
  return lines.join('\n');
}

/** insights.rfm: cell and quadrant counts, churn levels, and what the cells mean. */
export function renderRfm(o: RfmOverview, scope: string, lang: Lang = 'zh'): string {
  if (o.scoredAt === null) return t(lang, 'insights.rfm.notScored', { scope });
  const share = (v: number) => (o.members ? `${((v / o.members) * 100).toFixed(1)}%` : '—');
  return [
    t(lang, 'insights.rfm.head', { scope, members: o.members.toLocaleString('en-US'), at: chinaStamp(o.scoredAt) }),
    ...o.cells
      .filter((c) => c.members > 0)
      .map((c) => t(lang, 'insights.rfm.cell', { label: t(lang, `insights.cell.${c.cell}`), members: c.members.toLocaleString('en-US'), share: share(c.members), avg: c.avgSpend === null ? '' : t(lang, 'insights.rfm.avgSpend', { spend: formatYuan(c.avgSpend) }) })),
    t(lang, 'insights.rfm.quadrants', { list: o.quadrants.map((q) => `${t(lang, `insights.quadrant.${q.quadrant}`)} ${q.members.toLocaleString('en-US')}`).join(' · ') }),
    t(lang, 'insights.rfm.churn', o.churnLevels),
    t(lang, 'insights.rfm.definitions'),
  ].join('\n');
}
