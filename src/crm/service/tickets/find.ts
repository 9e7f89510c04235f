import { notFound, type CrmAccess } from '../../kernel/index.ts';
import type { Prisma } from '../../../db/prisma.ts';
import { visibleTickets } from './scope.ts';
import { ticketInclude } from './types.ts';

/** A ticket by id or ticket number, only when the actor may see it (404 ticket_not_found otherwise). */
export async function ticketInScope(access: CrmAccess, ref: number | string, tx?: Prisma.TransactionClient) {
  const db = tx ?? access.services.db;
  const key: Prisma.TicketWhereInput = typeof ref === 'number' ? { id: ref } : { ticketNo: ref.trim().toUpperCase() };
  const t = await db.ticket.findFirst({ where: { AND: [visibleTickets(access.actor), key] }, include: ticketInclude });
  if (!t) throw notFound('ticket_not_found', `没有找到工单 ${ref}（或不在你可查看的门店）。`);
  return t;
}
