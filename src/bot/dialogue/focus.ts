import { resolveMember } from '../../crm/customers/index.ts';
import { anyWord, CORRECTION } from '../understand/lexicon.ts';
import { MEMBER_POINTER, pointsAtMember } from '../../intents/router/member-pointer.ts';
import { intentFamily, type IntentDef } from '../../intents/types.ts';
import { withFocus } from '../conversation.ts';
import { moodFor } from '../gate.ts';
import type { TurnMemory } from '../memory.ts';
import type { Actor, InboundMessage, RouteResult } from '../types.ts';
import { PLURAL_POINTER, THE_LISTED, type DialogueContext } from './context.ts';
import { MEMBER_REF, namesMember, takesMember, withoutMemberRefs } from './member-refs.ts';

/**
 * A request that goes on with the one just handled ("再加个VIP", "也给她…", "顺便记一下", "不对 去掉VIP"):
 * a write takes the member in focus as if pointed at.
 */
// …or opens with a correction word (CORRECTION in lexicon.ts: "不对 去掉VIP", "搞错了 …").
const GOES_ON = new RegExp(`^\\s*(?:再|也|还要?|顺便|另外|然后|同时|${anyWord([...CORRECTION.wrongZh, ...CORRECTION.ohNoZh])})|\\b(?:also|too|as well)\\b`, 'i');
/** Every pointer at the member in focus in a message (member-pointer.ts's words). */
export const EVERY_POINTER = new RegExp(MEMBER_POINTER.source, 'gi');

/**
 * The member a request that names nobody is about: the member in focus (a read as is, a write only when pointed at
 * or going on), or the member of the turn just before when a write there did not run. Why here: which member a
 * follow-up means is the one rule a write must never guess — every path that fills a member goes through these.
 */
export function memberFocus({ services, getIntent, mayUse }: DialogueContext) {
  /**
   * A write asked for in the turn right after an answer about the member in focus ("加200积分 原因家庭日回访" after
   * her orders, "记一下 今天打电话过去没人接" after her interactions): it goes on with that member, as "再…" does.
   * Only the very next turn, only after a read that answered about that one member (by number, as found), only an
   * affirmative instruction, and never one that speaks of several people ("给他们…") — otherwise 哪位会员？ as before.
   */
  const rightAfter = (memory: TurnMemory, intent: IntentDef, text: string) => {
    const focus = memory.focus();
    const last = memory.last();
    const previous = memory.previous;
    if (!focus || !previous || intent.effect === 'read' || intent.effect === 'control') return false;
    const answeredAbout = last !== null && previous.intent === last.intent && previous.text === last.text && last.slots.memberNo === focus.memberNo && getIntent(last.intent)?.effect === 'read';
    // "高价值那个去掉吧 打错了" right after 给他加个商务宴请 was asked for him: a write of the same family (the tags) goes on
    // with the member the write just made was about — by number, as that write took them from focus.
    const wrote = getIntent(previous.intent);
    // Not while an action waits for 确认: a follow-up of its family changes that one (held-change.ts), never adds a second.
    const wroteOn = !memory.held && wrote !== undefined && wrote.effect !== 'read' && wrote.effect !== 'control' && previous.slots.memberNo === focus.memberNo && intentFamily(wrote.name) === intentFamily(intent.name) && moodFor(wrote, previous.text).affirmative;
    return (answeredAbout || wroteOn) && !PLURAL_POINTER.test(text) && !THE_LISTED.test(text) && moodFor(intent, text).affirmative;
  };

  /** The member the previous turn named (its phone, number or name as said): none when it named none. */
  const previousRefs = (memory: TurnMemory) => {
    const slots = memory.previous?.slots ?? {};
    const refs = Object.fromEntries(MEMBER_REF.filter((k) => slots[k] !== undefined).map((k) => [k, slots[k]]));
    return Object.keys(refs).length > 0 ? refs : null;
  };

  /**
   * "don't add points to 13800000014" → "actually yes, add 100, reason 生日礼": the same write asked for now, right after
   * it was refused (or weighed), goes on with the member the refused one named — the instruction is explicit now.
   */
  const againAfterRefusal = (memory: TurnMemory, intent: IntentDef, text: string) => {
    const previous = memory.previous;
    return previous !== null && previous.intent === intent.name && !moodFor(intent, previous.text).affirmative && moodFor(intent, text).affirmative && previousRefs(memory) !== null && !PLURAL_POINTER.test(text);
  };

  /**
   * "先别给王芳加分" → "回访了她 记一下": the member a declined write named stays in focus for the very next turn, by the
   * same rules as the focus after an answer — a read pointed at them, a write only when this message
   * asks for it affirmatively, never one that speaks of several people. It wins over an older focus: it was named last.
   */
  const stillInFocus = (intent: IntentDef, text: string) => {
    if (PLURAL_POINTER.test(text) || THE_LISTED.test(text)) return false;
    // A read only when pointed at them: "积分还剩多少" alone after a refusal still asks who (turn.test.ts).
    if (intent.effect === 'read') return pointsAtMember(text);
    return intent.effect !== 'control' && moodFor(intent, text).affirmative;
  };

  /** Whether the turn just before asked a write that did not run (declined, weighed, or not the sender's to make). */
  const declinedJustNow = (memory: TurnMemory, actor: Actor) =>
    memory.previous !== null && ((w) => w !== undefined && w.effect !== 'read' && w.effect !== 'control' && (!moodFor(w, memory.previous!.text).affirmative || !mayUse(actor, w)))(getIntent(memory.previous.intent));

  /**
   * The member of the turn just before when nobody is in focus: "那帮我看下他的等级" after "给周杰加100积分" was declined
   * (a declined write sets no focus) — a read pointed at "him", or the refused write asked for again. Declined by the
   * sender's role too: "13800000007扣50分" from a service agent (no points.adjust) → "那帮我看下她积分还剩多少" is 陈静's.
   */
  const previousMember = (memory: TurnMemory, actor: Actor, intent: IntentDef, route: RouteResult, text: string): RouteResult | null => {
    const refs = previousRefs(memory);
    if (!refs || namesMember(route.slots) || !takesMember(intent) || PLURAL_POINTER.test(text)) return null;
    // Only after a write that did not run (not asked for, weighed, or not the sender's to make): one that ran set the focus itself.
    const declinedWrite = memory.previous !== null && ((w) => w !== undefined && w.effect !== 'read' && (!moodFor(w, memory.previous!.text).affirmative || !mayUse(actor, w)))(getIntent(memory.previous.intent));
    // A write pointed at "him" too ("那帮我记一下他到店投诉上菜慢" after 给刘洋扣100分 was not the sender's to make): asked for in words.
    const pointed = (intent.effect === 'read' || moodFor(intent, text).affirmative) && memory.focus() === null && pointsAtMember(text) && declinedWrite;
    return pointed || againAfterRefusal(memory, intent, text) || (declinedWrite && stillInFocus(intent, text)) ? { ...route, slots: { ...route.slots, ...refs } } : null;
  };

  /**
   * A member carried over from the turn before as it was said there (a name, a phone): reported by member number, as a
   * member found in focus is — "那帮我看下他的等级" after "给周杰加100积分" was declined is M00000012's level. Left as
   * said when it is not exactly one member the sender sees (the run then says who was not found, or asks which one).
   */
  async function byNumber(route: RouteResult, carried: Record<string, unknown> | null, msg: InboundMessage, actor: Actor): Promise<RouteResult> {
    if (!carried || actor.kind !== 'staff' || route.slots.memberNo !== undefined || !MEMBER_REF.some((k) => carried[k] !== undefined && route.slots[k] === carried[k])) return route;
    const r = await resolveMember({ services, actor, channel: msg.channel, requestId: msg.requestId }, carried as Parameters<typeof resolveMember>[1]);
    if (r.kind !== 'one') return route;
    const rest = withoutMemberRefs(route.slots);
    return { ...route, slots: { ...rest, memberNo: r.member.memberNo } };
  }

  /**
   * "佣金呢" right after 张伟's KOC figures: a short "X呢" read as the same intent again goes on about the member the
   * last answer was about (the ranking of everyone is asked with words of its own: "KOC排行").
   */
  const sameQuestionOn = (memory: TurnMemory, intent: IntentDef, text: string) => {
    const last = memory.last();
    const t = text.normalize('NFKC').trim();
    return last !== null && last.intent === intent.name && last.slots.memberNo === memory.focus()?.memberNo && [...t].length <= 12 && /^(?:那|那么|还有)?[^\s，,。]{1,8}呢[?？]*$|^(?:and|what about|how about) (?:the )?[a-z]+(?: [a-z]+)?[?？]*$/i.test(t) && !PLURAL_POINTER.test(t);
  };

  /**
   * The member in focus fills a request that names nobody. A read takes it as is ("最近的订单呢");
   * a write or send only when the request points at them ("给他打个VIP标签"): "打个VIP标签" alone
   * asks which member instead of tagging whoever was looked up last.
   */
  const focused = (memory: TurnMemory, actor: Actor, intent: IntentDef, route: RouteResult, text: string) => {
    const declined = actor.kind === 'staff' && declinedJustNow(memory, actor) && previousRefs(memory) !== null;
    if (actor.kind !== 'staff' || (intent.effect !== 'read' && !pointsAtMember(text) && !GOES_ON.test(text) && !rightAfter(memory, intent, text) && !againAfterRefusal(memory, intent, text) && !(declined && stillInFocus(intent, text)))) return route;
    // The member a declined write named is the one in focus for the next turn (stillInFocus): asked before the older focus.
    const fromDeclined = declined ? previousMember(memory, actor, intent, route, text) : null;
    if (fromDeclined) return fromDeclined;
    const needed = withFocus(intent.rule.requires, route, memory.focus());
    if (needed) return needed;
    const fromPrevious = previousMember(memory, actor, intent, route, text);
    if (fromPrevious) return fromPrevious;
    // A read whose member is optional ("her koc stats") takes the member in focus only when pointed at.
    const focus = memory.focus();
    if (focus && takesMember(intent) && intent.effect === 'read' && (pointsAtMember(text) || sameQuestionOn(memory, intent, text)) && !namesMember(route.slots)) return { ...route, slots: { ...route.slots, memberNo: focus.memberNo } };
    return route;
  };

  /**
   * "他上个月消费了多少" with a member in focus, read as a store's dashboard: a read of nobody is not about "him" —
   * the likeliest reading of the router's that reads a member, for the one in focus. Null when that is not the case.
   */
  const aboutFocusInstead = (memory: TurnMemory, actor: Actor, intent: IntentDef, routed: RouteResult, text: string): { intent: IntentDef; route: RouteResult } | null => {
    const pointed = actor.kind === 'staff' && memory.focus() && intent.effect === 'read' && !takesMember(intent) && pointsAtMember(text) && !PLURAL_POINTER.test(text);
    // The store-wide read's question about one member when its words say which record ("他那个投诉单超时了是吧": his
    // tickets — IntentDef.aboutOneMember), else the router's next reading of one member (the model may rank the
    // interactions above the tickets the words name).
    const ownName = pointed ? intent.aboutOneMember?.(routed.slots as never) : undefined;
    const own = ownName ? getIntent(ownName) : undefined;
    const aboutOne = pointed
      ? ((own && own.effect === 'read' && takesMember(own) && mayUse(actor, own) ? { a: { intent: own.name, slots: {}, confidence: routed.confidence }, def: own } : undefined) ??
        routed.alternatives?.map((a) => ({ a, def: getIntent(a.intent) })).find(({ def }) => def && def.effect === 'read' && takesMember(def) && mayUse(actor, def)))
      : undefined;
    return aboutOne?.def ? { intent: aboutOne.def, route: focused(memory, actor, aboutOne.def, { ...aboutOne.a, intent: aboutOne.def.name }, text) } : null;
  };

  return { focused, previousRefs, byNumber, aboutFocusInstead };
}

export type MemberFocus = ReturnType<typeof memberFocus>;
