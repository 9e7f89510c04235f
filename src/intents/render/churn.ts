import type { ChurnList } from '../../crm/insights/index.ts';
import { formatDate, formatYuan } from '../../crm/kernel/index.ts';

/** churn.list's answer: ranked lines, then the rule in one sentence so staff know why someone is listed. */
export function renderChurn(list: ChurnList, scope: string): string {
  if (list.source === 'model') return renderModelChurn(list, scope);
  const rule = `规则：超过 ${list.rule.minDays} 天、且超过本人平时消费间隔 ${list.rule.gapFactor} 倍没有消费。`;
  if (list.total === 0) return `${scope}目前没有流失预警会员。\n${rule}`;
  const shown = list.entries.length < list.total ? `，按历史消费排序显示前 ${list.entries.length} 位` : '，按历史消费排序';
  return [
    `流失预警名单（${scope}共 ${list.total} 位${shown}）：`,
    ...list.entries.map(
      (e, i) => `${i + 1}. ${e.name} ${e.memberNo} ${e.phone} · ${e.daysSinceLastOrder} 天未消费（平时约 ${e.usualGapDays} 天一次）· 累计 ${formatYuan(e.totalSpend)}`,
    ),
    rule,
  ].join('\n');
}

const LEVEL = { high: '高', medium: '中', low: '低' } as const;

/** The model list: risk and the reasons per member, then how the ranking was made. */
function renderModelChurn(list: ChurnList, scope: string): string {
  const how = `排序：流失风险（BG/NBD 模型预测的未来 90 天不再消费概率，结合 30/60/90 天未消费、平时消费间隔、消费下降、投诉等规则）从高到低，同等风险按累计消费；评分时间 ${list.scoredAt ? formatDate(list.scoredAt) : '—'}。`;
  if (list.total === 0) return `${scope}目前没有高流失风险的会员。\n${how}`;
  const shown = list.entries.length < list.total ? `，显示前 ${list.entries.length} 位` : '';
  return [
    `流失预警名单（${scope}共 ${list.total} 位${shown}）：`,
    ...list.entries.map(
      (e, i) =>
        `${i + 1}. ${e.name} ${e.memberNo} ${e.phone} · 风险 ${LEVEL[e.level ?? 'high']} ${Math.round((e.risk ?? 0) * 100)}% · 累计 ${formatYuan(e.totalSpend)}\n   ${(e.reasons ?? []).join('；') || `${e.daysSinceLastOrder} 天未消费`}`,
    ),
    how,
  ].join('\n');
}
