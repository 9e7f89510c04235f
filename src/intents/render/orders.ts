import { formatDate, formatYuan } from '../../crm/kernel/index.ts';
import type { MemberOrders } from '../../crm/sales/index.ts';
import { t, type Lang } from '../../i18n/index.ts';
import { memberLabel } from './member.ts';

const itemsText = (items: MemberOrders['orders'][number]['items'], lang: Lang) =>
  items
    .map((i) => `${i.name ?? i.sku ?? ''}${i.qty && i.qty > 1 ? `×${i.qty}` : ''}`)
    .filter(Boolean)
    .slice(0, 3)
    .join(lang === 'zh' ? '、' : ', ');

/** Orders of one member, for staff (who) or for the member themself (no name line). */
export function renderOrders(o: MemberOrders, self = false, lang: Lang = 'zh'): string {
  const window = o.days ? t(lang, 'members.orders.window', { days: o.days }) : '';
  const who = self ? '' : memberLabel(o.member, lang);
  if (o.total === 0) return self ? t(lang, 'members.orders.noneSelf', { window }) : t(lang, 'members.orders.none', { who, window });
  const more = o.total > o.orders.length ? t(lang, 'members.orders.more', { shown: o.orders.length }) : '';
  const lines = [t(lang, self ? 'members.orders.headSelf' : 'members.orders.head', { who, window, count: o.total, spend: formatYuan(o.totalSpend), more })];
  for (const x of o.orders) {
    const items = itemsText(x.items, lang);
    lines.push(`· ${formatDate(x.paidAt)} ${formatYuan(x.amount)} ${x.store}${items ? ` ${items}` : ''}`);
  }
  return lines.join('\n');
}
