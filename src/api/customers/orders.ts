import { notFound, type StaffAccess } from '../../crm/kernel/index.ts';
import { memberOrders } from '../../crm/sales/index.ts';
import { visibleMemberOr404 } from './visible.ts';

export interface OrderRow {
  id: number;
  orderNo: string;
  amount: string;
  items: unknown;
  paymentMethod: string;
  paidAt: Date;
  store: { id: number; name: string };
  refundedAmount: string;
  channel: string | null;
}

/**
 * One page of a member's orders, newest first (paid_at, then id): the CRM's memberOrders (scope,
 * audit) for the member behind the id, or its 404 with the probe audited.
 */
export async function customerOrders(access: StaffAccess, memberId: number, page: { skip: number; take: number }): Promise<{ total: number; rows: OrderRow[] }> {
  const member = await visibleMemberOr404(access, memberId, 'member.orders');
  const r = await memberOrders(access, { memberNo: member.memberNo }, { limit: page.take, offset: page.skip });
  if (r.kind !== 'one') throw notFound('member_not_found', `no customer ${memberId} in your scope`);
  const { total, orders } = r.orders;
  return { total, rows: orders.map(({ storeId, store, ...o }) => ({ ...o, store: { id: storeId, name: store } })) };
}
