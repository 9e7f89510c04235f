/**
 * Service tickets (CRM05). Used by chat intents (ticket.create / ticket.update / member.tickets,
 * the member intent handoff) and the admin API. Every function enforces permission and store
 * scope itself and writes an audit row.
 */
export { createTicket, openOrJoinMemberTicket, createTicketSchema, ticketNoFor, type CreateTicketInput } from './create.ts';
export { assignTicket, changeTicketStatus, rateTicket, escalateTicket, escalateOverdueTickets } from './update.ts';
export { listTickets, getTicket, type TicketFilter } from './list.ts';
export { ticketNosEndingIn } from './by-tail.ts';
export { assignWaitingTickets } from './assign-waiting.ts';
export { TRANSITIONS, STATUS_LABEL, TYPE_LABEL, PRIORITY_LABEL, slaDue, type TicketPriority, type TicketStatus, type TicketType } from './sla.ts';
export type { TicketView } from './types.ts';
