import type { StaffAccess } from '../access.ts';
import { requirePermission } from '../access.ts';
import { auditMemberRead } from './audit-read.ts';
import type { MemberBrief, MemberSearch } from './find.ts';
import type { MemberRef } from './ref.ts';
import { resolveMember } from './resolve.ts';

export interface OrderLine {
  orderNo: string;
  paidAt: Date;
  /** Decimal string from the database ("99.90"). */
  amount: string;
  store: string;
  items: { sku?: string; name?: string; qty?: number }[];
}

export interface MemberOrders {
  member: MemberBrief;
  /** The window asked for (days back from now), null = all time. */
  days: number | null;
  total: number;
  /** SUM(amount) of the window, by the database. */
  totalSpend: string;
  orders: OrderLine[];
}

export type MemberOrdersResult = { kind: 'one'; orders: MemberOrders } | { kind: 'none' | 'many'; search: MemberSearch };

/**
 * A member's recent orders (member.orders), newest first, within the actor's store scope,
 * optionally only the last `days` days. Audited like any member read.
 */
export async function memberOrders(access: StaffAccess, ref: MemberRef, opts: { days?: number; limit?: number } = {}): Promise<MemberOrdersResult> {
  requirePermission(access.actor, 'member.read');
  const resolved = await resolveMember(access, ref);
  await auditMemberRead(access, 'member.orders', resolved.search, { days: opts.days ?? null });
  if (resolved.kind !== 'one') return { kind: resolved.kind, search: resolved.search };
  return { kind: 'one', orders: await ordersOf(access.services, resolved.member, opts) };
}

/** The orders of one already-authorized member (shared with the member's own my.orders). */
export async function ordersOf(
  services: StaffAccess['services'],
  member: MemberBrief,
  { days, limit = 5 }: { days?: number; limit?: number },
): Promise<MemberOrders> {
  const since = days ? new Date(services.now().getTime() - days * 86_400_000) : undefined;
  const where = { memberId: member.id, ...(since ? { paidAt: { gte: since, lte: services.now() } } : {}) };
  const [agg, rows] = await Promise.all([
    services.db.order.aggregate({ where, _sum: { amount: true }, _count: { _all: true } }),
    services.db.order.findMany({
      where,
      orderBy: [{ paidAt: 'desc' }, { id: 'desc' }],
      take: Math.max(1, Math.min(limit, 20)),
      select: { orderNo: true, paidAt: true, amount: true, items: true, store: { select: { name: true } } },
    }),
  ]);
  return {
    member,
    days: days ?? null,
    total: agg._count._all,
    totalSpend: agg._sum.amount?.toFixed(2) ?? '0.00',
    orders: rows.map((o) => ({
      orderNo: o.orderNo,
      paidAt: o.paidAt,
      amount: o.amount.toFixed(2),
      store: o.store.name,
      items: Array.isArray(o.items) ? (o.items as OrderLine['items']) : [],
    })),
  };
}
