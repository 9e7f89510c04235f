import { t, type Lang } from '../../i18n/index.ts';

/**
 * The churn model stores its reasons as Chinese sentences (src/crm/insights/churn/assess.ts,
 * saved with each score); an English answer reads them back into the catalogue's wording by
 * their shape. A sentence of an unknown shape is shown as stored.
 */
const SHAPES: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^注册 (\d+) 天仍未消费$/, (m) => t('en', 'insights.reason.never_ordered', { days: m[1] })],
  [/^(\d+) 天未消费，平时约 (\d+) 天一次$/, (m) => t('en', 'insights.reason.overdue', { days: m[1], gap: m[2] })],
  [/^仅消费过 1 次，已 (\d+) 天未再来$/, (m) => t('en', 'insights.reason.one_time', { days: m[1] })],
  [/^(\d+) 天未消费$/, (m) => t('en', 'insights.reason.silent', { days: m[1] })],
  [/^近 90 天消费 (\S+)，比前 90 天 (\S+) 下降 (\d+)%$/, (m) => t('en', 'insights.reason.declining', { recent: m[1], before: m[2], drop: m[3] })],
  [/^60 天内 (\d+) 次投诉$/, (m) => t('en', 'insights.reason.complaints', { count: Number(m[1]) })],
  [/^模型预计未来 90 天消费 ([\d.]+) 次（不再消费的概率 (\d+)%）$/, (m) => t('en', 'insights.reason.model', { expected: m[1], p: m[2] })],
];

export function churnReason(text: string, lang: Lang): string {
  if (lang === 'zh') return text;
  for (const [re, to] of SHAPES) {
    const m = re.exec(text);
    if (m) return to(m);
  }
  return text;
}
