import { memberAnswer } from './answers.ts';
import type { DialogueContext, Plan, Recent, Turn } from './context.ts';
import { FREE_TEXT, MEMBER_REF, namesMember, takesMember, withoutMemberRefs } from './member-refs.ts';

/** "张伟的", "那周杰的呢", "看看13800000005的", "what about 刘洋": a member named with nothing else asked. */
const ONE_MEMBER = /^\s*(?:那么?|那就|再看看?|看看?|查查?)?\s*(.+?)\s*(?:的呢|的|呢)\s*[?？]*\s*$|^\s*(?:and|what about|how about)\s+(.+?)\s*[?？]*\s*$/i;
/** What shapes a list and means nothing for one member ("前3就行" before "张伟的"). */
const LIST_ONLY = ['limit'];

/**
 * A store-wide list narrowed to one member: "张伟的" right after the KOC ranking is 张伟's KOC figures — the last read
 * again about the member named, as "那周杰呢" is after an answer about a member (another-member.ts, which needs the
 * last answer to name one). Why apart: the last answer named nobody, so the member is added, not swapped; only a read
 * whose intent also reads one member (its slots take a member number), only a message that is a member and a particle,
 * and only when the router read nothing but that member (a look-up, one member's read with no figures, nothing sure).
 */
export function narrowToMember({ getIntent, mayUse, prepare }: DialogueContext) {
  return async function narrow({ msg, memory, actor, routed, lang }: Turn, { staffLast, lastIntent }: Recent): Promise<Plan | null> {
    if (!staffLast || !lastIntent || lastIntent.effect !== 'read' || namesMember(staffLast.slots) || !takesMember(lastIntent) || !mayUse(actor, lastIntent)) return null;
    const m = ONE_MEMBER.exec(msg.text.normalize('NFKC'));
    const who = m ? memberAnswer((m[1] ?? m[2])!) : null;
    if (!who?.bare) return null;
    const read = getIntent(routed.intent);
    if (read && read.effect !== 'read') return null;
    if (Object.keys(routed.slots).some((k) => !MEMBER_REF.includes(k) && !FREE_TEXT.includes(k))) return null;
    const kept = Object.fromEntries(Object.entries(withoutMemberRefs(staffLast.slots)).filter(([k]) => !LIST_ONLY.includes(k) && !FREE_TEXT.includes(k)));
    return prepare(memory, actor, lastIntent, { intent: lastIntent.name, slots: { ...kept, ...who.slots }, confidence: 1 }, msg.text, lang);
  };
}
