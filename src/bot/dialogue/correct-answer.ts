import { correctionOf } from '../understand/routing-text.ts';
import { memberAnswer } from './answers.ts';
import type { DialogueContext, Plan, Recent, Turn } from './context.ts';
import { namesMember, withoutMemberRefs } from './member-refs.ts';
import { refine } from './refine.ts';
import { runRefined } from './refinement.ts';

/** "不是她，是王芳": the member a correction of the last answer names instead (null when it names none). */
export const correctedMember = (text: string, { staffLast }: Recent) => {
  const corrected = staffLast ? correctionOf(text) : null;
  return corrected ? memberAnswer(corrected) : null;
};

/**
 * A correction of the last answer: "不是她，是王芳" asks the same question about the one meant; "不对 是徐汇", "不是上周
 * 是上个月" refines its store, period, tag or figure. Why apart: a correction's lead rejects what was understood — what
 * follows it is the whole change, never a refusal.
 */
export function answerCorrection(ctx: DialogueContext) {
  const { mayUse, prepare, weak, lookups } = ctx;
  return async function correctAnswer({ msg, memory, actor, routed, lang }: Turn, recent: Recent): Promise<Plan | null> {
    const { last, staffLast, lastIntent } = recent;
    const corrected = staffLast ? correctionOf(msg.text) : null;
    const other = correctedMember(msg.text, recent);
    if (last && other && lastIntent && (other.bare || weak(actor, routed, last.intent) || routed.intent === 'member.lookup') && namesMember(last.slots)) {
      const slots = withoutMemberRefs(last.slots);
      return prepare(memory, actor, lastIntent, { intent: lastIntent.name, slots: { ...slots, ...other.slots }, confidence: 1 }, last.text, lang);
    }
    // A name-like word ("徐汇" starts with a surname) corrects a member only where the last answer was about one.
    const aboutMember = staffLast !== null && namesMember(staffLast.slots);
    const fixed = staffLast && corrected && (!other || !aboutMember) && lastIntent ? refine(corrected, staffLast, await lookups(staffLast.intent)) : null;
    if (staffLast && fixed && mayUse(actor, fixed.intent)) return runRefined(ctx, memory, actor, fixed, staffLast, msg.text, lang);
    return null;
  };
}
