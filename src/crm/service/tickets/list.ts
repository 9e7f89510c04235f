import type { Prisma } from '../../../db/prisma.ts';
import { audit, requirePermission, type CrmAccess } from '../../kernel/index.ts';
import { memberInScope } from '../../customers/index.ts';
import { ticketInScope } from './find.ts';
import { visibleTickets } from './scope.ts';
import type { TicketPriority, TicketStatus } from './sla.ts';
import { ticketInclude, toTicketView, type TicketView } from './types.ts';

export interface TicketFilter {
  memberId?: number;
  status?: TicketStatus | TicketStatus[];
  assigneeId?: number;
  priority?: TicketPriority;
  /** Only tickets past their resolve due time and not yet resolved. */
  overdue?: boolean;
  /** Only unresolved tickets whose resolve due time is before this (overdue ones included). */
  dueBefore?: Date;
  /** 'newest' (default) or 'due': the earliest resolve due time first (a to-do list). */
  order?: 'newest' | 'due';
  limit?: number;
  offset?: number;
}

/**
 * Tickets the actor may see, newest first, with the total for paging. Listing one member's
 * tickets is a read of that member: audited.
 */
export async function listTickets(access: CrmAccess, filter: TicketFilter = {}): Promise<{ total: number; tickets: TicketView[] }> {
  const { services, actor } = access;
  if (actor.kind === 'staff') {
    requirePermission(actor, 'member.read');
    if (filter.memberId !== undefined) await memberInScope(services, actor, filter.memberId);
  }
  const where: Prisma.TicketWhereInput = {
    AND: [
      visibleTickets(actor),
      filter.memberId !== undefined ? { memberId: filter.memberId } : {},
      filter.status ? { status: { in: Array.isArray(filter.status) ? filter.status : [filter.status] } } : {},
      filter.assigneeId !== undefined ? { assigneeId: filter.assigneeId } : {},
      filter.priority ? { priority: filter.priority } : {},
      filter.overdue ? { status: { in: ['open', 'in_progress'] }, resolveDueAt: { lt: services.now() } } : {},
      filter.dueBefore ? { status: { in: ['open', 'in_progress'] }, resolveDueAt: { lt: filter.dueBefore } } : {},
    ],
  };
  const take = Math.min(Math.max(filter.limit ?? 20, 1), 200);
  const [total, rows] = await Promise.all([
    services.db.ticket.count({ where }),
    services.db.ticket.findMany({ where, include: ticketInclude, orderBy: filter.order === 'due' ? [{ resolveDueAt: 'asc' }, { id: 'asc' }] : [{ createdAt: 'desc' }, { id: 'desc' }], take, skip: filter.offset ?? 0 }),
  ]);
  if (filter.memberId !== undefined) {
    await audit(services, { actor, action: 'ticket.list', targetType: 'member', targetId: String(filter.memberId), channel: access.channel, requestId: access.requestId, detail: { total } });
  }
  return { total, tickets: rows.map(toTicketView) };
}

/** One ticket by id or number (404 outside the actor's scope). */
export async function getTicket(access: CrmAccess, ref: number | string): Promise<TicketView> {
  if (access.actor.kind === 'staff') requirePermission(access.actor, 'member.read');
  return toTicketView(await ticketInScope(access, ref));
}
