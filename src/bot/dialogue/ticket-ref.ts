import { ticketNosEndingIn } from '../../crm/service/index.ts';
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
