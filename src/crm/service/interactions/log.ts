import { z } from 'zod';
import { audit, badRequest, recordChanges, replayKey, requirePermission, type StaffAccess } from '../../kernel/index.ts';
import { memberInScope } from '../../customers/index.ts';
import { reevaluateMemberRuleTags } from '../../engagement/index.ts';
import { insertTicket } from '../tickets/create.ts';
import { ticketRules } from '../tickets/rules.ts';
import { ticketInclude, toTicketView, type TicketView } from '../tickets/types.ts';
import { interactionInclude, toInteractionView, type InteractionView } from './types.ts';

export const logInteractionSchema = z.object({
  memberId: z.number().int().positive(),
  type: z.enum(['consultation', 'complaint', 'praise', 'activity', 'koc_promotion']),
  channel: z.enum(['call', 'visit', 'wechat', 'online', 'store']),
  content: z.string().trim().min(1).max(2000),
  outcome: z.string().trim().max(255).optional(),
  nextAction: z.string().trim().max(255).optional(),
  followUpAt: z.coerce.date().optional(),
  /** Defaults to the member's home store. */
  storeId: z.number().int().positive().optional(),
  /**
   * Open a ticket for it (a complaint ticket for complaints). Default: true for complaints,
   * false otherwise: a complaint must be tracked to resolution, not only noted.
   */
  openTicket: z.boolean().optional(),
  priority: z.enum(['low', 'normal', 'high', 'urgent']).optional(),
});
export type LogInteractionInput = z.input<typeof logInteractionSchema>;

/**
 * Logs an interaction with one member in scope (interaction.write); for a complaint it also
 * opens a complaint ticket, in the same transaction, linked from the interaction. Rule tags
 * that count interactions (e.g. "≥3 activities") are re-evaluated for the member afterwards.
 */
export async function logInteraction(access: StaffAccess, raw: LogInteractionInput): Promise<{ interaction: InteractionView; ticket: TicketView | null }> {
  requirePermission(access.actor, 'interaction.write');
  const parsed = logInteractionSchema.safeParse(raw);
  if (!parsed.success) throw badRequest('invalid_interaction', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const input = parsed.data;
  const { services, actor } = access;
  const member = await memberInScope(services, actor, input.memberId);
  const storeId = input.storeId ?? member.homeStoreId ?? actor.storeIds[0] ?? null;
  const wantTicket = input.openTicket ?? input.type === 'complaint';
  if (wantTicket) requirePermission(actor, 'ticket.write');
  const now = services.now();
  // A chat message run again after a crash between this commit and its inbox completion: its interaction (and ticket), not second ones.
  const idempotencyKey = replayKey('interaction');
  const seen = idempotencyKey ? await services.db.interaction.findUnique({ where: { idempotencyKey }, include: interactionInclude }) : null;
  if (seen) {
    const seenTicket = seen.ticketId ? await services.db.ticket.findUnique({ where: { id: seen.ticketId }, include: ticketInclude }) : null;
    return { interaction: toInteractionView(seen), ticket: seenTicket ? toTicketView(seenTicket) : null };
  }
  const rules = wantTicket ? await ticketRules(services, storeId) : null;

  const { interaction, ticket } = await services.db.$transaction(async (tx) => {
    // The one who logs it takes it (assigned to them): no auto-assignment here.
    const ticket = rules
      ? await insertTicket(tx, services, actor.wecomUserId, {
          memberId: member.id,
          storeId,
          type: input.type === 'complaint' ? 'complaint' : 'consultation',
          priority: input.priority ?? (input.type === 'complaint' ? 'high' : 'normal'),
          title: input.content.slice(0, 128),
          description: input.content,
          assigneeId: actor.staffId,
        }, rules)
      : null;
    const interaction = await tx.interaction.create({
      data: {
        memberId: member.id,
        staffId: actor.staffId,
        storeId,
        type: input.type,
        channel: input.channel,
        content: input.content,
        outcome: input.outcome ?? null,
        nextAction: input.nextAction ?? null,
        followUpAt: input.followUpAt ?? null,
        ticketId: ticket?.id ?? null,
        idempotencyKey,
        createdAt: now,
      },
      include: interactionInclude,
    });
    await recordChanges(tx, now, [{ object: 'follow_up', id: interaction.id, memberId: member.id }]);
    return { interaction, ticket };
  });
  await audit(services, {
    actor,
    action: 'interaction.log',
    targetType: 'member',
    targetId: String(member.id),
    channel: access.channel,
    requestId: access.requestId,
    detail: { interactionId: interaction.id, type: input.type, channel: input.channel, ticketNo: ticket?.ticketNo ?? null },
  });
  if (ticket) {
    await audit(services, { actor, action: 'ticket.create', targetType: 'ticket', targetId: String(ticket.id), channel: access.channel, requestId: access.requestId, detail: { ticketNo: ticket.ticketNo, memberId: member.id, type: ticket.type, priority: ticket.priority, interactionId: interaction.id } });
  }
  await reevaluateMemberRuleTags(services, member.id);
  return { interaction: toInteractionView(interaction), ticket: ticket ? toTicketView(ticket) : null };
}
