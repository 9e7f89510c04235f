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
  /** The configured name of the member's level (membership_levels), e.g. 金卡会员. */
  levelName: string | null;
  /** Tickets not yet resolved, newest first. */
  openTickets: { ticketNo: string; type: string; priority: string; status: string; title: string; createdAt: Date; overdue: boolean }[];
  /** Complaints (interactions of type complaint) of the last 90 days, newest first. */
  recentComplaints: { content: string; createdAt: Date; ticketNo: string | null }[];
  /** Recent interactions of any type. */
  recentInteractions: { type: string; channel: string; content: string; createdAt: Date }[];
  /** Follow-ups due and not done. */
  pendingFollowUps: number;
  /** KOC contribution, null when the member is not a KOC. */
  koc: { level: number; referrals: number; redemptions: number; earnings: string } | null;
}

const COMPLAINT_WINDOW_DAYS = 90;

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
  const now = access.services.now();
  const [profile, totals, orders, tags, more] = await Promise.all([
    db.member.findUniqueOrThrow({ where: { id }, select: { gender: true, birthday: true, growthValue: true, registeredAt: true, sourceChannel: true } }),
    db.order.aggregate({ where: { memberId: id }, _sum: { amount: true }, _count: { _all: true }, _max: { paidAt: true } }),
    db.order.findMany({
      where: { memberId: id },
      orderBy: [{ paidAt: 'desc' }, { id: 'desc' }],
      take: recent,
      select: { orderNo: true, paidAt: true, amount: true, store: { select: { name: true } } },
    }),
    db.memberTag.findMany({ where: { memberId: id }, orderBy: { createdAt: 'asc' }, select: { source: true, tag: { select: { name: true, category: true } } } }),
    service360(access, id, resolved.member.level, now),
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
      ...more,
    },
  };
}

/** The service side of the 360 view: level name, open tickets, complaints, interactions, follow-ups, KOC. */
async function service360(access: StaffAccess, id: number, level: number, now: Date) {
  const { db } = access.services;
  const [lvl, tickets, complaints, interactions, pendingFollowUps, koc] = await Promise.all([
    db.membershipLevel.findUnique({ where: { level }, select: { name: true } }),
    db.ticket.findMany({
      where: { memberId: id, status: { in: ['open', 'in_progress'] } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: 5,
      select: { ticketNo: true, type: true, priority: true, status: true, title: true, createdAt: true, resolveDueAt: true },
    }),
    db.interaction.findMany({
      where: { memberId: id, type: 'complaint', createdAt: { gte: new Date(now.getTime() - COMPLAINT_WINDOW_DAYS * 86_400_000) } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: 3,
      select: { content: true, createdAt: true, ticket: { select: { ticketNo: true } } },
    }),
    db.interaction.findMany({ where: { memberId: id }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 3, select: { type: true, channel: true, content: true, createdAt: true } }),
    db.interaction.count({ where: { memberId: id, followUpAt: { not: null, lte: now }, followUpDoneAt: null } }),
    db.kocProfile.findUnique({ where: { memberId: id }, select: { level: true } }),
  ]);
  let kocView: MemberSummary['koc'] = null;
  if (koc) {
    const [agg, redemptions] = await Promise.all([
      db.kocReferral.aggregate({ where: { kocMemberId: id }, _count: { _all: true }, _sum: { commission: true } }),
      db.kocReferral.count({ where: { kocMemberId: id, redeemedAt: { not: null } } }),
    ]);
    kocView = { level: koc.level, referrals: agg._count._all, redemptions, earnings: agg._sum.commission?.toFixed(2) ?? '0.00' };
  }
  return {
    levelName: lvl?.name ?? null,
    openTickets: tickets.map(({ resolveDueAt, ...t }) => ({ ...t, overdue: resolveDueAt < now })),
    recentComplaints: complaints.map((c) => ({ content: c.content, createdAt: c.createdAt, ticketNo: c.ticket?.ticketNo ?? null })),
    recentInteractions: interactions,
    pendingFollowUps,
    koc: kocView,
  };
}
