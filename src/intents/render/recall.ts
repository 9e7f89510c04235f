import type { RecallExclusions, RecallItem } from '../../crm/automation/index.ts';
import { formatMonthDayTime } from '../../crm/kernel/index.ts';
import { t, type Lang } from '../../i18n/index.ts';

/** Who a recall left out and why, in one line ("已排除 5 位：2 位在进行中的召回里，3 位 2 天前已召回过…"); '' when nobody. */
export function renderExclusions(lang: Lang, x: RecallExclusions): string {
  if (!x.total) return '';
  const parts: string[] = [];
  if (x.running) parts.push(t(lang, 'recallControl.excluded.running', { n: x.running }));
  for (const r of x.recent) parts.push(r.daysAgo === 0 ? t(lang, 'recallControl.excluded.today', { n: r.members }) : t(lang, 'recallControl.excluded.recent', { n: r.members, days: r.daysAgo }));
  if (x.optedOut) parts.push(t(lang, 'recallControl.excluded.optedOut', { n: x.optedOut }));
  return t(lang, 'recallControl.excluded.head', { n: x.total, reasons: parts.join(lang === 'zh' ? '，' : ', '), days: x.cooldownDays });
}

/** One recall of the list: number, state, when and by whom, audience, progress. */
export function renderRecallItem(lang: Lang, r: RecallItem): string {
  const c = r.counts;
  const stopped = r.state === 'stopped' && r.stoppedAt ? t(lang, 'recallControl.stoppedBy', { name: r.stoppedBy?.name ?? '?', date: formatMonthDayTime(r.stoppedAt) }) : '';
  return t(lang, 'recallControl.item', {
    id: r.id,
    state: t(lang, `recallControl.state.${r.state}`) + stopped,
    date: formatMonthDayTime(r.launchedAt),
    by: r.launchedBy.name ?? '?',
    audience: r.audience,
    coupon: r.couponAmount ? t(lang, 'recallControl.coupon', { amount: Number(r.couponAmount).toFixed(0) }) : '',
    members: r.members,
    progress: t(lang, 'recallControl.progress', { sent: c.sent, failed: c.failed, pending: c.pending, cancelled: c.cancelled ? t(lang, 'recallControl.cancelled', { n: c.cancelled }) : '' }),
    excluded: r.excluded?.total ? t(lang, 'recallControl.excludedShort', { n: r.excluded.total }) : '',
  });
}
