/**
 * Service: interactions (calls, visits, complaints, follow-ups), tickets with their SLA on business
 * hours and their auto-assignment (settings under crm_settings `service.*`, through the kernel),
 * and a member's hand-off to a human.
 * Owns: interactions, tickets.
 * Other contexts and the edge import this file only (docs/architecture.md).
 */
export { handOff, HANDOFF_JOIN_WINDOW_MS } from './handoff.ts';
export { eraseServiceText, moveServiceRecords } from './member-moves.ts';
export { completeFollowUp, listInteractions, logInteraction, pendingFollowUps } from './interactions/index.ts';
export { interactionsForTimeline, type TimelineInteraction } from './interactions/timeline.ts';
export { INTERACTION_CHANNEL_LABEL, INTERACTION_TYPE_LABEL, type InteractionChannel, type InteractionType, type InteractionView } from './interactions/types.ts';
export { ticketNoFor } from './tickets/create.ts';
export { assignTicket, assignWaitingTickets, changeTicketStatus, createTicket, escalateOverdueTickets, escalateTicket, getTicket, listTickets, rateTicket, ticketNosEndingIn } from './tickets/index.ts';
export { PRIORITY_LABEL, STATUS_LABEL, TYPE_LABEL, slaDue, type TicketPriority, type TicketStatus, type TicketType } from './tickets/sla.ts';
export { type TicketView } from './tickets/types.ts';
export { addBusinessMinutes, ALWAYS_OPEN, businessHoursSchema, WEEKDAYS, type BusinessHours, type BusinessHoursInput } from './settings/business-hours.ts';
export { listBusinessHours, setChainHours, setStoreHours, storeBusinessHours, type StoreHoursView } from './settings/hours-settings.ts';
export { DEFAULT_SLA_POLICY, getSlaPolicy, readSlaPolicy, setSlaPolicy, slaPolicySchema, type SlaPolicy } from './settings/sla-policy.ts';
export { assignmentConfigSchema, DEFAULT_ASSIGNMENT, getAssignmentConfig, readAssignmentConfig, setAssignmentConfig, type AssignmentConfig, type AssignmentConfigInput } from './settings/assignment-config.ts';
