import type { HealthDashboard, HealthFigures, RfmOverview } from '../../crm/insights/index.ts';
import { formatDate, formatYuan } from '../../crm/kernel/index.ts';

/** MM-DD, China date. */
const day = (d: Date) => formatDate(d).slice(5);
const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const n = (v: number) => v.toLocaleString('en-US');
/** "+5.2%" / "-3.0%" / "—" */
const delta = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}%`);
const GRAN = { day: '昨天', week: '近 7 天', month: '近 30 天' } as const;

function figureLine(f: HealthFigures): string {
  return `会员 ${n(f.total)}（新增 ${n(f.new)}）· 活跃 ${n(f.active)} · 沉睡 ${n(f.dormant)} · 流失 ${n(f.churned)} · 流失率 ${pct(f.churnRate)} · 复购率 ${pct(f.repurchaseRate)} · 客单价 ${f.aov === null ? '—' : formatYuan(f.aov)}`;
}

/** insights.health: the figures with their changes, per store, cohorts and how they are counted. */
export function renderHealth(d: HealthDashboard, scope: string): string {
  const c = d.current;
  const p = d.vsPrevious;
  const y = d.vsLastYear;
  const lines = [
    `${scope}会员健康度（${GRAN[d.granularity]}：${day(c.start)} 至 ${day(new Date(c.end.getTime() - 1))}）`,
    `会员总数 ${n(c.total)}，新增 ${n(c.new)}（环比 ${delta(p.new)}，同比 ${delta(y.new)}）`,
    `活跃会员 ${n(c.active)}（环比 ${delta(p.active)}，同比 ${delta(y.active)}）`,
    `沉睡 ${n(c.dormant)}（环比 ${delta(p.dormant)}）· 已流失 ${n(c.churned)} · 流失率 ${pct(c.churnRate)}（同比 ${delta(y.churnRate)}）`,
    `复购率 ${pct(c.repurchaseRate)}（环比 ${delta(p.repurchaseRate)}）· 客单价 ${c.aov === null ? '—' : formatYuan(c.aov)}（环比 ${delta(p.aov)}，同比 ${delta(y.aov)}）`,
    `订单 ${n(c.orders)} 笔 · 销售额 ${formatYuan(c.sales)}（环比 ${delta(p.sales)}）`,
  ];
  if (d.perStore.length > 1) {
    lines.push('各门店：');
    for (const s of d.perStore) lines.push(`· ${s.name}：${figureLine(s.figures)}`);
  }
  const cohorts = d.cohorts.filter((k) => k.size > 0);
  if (cohorts.length) {
    lines.push('注册月留存（次月 / 第 2 月 / 第 3 月有消费）：');
    for (const k of cohorts) lines.push(`· ${k.month} ${n(k.size)} 人：${k.retention.map(pct).join(' / ')}`);
  }
  lines.push('口径：活跃 = 期内在本店消费；沉睡 = 90–180 天前消费过、近 90 天没有；流失 = 180–365 天前消费过、近 180 天没有；流失率 = 流失 ÷ 近一年消费会员；复购率 = 期内消费会员中此前一年也消费过的比例。趋势图见图片。');
  return lines.join('\n');
}

/** insights.rfm: cell and quadrant counts, churn levels, and what the cells mean. */
export function renderRfm(o: RfmOverview, scope: string): string {
  if (o.scoredAt === null) return `${scope}还没有会员价值评分：评分任务（npm run scores）运行后即可查看 RFM 分群。`;
  const share = (v: number) => (o.members ? `${((v / o.members) * 100).toFixed(1)}%` : '—');
  return [
    `${scope} RFM 会员分群（共 ${o.members.toLocaleString('en-US')} 位，评分于 ${o.scoredAt.toISOString().slice(0, 10)}）：`,
    ...o.cells.filter((c) => c.members > 0).map((c) => `· ${c.label}：${c.members.toLocaleString('en-US')} 人（${share(c.members)}）${c.avgSpend === null ? '' : `，人均累计 ${formatYuan(c.avgSpend)}`}`),
    `价值象限：${o.quadrants.map((q) => `${q.label} ${q.members.toLocaleString('en-US')}`).join(' · ')}`,
    `流失风险：高 ${o.churnLevels.high} · 中 ${o.churnLevels.medium} · 低 ${o.churnLevels.low}`,
    'R/F/M 各按五分位打 1–5 分（R 越近越高，F 消费次数，M 累计消费）。冠军 = R、F、M 都 ≥4；忠诚 = R≥3 且 F≥4；高价值流失风险 = R≤2 但 F≥3 或 M≥4。',
  ].join('\n');
}
