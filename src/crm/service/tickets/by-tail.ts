import { requirePermission, type CrmAccess } from '../../kernel/index.ts';
import { visibleTickets } from './scope.ts';

/**
 * The numbers of the tickets the actor may see that end in `digits` — a ticket said by the end of its
 * number in chat ("002那个升级一下" under a member's ticket list) — newest first, at most `limit`; only
 * those of `memberId` when given. Numbers only: nothing of a member is shown, so nothing is audited (the
 * update that follows is, as always).
 */
export async function ticketNosEndingIn(access: CrmAccess, digits: string, memberId?: number, limit = 2): Promise<string[]> {
  const { services, actor } = access;
  if (actor.kind === 'staff') requirePermission(actor, 'member.read');
  const rows = await services.db.ticket.findMany({
    where: { AND: [visibleTickets(actor), memberId !== undefined ? { memberId } : {}, { ticketNo: { endsWith: digits } }] },
    select: { ticketNo: true },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit,
  });
  return rows.map((r) => r.ticketNo);
}
