import { can, daysBetween, notFound, requirePermission, type StaffAccess } from '../kernel/index.ts';
import { maskEmail } from './member-input.ts';
import { auditMemberRead } from './audit-read.ts';
import type { MemberBrief, MemberSearch } from './find.ts';
import type { MemberRef } from './ref.ts';
import type { ExtraColumns } from './rows.ts';
import { briefOf, resolveMember, resolveMemberWith } from './resolve.ts';
import { readSummaries, summaryExtra, type SummaryFacts } from './summary-query.ts';

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
 * for one member in the actor's store scope. By a unique key (a whole phone, a member number) the
 * member and its card are one statement (summary-query.ts); by a name, a phone's last digits or an
 * e-mail the scoped search comes first (it may find several), then the card by id. The audit row
 * goes with the turn's finish (kernel writeAtFinish). Totals are summed by the database
 * (DECIMAL), never in JS.
 */
export async function memberSummary(access: StaffAccess, ref: MemberRef, recent = 5): Promise<SummaryResult> {
  requirePermission(access.actor, 'member.read');
  const extra = summaryExtra(access.services, recent);
  const withCard = await resolveMemberWith(access, ref, extra);
  if (withCard) {
    const { resolved, raw } = withCard;
    await auditMemberRead(access, 'member.summary', resolved.search);
    return resolved.kind === 'one' ? { kind: 'one', summary: card(access, resolved.member, extra.read(raw)) } : { kind: resolved.kind, search: resolved.search };
  }
  const resolved = await resolveMember(access, ref);
  if (resolved.kind !== 'one') {
    await auditMemberRead(access, 'member.summary', resolved.search);
    return { kind: resolved.kind, search: resolved.search };
  }
  const [, [one]] = await Promise.all([auditMemberRead(access, 'member.summary', resolved.search), readSummaries(access.services, access.actor, 'm.id = ?', [resolved.member.id], 1, recent)]);
  // Only when the member was deleted between resolving and reading.
  if (!one) throw notFound('member_not_found', `member ${resolved.member.id} no longer exists`);
  return { kind: 'one', summary: card(access, resolved.member, one.facts) };
}

/**
 * The member card of the member with this id (the API's 360 view), null when the actor may not
 * see it (the caller audits the probe and answers 404). One statement, the scoped read by
 * primary key; the audit row is the one of a search by member number, the member as target.
 * `also`: another context's columns correlated to the member row (alias m), read in the same
 * statement (the view's WeCom part: one trip through the pool a view, not two) and returned as
 * `also` — only for a member the actor may see.
 */
export async function memberSummaryById<T = never>(access: StaffAccess, memberId: number, recent = 5, also?: ExtraColumns & { read(raw: Record<string, unknown>): T }): Promise<(MemberSummary & { also?: T }) | null> {
  requirePermission(access.actor, 'member.read');
  // A prepared statement: the same text on every view (docs/benchmarks.md, bench:http session 21).
  const [one] = await readSummaries(access.services, access.actor, 'm.id = ?', [memberId], 1, recent, also, { prepared: true });
  if (!one) return null;
  const member = briefOf(one.row);
  await auditMemberRead(access, 'member.summary', { by: 'memberNo', query: member.memberNo, valid: true, total: 1, members: [member] });
  const summary = card(access, member, one.facts);
  return also ? { ...summary, also: also.read(one.raw) } : summary;
}

function card(access: StaffAccess, member: MemberBrief, facts: SummaryFacts): MemberSummary {
  const { profile, lastOrderAt, ...rest } = facts;
  return {
    ...rest,
    member: { ...member, ...profile, email: profile.email && !can(access.actor, 'member.phone.view') ? maskEmail(profile.email) : profile.email },
    lastOrderAt,
    daysSinceLastOrder: lastOrderAt ? daysBetween(lastOrderAt, access.services.now()) : null,
  };
}
