import { slotsAs } from '../../intents/router/rules.ts';
import type { IntentDef } from '../../intents/types.ts';
import type { TurnMemory } from '../memory.ts';
import type { Actor, InboundMessage, RouteResult } from '../types.ts';
import type { DialogueContext, Plan, Turn } from './context.ts';
import { shortTicketDigits, ticketBySuffix } from './ticket-ref.ts';

/** The update of a ticket: a follow-up may name its ticket by the end of its number, or not at all (ticket-ref.ts). */
const TICKET_UPDATE = 'ticket.update';

/**
 * Follow-ups of a ticket update: "满意度给5", "升级一下" right after one goes on with that ticket; "002那个升级一下" names
 * it by the end of its number. Why apart: a ticket is the one record a follow-up names by part of its number.
 */
export function ticketFollowUp({ services, getIntent, mayUse, prepare, weak }: DialogueContext) {
  /** "满意度给5", "升级一下" right after a ticket was updated: that ticket again, whatever the router made of the words. */
  async function sameTicket({ msg, memory, actor, routed, lang }: Turn): Promise<Plan | null> {
    const lastTicket = actor.kind === 'staff' && memory.previous?.intent === TICKET_UPDATE ? memory.previous.slots.ticketNo : undefined;
    const updater = getIntent(TICKET_UPDATE);
    if (typeof lastTicket === 'string' && updater && (weak(actor, routed) || routed.intent === TICKET_UPDATE) && routed.slots.ticketNo === undefined && shortTicketDigits(msg.text) === null && mayUse(actor, updater)) {
      const slots = await slotsAs(updater, msg.text, { audience: actor.kind, actor, services });
      if (slots.status !== undefined || slots.escalate !== undefined || slots.satisfaction !== undefined) return prepare(memory, actor, updater, { intent: TICKET_UPDATE, slots: { ...slots, ticketNo: lastTicket }, confidence: 1 }, msg.text, lang);
    }
    return null;
  }

  /** A ticket update naming its ticket by the end of its number ("002那个升级一下"): the whole number when one ticket fits. */
  async function withTicketNo(msg: InboundMessage, memory: TurnMemory, actor: Actor, intent: IntentDef, route: RouteResult): Promise<RouteResult> {
    if (intent.name !== TICKET_UPDATE || route.slots.ticketNo !== undefined) return route;
    const digits = shortTicketDigits(msg.text);
    const ticketNo = digits ? await ticketBySuffix(services, msg, actor, digits, memory.focus()) : null;
    return ticketNo ? { ...route, slots: { ...route.slots, ticketNo } } : route;
  }

  return { sameTicket, withTicketNo };
}
