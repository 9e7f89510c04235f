import type { ChurnList } from '../../crm/insights/index.ts';
import { formatDate, formatYuan } from '../../crm/kernel/index.ts';
import { t, type Lang } from '../../i18n/index.ts';
import { churnReason } from './churn-reasons.ts';
import { chinaStamp } from './insights.ts';

/** churn.list's answer: ranked lines, then the rule in one sentence so staff know why someone is listed. */
export function renderChurn(list: ChurnList, scope: string, lang: Lang = 'zh'): string {
  if (list.source === 'model') return renderModelChurn(list, scope, lang);
  const rule = t(lang, 'insights.churn.rule', { minDays: list.rule.minDays, gapFactor: list.rule.gapFactor });
  if (list.total === 0) return t(lang, 'insights.churn.none', { scope, rule });
  const shown = list.entries.length < list.total ? t(lang, 'insights.churn.bySpendFirst', { shown: list.entries.length }) : t(lang, 'insights.churn.bySpend');
  return [
    t(lang, 'insights.churn.head', { scope, count: list.total, shown }),
    ...list.entries.map((e, i) => t(lang, 'insights.churn.line', { i: i + 1, name: e.name, memberNo: e.memberNo, phone: e.phone, days: e.daysSinceLastOrder, gap: e.usualGapDays, spend: formatYuan(e.totalSpend) })),
    rule,
  ].join('\n');
}

/** The model list: risk and the reasons per member, then how the ranking was made. */
function renderModelChurn(list: ChurnList, scope: string, lang: Lang): string {
  const how = t(lang, 'insights.churn.how', { at: list.scoredAt ? chinaStamp(list.scoredAt) : '—' });
  if (list.total === 0) return t(lang, 'insights.churn.noneHigh', { scope, how });
  const shown = list.entries.length < list.total ? t(lang, 'insights.churn.first', { shown: list.entries.length }) : '';
  return [
    t(lang, 'insights.churn.head', { scope, count: list.total, shown }),
    ...list.entries.map((e, i) =>
      t(lang, 'insights.churn.modelLine', {
        i: i + 1,
        name: e.name,
        memberNo: e.memberNo,
        phone: e.phone,
        level: t(lang, `insights.level.${e.level ?? 'high'}`),
        risk: Math.round((e.risk ?? 0) * 100),
        spend: formatYuan(e.totalSpend),
        reasons: (e.reasons ?? []).map((r) => churnReason(r, lang)).join(t(lang, 'insights.churn.reasonSep')) || t(lang, 'insights.churn.silentDays', { days: e.daysSinceLastOrder }),
      }),
    ),
    how,
  ].join('\n');
}
