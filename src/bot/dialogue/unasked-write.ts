import { hasActionWord } from '../../intents/router/action-words.ts';
import { THRESHOLDS } from '../../intents/router/combined.ts';
import { slotsAs } from '../../intents/router/rules.ts';
import { CLARIFY_INTENT } from '../../intents/router/types.ts';
import { intentFamily, type IntentDef } from '../../intents/types.ts';
import type { Actor, InboundMessage, RouteResult } from '../types.ts';
import { ACT_ASKED_EN, asksAboutTheAct, NO_WRITE_EN, VERB_EN, VERB_EN_INFLECTED, VERB_ZH, WEIGHING } from '../understand/lexicon.ts';
import { asksAboutTheWrite } from '../../intents/parse/done-question.ts';
import { analyseMood } from '../understand/mood.ts';
import { HANDS_OFF, namedWrite, speaksOfAWrite } from '../understand/requests.ts';
import { CANCEL_INTENT, SMALLTALK, type DialogueContext, type Plan, type Turn } from './context.ts';
import type { MemberFocus } from './focus.ts';

type Reading = { intent: IntentDef; route: RouteResult };

/**
 * "不用给王芳记录了", "我在想要不要给流失的都打个VIP", "do not send coupons to …", "先不导出了": a write not asked for needs no
 * "did you mean" — the write gate declines the likeliest write and says so (it never runs: the mood is not affirmative).
 * Why apart: these turn the router's unsure readings into the write the message refuses, so the gate can say no to it.
 */
export function unaskedWrites({ services, getIntent, fallback, mayUse, prepare }: DialogueContext, focus: MemberFocus) {
  /**
   * A write read for another of its family by a word that is none of its verbs ("hold off on tagging 陈静 VIP" as
   * removing a tag, for "off"): the write of that family the message names by its word, if any.
   */
  const namedInstead = (text: string, read: string): IntentDef | undefined => {
    const name = namedWrite(text);
    return name && name !== read && intentFamily(name) === intentFamily(read) && !hasActionWord(read, text) ? getIntent(name) : undefined;
  };

  /**
   * A reading with no word of its own in the message ("do not log anything for 王芳" read as a ticket for "log", "what if we
   * recalled everyone on the churn list" as a batch tag): the write the message names by its word instead, of any family —
   * the words said beat a guess at them. A refused verb counts as its write's word (hasActionWord `refused`).
   */
  const namedOver = (text: string, read: string, refused: boolean): IntentDef | undefined => {
    const name = namedWrite(text);
    if (!name || name === read || hasActionWord(read, text)) return undefined;
    // Only when the named write is said by its verb, or the reading has no words listed to check (its guess stands otherwise).
    return hasActionWord(name, text, { refused }) || VERB_EN_INFLECTED.test(text) ? getIntent(name) : undefined;
  };

  /**
   * The likeliest write among the router's readings when the message negates, supposes, defers or relays it; null otherwise.
   * The write the router named but read as its read for want of an action word (`routed.unasked`: "do not send coupons
   * to …", "HQ says recall …") comes first, and is also the answer to a question weighing it ("should we label 陈静 as
   * 老客?": the gate answers with its read and reports the write). `named`: only writes the message asks for in words
   * (取消 with nothing held: "先不导出了", "no need to log that call" refuse the write they name, "算了" names none).
   */
  async function unaskedWrite(msg: InboundMessage, actor: Actor, routed: RouteResult, named = false): Promise<Reading | null> {
    const mood = analyseMood(msg.text);
    const declined = mood.negated || mood.hypothetical || mood.deferred || mood.reported;
    // So is one asking whether someone did it ("有人给她加过积分没", "has anyone added points to 王芳?"): the write's own
    // question, answered by its read, never done (asksAboutTheWrite; without a doer it asks for the record, the read).
    const weighed = mood.question && routed.unasked !== undefined && (WEIGHING.test(msg.text) || asksAboutTheWrite(msg.text, getIntent(routed.unasked.intent)));
    if (!declined && !weighed) return null;
    const names = Array.isArray(routed.slots.options) ? (routed.slots.options as string[]) : [];
    const others = routed.alternatives?.length ? routed.alternatives : names.map((intent) => ({ intent, slots: undefined as Record<string, unknown> | undefined, confidence: routed.confidence }));
    // The likeliest first: the unasked write's confidence is its own before it was read as its read.
    const readings = [...(declined ? others : []), ...(routed.unasked ? [routed.unasked] : [])].sort((a, b) => b.confidence - a.confidence);
    for (const r of readings) {
      const instead = declined ? (namedInstead(msg.text, r.intent) ?? namedOver(msg.text, r.intent, mood.negated)) : undefined;
      const intent = instead ?? getIntent(r.intent);
      if (!intent || intent.effect === 'read' || intent.effect === 'control' || !mayUse(actor, intent)) continue;
      if (named && (r.confidence < THRESHOLDS.optionFloor || !hasActionWord(intent.name, msg.text))) continue;
      const slots = (!instead && r.slots) || (await slotsAs(intent, msg.text, { audience: actor.kind, actor, services }));
      return { intent, route: { intent: intent.name, slots, confidence: r.confidence } };
    }
    return null;
  }

  /**
   * A write the message refuses, supposes, puts off or weighs by its word, where the router read its read, 取消 with
   * nothing held, or nothing sure ("hold off on the recall till monday", "先不导出了", "do not log anything for 王芳",
   * "is giving 陈静 100 points alright?"): that write, for the gate to decline (or answer, when weighed) — never run.
   * Only with an instruction verb in the message (a noun alone, "客户说积分不对", is no request; "别动王芳的积分"
   * and "no coupons for them this week" are), and never after a disclaimer.
   */
  async function refusedByName(msg: InboundMessage, actor: Actor, routed: RouteResult, cancelsNothing: boolean): Promise<Reading | null> {
    const routedIntent = getIntent(routed.intent);
    const read = routedIntent?.effect === 'read';
    const unsure = cancelsNothing || routed.intent === CLARIFY_INTENT || routed.intent === fallback.staff || SMALLTALK.test(routed.intent);
    // The router read another write than the one the message names by its word ("do not log anything for 王芳" read
    // as a ticket, "what if we recalled everyone" as a batch tag): the one named is what is refused.
    const otherWrite = routedIntent !== undefined && !read && routedIntent.effect !== 'control' && !unsure;
    // A write's gerund in a question counts as its verb ("is exporting a segment logged?": asksAboutTheAct below).
    if ((!read && !unsure && !otherWrite) || !speaksOfAWrite(msg.text, [VERB_ZH, VERB_EN, HANDS_OFF, NO_WRITE_EN, ACT_ASKED_EN])) return null;
    const mood = analyseMood(msg.text);
    // A disclaimer says what is NOT asked and then asks it ("不是要给陈静记录 我就问问她之前说过啥"): the router's read stands.
    if (mood.cues.some((c) => c.startsWith('disclaimer:'))) return null;
    const declined = mood.negated || mood.hypothetical || mood.deferred || mood.reported;
    // Weighed ("要不要…", "should we …"), or asked about as an act ("能不能给会员随便加积分", "is exporting a segment logged?").
    if (!declined && !(mood.question && (WEIGHING.test(msg.text) || asksAboutTheAct(msg.text)))) return null;
    const name = namedWrite(msg.text);
    const intent = name ? getIntent(name) : undefined;
    if (!intent || !mayUse(actor, intent)) return null;
    const misread = otherWrite && namedInstead(msg.text, routed.intent) === intent;
    // The refused verb counts as the named write's word ("do not log anything for 王芳": log under "not", read as a ticket).
    // So does its gerund in a question about the act ("what would logging a complaint do, does it open a ticket too?": the log first).
    const saidAsAct = mood.question && ACT_ASKED_EN.test(msg.text);
    if (otherWrite && !misread && (intentFamily(intent.name) === intentFamily(routed.intent) || (!hasActionWord(intent.name, msg.text, { refused: mood.negated }) && !saidAsAct))) return null;
    const slots = await slotsAs(intent, msg.text, { audience: actor.kind, actor, services });
    return { intent, route: { intent: intent.name, slots, confidence: routed.confidence } };
  }

  /** The write this message refuses or weighs, for the gate to decline (or answer); null when it refuses none. */
  return async function declineUnasked({ msg, memory, actor, routed, lang }: Turn, cancelsNothing: boolean): Promise<Plan | null> {
    // So is a write the router read as its read for want of an action word ("do not send coupons to …"), and one
    // refused with nothing held ("先不导出了", "no need to log that call": read as 取消, with nothing to cancel).
    const unasked =
      actor.kind === 'staff' && (routed.intent === CLARIFY_INTENT || routed.intent === fallback.staff || routed.unasked !== undefined || cancelsNothing)
        ? await unaskedWrite(msg, actor, routed, cancelsNothing)
        : null;
    // The member pointed at ("她的积分加过了吗", "别给她加了") is the one in focus, as for any write (focus.ts).
    const declined = unasked ?? (actor.kind === 'staff' ? await refusedByName(msg, actor, routed, cancelsNothing) : null);
    return declined ? prepare(memory, actor, declined.intent, focus.focused(memory, actor, declined.intent, declined.route, msg.text), msg.text, lang) : null;
  };
}

/** 取消 with nothing held: what it refuses, if anything, is a write it names. */
export const cancelsNothing = ({ memory, routed }: Turn) => routed.intent === CANCEL_INTENT && !memory.held;
