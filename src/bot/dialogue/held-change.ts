import { peekAction } from '../confirmation.ts';
import { anyWord, CORRECTION } from '../understand/lexicon.ts';
import { holdsBack } from '../understand/assent.ts';
import { analyseMood } from '../understand/mood.ts';
import { correctionOf } from '../understand/routing-text.ts';
import { CLARIFY_INTENT } from '../../intents/router/types.ts';
import { SMALLTALK, type DialogueContext, type Plan, type Turn } from './context.ts';
import type { Waiting } from './held-action.ts';
import { changedMind, insteadFigure } from './instead.ts';
import { FREE_TEXT, figuresOf, namesMember } from './member-refs.ts';
import { refine, slotFor } from './refine.ts';

/** "改成30的", "换成 50", "改成20的吧", "make it 25", "30就够了" (after 不对): a change to one bare number (its unit, 的, "that will do" and a closing particle aside). */
export const BARE_NUMBER = /^(\s*(?:改成|换成|改为|改|换|(?:change|make|switch) (?:it|that)(?: to)?|change to)?\s*)(\d+(?:\.\d+)?)(\s*(?:(?:块|元)?(?:钱)?(?:的)?(?:就够了?|就行了?|就好了?|就可以了?|足够了?)?(?:吧|啊|呀|哈)?|instead|is enough|will do)\s*)$/i;
/** "改成…", "换成…", "不对 改为…" (a correction word of CORRECTION in lexicon.ts first): the message changes a figure of what was just said. */
export const CHANGE_LEAD = new RegExp(
  `^\\s*(?:(?:${anyWord([...CORRECTION.wrongZh, ...CORRECTION.ohNoZh])})[，,\\s]*)?(?:(?:标签|金额|券|门店|店|名单|人群包?|时间|积分|数量|条件)\\s*)?(?:改成|换成|改为|换为|改一下|改)\\s*\\S|^\\s*(?:change|switch|make) (?:it|that|the \\w+) (?:to|into)\\b`,
  'i',
);
/**
 * "wait, make it 流失风险", "actually make it 老客", "no wait, change it to 30": an English interjection before the change,
 * and "make it X" said without "to". Only while an action is held (or right after a write: correct-write.ts) — the
 * interjection says nothing of the figure, the words after it are the change.
 */
// The English correction words of CORRECTION, and the hesitations that may open a change (oh, hmm, hold on).
const EN_INTERJECTION = new RegExp(`^\\s*(?:(?:${anyWord([...CORRECTION.wrongEn, 'oh', 'hmm', 'hold on'])})[,.!]*\\s+)+`, 'i');
// "make it 25", "make that 老客": the lead, stripped from the change said; said without "to" it is a change of its own
// (with "to", CHANGE_LEAD's).
const MAKE_IT_LEAD = /^\s*make (?:it|that)\s+/i;
const MAKE_IT = new RegExp(`${MAKE_IT_LEAD.source}(?!to\\b|into\\b)\\S`, 'i');
/** The change a message says while an action is held, its English interjection aside; null when it says none. */
export function heldChangeText(text: string): string | null {
  const rest = text.replace(EN_INTERJECTION, '');
  return CHANGE_LEAD.test(rest) || MAKE_IT.test(rest) ? rest : null;
}

/** A clause that changes something itself: a change verb, or a correction word. */
const CHANGES_TOO = new RegExp(`改|换|${anyWord([...CORRECTION.wrongZh, ...CORRECTION.ohNoZh])}|\\b(?:change|make|switch|no|not)\\b`, 'iu');
/**
 * The change said first, a remark after it ("改成30吧 20太少了", "改成2000 她是老客", "30块的 就30吧"): the first clause when
 * it is a change of its own (a change verb or a bare figure) and what follows changes nothing itself (no change verb, no
 * correction word — "改成30 不对 改成40" stays whole). Null when the message is one clause.
 */
export function changeClause(said: string): string | null {
  const m = /^(\S+?)[\s，,。!！]+(\S.*)$/u.exec(said.trim());
  if (!m) return null;
  let head = m[1]!;
  let rest = m[2]!;
  // "改成 30 吧 …": the figure after a spaced change verb belongs to the change.
  const spaced = /^(\d+(?:\.\d+)?(?:块|元)?(?:钱)?(?:的)?(?:吧|啊)?)(?:[\s，,。!！]+(\S.*))?$/u.exec(rest);
  if (/^(?:改成|换成|改为|换为|改|换)$/u.test(head) && spaced) {
    head = `${head}${spaced[1]}`;
    rest = spaced[2] ?? '';
  }
  if (!rest || !(CHANGE_LEAD.test(head) || BARE_NUMBER.test(head)) || CHANGES_TOO.test(rest)) return null;
  // "改成30 先别发", "改成2000 我再想想", "改成老客吧?": a remark that refuses, puts off, holds back or asks is no remark —
  // the whole message is read as before.
  const mood = analyseMood(rest);
  if (mood.negated || mood.deferred || mood.hypothetical || mood.question || holdsBack(rest) || /[?？]/.test(rest)) return null;
  // A second figure that is the one wanted again ("30块的 就30吧") or the one replaced ("20太少了") is a remark, not a change.
  return head;
}

/** A held action changed is held again whatever its new size (Plan.changesHeld): only 确认 runs it. */
const heldAgain = (plan: Plan): Plan => (plan.kind === 'run' ? { ...plan, changesHeld: true } : plan);

/**
 * "太多了 改30", "贵了点，换成20", "太多了 20块就行", "too much, make it 30": a short remark on the held figure before the change — what
 * follows it is the change (the remark neither refuses nor asks: no 不要/别/取消/?). Only a change verb followed by a
 * figure or word, so "太多了" alone stays what the router read.
 */
export const REMARK_BEFORE_CHANGE = /^(?![^，,\s]*(?:不要|别|取消|don'?t|cancel))[^\d，,。\s?？]{1,8}[，,。!！\s]+(?=(?:改成|换成|改为|换为|改|换)\s*\S|(?:change|switch|make) (?:it|that)\b|\d+(?:\.\d+)?\s*(?:块|元)?(?:钱)?(?:的)?(?:就够了?|就行了?|就好了?|就可以了?)(?:吧|啊)?\s*$)/iu;

/**
 * A held action changed in place ("换成50块的", "改成老客", "no, 20 not 30" while 回复「确认」 waits): previewed again
 * with the new figure, its free text as held. Why apart: a change is never the "no" of a refusal nor a new request —
 * the held action stays the one confirmed. `held`: whether an action was found held (the write just made is then not
 * what a correction changes).
 */
export function heldChange({ services, getIntent, mayUse, prepare, weak, lookups }: DialogueContext) {
  return async function changeHeld({ msg, memory, actor, routed, lang }: Turn, waiting: Waiting): Promise<{ plan: Plan | null; held: boolean }> {
    // "改成流失风险" is a change whatever the router made of its words (流失 reads as the churn list).
    // "no, 20 not 30", "不是30 是20": a figure said instead of the held one — a change, never the "no" of a refusal.
    const text = msg.text.replace(REMARK_BEFORE_CHANGE, '');
    const correction = correctionOf(text);
    const instead = insteadFigure(text) ?? (correction !== null && BARE_NUMBER.test(correction) ? correction : null);
    // "不对 扣80" while 扣100 waits: a correction read as the held write again — its figures change the held one.
    // "扣错了 是扣30" while 扣50 waits for 确认: the held write said again with another figure and no member — the held one
    // changed (previewed again, still held), as a correction's lead would say; a member named makes it a request of its own.
    const restatedHeld = waiting !== null && routed.intent === waiting.intent && !namesMember(routed.slots);
    const changeText = heldChangeText(text);
    const changing = weak(actor, routed) || routed.intent === CLARIFY_INTENT || SMALLTALK.test(routed.intent) || changeText !== null || instead !== null || changedMind(text) !== null || restatedHeld;
    const held = actor.kind === 'staff' && changing ? await peekAction(services, actor, undefined, msg.conversationId) : null;
    const heldIntent = held && getIntent(held.intent);
    if (!held || !heldIntent) return { plan: null, held: held !== null };
    const heldAnswer = { intent: held.intent, slots: held.slots, text: '' };
    // A bare number changing a held amount ("改成30的" after a 20-yuan recall) is that amount.
    // A correction's lead ("不对 换成老客", "不是20 是30的") rejects the figure it replaces: the change is what follows.
    // "还是20吧": the figure wanted instead, after the words of changing one's mind.
    const whole = instead ?? correction ?? changedMind(text) ?? changeText?.replace(MAKE_IT_LEAD, '') ?? text;
    // "改成30吧 20太少了", "改成2000 她是老客", "30块的 就30吧": the change, then a remark on why — the change is the first clause.
    const said = changeClause(whole) ?? whole;
    const amountText = slotFor(heldIntent, 'amount') ? said.replace(BARE_NUMBER, '$1$2元$3') : said;
    const changed = refine(amountText, heldAnswer, await lookups(held.intent)) ?? refine(said, heldAnswer, await lookups(held.intent));
    if (changed && changed.intent === heldIntent && mayUse(actor, heldIntent) && Object.entries(changed.slots).some(([k, v]) => held.slots[k] !== v)) {
      // A figure changed by a slot ("改成扣30": delta): the held reason stays as held, not "兑换饮品 改成扣30".
      if (Object.entries(changed.slots).some(([k, v]) => !FREE_TEXT.includes(k) && held.slots[k] !== v)) {
        for (const k of FREE_TEXT) {
          if (held.slots[k] !== undefined) changed.slots[k] = held.slots[k];
          else delete changed.slots[k];
        }
      }
      // The gate reads the change without its interjection: "wait," before "make it 流失风险" corrects, it puts nothing off
      // (the changed action is held again for 确认 either way).
      return { plan: heldAgain(await prepare(memory, actor, heldIntent, { intent: heldIntent.name, slots: changed.slots, confidence: 1 }, changeText ?? msg.text, lang)), held: true };
    }
    if (restatedHeld && mayUse(actor, heldIntent)) {
      const figures = figuresOf(routed.slots);
      if (Object.entries(figures).some(([k, v]) => held.slots[k] !== v)) return { plan: heldAgain(await prepare(memory, actor, heldIntent, { intent: heldIntent.name, slots: { ...held.slots, ...figures }, confidence: 1 }, msg.text, lang)), held: true };
    }
    // "改成50" while a points change waits: the number of points, its sign as held (扣100 → 扣50).
    const bare = BARE_NUMBER.exec(said);
    const n = bare ? Number(bare[2]) : NaN;
    if (typeof held.slots.delta === 'number' && held.slots.delta !== 0 && Number.isInteger(n) && n > 0 && n !== Math.abs(held.slots.delta) && mayUse(actor, heldIntent)) {
      return { plan: heldAgain(await prepare(memory, actor, heldIntent, { intent: heldIntent.name, slots: { ...held.slots, delta: Math.sign(held.slots.delta) * n }, confidence: 1 }, msg.text, lang)), held: true };
    }
    return { plan: null, held: true };
  };
}
