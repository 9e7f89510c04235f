import { audit, isAppError, type StaffAccess } from '../../crm/kernel/index.ts';
import { memberInScope } from '../../crm/customers/index.ts';

/**
 * The member behind `/customers/{id}` if the actor may see it (the CRM's memberInScope), else
 * its 404 member_not_found — the same for "no such id" and "another store's member", so the
 * API leaks nothing — after an audit row of the probe, as the chat lookups audit misses.
 */
export async function visibleMemberOr404(access: StaffAccess, id: number, action: string): Promise<{ id: number; memberNo: string }> {
  try {
    return await memberInScope(access.services, access.actor, id);
  } catch (e) {
    if (isAppError(e) && e.status === 404) {
      await audit(access.services, {
        actor: access.actor,
        action,
        targetType: 'member_search',
        targetId: `id:${id}`,
        channel: access.channel,
        requestId: access.requestId,
        detail: { by: 'id', total: 0, memberIds: [] },
      });
    }
    throw e;
  }
}
