/**
 * Service: interactions (calls, visits, complaints, follow-ups), tickets with their SLA, and a
 * member's hand-off to a human.
 * Owns: interactions, tickets.
 * Other contexts and the edge import this file only (docs/architecture.md).
 */
export { handOff, HANDOFF_JOIN_WINDOW_MS } from './handoff.ts';
export { eraseServiceText, moveServiceRecords } from './member-moves.ts';
export { completeFollowUp, listInteractions, logInteraction, pendingFollowUps } from './interactions/index.ts';
export { INTERACTION_CHANNEL_LABEL, INTERACTION_TYPE_LABEL, type InteractionChannel, type InteractionType, type InteractionView } from './interactions/types.ts';
export { ticketNoFor } from './tickets/create.ts';
export { assignTicket, changeTicketStatus, createTicket, escalateOverdueTickets, escalateTicket, getTicket, listTickets, rateTicket } from './tickets/index.ts';
export { PRIORITY_LABEL, STATUS_LABEL, TYPE_LABEL, slaDue, type TicketPriority, type TicketStatus, type TicketType } from './tickets/sla.ts';
export { type TicketView } from './tickets/types.ts';
