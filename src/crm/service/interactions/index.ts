/**
 * Interactions (CRM03): log (a complaint also opens a ticket), list per member, follow-ups due.
 * Used by chat intents (interaction.log, member.interactions) and the admin API.
 */
export { logInteraction, logInteractionSchema, type LogInteractionInput } from './log.ts';
export { listInteractions, pendingFollowUps, completeFollowUp } from './list.ts';
export { INTERACTION_TYPE_LABEL, INTERACTION_CHANNEL_LABEL, type InteractionType, type InteractionChannel, type InteractionView } from './types.ts';
