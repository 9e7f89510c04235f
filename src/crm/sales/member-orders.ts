import { requirePermission, type StaffAccess } from '../kernel/index.ts';
import { auditMemberRead, resolveMember, type MemberBrief, type MemberRef, type MemberSearch } from '../customers/index.ts';

export interface OrderLine {
  id: number;
  orderNo: string;
  paidAt: Date;
  /** Decimal string from the database ("99.90"). */
  amount: string;
  store: string;
  storeId: number;
  paymentMethod: string;
  items: { sku?: string; name?: string; qty?: number }[];
  /** Refunded so far, decimal string ("0.00" when none). */
  refundedAmount: string;
  /** dine-in, takeaway, mini-program … (null for orders from before the API). */
  channel: string | null;
}

export interface MemberOrders {
  member: MemberBrief;
  /** The window asked for (days back from now), null = all time. */
  days: number | null;
  /** Orders in the window (all pages). */
  total: number;
  /** How many newer orders of the window were skipped (paging). */
  offset: number;
  /** SUM(amount) of the window, by the database. */
  totalSpend: string;
  orders: OrderLine[];
}

export type MemberOrdersResult = { kind: 'one'; orders: MemberOrders } | { kind: 'none' | 'many'; search: MemberSearch };

export interface OrdersWindow {
  /** Only orders of the last N days (none: all time). */
  days?: number;
  /** Page size, 1–100 (default 5: what fits in a chat answer). */
  limit?: number;
  /** Newer orders to skip, for the following pages (default 0). */
  offset?: number;
}

/**
 * A member's orders (member.orders and the API's /customers/{id}/orders), newest first, within
 * the actor's store scope, optionally only the last `days` days, one page. Audited like any
 * member read.
 */
export async function memberOrders(access: StaffAccess, ref: MemberRef, opts: OrdersWindow = {}): Promise<MemberOrdersResult> {
  requirePermission(access.actor, 'member.read');
  const resolved = await resolveMember(access, ref);
  await auditMemberRead(access, 'member.orders', resolved.search, { days: opts.days ?? null, limit: opts.limit ?? null, offset: opts.offset ?? 0 });
  if (resolved.kind !== 'one') return { kind: resolved.kind, search: resolved.search };
  return { kind: 'one', orders: await ordersOf(access.services, resolved.member, opts) };
}

/** The orders of one already-authorized member (shared with the member's own my.orders). */
export async function ordersOf(
  services: StaffAccess['services'],
  member: MemberBrief,
  { days, limit = 5, offset = 0 }: OrdersWindow,
): Promise<MemberOrders> {
  const since = days ? new Date(services.now().getTime() - days * 86_400_000) : undefined;
  const where = { memberId: member.id, ...(since ? { paidAt: { gte: since, lte: services.now() } } : {}) };
  const [agg, rows] = await Promise.all([
    services.db.order.aggregate({ where, _sum: { amount: true }, _count: { _all: true } }),
    services.db.order.findMany({
      where,
      orderBy: [{ paidAt: 'desc' }, { id: 'desc' }],
      skip: Math.max(0, offset),
      take: Math.max(1, Math.min(limit, 100)),
      select: { id: true, orderNo: true, paidAt: true, amount: true, items: true, paymentMethod: true, storeId: true, refundedAmount: true, channel: true, store: { select: { name: true } } },
    }),
  ]);
  return {
    member,
    days: days ?? null,
    total: agg._count._all,
    offset: Math.max(0, offset),
    totalSpend: agg._sum.amount?.toFixed(2) ?? '0.00',
    orders: rows.map((o) => ({
      id: o.id,
      orderNo: o.orderNo,
      paidAt: o.paidAt,
      amount: o.amount.toFixed(2),
      store: o.store.name,
      storeId: o.storeId,
      paymentMethod: o.paymentMethod,
      items: Array.isArray(o.items) ? (o.items as OrderLine['items']) : [],
      refundedAmount: o.refundedAmount.toFixed(2),
      channel: o.channel,
    })),
  };
}
