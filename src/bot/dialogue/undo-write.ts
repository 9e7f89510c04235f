import { REASON_SAID } from '../../intents/parse/service-text.ts';
import { moodFor } from '../gate.ts';
import { afterGivingUp } from '../understand/routing-text.ts';
import { writeJustMade, type DialogueContext, type Plan, type Turn } from './context.ts';
import { PLURAL_POINTER, THE_LISTED } from './context.ts';
import type { MemberFocus } from './focus.ts';
import { namesMember } from './member-refs.ts';

/**
 * The write that takes back another, and the words that ask for it with nothing else named: "算了 还是去掉吧" right
 * after 给陈静加个流失风险标签 ran, "还是加上吧" right after her tag was removed.
 */
const TAKE_BACK: Record<string, { intent: string; words: RegExp }> = {
  'tag.add': { intent: 'tag.remove', words: /去掉|删掉|删了|撤掉|撤了|拿掉|摘掉|去了吧|取消掉|\b(?:remove|take) (?:it|that)(?: off)?\b|\btake (?:it|that) off\b|\bundo\b/i },
  'tag.remove': { intent: 'tag.add', words: /加上|加回|打回|打上|补上|贴回|还原|\b(?:put|add) (?:it|that) back\b|\bundo\b/i },
};
/** The slots a take-back keeps of the write it takes back: what was written, never its member reference or free text. */
const KEPT = ['tag'];

/**
 * Points added or deducted by mistake, taken back ("加错了 扣回来吧 原因 误操作" right after 给周杰加50积分): the words for
 * each direction of the write taken back.
 */
const POINTS_BACK = {
  added: /扣回|撤回|撤销|\bundo\b|\btake (?:it|them|those|that|the points) back\b|\breverse (?:it|that)\b/i,
  deducted: /加回|补回|还给|退回|撤回|撤销|\bundo\b|\bgive (?:it|them|those|the points) back\b|\breverse (?:it|that)\b/i,
};

/**
 * "算了 还是去掉吧" right after 给陈静加个流失风险标签 was done: the write just made, taken back — the same member (as the
 * write named them, by number when they are exactly one member) and the same figure (the tag). Why apart: it writes
 * from a message that names neither member nor figure, so it asks the most: only right after the previous turn's
 * write that was asked for and that the sender may make, only a message that says the taking-back verb and names no
 * other member, tag or group ("给他们都去掉"), never while an action is held, and the run path's gate still reads this
 * message's own mood (a negated "先别去掉" is declined there, never run).
 */
export function writeUndo(ctx: DialogueContext, { byNumber, previousRefs }: MemberFocus) {
  const { getIntent, mayUse, prepare } = ctx;
  return async function undoWrite({ msg, memory, actor, routed, lang }: Turn, held: boolean): Promise<Plan | null> {
    const { previous, wrote } = writeJustMade(ctx, memory, actor, held) ?? {};
    if (previous && wrote?.name === 'points.adjust') return pointsBack({ msg, memory, actor, routed, lang }, previous);
    const back = wrote && TAKE_BACK[wrote.name];
    const undo = back && getIntent(back.intent);
    if (!previous || !wrote || !back || !undo || !back.words.test(msg.text) || !mayUse(actor, undo)) return null;
    // Another member, another tag or several people named: a request of its own, read as routed.
    if (namesMember(routed.slots) || PLURAL_POINTER.test(msg.text) || THE_LISTED.test(msg.text)) return null;
    if (KEPT.some((k) => routed.slots[k] !== undefined && routed.slots[k] !== previous.slots[k])) return null;
    const refs = previousRefs(memory);
    const figures = Object.fromEntries(KEPT.filter((k) => previous.slots[k] !== undefined).map((k) => [k, previous.slots[k]]));
    if (!refs || Object.keys(figures).length !== KEPT.length) return null;
    // "算了 加回来": the 算了 gives up the removal, it refuses nothing — the take-back after it is what the gate reads.
    const asked = afterGivingUp(msg.text);
    // "算了 先别加回去": the take-back refused — still this write, which the gate declines (never run), not a cancel of
    // nothing held; a question or a supposition about it is read as routed.
    const mood = moodFor(undo, asked);
    if (!mood.affirmative && !mood.negated && !mood.deferred) return null;
    const route = await byNumber({ intent: undo.name, slots: { ...refs, ...figures }, confidence: 1 }, refs, msg, actor);
    return prepare(memory, actor, undo, route, asked, lang);
  };

  /**
   * The points just added (or deducted) taken back: the same member, the figure reversed — or the one now said in the
   * reverse direction ("扣回30") —, the reason as now said (else asked). Nothing else named: another member, a group.
   */
  async function pointsBack({ msg, memory, actor, routed, lang }: Turn, previous: NonNullable<Turn['memory']['previous']>): Promise<Plan | null> {
    const adjust = getIntent('points.adjust');
    const delta = previous.slots.delta;
    if (!adjust || typeof delta !== 'number' || delta === 0 || !mayUse(actor, adjust)) return null;
    if (!(delta > 0 ? POINTS_BACK.added : POINTS_BACK.deducted).test(msg.text)) return null;
    if (namesMember(routed.slots) || PLURAL_POINTER.test(msg.text) || THE_LISTED.test(msg.text)) return null;
    const said = typeof routed.slots.delta === 'number' ? routed.slots.delta : undefined;
    if (said !== undefined && (Math.sign(said) === Math.sign(delta) || Math.abs(said) > Math.abs(delta))) return null;
    const refs = previousRefs(memory);
    if (!refs) return null;
    const asked = afterGivingUp(msg.text);
    const mood = moodFor(adjust, asked);
    if (!mood.affirmative && !mood.negated && !mood.deferred) return null;
    const reason = REASON_SAID.exec(msg.text.normalize('NFKC'))?.[1]?.trim();
    const slots = { ...refs, delta: said ?? -delta, ...(reason ? { reason } : {}) };
    const route = await byNumber({ intent: adjust.name, slots, confidence: 1 }, refs, msg, actor);
    return prepare(memory, actor, adjust, route, asked, lang);
  }
}
