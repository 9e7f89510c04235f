import { audit, badRequest, conflict, forbidden, requirePermission, type CrmAccess, type StaffAccess } from '../../kernel/index.ts';
import { requireAssignable } from './create.ts';
import { ticketInScope } from './find.ts';
import { STATUS_LABEL, TRANSITIONS, type TicketStatus } from './sla.ts';
import { ticketInclude, toTicketView, type TicketView } from './types.ts';

async function record(access: CrmAccess, action: string, ticket: TicketView, detail: Record<string, unknown>) {
  await audit(access.services, { actor: access.actor, action, targetType: 'ticket', targetId: String(ticket.id), channel: access.channel, requestId: access.requestId, detail: { ticketNo: ticket.ticketNo, ...detail } });
}

/** Assigns (or reassigns) a ticket to an active staff member. */
export async function assignTicket(access: StaffAccess, ref: number | string, assigneeId: number): Promise<TicketView> {
  requirePermission(access.actor, 'ticket.write');
  const t = await ticketInScope(access, ref);
  if (t.status === 'closed') throw conflict('ticket_closed', `工单 ${t.ticketNo} 已关闭，不能再指派。`);
  const staff = await requireAssignable(access.services, assigneeId);
  const updated = toTicketView(await access.services.db.ticket.update({ where: { id: t.id }, data: { assigneeId: staff.id, assignedAt: access.services.now(), assignedBy: access.actor.wecomUserId, updatedAt: access.services.now() }, include: ticketInclude }));
  await record(access, 'ticket.assign', updated, { from: t.assigneeId, to: staff.id });
  return updated;
}

/**
 * Moves a ticket along open → in_progress → resolved → closed (or reopens resolved →
 * in_progress), stamping first_response_at / resolved_at / closed_at. The update is conditional
 * on the status read (WHERE status = from), so two concurrent moves cannot both apply.
 */
export async function changeTicketStatus(access: StaffAccess, ref: number | string, to: TicketStatus, resolution?: string): Promise<TicketView> {
  requirePermission(access.actor, 'ticket.write');
  const { services } = access;
  const t = await ticketInScope(access, ref);
  const from = t.status as TicketStatus;
  if (from === to) return toTicketView(t);
  if (!TRANSITIONS[from].includes(to)) {
    throw conflict('invalid_transition', `工单 ${t.ticketNo} 当前「${STATUS_LABEL[from]}」，不能直接改为「${STATUS_LABEL[to]}」（顺序：待处理→处理中→已解决→已关闭）。`);
  }
  const now = services.now();
  const data =
    to === 'in_progress'
      ? { status: to, firstResponseAt: t.firstResponseAt ?? now, resolvedAt: null, ...(t.assigneeId === null ? { assigneeId: access.actor.staffId, assignedAt: now, assignedBy: access.actor.wecomUserId } : {}) }
      : to === 'resolved'
        ? { status: to, resolvedAt: now, resolution: resolution?.trim().slice(0, 1000) || t.resolution }
        : { status: to, closedAt: now };
  const { count } = await services.db.ticket.updateMany({ where: { id: t.id, status: from }, data: { ...data, updatedAt: now } });
  if (count === 0) throw conflict('ticket_changed', `工单 ${t.ticketNo} 刚被别人更新，请重新查看后再试。`);
  const updated = toTicketView(await services.db.ticket.findUniqueOrThrow({ where: { id: t.id }, include: ticketInclude }));
  await record(access, 'ticket.status', updated, { from, to });
  return updated;
}

/** The member's rating (1–5) of a resolved or closed ticket; staff may record it on the member's behalf. */
export async function rateTicket(access: CrmAccess, ref: number | string, satisfaction: number): Promise<TicketView> {
  if (!Number.isInteger(satisfaction) || satisfaction < 1 || satisfaction > 5) throw badRequest('invalid_satisfaction', '满意度须为 1–5 的整数。');
  if (access.actor.kind === 'staff') requirePermission(access.actor, 'ticket.write');
  const t = await ticketInScope(access, ref);
  if (t.status !== 'resolved' && t.status !== 'closed') throw conflict('ticket_not_resolved', `工单 ${t.ticketNo} 还没有解决，暂不能评价。`);
  const updated = toTicketView(await access.services.db.ticket.update({ where: { id: t.id }, data: { satisfaction, updatedAt: access.services.now() }, include: ticketInclude }));
  await record(access, 'ticket.rate', updated, { satisfaction });
  return updated;
}

/** Raises the escalation level by one (by hand: a manager takes it over); closed tickets can't. */
export async function escalateTicket(access: StaffAccess, ref: number | string, reason?: string): Promise<TicketView> {
  requirePermission(access.actor, 'ticket.write');
  const t = await ticketInScope(access, ref);
  if (t.status === 'closed' || t.status === 'resolved') throw conflict('ticket_not_open', `工单 ${t.ticketNo} 已${STATUS_LABEL[t.status as TicketStatus]}，无需升级。`);
  if (t.escalationLevel >= 3) throw forbidden('max_escalation', `工单 ${t.ticketNo} 已是最高升级级别。`);
  const now = access.services.now();
  const updated = toTicketView(
    await access.services.db.ticket.update({ where: { id: t.id }, data: { escalationLevel: { increment: 1 }, escalatedAt: now, priority: t.priority === 'urgent' ? 'urgent' : 'high', updatedAt: now }, include: ticketInclude }),
  );
  await record(access, 'ticket.escalate', updated, { level: updated.escalationLevel, reason: reason ?? null });
  return updated;
}

/**
 * The SLA sweep (run on a schedule): level 1 when the first response is overdue, level 2 when
 * the resolution is overdue. Only raises, so running it twice changes nothing the second time.
 */
export async function escalateOverdueTickets(services: CrmAccess['services']): Promise<{ level1: number; level2: number }> {
  const now = services.now();
  const l2 = await services.db.ticket.updateMany({
    where: { status: { in: ['open', 'in_progress'] }, resolveDueAt: { lt: now }, escalationLevel: { lt: 2 } },
    data: { escalationLevel: 2, escalatedAt: now, updatedAt: now },
  });
  const l1 = await services.db.ticket.updateMany({
    where: { status: 'open', firstResponseAt: null, responseDueAt: { lt: now }, escalationLevel: { lt: 1 } },
    data: { escalationLevel: 1, escalatedAt: now, updatedAt: now },
  });
  if (l1.count + l2.count > 0) {
    await audit(services, { actor: { kind: 'system', id: 'sla' }, action: 'ticket.escalate.sweep', targetType: 'ticket', targetId: '*', channel: 'job', detail: { level1: l1.count, level2: l2.count } });
  }
  return { level1: l1.count, level2: l2.count };
}
