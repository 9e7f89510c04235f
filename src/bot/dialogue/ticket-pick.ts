import { findMemberNos, findPhones } from '../../intents/router/extract.ts';
import { pointsAtMember } from '../../intents/router/member-pointer.ts';
import { startsWithSurname } from '../../intents/router/names.ts';
import { slotsAs } from '../../intents/router/rules.ts';
import type { DialogueContext, Plan, Recent, Turn } from './context.ts';
import { pointedRow } from './list-pick.ts';
import { namesMember } from './member-refs.ts';
import type { ShownTicket } from './state.ts';
import { shortTicketDigits } from './ticket-ref.ts';

const TICKET_UPDATE = 'ticket.update';
/** At most this many tickets of a list are remembered (a list shows five to ten). */
const MAX_TICKETS = 10;
const WHOLE_NO = /(?<![A-Za-z0-9])T\d{14,}(?!\d)/i;

/**
 * The tickets an answer showed, in order: a member's tickets ({ tickets }) or today's work ({ tickets: { tickets } }).
 * Null when it showed none.
 */
export function shownTickets(data: unknown): ShownTicket[] | null {
  const d = (data ?? {}) as { tickets?: unknown };
  const rows: unknown = Array.isArray(d.tickets) ? d.tickets : (d.tickets as { tickets?: unknown } | undefined)?.tickets;
  if (!Array.isArray(rows) || rows.length === 0) return null;
  const shown = rows.slice(0, MAX_TICKETS).flatMap((row): ShownTicket[] => {
    const r = (row ?? {}) as { ticketNo?: unknown; type?: unknown; title?: unknown; memberName?: unknown };
    if (typeof r.ticketNo !== 'string' || typeof r.type !== 'string') return [];
    return [{ ticketNo: r.ticketNo, type: r.type, title: typeof r.title === 'string' ? r.title : '', ...(typeof r.memberName === 'string' && r.memberName ? { memberName: r.memberName } : {}) }];
  });
  return shown.length > 0 ? shown : null;
}

/** A ticket's kind as staff say it ("投诉那张", "the complaint one", "售后那个"). */
const KIND_WORDS: [RegExp, string][] = [
  [/投诉|\bcomplain(?:t|ts|ed)?\b/i, 'complaint'],
  [/咨询|\b(?:consultation|enquiry|inquiry)\b/i, 'consultation'],
  [/售后|退款|退货|退换|\b(?:after[- ]?sales?|refund|return)\b/i, 'after_sales'],
  [/维修|报修|\brepair\b/i, 'repair'],
];

/** Two Han characters in a row of `title` found in `said` ("储值卡" of 储值卡无法使用 in "那个储值卡的"), or an English word of 4+ letters. */
const sharesWords = (title: string, said: string) =>
  [...title].some((c, i) => /\p{Script=Han}/u.test(c) && /\p{Script=Han}/u.test(title[i + 1] ?? '') && said.includes(title.slice(i, i + 2))) ||
  (title.toLowerCase().match(/[a-z]{4,}/g) ?? []).some((w) => said.toLowerCase().includes(w));

/**
 * The one shown ticket the words describe — by its place ("第一个"), its member's name ("李娜那张"), its kind ("投诉那个",
 * "the complaint one") or words of its title ("储值卡那个"). Every cue said must fit and together leave one; null when a
 * cue fits none or several remain. `described`: whether the words described anything at all.
 */
function describedTicket(said: string, shown: readonly ShownTicket[]): { ticket: ShownTicket | null; described: boolean } {
  const row = pointedRow(said, shown.length);
  if (row) return { ticket: shown[row.index]!, described: true };
  let left = [...shown];
  let described = false;
  const narrow = (keep: (t: ShownTicket) => boolean) => {
    described = true;
    left = left.filter(keep);
  };
  const names = [...new Set(shown.flatMap((t) => (t.memberName && said.includes(t.memberName) ? [t.memberName] : [])))];
  if (names.length === 1 && new Set(shown.map((t) => t.memberName)).size > 1) narrow((t) => t.memberName === names[0]);
  const kinds = KIND_WORDS.filter(([re]) => re.test(said)).map(([, kind]) => kind);
  if (kinds.length === 1) narrow((t) => t.type === kinds[0]);
  const titled = left.filter((t) => sharesWords(t.title, said));
  if (titled.length > 0) narrow((t) => titled.includes(t));
  return { ticket: described && left.length === 1 ? left[0]! : null, described };
}

/**
 * "李娜那张 改成处理中" after today's due tickets, "那个储值卡的 标记解决了" / "escalate the complaint one" / "给他升级" after a
 * member's tickets, "第一个升级一下": an update of a ticket the bot just showed, picked by what the words say of it (its
 * place, member, kind or title) rather than by its number — or, said of none, the only one shown, else the one the request
 * that listed them spoke of ("13800000001 的投诉处理了吗" → the complaint). Staff only; the update's own words must say what
 * changes (a status, an escalation, a score), and the router must have read the update, nothing sure, or a read of nobody
 * else (升级 alone reads as the member's level). Why apart: the pick is of a record the list showed, not of a member.
 */
export function ticketPick({ services, getIntent, mayUse, prepare, weak }: DialogueContext) {
  return async function pickTicket({ msg, memory, actor, routed, lang }: Turn, { staffLast }: Recent): Promise<Plan | null> {
    const shown = staffLast?.tickets;
    const updater = getIntent(TICKET_UPDATE);
    if (!shown?.length || !updater || actor.kind !== 'staff' || memory.held || !mayUse(actor, updater)) return null;
    const text = msg.text.normalize('NFKC');
    if (WHOLE_NO.test(text) || shortTicketDigits(text) !== null || routed.slots.ticketNo !== undefined) return null;
    const routedDef = getIntent(routed.intent);
    const nameShown = typeof routed.slots.name === 'string' && shown.some((t) => t.memberName === routed.slots.name);
    const readOfShown = routedDef?.effect === 'read' && (!namesMember(routed.slots) || nameShown);
    if (routed.intent !== TICKET_UPDATE && !weak(actor, routed) && !readOfShown) return null;
    const slots = await slotsAs(updater, msg.text, { audience: actor.kind, actor, services });
    if (slots.status === undefined && slots.escalate === undefined && slots.satisfaction === undefined) return null;
    const { ticket, described } = describedTicket(text, shown);
    // Said of no ticket: only when the words point at the member listed ("给他升级") or are the update alone ("升级一下"),
    // never beside another member's name, phone or number.
    const bare = pointsAtMember(text) || ([...text.trim()].length <= 6 && !startsWithSurname(text.trim()));
    const elsewhere = namesMember(routed.slots) && !nameShown || findPhones(text).length > 0 || findMemberNos(text).length > 0;
    const fallback = described || !bare || elsewhere ? null : shown.length === 1 ? shown[0]! : describedTicket(staffLast!.text.normalize('NFKC'), shown).ticket;
    const picked = ticket ?? fallback;
    if (!picked) return null;
    return prepare(memory, actor, updater, { intent: TICKET_UPDATE, slots: { ...slots, ticketNo: picked.ticketNo }, confidence: 1 }, msg.text, lang);
  };
}
