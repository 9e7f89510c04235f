import type { Actor } from '../../kernel/index.ts';
import type { Prisma } from '../../../db/prisma.ts';
import { visibleMembers } from '../../customers/index.ts';

/** Tickets an actor may see: staff those of members in their scope; a member only their own. */
export function visibleTickets(actor: Actor): Prisma.TicketWhereInput {
  return actor.kind === 'staff' ? { member: visibleMembers(actor) } : { memberId: actor.memberId };
}
