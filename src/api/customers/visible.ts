import { audit, isAppError, type AppError, type StaffAccess } from '../../crm/kernel/index.ts';
import { memberInScope, memberNotFound } from '../../crm/customers/index.ts';

/**
 * The member behind `/customers/{id}` if the actor may see it (the CRM's memberInScope), else
 * its 404 member_not_found — the same for "no such id" and "another store's member", so the
 * API leaks nothing — after an audit row of the probe, as the chat lookups audit misses.
 */
export async function visibleMemberOr404(access: StaffAccess, id: number, action: string): Promise<{ id: number; memberNo: string }> {
  try {
    return await memberInScope(access.services, access.actor, id);
  } catch (e) {
    if (isAppError(e) && e.status === 404) await auditIdProbe(access, id, action);
    throw e;
  }
}

/** For a route that read the member in scope itself and found none: the probe's audit row, then the 404 to throw. */
export async function memberNotVisible(access: StaffAccess, id: number, action: string): Promise<AppError> {
  await auditIdProbe(access, id, action);
  return memberNotFound();
}

const auditIdProbe = (access: StaffAccess, id: number, action: string) =>
  audit(access.services, {
    actor: access.actor,
    action,
    targetType: 'member_search',
    targetId: `id:${id}`,
    channel: access.channel,
    requestId: access.requestId,
    detail: { by: 'id', total: 0, memberIds: [] },
  });
