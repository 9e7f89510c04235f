import { resolveMember } from '../../crm/customers/index.ts';
import type { IntentDef } from '../../intents/types.ts';
import type { TurnMemory } from '../memory.ts';
import type { Actor, InboundMessage, RouteResult } from '../types.ts';
import type { DialogueContext } from './context.ts';
import { takesMember, withoutMemberRefs } from './member-refs.ts';

/** A phone's last four digits as the router keeps them ("尾号0012", "*0012"): never a whole phone. */
const TAIL = /^(?:尾号|手机尾号|后四位|\*+)\d{4}$/;

/**
 * "回到王芳 她订单看下" after an unrelated question, "刚才那个李娜 她的互动记录", "尾号0012那个 档案看下" after the churn
 * list: a member named again by name or by the phone's last digits who is already in this conversation — the member
 * in focus, or a row of the list just shown — is reported by member number, as a member in focus is (the blind
 * brief: only the turn that first names a member labels it as written). Why here: the same member runs either way
 * (the name resolved to exactly that one member in the sender's scope), so nothing about what runs changes; a name
 * several members share, or one the conversation has not seen, stays as said (the run then asks which one).
 */
export function seenMember({ services }: DialogueContext) {
  return async function bySeenNumber(intent: IntentDef, route: RouteResult, memory: TurnMemory, msg: InboundMessage, actor: Actor): Promise<RouteResult> {
    if (actor.kind !== 'staff' || !takesMember(intent) || route.slots.memberNo !== undefined) return route;
    const { name, phone } = route.slots as { name?: unknown; phone?: unknown };
    const tail = typeof phone === 'string' && TAIL.test(phone) ? phone : undefined;
    // A whole phone said again is a new naming (labelled as written); only a name or a tail is looked for.
    if ((typeof name !== 'string' || phone !== undefined) && !tail) return route;
    const seen = new Set([memory.focus()?.memberNo, ...(memory.last()?.items ?? []).map((i) => i.memberNo)].filter((x): x is string => typeof x === 'string'));
    if (seen.size === 0) return route;
    const ref = tail ? { phone: tail } : { name: name as string };
    const r = await resolveMember({ services, actor, channel: msg.channel, requestId: msg.requestId }, ref as Parameters<typeof resolveMember>[1]);
    if (r.kind !== 'one' || !seen.has(r.member.memberNo)) return route;
    return { ...route, slots: { ...withoutMemberRefs(route.slots), memberNo: r.member.memberNo } };
  };
}
