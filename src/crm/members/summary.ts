import type { StaffAccess } from '../access.ts';
import { requirePermission } from '../access.ts';
import { daysBetween } from '../dates.ts';
import { auditMemberRead } from './audit-read.ts';
import type { MemberBrief, MemberSearch } from './find.ts';
import type { MemberRef } from './ref.ts';
import { resolveMember } from './resolve.ts';

export interface MemberSummary {
  member: MemberBrief & {
    gender: 'male' | 'female' | 'unknown';
    birthday: Date | null;
    growthValue: number;
    registeredAt: Date;
    sourceChannel: string;
  };
  orderCount: number;
  /** SUM(amount) as the database computed it: a decimal string such as "1234.50". */
  totalSpend: string;
  lastOrderAt: Date | null;
  /** Whole days from the last order to now (the injected clock); null with no orders. */
  daysSinceLastOrder: number | null;
  recentOrders: { orderNo: string; paidAt: Date; amount: string; store: string }[];
  tags: { name: string; category: string; source: string }[];
}

export type SummaryResult = { kind: 'one'; summary: MemberSummary } | { kind: 'none' | 'many'; search: MemberSearch };

/**
 * The member card (member.summary): profile, spend, rhythm, last orders, tags, for one member
 * in the actor's store scope. Totals are summed by the database (DECIMAL), never in JS.
 */
export async function memberSummary(access: StaffAccess, ref: MemberRef, recent = 5): Promise<SummaryResult> {
  requirePermission(access.actor, 'member.read');
  const resolved = await resolveMember(access, ref);
  await auditMemberRead(access, 'member.summary', resolved.search);
  if (resolved.kind !== 'one') return { kind: resolved.kind, search: resolved.search };

  const { db } = access.services;
  const id = resolved.member.id;
  const [profile, totals, orders, tags] = await Promise.all([
    db.member.findUniqueOrThrow({ where: { id }, select: { gender: true, birthday: true, growthValue: true, registeredAt: true, sourceChannel: true } }),
    db.order.aggregate({ where: { memberId: id }, _sum: { amount: true }, _count: { _all: true }, _max: { paidAt: true } }),
    db.order.findMany({
      where: { memberId: id },
      orderBy: [{ paidAt: 'desc' }, { id: 'desc' }],
      take: recent,
      select: { orderNo: true, paidAt: true, amount: true, store: { select: { name: true } } },
    }),
    db.memberTag.findMany({ where: { memberId: id }, orderBy: { createdAt: 'asc' }, select: { source: true, tag: { select: { name: true, category: true } } } }),
  ]);
  const lastOrderAt = totals._max.paidAt;
  return {
    kind: 'one',
    summary: {
      member: { ...resolved.member, ...profile },
      orderCount: totals._count._all,
      totalSpend: totals._sum.amount?.toFixed(2) ?? '0.00',
      lastOrderAt,
      daysSinceLastOrder: lastOrderAt ? daysBetween(lastOrderAt, access.services.now()) : null,
      recentOrders: orders.map((o) => ({ orderNo: o.orderNo, paidAt: o.paidAt, amount: o.amount.toFixed(2), store: o.store.name })),
      tags: tags.map((t) => ({ name: t.tag.name, category: t.tag.category, source: t.source })),
    },
  };
}
