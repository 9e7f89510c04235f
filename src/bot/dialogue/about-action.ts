import { doneQuestion } from '../../intents/parse/done-question.ts';
import type { IntentDef } from '../../intents/types.ts';
import { VERB_ZH } from '../understand/lexicon.ts';

/**
 * "发了吗?" while a recall waits for 确认, "开了吗" after a ticket was opened, "did it go out?": a
 * question about the action itself, naming nothing else. It is answered by that action's read
 * (`readCounterpart`) — the held action first, else the write of the speaker's previous turn —
 * and never taken as a confirmation or as a new request.
 */

/** How things stand with the action, said bare ("怎么样了", "进展如何", "how's it going", "any update?"). */
const PROGRESS = /^(?:那|现在|目前)?(?:怎么样了?|咋样了?|如何了?|进展(?:如何|怎么样)?|情况(?:如何|怎么样)?|到哪了|好了没)$|^(?:so |and )?(?:how(?:'s| is) it going|how did it go|any (?:news|update)s?|status|done)$/i;
/** Words that belong to such a question in English (nothing of an object of its own). */
const EN_BARE = /^(?:so|and|ok|okay|did|does|has|have|had|was|were|is|it|that|this|they|we|you|go|gone|went|out|through|get|got|sent|send|done|finished|happen|happened|work|worked|run|ran|yet|already|been|the|one|thing|recall|export|tags?|points|ticket|coupons?)$/i;

const clean = (text: string) => text.normalize('NFKC').trim().replace(/[\s?？。.!！~～]+$/u, '');

/** True when the message only asks whether the action happened or how it stands, naming no one and nothing else. */
export function asksAboutTheAction(text: string): boolean {
  const t = clean(text);
  if (!t || /\d/.test(t)) return false;
  if (PROGRESS.test(t)) return true;
  if (doneQuestion(text) !== 'done') return false;
  if (/\p{Script=Han}/u.test(t)) {
    // A verb and its aspect: "发了吗", "开好了没", "打上了吗", "都发出去了吗" — a few characters, no object.
    const han = t.replace(/[^\p{Script=Han}]/gu, '');
    return /^[\p{Script=Han}]+$/u.test(t.replace(/\s+/g, '')) && VERB_ZH.test(han) && han.replace(/^(?:那|都|已经|现在)+/u, '').length <= 5;
  }
  const words = t.toLowerCase().split(/\s+/);
  return words.length <= 6 && words.every((w) => EN_BARE.test(w));
}

/** The read that answers a question about `action` (a write), with the slots it takes; null when it has none. */
export function readOfAction(action: IntentDef | undefined, getIntent: (name: string) => IntentDef | undefined): IntentDef | null {
  if (!action || action.effect === 'read' || !action.readCounterpart) return null;
  return getIntent(action.readCounterpart) ?? null;
}
