import { formatDate, formatYuan } from '../../crm/kernel/index.ts';
import type { MemberOrders } from '../../crm/sales/index.ts';
import { memberLabel } from './member.ts';

const itemsText = (items: MemberOrders['orders'][number]['items']) =>
  items
    .map((i) => `${i.name ?? i.sku ?? ''}${i.qty && i.qty > 1 ? `×${i.qty}` : ''}`)
    .filter(Boolean)
    .slice(0, 3)
    .join('、');

/** Orders of one member, for staff (who) or for the member themself (no name line). */
export function renderOrders(o: MemberOrders, self = false): string {
  const window = o.days ? `最近 ${o.days} 天` : '';
  const head = self ? `你${window}` : `${memberLabel(o.member)}${window}`;
  if (o.total === 0) return `${head}没有消费记录。`;
  const lines = [`${head}共 ${o.total} 笔订单，合计 ${formatYuan(o.totalSpend)}${o.total > o.orders.length ? `，最近 ${o.orders.length} 笔` : ''}：`];
  for (const x of o.orders) {
    const items = itemsText(x.items);
    lines.push(`· ${formatDate(x.paidAt)} ${formatYuan(x.amount)} ${x.store}${items ? ` ${items}` : ''}`);
  }
  return lines.join('\n');
}
