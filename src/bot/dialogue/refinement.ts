import { pointsAtMember } from '../../intents/router/member-pointer.ts';
import { CLARIFY_INTENT } from '../../intents/router/types.ts';
import type { Lang } from '../../i18n/index.ts';
import type { IntentDef } from '../../intents/types.ts';
import type { TurnMemory } from '../memory.ts';
import type { Actor } from '../types.ts';
import { assentOf } from '../understand/assent.ts';
import { CONFIRM_INTENT, PLURAL_POINTER, SMALLTALK, type DialogueContext, type Plan, type Recent, type Turn } from './context.ts';
import { EVERY_POINTER } from './focus.ts';
import { CHANGE_LEAD } from './held-change.ts';
import { namesMember } from './member-refs.ts';
import { refine } from './refine.ts';
import type { LastAnswer } from './state.ts';

/** The last answer refined: the refinement ("导出吧") is the instruction the write gate reads; the slots carry the last request's details. */
export const runRefined = ({ prepare }: DialogueContext, memory: TurnMemory, actor: Actor, refined: { intent: IntentDef; slots: Record<string, unknown> }, last: LastAnswer, text: string, lang: Lang) =>
  prepare(memory, actor, refined.intent, { intent: refined.intent.name, slots: refined.slots, confidence: 1 }, refined.intent.effect === 'read' ? last.text : text, lang);

/**
 * "只要近30天的", "换 静安", "前3个就行", "导出吧" after an answer: the last question again, narrowed or turned (refine.ts
 * reads the words). Why here: whether a message may be a refinement at all depends on what the router made of it —
 * a refinement is only figures and filler, so the router's guess at such words does not stand in its way.
 */
export function answerRefinement(ctx: DialogueContext) {
  const { getIntent, mayUse, weak, lookups } = ctx;
  return async function refineLast({ msg, memory, actor, routed, lang }: Turn, { last, staffLast }: Recent): Promise<Plan | null> {
    // A refinement is only figures and filler ("换 静安", "前3个就行"), so the router's guess at such
    // words (small talk, a clarification) does not stand in its way.
    // So are reads of no member ("几个人", "都谁", "只看工单", "徐汇的"): refine() takes them only when they
    // are nothing but figures, count or list words and the last intent's own words.
    const plainRead = getIntent(routed.intent)?.effect === 'read' && !namesMember(routed.slots);
    // "他的工单呢" with a member in focus after an answer about no member: a question about that member, no refinement.
    const aboutFocus = staffLast !== null && !namesMember(staffLast.slots) && memory.focus() !== null && pointsAtMember(msg.text);
    // "前3就行", "徐汇的就好": a refinement ending in "that will do" is no confirmation — assent is only the bare word (assent.ts).
    const notAssent = routed.intent === CONFIRM_INTENT && assentOf(msg.text) === null;
    // "换成老客" after a list by tag: a change of the last answer's figure, whatever the router made of the new word.
    const changes = CHANGE_LEAD.test(msg.text);
    // "90天内的" after 王芳's orders, read as a segment's condition: figures alone are no write — the last answer narrowed,
    // and only ever as a read (a write the router read stays that write when refine() makes no read of the words).
    const routedWrite = ((e) => e !== undefined && e !== 'read' && e !== 'control')(getIntent(routed.intent)?.effect);
    const unsure = weak(actor, routed, last?.intent) || routed.intent === CLARIFY_INTENT || SMALLTALK.test(routed.intent) || plainRead || notAssent || changes;
    if (!last || aboutFocus || !(unsure || routedWrite)) return null;
    // "她上周呢" after 王芳's orders: the pronoun is the member the answer was about, no word of a new request.
    const sameMember = last.slots.memberNo !== undefined && last.slots.memberNo === memory.focus()?.memberNo && !PLURAL_POINTER.test(msg.text);
    const refined = refine(sameMember ? msg.text.replace(EVERY_POINTER, ' ') : msg.text, last, await lookups(routed.intent));
    return refined && (unsure || refined.intent.effect === 'read') && mayUse(actor, refined.intent) ? runRefined(ctx, memory, actor, refined, last, msg.text, lang) : null;
  };
}
