import { slotsAs } from '../../intents/router/rules.ts';
import type { IntentDef } from '../../intents/types.ts';
import type { TurnMemory } from '../memory.ts';
import type { Actor, InboundMessage, RouteResult } from '../types.ts';
import type { DialogueContext, Plan, Turn } from './context.ts';
import { namesMember } from './member-refs.ts';
import { focusTicket, namedMemberTicket, shortTicketDigits, ticketBySuffix } from './ticket-ref.ts';

/** The update of a ticket: a follow-up may name its ticket by the end of its number, or not at all (ticket-ref.ts). */
const TICKET_UPDATE = 'ticket.update';
/** What an update changes (its state, an escalation, the member's score). */
const UPDATES = ['status', 'escalate', 'satisfaction'];
/** "4分", "5星", "五分", "3": a bare score. */
const BARE_FIGURE = /^(?:\d|[一二三四五])\s*(?:分|星|颗星)?[。.!！]*$/;

/**
 * Follow-ups of a ticket update: "满意度给5", "升级一下" right after one goes on with that ticket; "002那个升级一下" names
 * it by the end of its number. Why apart: a ticket is the one record a follow-up names by part of its number.
 */
export function ticketFollowUp({ services, getIntent, mayUse, prepare, weak }: DialogueContext) {
  /** "满意度给5", "升级一下" right after a ticket was updated: that ticket again, whatever the router made of the words. */
  async function sameTicket({ msg, memory, actor, routed, lang }: Turn): Promise<Plan | null> {
    const lastTicket = actor.kind === 'staff' && memory.previous?.intent === TICKET_UPDATE ? memory.previous.slots.ticketNo : undefined;
    const updater = getIntent(TICKET_UPDATE);
    // "T20261121000002" (or "是T…那张") right after "升级工单" / "帮我把工单关了" was asked for its number: the update asked
    // for, on the ticket now named — the number answers the update's own question, as a member answers 哪位会员？. Only
    // what the earlier request changed is kept, and only when the new message changes nothing of its own.
    const asked = actor.kind === 'staff' && memory.previous?.intent === TICKET_UPDATE && lastTicket === undefined ? memory.previous : null;
    if (asked && updater && routed.intent === TICKET_UPDATE && typeof routed.slots.ticketNo === 'string' && UPDATES.every((k) => routed.slots[k] === undefined) && mayUse(actor, updater)) {
      const before = Object.fromEntries(UPDATES.filter((k) => asked.slots[k] !== undefined).map((k) => [k, asked.slots[k]]));
      if (Object.keys(before).length > 0) {
        const text = `${asked.text} ${msg.text}`;
        return prepare(memory, actor, updater, { intent: TICKET_UPDATE, slots: { ...routed.slots, ...before, text }, confidence: 1 }, text, lang);
      }
    }
    // "4分" right after "T… 满意度" asked for the score: read as a member's look-up, it names no member — still the ticket's.
    const readOfNobody = getIntent(routed.intent)?.effect === 'read' && !namesMember(routed.slots);
    // "关单" right after that ticket moved: 关 is a surname, so the router looks up a member "关单" — a name that is the whole
    // message and ends in the ticket's own word (单, 工单) is the update's words, never a member.
    const nameIsTicketWord = getIntent(routed.intent)?.effect === 'read' && typeof routed.slots.name === 'string' && routed.slots.phone === undefined && routed.slots.memberNo === undefined
      && /单$/.test(routed.slots.name) && routed.slots.name === msg.text.normalize('NFKC').trim().replace(/^(?:好的?|行|那就|那|就|直接)[\s,，]*/u, '').replace(/[\s。.!！吧了]+$/u, '');
    if (typeof lastTicket === 'string' && updater && (weak(actor, routed) || routed.intent === TICKET_UPDATE || readOfNobody || nameIsTicketWord) && routed.slots.ticketNo === undefined && shortTicketDigits(msg.text) === null && mayUse(actor, updater)) {
      const ctx = { audience: actor.kind, actor, services };
      const slots = await slotsAs(updater, msg.text, ctx);
      if (slots.status !== undefined || slots.escalate !== undefined || slots.satisfaction !== undefined) return prepare(memory, actor, updater, { intent: TICKET_UPDATE, slots: { ...slots, ticketNo: lastTicket }, confidence: 1 }, msg.text, lang);
      // A bare figure answering the update's own question ("满意度" → "4分"): read after that request's words, and only
      // what it adds — never a change the previous turn already asked for (an escalation is not repeated).
      if (BARE_FIGURE.test(msg.text.normalize('NFKC').trim())) {
        const before = await slotsAs(updater, memory.previous!.text, ctx);
        const both = await slotsAs(updater, `${memory.previous!.text} ${msg.text}`, ctx);
        const added = Object.fromEntries(UPDATES.filter((k) => both[k] !== undefined && before[k] === undefined).map((k) => [k, both[k]]));
        if (Object.keys(added).length > 0) return prepare(memory, actor, updater, { intent: TICKET_UPDATE, slots: { ...added, ticketNo: lastTicket }, confidence: 1 }, `${memory.previous!.text} ${msg.text}`, lang);
      }
    }
    return null;
  }

  /** A ticket update naming its ticket by the end of its number ("002那个升级一下") or by its member ("她那个工单"): the whole number when one ticket fits. */
  async function withTicketNo(msg: InboundMessage, memory: TurnMemory, actor: Actor, intent: IntentDef, route: RouteResult): Promise<RouteResult> {
    if (intent.name !== TICKET_UPDATE || route.slots.ticketNo !== undefined) return route;
    const digits = shortTicketDigits(msg.text);
    // No digits: "她那个工单改成处理中" — the member in focus's only ticket.
    // Or "李娜那张改成处理中": the only open ticket of the member named.
    const ticketNo = digits
      ? await ticketBySuffix(services, msg, actor, digits, memory.focus())
      : ((await focusTicket(services, msg, actor, memory.focus(), `${memory.previous?.text ?? ''} ${msg.text}`)) ?? (await namedMemberTicket(services, msg, actor)));
    return ticketNo ? { ...route, slots: { ...route.slots, ticketNo } } : route;
  }

  return { sameTicket, withTicketNo };
}
