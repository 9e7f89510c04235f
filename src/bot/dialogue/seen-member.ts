import { phoneSearchOf, resolveMember } from '../../crm/customers/index.ts';
import { pointsAtMember } from '../../intents/router/member-pointer.ts';
import type { IntentDef } from '../../intents/types.ts';
import type { TurnMemory } from '../memory.ts';
import type { Actor, InboundMessage, RouteResult } from '../types.ts';
import type { DialogueContext } from './context.ts';
import { takesMember, withoutMemberRefs } from './member-refs.ts';

/** "回到王芳", "说回李娜", "刚才那个李娜": the member named as the one spoken of before. */
const BACK_TO = /(?:回到|说回|再说|转回|返回)(?:到)?(?:刚才(?:的|那个|那位)?)?\s*\p{Script=Han}|刚才(?:那个|那位|说的|的)|\b(?:back to|going back to|the same)\b/iu;

/**
 * "回到王芳 她订单看下" after an unrelated question, "刚才那个李娜 她的互动记录", "尾号0012那个 档案看下" after the churn
 * list: the member in focus named again while pointed at ("她", "回到", "刚才那个"), or a row of the list just shown
 * picked by the phone's last digits, is reported by member number, as a member in focus or a row picked by its place
 * is (the blind brief: only the turn that first names a member labels it as written). Why here: the same member runs either way
 * (the name resolved to exactly that one member in the sender's scope), so nothing about what runs changes; a name
 * several members share, or one the conversation has not seen, stays as said (the run then asks which one).
 */
export function seenMember({ services }: DialogueContext) {
  return async function bySeenNumber(intent: IntentDef, route: RouteResult, memory: TurnMemory, msg: InboundMessage, actor: Actor): Promise<RouteResult> {
    if (actor.kind !== 'staff' || !takesMember(intent) || route.slots.memberNo !== undefined) return route;
    const { name, phone } = route.slots as { name?: unknown; phone?: unknown };
    // A phone's last four digits as the router keeps them ("尾号0012", "*0012"), read as the member search reads them: never a whole phone.
    const tail = typeof phone === 'string' && phoneSearchOf(phone)?.kind === 'tail' ? phone : undefined;
    // A whole phone said again is a new naming (labelled as written); only a name or a tail is looked for.
    if ((typeof name !== 'string' || phone !== undefined) && !tail) return route;
    // A name counts only as the member in focus pointed at again ("回到王芳 她订单看下"): a name said after a list is its
    // first naming (labelled as written); a tail picks a row of the list as "第二个" does.
    const pointed = pointsAtMember(msg.text) || BACK_TO.test(msg.text.normalize('NFKC'));
    if (!tail && !pointed) return route;
    const rows = tail ? (memory.last()?.items ?? []).map((i) => i.memberNo) : [];
    const seen = new Set([memory.focus()?.memberNo, ...rows].filter((x): x is string => typeof x === 'string'));
    if (seen.size === 0) return route;
    const ref = tail ? { phone: tail } : { name: name as string };
    const r = await resolveMember({ services, actor, channel: msg.channel, requestId: msg.requestId }, ref as Parameters<typeof resolveMember>[1]);
    if (r.kind !== 'one' || !seen.has(r.member.memberNo)) return route;
    return { ...route, slots: { ...withoutMemberRefs(route.slots), memberNo: r.member.memberNo } };
  };
}
