import type { HealthDashboard, HealthFigures, RfmOverview } from '../../crm/insights/index.ts';
import { formatDate, formatYuan } from '../../crm/kernel/index.ts';
import { t, type Lang } from '../../i18n/index.ts';

/** MM-DD, China date. */
const day = (d: Date) => formatDate(d).slice(5);
const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const n = (v: number) => v.toLocaleString('en-US');
/** "+5.2%" / "-3.0%" / "—" */
const delta = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}%`);
const yuan = (v: string | null) => (v === null ? '—' : formatYuan(v));

function storeLine(name: string, f: HealthFigures, lang: Lang): string {
  return t(lang, 'insights.health.storeLine', { name, total: n(f.total), new: n(f.new), active: n(f.active), dormant: n(f.dormant), churned: n(f.churned), churnRate: pct(f.churnRate), repurchase: pct(f.repurchaseRate), aov: yuan(f.aov) });
}

/** insights.health: the figures with their changes, per store, cohorts and how they are counted. */
export function renderHealth(d: HealthDashboard, scope: string, lang: Lang = 'zh'): string {
  const c = d.current;
  const p = d.vsPrevious;
  const y = d.vsLastYear;
  const lines = [
    t(lang, 'insights.health.head', { scope, period: t(lang, `insights.gran.${d.granularity}`), from: day(c.start), to: day(new Date(c.end.getTime() - 1)) }),
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
  lines.push(t(lang, 'insights.health.definitions'));
  return lines.join('\n');
}

/** insights.rfm: cell and quadrant counts, churn levels, and what the cells mean. */
export function renderRfm(o: RfmOverview, scope: string, lang: Lang = 'zh'): string {
  if (o.scoredAt === null) return t(lang, 'insights.rfm.notScored', { scope });
  const share = (v: number) => (o.members ? `${((v / o.members) * 100).toFixed(1)}%` : '—');
  return [
    t(lang, 'insights.rfm.head', { scope, members: o.members.toLocaleString('en-US'), at: o.scoredAt.toISOString().slice(0, 10) }),
    ...o.cells
      .filter((c) => c.members > 0)
      .map((c) => t(lang, 'insights.rfm.cell', { label: t(lang, `insights.cell.${c.cell}`), members: c.members.toLocaleString('en-US'), share: share(c.members), avg: c.avgSpend === null ? '' : t(lang, 'insights.rfm.avgSpend', { spend: formatYuan(c.avgSpend) }) })),
    t(lang, 'insights.rfm.quadrants', { list: o.quadrants.map((q) => `${t(lang, `insights.quadrant.${q.quadrant}`)} ${q.members.toLocaleString('en-US')}`).join(' · ') }),
    t(lang, 'insights.rfm.churn', o.churnLevels),
    t(lang, 'insights.rfm.definitions'),
  ].join('\n');
}
