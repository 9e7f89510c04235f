import { correctionOf } from '../understand/routing-text.ts';
import { writeJustMade, type DialogueContext, type Plan, type Turn } from './context.ts';
import type { MemberFocus } from './focus.ts';
import { CHANGE_LEAD } from './held-change.ts';
import { memberAnswer } from './answers.ts';
import { FREE_TEXT, namesMember, withoutMemberRefs } from './member-refs.ts';
import { refine } from './refine.ts';

/**
 * "不对 改成流失风险" right after 给周杰打标签 召回中 was done: the write just made, again with the figure said instead
 * (its member and free text as they were). Why apart: it repeats a write, so it asks the most of the message — a
 * correction's lead with a change verb, only of the previous turn's write that was asked for, and only a figure of that
 * write's own. Not while an action is held (the held one is what changes then: held-change.ts).
 * "搞错了 是王芳" right after 周杰加个生日月: the same write for the member the correction names, and only that
 * (bare: nothing but the member after the lead), only when the write named a member.
 */
export function writeCorrection(ctx: DialogueContext, { byNumber, previousRefs }: MemberFocus) {
  const { prepare, lookups } = ctx;
  return async function correctWrite({ msg, memory, actor, lang }: Turn, held: boolean): Promise<Plan | null> {
    const correction = correctionOf(msg.text);
    const lastWrite = writeJustMade(ctx, memory, actor, held)?.wrote;
    if (!lastWrite || !memory.previous || correction === null) return null;
    const other = memberAnswer(correction);
    if (other?.bare && namesMember(memory.previous.slots)) {
      const slots = { ...withoutMemberRefs(memory.previous.slots), ...other.slots };
      return prepare(memory, actor, lastWrite, { intent: lastWrite.name, slots, confidence: 1 }, memory.previous.text, lang);
    }
    if (!CHANGE_LEAD.test(msg.text)) return null;
    const before = { intent: lastWrite.name, slots: memory.previous.slots, text: memory.previous.text };
    const changed = refine(correction, before, await lookups(lastWrite.name));
    const figures = changed ? Object.entries(changed.slots).filter(([k, v]) => !FREE_TEXT.includes(k) && before.slots[k] !== v) : [];
    if (!changed || changed.intent !== lastWrite || figures.length === 0) return null;
    const slots = { ...before.slots, ...Object.fromEntries(figures) };
    return prepare(memory, actor, lastWrite, await byNumber({ intent: lastWrite.name, slots, confidence: 1 }, previousRefs(memory), msg, actor), msg.text, lang);
  };
}
