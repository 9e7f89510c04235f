import { addBusinessMinutes, ALWAYS_OPEN, type BusinessHours } from '../settings/business-hours.ts';
import { DEFAULT_SLA_POLICY, type SlaPolicy } from '../settings/sla-policy.ts';

export type TicketPriority = 'low' | 'normal' | 'high' | 'urgent';
export type TicketStatus = 'open' | 'in_progress' | 'resolved' | 'closed';
export type TicketType = 'repair' | 'complaint' | 'consultation' | 'after_sales';

/**
 * When a ticket opened at `from` must have its first response and its resolution: the policy's
 * business minutes for the priority, counted on the store's business hours. The defaults (today's
 * hours, open round the clock) give wall-clock due times.
 */
export function slaDue(priority: TicketPriority, from: Date, policy: SlaPolicy = DEFAULT_SLA_POLICY, hours: BusinessHours = ALWAYS_OPEN): { responseDueAt: Date; resolveDueAt: Date } {
  const t = policy[priority];
  return { responseDueAt: addBusinessMinutes(from, t.respondMinutes, hours), resolveDueAt: addBusinessMinutes(from, t.resolveMinutes, hours) };
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
