import { audit, queueOutbound, storeManagers } from '../../kernel/index.ts';
import type { Services } from '../../../services.ts';
import type { AutoAssignment } from './auto-assign.ts';
import { TYPE_LABEL } from './sla.ts';
import type { TicketView } from './types.ts';

/**
 * Who hears of a member's ticket that needs a person: the managers of its store, or, for a
 * ticket of no store (or a store without a manager), HQ operators.
 */
export async function ticketManagers(services: Services, storeId: number | null): Promise<string[]> {
  const managers = storeId ? (await storeManagers(services, storeId)).map((s) => s.wecomUserId) : [];
  if (managers.length) return managers;
  const hq = await services.db.staff.findMany({ where: { active: true, role: 'hq_operator' }, select: { wecomUserId: true }, orderBy: { id: 'asc' } });
  return hq.map((s) => s.wecomUserId);
}

/** The audit row of an automatic assignment (actor `system:auto-assign`), after its commit. */
export async function auditAutoAssignment(services: Services, ticket: TicketView, a: AutoAssignment, from: number | null, requestId: string | null): Promise<void> {
  await audit(services, {
    actor: { kind: 'system', id: 'auto-assign' },
    action: 'ticket.assign',
    targetType: 'ticket',
    targetId: String(ticket.id),
    channel: 'job',
    requestId,
    detail: { ticketNo: ticket.ticketNo, from, to: a.staffId, auto: true, tier: a.tier, openTickets: a.openTickets },
  });
}

/**
 * A complaint nobody could be given (auto-assignment found no active handler): its store's
 * managers (else HQ) are told at once through the outbound queue, once per ticket (the job id),
 * and the alert is audited so the ticket's trail shows who was told.
 */
export async function alertUnassigned(services: Services, ticket: TicketView, requestId: string | null): Promise<string[]> {
  const to = await ticketManagers(services, ticket.storeId);
  const text = [
    `【${TYPE_LABEL[ticket.type]}待指派】工单 ${ticket.ticketNo}「${ticket.title}」`,
    `会员 ${ticket.memberName}（${ticket.memberNo}）`,
    '没有可自动分配的处理人，请尽快指派并联系会员。',
  ].join('\n');
  for (const u of to) {
    await queueOutbound(services, 'ticket-unassigned-alert', { channel: 'wecom', to: u, text, ...(requestId ? { requestId } : {}) }, { jobId: `ticket-unassigned-${ticket.id}-${u}` });
  }
  await audit(services, { actor: { kind: 'system', id: 'auto-assign' }, action: 'ticket.unassigned.alert', targetType: 'ticket', targetId: String(ticket.id), channel: 'job', requestId, detail: { ticketNo: ticket.ticketNo, alerted: to } });
  return to;
}
