import { hasActionWord, listsActionWords } from '../../intents/router/action-words.ts';
import { slotsAs } from '../../intents/router/rules.ts';
import { isMemberPointer } from '../../intents/router/member-pointer.ts';
import type { IntentDef } from '../../intents/types.ts';
import { moodFor } from '../gate.ts';
import { assentNames } from '../understand/assent.ts';
import { analyseMood } from '../understand/mood.ts';
import { VERB_EN, VERB_ZH } from '../understand/lexicon.ts';
import { toSimplified } from '../../intents/router/traditional.ts';
import { REASON_SAID } from '../../intents/parse/service-text.ts';
import type { DialogueContext, Plan, Turn } from './context.ts';
import type { MemberFocus } from './focus.ts';
import { figuresOf, hasSlotNamed, withoutMemberRefs } from './member-refs.ts';

/** What leads a go-ahead: giving up the hesitation, "then", assent ("算了还是", "那就", "ok", "actually"). */
const LEAD = /^(?:(?:算了|还是|那就|那你|那|就|干脆|直接|好的?|行|嗯+|对|是的|可以|你|ok(?:ay)?|yes|yeah|sure|actually|alright|fine|then)[,，\s]*)+/i;
/** What ends one ("吧", "then", "now", "了"). */
const END = /(?:[,，\s]*(?:吧|呗|啊|了|一下|一个|个|上|掉|出去|then|now|please|pls|anyway|after all))+$/i;
/** A go-ahead that names no verb of its own ("do it", "go ahead", "办吧", "弄吧"): it can only mean the write just weighed. */
const GENERIC = /^(?:办|弄|搞|做|整|执行|改|do it|go ahead(?: and do it)?|proceed|let'?s do it|go for it|set (?:it|that|this) up|make it happen)$/i;
/**
 * A clause before the go-ahead that says the doubt is settled — a consent got, a check made ("老板同意了", "她同意了",
 * "我问过了", "查了", "确实没到", "确实要转", "the boss agreed", "I checked"): the user's own report, then their own go-ahead.
 */
const SETTLED = /^(?:认真的|说真的|真的|不开玩笑了?|不闹了|seriously|for real|no joke|not joking|jokes aside|[^\s，,。；;]{0,6}(?:同意了?|答应了?|批了|批准了?|点头了|没意见|问过了?|问了|查过了?|查了|核实(?:过|了)|核对(?:过|了)|确认过了?)|确实[^\s，,。；;]{0,6}|(?:the |my )?(?:boss|manager|she|he|they|customer)\s+(?:agreed|approved|said ok|said yes)|i (?:checked|asked)(?: (?:it|her|him|them))?)$/iu;
/**
 * The answer to the question just weighed, taken as settled before the go-ahead ("不影响的话就加上吧" after "…会不会影响她等级",
 * "没问题的话就发吧", "if not, go ahead", "if so then tag her"): the condition is the user's own, the go-ahead after it theirs.
 */
const IF_SETTLED = /^(?:(?:不|没)[^\s，,。；;]{0,6}|没问题|可以|行|能|没事|ok|可行)的话[\s，,]*(?:就|那就|那)?[\s，,]*|^if (?:not|so|it doesn'?t|it does(?:n'?t)?|that'?s (?:fine|ok(?:ay)?|the case)|ok(?:ay)?|yes|no)\b[\s,]*(?:then\s+)?/i;
/** What someone else said, told after the go-ahead as its reason ("关了吧 客户说已经满意了"): a fact, not their order. */
const relayedFact = (extra: string): boolean => {
  const m = analyseMood(extra);
  return m.reported && !m.negated && !m.deferred && !m.hypothetical && !m.question && !VERB_ZH.test(extra.replace(/^[^说]*说/u, '')) && !VERB_EN.test(extra);
};

/** A pointer at the member the write was about, said with the verb ("还是给她打上吧"): no one new. */
const TO_POINTER = /^(?:给|帮|替|把)?\s*([他她]|him|her)\s*/i;

/**
 * The core of a short go-ahead without its lead, end, pointer and figures ("算了还是发吧 20块的" → "发"); null when the
 * message is longer than a go-ahead or is not put as one.
 */
export function goAheadCore(raw: string): string | null {
  // The reason said with it ("行 那就加吧 原因 老客回馈") is a slot too (goAheadAfterDecline), not part of the go-ahead.
  const t = toSimplified(raw).normalize('NFKC').trim().replace(REASON_SAID, '').replace(/[\s。.!！~～]+$/u, '');
  if (!t || [...t].length > 24) return null;
  // The figures said with it ("20块的", "100分") are slots, not the verb.
  const words = t.replace(/[\s,，]*\d+(?:\.\d+)?\s*(?:块钱?的?|元的?|分的?|积分|points?|天后?|%)?/giu, ' ').trim();
  const core = words.replace(LEAD, '').replace(TO_POINTER, '').replace(END, '').trim();
  return core && [...core].length <= 12 ? core : null;
}

/**
 * A go-ahead with more around it: settled-doubt clauses before it ("老板同意了 发吧", "查了 确实没到 加吧"), and after it
 * what the write takes (figures, a priority, a reason: "开吧 高优先级", "加吧 补积分"). `extra` is what follows the go-ahead.
 */
export function goAheadParts(raw: string, intent: string): { core: string; extra: string } | null {
  const whole = goAheadCore(raw);
  if (whole && namesTheWrite(whole, intent)) return { core: whole, extra: '' };
  const clauses = toSimplified(raw).normalize('NFKC').trim().split(/[\s,，。；;!！]+/u).filter(Boolean);
  while (clauses.length > 1 && SETTLED.test(clauses[0]!)) clauses.shift();
  for (let k = clauses.length; k >= 1; k--) {
    const core = goAheadCore(clauses.slice(0, k).join(' '));
    if (core && namesTheWrite(core, intent)) return { core, extra: clauses.slice(k).join(' ') };
  }
  return null;
}

/**
 * Whether a go-ahead's core names the write `intent`, or nothing ("do it"): the one rule of what goes ahead with a write.
 * Its own verb said as an order — at most a verb and its object pronoun ("打", "发", "导出来", "send it") — in the words the
 * router reads for that write (action-words.ts), or for a write held for 确认 the verbs that confirm it (assent.ts:
 * "转过去" for a transfer, which has no words listed there). A write with neither takes only the generic go-ahead.
 */
export function namesTheWrite(core: string, intent: string): boolean {
  if (GENERIC.test(core)) return true;
  const ownVerb = /^[a-z]/i.test(core) ? core.split(/\s+/).length <= 3 : [...core].length <= 3;
  return ownVerb && ((listsActionWords(intent) && hasActionWord(intent, core)) || assentNames(core, intent));
}

/**
 * "还是打上吧", "算了还是发吧 20块的", "ok do it then" right after the bot declined or weighed a write (nothing ran, nothing
 * held): that write, with its structured slots and the figures said now, through the same gates — a write that holds
 * (a recall, a batch, an export, a transfer, a deduction) is previewed for 确认, never run. Only when this message is
 * itself an affirmative go-ahead (no question) from the same sender (memory is per sender) that names that write's own
 * action or none (namesTheWrite), names no other member, and the sender may make it. Why apart: assent is the one word
 * that runs a write, so it counts only for the write the previous turn named. (A go-ahead while a write waits for 确认
 * is its confirmation: held-action.ts.)
 */
export function goAheadAfterDecline({ services, getIntent, mayUse, prepare }: DialogueContext, focus: MemberFocus) {
  return async function goAhead({ msg, memory, actor, lang, routed }: Turn): Promise<Plan | null> {
    const previous = memory.previous;
    if (actor.kind !== 'staff' || memory.held || !previous) return null;
    const write: IntentDef | undefined = getIntent(previous.intent);
    if (!write || write.effect === 'read' || write.effect === 'control' || !mayUse(actor, write)) return null;
    // Only a write the previous turn declined or weighed (one that ran, or held, is not asked again by assent).
    if (moodFor(write, previous.text).affirmative) return null;
    // "好吧 那就打召回中 全部打上" after a relayed "…能不能给所有流失客户打标签": the same write said anew with a lead of assent —
    // the earlier slots it does not restate (the list) go on, what it says now wins.
    if (routed.intent === write.name && LEAD.test(toSimplified(msg.text).normalize('NFKC').trim()) && moodFor(write, msg.text).affirmative && !analyseMood(msg.text).question) {
      const said = { ...routed.slots, ...figuresOf(await slotsAs(write, msg.text, { audience: actor.kind, actor, services })) };
      const other = ['phone', 'memberNo', 'name'].some((k) => said[k] !== undefined && said[k] !== previous.slots[k] && !isMemberPointer(String(said[k])));
      const slots = { ...figuresOf(previous.slots), ...said };
      // Only when that makes the write whole: a party still missing is the hand-over's own reader's (transfer-party.ts).
      if (!other && write.slots.safeParse(slots).success) {
        const route = { ...routed, slots };
        return prepare(memory, actor, write, await focus.byNumber(route, focus.previousRefs(memory), msg, actor), msg.text, lang);
      }
    }
    // A condition on the answer to a question just weighed is settled by the user ("不影响的话就加上吧"): read what follows.
    const weighed = analyseMood(previous.text).question || analyseMood(previous.text).hypothetical;
    const whole = toSimplified(msg.text).normalize('NFKC').trim();
    const ifSettled = weighed ? IF_SETTLED.exec(whole) : null;
    const goText = ifSettled && whole.length > ifSettled[0].length ? whole.slice(ifSettled[0].length) : msg.text;
    const parts = goAheadParts(goText, write.name);
    // A fact relayed after the go-ahead ("关了吧 客户说已经满意了") is its reason: the mood is the go-ahead's own.
    const firstExtra = parts?.extra.split(' ')[0];
    const goRead = toSimplified(goText).normalize('NFKC');
    const own = parts && firstExtra && relayedFact(parts.extra) ? goRead.slice(0, goRead.indexOf(firstExtra)) : goText;
    if (!parts || !moodFor(write, own).affirmative || analyseMood(own).question) return null;
    // What follows the go-ahead is what the write takes (a figure, a priority, its reason), never another request.
    if (parts.extra && (VERB_ZH.test(parts.extra) || VERB_EN.test(parts.extra)) && !hasActionWord(write.name, parts.extra)) return null;
    const now = await slotsAs(write, msg.text, { audience: actor.kind, actor, services });
    // A member named now is another request ("给陈静打吧"), not the go-ahead of the one declined.
    if (now.phone !== undefined || now.memberNo !== undefined || (now.name !== undefined && !isMemberPointer(String(now.name)) && now.name !== previous.slots.name)) return null;
    // A reason said with the go-ahead is the write's reason (its free text is never carried from the message otherwise).
    const said = hasSlotNamed(write, 'reason') ? REASON_SAID.exec(toSimplified(msg.text).normalize('NFKC'))?.[1]?.trim().replace(/[。.!！]+$/u, '') : undefined;
    // "加吧 补积分": the words after the go-ahead, without its figures, are the reason when none was given.
    const after = parts.extra.replace(/\d+(?:\.\d+)?\s*(?:块钱?的?|元的?|分的?|积分|points?)?/giu, ' ').trim();
    const reason = said ?? (hasSlotNamed(write, 'reason') && !previous.slots.reason && after ? after : undefined);
    const route = { intent: write.name, slots: { ...previous.slots, ...withoutMemberRefs(figuresOf(now)), ...(reason ? { reason } : {}) }, confidence: 1 };
    const carried = focus.previousRefs(memory);
    // The gate reads the go-ahead as said, without the condition settled before it or the fact relayed after it.
    return prepare(memory, actor, write, await focus.byNumber(route, carried, msg, actor), own === msg.text ? msg.text : own.trim(), lang);
  };
}
