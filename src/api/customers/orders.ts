import type { StaffAccess } from '../../crm/access.ts';
import { requirePermission } from '../../crm/access.ts';
import { audit } from '../../crm/audit.ts';
import { visibleMemberOr404 } from './visible.ts';

export interface OrderRow {
  id: number;
  orderNo: string;
  amount: string;
  items: unknown;
  paymentMethod: string;
  paidAt: Date;
  store: { id: number; name: string };
}

/**
 * A member's orders, newest first (paid_at, then id), one page; part of the 360 view, so the
 * read is audited like member.summary. Uses the (member_id, paid_at) index.
 */
export async function customerOrders(access: StaffAccess, memberId: number, page: { skip: number; take: number }): Promise<{ total: number; rows: OrderRow[] }> {
  requirePermission(access.actor, 'member.read');
  await visibleMemberOr404(access, memberId, 'member.orders');
  const { db } = access.services;
  const [total, orders] = await Promise.all([
    db.order.count({ where: { memberId } }),
    db.order.findMany({
      where: { memberId },
      orderBy: [{ paidAt: 'desc' }, { id: 'desc' }],
      skip: page.skip,
      take: page.take,
      select: { id: true, orderNo: true, amount: true, items: true, paymentMethod: true, paidAt: true, store: { select: { id: true, name: true } } },
    }),
  ]);
  await audit(access.services, {
    actor: access.actor,
    action: 'member.orders',
    targetType: 'member',
    targetId: String(memberId),
    channel: access.channel,
    requestId: access.requestId,
    detail: { ...page, total },
  });
  return { total, rows: orders.map((o) => ({ ...o, amount: o.amount.toFixed(2) })) };
}
