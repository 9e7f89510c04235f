import { can, daysBetween, requirePermission, type StaffAccess } from '../kernel/index.ts';
import { maskEmail } from './member-input.ts';
import { auditMemberRead } from './audit-read.ts';
import type { MemberBrief, MemberSearch } from './find.ts';
import type { MemberRef } from './ref.ts';
import { resolveMember } from './resolve.ts';
import { readMemberRows } from './rows.ts';
import { readSummaryFacts } from './summary-query.ts';

export interface MemberSummary {
  member: MemberBrief & {
    gender: 'male' | 'female' | 'unknown';
    birthday: Date | null;
    growthValue: number;
    registeredAt: Date;
    sourceChannel: string;
    /** Masked (zh***@example.com) unless the role may see phones. */
    email: string | null;
    remarks: string | null;
    addresses: unknown[];
    customerNo: string | null;
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

export type SummaryResult = { kind: 'one'; summary: MemberSummary } | { kind: 'none' | 'many'; search: MemberSearch };

/**
 * The member card (member.summary): profile, spend, rhythm, last orders, tags, service records,
 * for one member in the actor's store scope. Two round trips: the scoped search, then the
 * audit row written while the one-statement 360 read runs (both must succeed for an answer).
 * Totals are summed by the database (DECIMAL), never in JS.
 */
export async function memberSummary(access: StaffAccess, ref: MemberRef, recent = 5): Promise<SummaryResult> {
  requirePermission(access.actor, 'member.read');
  const resolved = await resolveMember(access, ref);
  if (resolved.kind !== 'one') {
    await auditMemberRead(access, 'member.summary', resolved.search);
    return { kind: resolved.kind, search: resolved.search };
  }
  return { kind: 'one', summary: await summaryOf(access, resolved.member, resolved.search, recent) };
}

/**
 * The member card of the member with this id (the API's 360 view), null when the actor may not
 * see it (the caller audits the probe and answers 404). The scoped read by primary key stands in
 * for the search by member number: one statement fewer than memberInScope + memberSummary, and
 * the audit row is the same (by memberNo, the member as target).
 */
export async function memberSummaryById(access: StaffAccess, memberId: number, recent = 5): Promise<MemberSummary | null> {
  requirePermission(access.actor, 'member.read');
  const [row] = await readMemberRows(access.services, access.actor, 'm.id = ?', [memberId], 'm.id', 1);
  if (!row) return null;
  const { registeredAt: _r, sourceChannel: _s, ...brief } = row;
  const member: MemberBrief = { ...brief, homeStore: brief.homeStore?.name ?? null };
  return summaryOf(access, member, { by: 'memberNo', query: member.memberNo, valid: true, total: 1, members: [member] }, recent);
}

async function summaryOf(access: StaffAccess, member: MemberBrief, search: MemberSearch, recent: number): Promise<MemberSummary> {
  const [, facts] = await Promise.all([auditMemberRead(access, 'member.summary', search), readSummaryFacts(access.services, member.id, recent)]);
  const { profile, lastOrderAt, ...rest } = facts;
  return {
    ...rest,
    member: { ...member, ...profile, email: profile.email && !can(access.actor, 'member.phone.view') ? maskEmail(profile.email) : profile.email },
    lastOrderAt,
    daysSinceLastOrder: lastOrderAt ? daysBetween(lastOrderAt, access.services.now()) : null,
  };
}
