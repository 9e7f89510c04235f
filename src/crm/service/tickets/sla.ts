/** Ticket priorities and their SLA (hours to first response, hours to resolution). */
export type TicketPriority = 'low' | 'normal' | 'high' | 'urgent';
export type TicketStatus = 'open' | 'in_progress' | 'resolved' | 'closed';
export type TicketType = 'repair' | 'complaint' | 'consultation' | 'after_sales';

export const SLA_HOURS: Record<TicketPriority, { respond: number; resolve: number }> = {
  urgent: { respond: 0.5, resolve: 4 },
  high: { respond: 1, resolve: 24 },
  normal: { respond: 4, resolve: 72 },
  low: { respond: 24, resolve: 168 },
};

export function slaDue(priority: TicketPriority, from: Date): { responseDueAt: Date; resolveDueAt: Date } {
  const h = SLA_HOURS[priority];
  return { responseDueAt: new Date(from.getTime() + h.respond * 3_600_000), resolveDueAt: new Date(from.getTime() + h.resolve * 3_600_000) };
}

/**
 * The state machine: open → in_progress → resolved → closed, plus reopening a resolved ticket
 * (resolved → in_progress) when the member says it is not fixed. Nothing else.
 */
export const TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  open: ['in_progress'],
  in_progress: ['resolved'],
  resolved: ['closed', 'in_progress'],
  closed: [],
};

export const STATUS_LABEL: Record<TicketStatus, string> = { open: '待处理', in_progress: '处理中', resolved: '已解决', closed: '已关闭' };
export const TYPE_LABEL: Record<TicketType, string> = { repair: '维修', complaint: '投诉', consultation: '咨询', after_sales: '售后' };
export const PRIORITY_LABEL: Record<TicketPriority, string> = { low: '低', normal: '普通', high: '高', urgent: '紧急' };
