import { searchMembers } from '../../crm/customers/index.ts';
import { listTickets, ticketNosEndingIn } from '../../crm/service/index.ts';
import { hanName } from '../../intents/router/names.ts';
import type { Services } from '../../services.ts';
import type { Focus } from '../conversation.ts';
import type { Actor, InboundMessage } from '../types.ts';

/**
 * A ticket named in a follow-up without its whole number: by the end of it ("002那个升级一下", "0001这个已经解决了",
 * "工单12", "ticket 0012 done") after the member's tickets were shown, or not at all ("满意度给5" right after that
 * ticket was updated). Resolved to the full number only when exactly one ticket fits — the member in focus's, else
 * any the sender may see; otherwise the update asks for the number as before.
 */

/** The end of a ticket number: 2–6 digits alone (no whole T… number, no phone), not a figure with a unit. */
const SHORT_NO = /(?<![\dA-Za-z])(\d{2,6})(?!\d)(?!\s*(?:分|积分|元|块|天|个月|月|日|号楼|级|%|人|位|条|笔|次|points?|pts|yuan|days?))/giu;
const WHOLE_NO = /(?<![A-Za-z0-9])T\d{14,}(?!\d)/i;

export function shortTicketDigits(text: string): string | null {
  const t = text.normalize('NFKC');
  if (WHOLE_NO.test(t)) return null;
  const runs = [...t.matchAll(SHORT_NO)].map((m) => m[1]!);
  return runs.length === 1 ? runs[0]! : null;
}

/** The whole number of the one ticket ending in the digits said (the focus member's first), or null. */
export async function ticketBySuffix(services: Services, msg: InboundMessage, actor: Actor, digits: string, focus: Focus | null): Promise<string | null> {
  if (actor.kind !== 'staff') return null;
  const access = { services, actor, channel: msg.channel, requestId: msg.requestId };
  const theirs = focus ? await ticketNosEndingIn(access, digits, focus.memberId) : [];
  const nos = theirs.length ? theirs : await ticketNosEndingIn(access, digits);
  return nos.length === 1 ? nos[0]! : null;
}

/** "她那个工单", "她储值卡那个工单", "his ticket": the ticket of the member in focus, pointed at instead of numbered. */
const THEIR_TICKET = /[他她][^，,。；;\s]{0,8}?工单|\b(?:her|his|their) (?:\w+ )?(?:ticket|case)\b/i;

/** Two Han characters in a row of `title` found in `said` ("储值卡" of 储值卡无法使用 in "问储值卡修好没"). */
const sharesWords = (title: string, said: string) => [...title].some((c, i) => /\p{Script=Han}/u.test(c) && /\p{Script=Han}/u.test(title[i + 1] ?? '') && said.includes(title.slice(i, i + 2)));

/**
 * The whole number of the ticket of the member in focus the message points at ("她那个工单改成处理中"): their only
 * ticket, or the only one whose title the conversation just spoke of (`said`: this message and the turn before,
 * "李娜来电话问储值卡修好没" for 储值卡无法使用). Null otherwise — the update then asks for the number.
 */
export async function focusTicket(services: Services, msg: InboundMessage, actor: Actor, focus: Focus | null, said: string): Promise<string | null> {
  if (actor.kind !== 'staff' || !focus || !THEIR_TICKET.test(msg.text.normalize('NFKC'))) return null;
  const { tickets } = await listTickets({ services, actor, channel: msg.channel, requestId: msg.requestId }, { memberId: focus.memberId });
  const spoken = tickets.length > 1 ? tickets.filter((t) => sharesWords(t.title, said)) : tickets;
  return spoken.length === 1 ? spoken[0]!.ticketNo : null;
}

/** "李娜那张", "王芳的工单", "李娜那单": a ticket pointed at by its member's name. */
const NAMED_TICKET = /([\p{Script=Han}]{2,4}?)(?:的)?(?:那张(?:工单|单子?)?|那个工单|那单|的工单)/u;

/**
 * The whole number of the one open ticket (open or in progress) of the member named before 那张 / 的工单 ("李娜那张 改成处理中"),
 * among the tickets the sender may see; null when the name opens no surname, or that member has none or several open.
 */
export async function namedMemberTicket(services: Services, msg: InboundMessage, actor: Actor): Promise<string | null> {
  if (actor.kind !== 'staff') return null;
  const run = NAMED_TICKET.exec(msg.text.normalize('NFKC'))?.[1];
  // "给李娜那张…": the name at the end of the run.
  const name = run && hanName(run);
  if (!name) return null;
  const access = { services, actor, channel: msg.channel, requestId: msg.requestId };
  const { members } = await searchMembers(access, { name }, 5);
  const theirs: string[] = [];
  for (const m of members.filter((x) => x.name === name)) {
    const { tickets } = await listTickets(access, { memberId: m.id, status: ['open', 'in_progress'] });
    theirs.push(...tickets.map((t) => t.ticketNo));
  }
  return theirs.length === 1 ? theirs[0]! : null;
}
