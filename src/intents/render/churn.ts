import type { ChurnList } from '../../crm/churn/list.ts';
import { formatYuan } from '../../crm/money.ts';

/** churn.list's answer: ranked lines, then the rule in one sentence so staff know why someone is listed. */
export function renderChurn(list: ChurnList, scope: string): string {
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
