import type { StaffAccess } from '../../crm/access.ts';
import { audit } from '../../crm/audit.ts';
import { visibleMembers } from '../../crm/members/scope.ts';
import { notFound } from '../../errors.ts';

/**
 * The member behind `/customers/{id}` if the actor may see it; otherwise a 404 — the same
 * answer for "no such id" and "another store's member", so the API leaks nothing — after an
 * audit row of the probe (the chat lookups audit misses too).
 */
export async function visibleMemberOr404(access: StaffAccess, id: number, action: string): Promise<{ id: number; memberNo: string }> {
  const member = await access.services.db.member.findFirst({ where: { AND: [visibleMembers(access.actor), { id }] }, select: { id: true, memberNo: true } });
  if (member) return member;
  await audit(access.services, {
    actor: access.actor,
    action,
    targetType: 'member_search',
    targetId: `id:${id}`,
    channel: access.channel,
    requestId: access.requestId,
    detail: { by: 'id', total: 0, memberIds: [] },
  });
  throw customerNotFound(id);
}

export const customerNotFound = (id: number) => notFound('customer_not_found', `no customer ${id} in your scope`);
