import { can } from '../../crm/kernel/index.ts';
import { resolveMember } from '../../crm/customers/index.ts';
import { tagDictionary } from '../../crm/engagement/index.ts';
import { t, type Lang } from '../../i18n/index.ts';
import { slotsAs } from '../../intents/router/rules.ts';
import { findStore, storeDirectory } from '../../intents/router/stores.ts';
import { CLARIFY_INTENT, LOW_CONFIDENCE } from '../../intents/router/types.ts';
import { hasActionWord } from '../../intents/router/action-words.ts';
import { MEMBER_POINTER, pointsAtFocus, pointsAtMember } from '../../intents/router/member-pointer.ts';
import { THRESHOLDS } from '../../intents/router/combined.ts';
import type { IntentDef } from '../../intents/types.ts';
import type { Services } from '../../services.ts';
import { choiceCard, clarifyingQuestion, MAX_OPTIONS, type ClarifyOption } from '../clarify.ts';
import { actorKey, newTaskId, peekAction } from '../confirmation.ts';
import { registerCardTask } from '../card-action.ts';
import { moodFor, slotsOf } from '../gate.ts';
import { assentNames, assentOf, holdsBack } from '../understand/assent.ts';
import { analyseMood } from '../understand/mood.ts';
import { DEFER_END_ZH, TRAILING_IDENTIFIER, VERB_EN, VERB_ZH, WEIGHING } from '../understand/lexicon.ts';
import { asksAboutOthers, claimsToBeStaff, isViewRequest, namedMemberWrite, namedWrite, speaksOfAWrite } from '../understand/requests.ts';
import { correctionOf } from '../understand/routing-text.ts';
import { withFocus } from '../conversation.ts';
import type { TurnMemory } from '../memory.ts';
import type { Actor, InboundMessage, IntentResult, RouteResult } from '../types.ts';
import { asksAboutTheAction, readOfAction } from './about-action.ts';
import { asksWhoIsReached } from './held-audience.ts';
import { detailAnswer, memberAnswer, narrowsWithoutPicking, pickAnswer, type Answer } from './answers.ts';
import { ambiguousMembers } from './member-list.ts';
import { missingDetail, type AskedNeed } from './missing.ts';
import { memberAndRest } from './member-and-rest.ts';
import { ordinalChoice } from './ordinal.ts';
import { optionNamed } from './option-word.ts';
import { pickByTrait } from './pick-trait.ts';
import { insteadFigure } from './instead.ts';
import { shortTicketDigits, ticketBySuffix } from './ticket-ref.ts';
import { asksForDetail, listedItems, pointedRow } from './list-pick.ts';
import { repeatedFor } from './repeat.ts';
import { refine, slotFor, type RefineLookups } from './refine.ts';
import { classifyUnmatched, shortReply, twoExamples } from './short-reply.ts';
import type { LastAnswer, Pending } from './state.ts';

/**
 * What to do with this message: the bot answers itself (`reply`: a question, a short reply to
 * small talk) or an intent runs through the pipeline's one run path (authorize, confirmation,
 * safety gate) — `text` is the request it runs for: the message itself, or, when the message
 * answered the bot's question ("2", "13800000003"), the original request.
 */
export type Plan =
  | { kind: 'reply'; route: RouteResult; result: IntentResult }
  | { kind: 'run'; intent: IntentDef; route: RouteResult; text: string; picked?: boolean };

export interface DialogueDeps {
  services: Services;
  getIntent: (name: string) => IntentDef | undefined;
  /** Each audience's answer to anything unrecognised (the help intents). */
  fallback: { staff: string; member: string };
}

const NEED_TEXT = { member: 'dialogue.needMember', tag: 'dialogue.needTag', points: 'dialogue.needPoints', reason: 'dialogue.needReason' } as const satisfies Record<AskedNeed, string>;
const MEMBER_REF = ['phone', 'memberNo', 'name'];
/** Free text a request keeps (its reason, content): a change of a held figure or a repeat for another member never rewrites it. */
const FREE_TEXT = ['text', 'content', 'title', 'reason', 'note', 'message'];
/** A member list's card shows this many (template_card button_list: at most 6). */
const MAX_CARD_OPTIONS = 6;
/** "那第二个呢", "what about the first one": another of the members listed, asked the same. */
const ANOTHER_LEAD = /^\s*(?:那么?|还有|那就|再看看?|再|and|what about|how about)\s*/i;
/**
 * "那周杰呢", "周杰的呢", "what about 13800000005": another member named with 呢 (or "what about")
 * after an answer about a member asks the same question about them — a name alone is a look-up,
 * but a name with 呢 points back at the question just answered.
 */
const ANOTHER_MEMBER = /^\s*(?:那么?|那就|还有|再看看?)?\s*(.+?)\s*(?:的呢|呢)\s*[?？]*\s*$|^\s*(?:and|what about|how about)\s+(.+?)\s*[?？]*\s*$/i;
/**
 * A request that goes on with the one just handled ("再加个VIP", "也给她…", "顺便记一下", "不对 去掉VIP"):
 * a write takes the member in focus as if pointed at.
 */
const GOES_ON = /^\s*(?:再|也|还要?|顺便|另外|然后|同时|不对|不是|错了|搞错了)|\b(?:also|too|as well)\b/i;
/** "改成30的", "换成 50", "make it 25": a change to one bare number. */
const BARE_NUMBER = /^(\s*(?:改成|换成|改为|改|换|(?:change|make|switch) (?:it|that)(?: to)?|change to)?\s*)(\d+(?:\.\d+)?)(\s*(?:的|吧|块的|instead)?\s*)$/i;
/** "改成…", "换成…", "不对 改为…": the message changes a figure of what was just said. */
const CHANGE_LEAD = /^\s*(?:(?:不对|不是|错了)[，,\s]*)?(?:(?:标签|金额|券|门店|店|名单|人群包?|时间|积分|数量|条件)\s*)?(?:改成|换成|改为|换为|改一下|改)\s*\S|^\s*(?:change|switch|make) (?:it|that|the \w+) (?:to|into)\b/i;
/** The people just listed ("给他们都打上召回中" after the churn list). */
const THE_LISTED = /他们|她们|这些人?|这批人?|这几(?:个|位)人?|名单上的|上面的人|全部|全都|所有人|都|\b(?:them|these|those|all of them|everyone|everybody|all)\b/i;
/** "别动王芳的积分", "don't touch her points": hands off the thing named, a refusal of its write. */
const HANDS_OFF = /(?:别|不要|不准|先别)(?:去)?(?:动|碰)|\b(?:don'?t|do not) touch\b/i;
/** "那查我自己的", "我的呢", "what about mine": the member's own account, asked again. */
const MY_OWN = /^(?:那|那就|还是)?(?:查|看)?(?:一下|下)?我(?:自己)?的(?:呢|吧|就行|就好)?[?？。.!！]*$|^(?:what about|and|just)? ?(?:mine|my own)[?？.!]*$/i;
/** A message put as a question ("她还有别的工单吗", "any other tickets?"): a new question, never content. */
const ASKS = /(?:[?？]|吗|么|呢|没有?)[\s。.!！~～]*$|^(?:how|did|what|which|who|where|when|is|are|does|do|any|has|have)\b/i;
/** Small talk of either audience. */
const SMALLTALK = /(?:^|\.)smalltalk$/;
/** 取消: what a refusal of the bot's question may be routed as. */
const CANCEL_INTENT = 'action.cancel';
/** 确认: what a refinement ending in "就行" may be routed as. */
const CONFIRM_INTENT = 'action.confirm';
/** "他们", "them": the people of a list, never the member in focus. */
const PLURAL_POINTER = /[他她]们|\b(?:they|them|their)\b/i;
/** Every pointer at the member in focus in a message (member-pointer.ts's words). */
const EVERY_POINTER = new RegExp(MEMBER_POINTER.source, 'gi');
/** Whether an intent's slots have one of that name. */
const hasSlotNamed = (intent: IntentDef, name: string) => name in ((intent.slots as unknown as { shape?: object }).shape ?? {});
/** Whether an intent reads or writes one member (its slots take a member number). */
const takesMember = (intent: IntentDef) => hasSlotNamed(intent, 'memberNo');
/** A request's slots without its member reference (phone, number or name), to put another member in. */
const withoutMemberRefs = (slots: Record<string, unknown>) => Object.fromEntries(Object.entries(slots).filter(([k]) => !MEMBER_REF.includes(k)));
/** The update of a ticket: a follow-up may name its ticket by the end of its number, or not at all (ticket-ref.ts). */
const TICKET_UPDATE = 'ticket.update';
/** A reply that declines the bot's question ("算了", "不用了", "no"): nothing runs. */
const REFUSAL = /^\s*(?:不|别|没|算了|不用|不要|取消|先不|no\b|nope|don'?t|do not|cancel|never ?mind|stop|forget it)/i;

/** What may come before a refusal of the bot's question ("那还是别扣了", "要不先不打了", "嗯 算了不加了"). */
const REFUSAL_LEAD = /^\s*(?:(?:那|那就|还是|要不然?|嗯+|哦|好吧|算了)[\s，,]*)+/u;

/** The words of giving up (算了, 不用了, never mind) and what may come around them without saying anything. */
const GIVE_UP = /算了吧?|罢了|拉倒吧?|不用了|不要了|取消吧?|never ?mind|forget it|cancel(?: it)?/gi;
const REMARK_FILLER = /[\s\p{P}]|^(?:哦|噢|喔|嗯|啊|哈+|那|好吧|行吧|ok(?:ay)?|oh|ah)+|(?:吧|啊|呀|了|哈|嘛)+$/giu;
/** "哦 那是静安的 算了": giving up said with words of its own (at least two characters besides the fillers). */
function remarkAroundCancel(raw: string): boolean {
  const text = raw.normalize('NFKC').trim();
  if (!GIVE_UP.test(text)) return false;
  GIVE_UP.lastIndex = 0;
  const rest = text.replace(GIVE_UP, ' ').split(/[\s,，。.!！?？]+/u).map((w) => w.replace(REMARK_FILLER, '')).join('');
  // "等下 取消" is a wait and a cancel, no remark: words of waiting say nothing of their own.
  const mood = analyseMood(text);
  return [...rest.replace(/^(?:等下|等等|等一下|稍等|先|hold on|wait)+/iu, '')].length >= 2 && !mood.question && !mood.deferred;
}

/** Refusal, deferral or supposition cues of a reply's own that open it ("等会再说…", "先别…") or close it ("…再说吧"). */
function opensWithdrawn(raw: string): boolean {
  const text = raw.normalize('NFKC').trim();
  if (DEFER_END_ZH.test(text.replace(/[\s。.!！~～]+$/u, ''))) return true;
  return analyseMood(text).cues.some((cue) => {
    const [kind, hit] = cue.split(':');
    return (kind === 'neg' || kind === 'defer' || kind === 'hypo') && hit !== undefined && text.indexOf(hit) <= 1;
  });
}

/**
 * The conversation around the router (docs/intents.md, Conversation): numbered clarification,
 * slot filling, the pick from a list of members, refinements of the last answer, the short
 * reply to what is not understood. State per sender in Redis (state.ts), for the conversation's TTL, read and written once a turn through src/bot/memory.ts.
 */
export function createDialogue({ services, getIntent, fallback }: DialogueDeps) {
  const mayUse = (actor: Actor, intent: IntentDef) =>
    intent.audience === actor.kind && (!intent.permission || (actor.kind === 'staff' && can(actor, intent.permission)));

  /** Ask for the first missing detail (remembering the request), or run. */
  async function prepare(memory: TurnMemory, actor: Actor, intent: IntentDef, route: RouteResult, text: string, lang: Lang): Promise<Plan> {
    // Not asked when the actor may not use it anyway: the run path refuses in one line.
    // Nor for a write that was not asked for ("不用建单了"): the run path's write gate answers it.
    const asked = intent.effect === 'read' || intent.effect === 'control' || moodFor(intent, text).affirmative;
    const need = asked && mayUse(actor, intent) ? missingDetail(intent, route.slots) : null;
    if (!need) return { kind: 'run', intent, route, text };
    memory.savePending({ kind: 'fill', text, intent: intent.name, slots: route.slots, need });
    return { kind: 'reply', route: { ...route, intent: intent.name }, result: { text: t(lang, NEED_TEXT[need]), outcome: 'asked', data: { asked: need } } };
  }

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
    if (!focus || !last || !previous || intent.effect === 'read' || intent.effect === 'control') return false;
    const answeredAbout = previous.intent === last.intent && previous.text === last.text && last.slots.memberNo === focus.memberNo && getIntent(last.intent)?.effect === 'read';
    return answeredAbout && !PLURAL_POINTER.test(text) && !THE_LISTED.test(text) && moodFor(intent, text).affirmative;
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
   * The member of the turn just before when nobody is in focus: "那帮我看下他的等级" after "给周杰加100积分" was declined
   * (a declined write sets no focus) — a read pointed at "him", or the refused write asked for again. Declined by the
   * sender's role too: "13800000007扣50分" from a service agent (no points.adjust) → "那帮我看下她积分还剩多少" is 陈静's.
   */
  const previousMember = (memory: TurnMemory, actor: Actor, intent: IntentDef, route: RouteResult, text: string): RouteResult | null => {
    const refs = previousRefs(memory);
    if (!refs || MEMBER_REF.some((k) => route.slots[k] !== undefined) || !takesMember(intent) || PLURAL_POINTER.test(text)) return null;
    // Only after a write that did not run (not asked for, weighed, or not the sender's to make): one that ran set the focus itself.
    const declinedWrite = memory.previous !== null && ((w) => w !== undefined && w.effect !== 'read' && (!moodFor(w, memory.previous!.text).affirmative || !mayUse(actor, w)))(getIntent(memory.previous.intent));
    const pointedRead = intent.effect === 'read' && memory.focus() === null && pointsAtMember(text) && declinedWrite;
    return pointedRead || againAfterRefusal(memory, intent, text) ? { ...route, slots: { ...route.slots, ...refs } } : null;
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
    if (actor.kind !== 'staff' || (intent.effect !== 'read' && !pointsAtMember(text) && !GOES_ON.test(text) && !rightAfter(memory, intent, text) && !againAfterRefusal(memory, intent, text))) return route;
    const needed = withFocus(intent.rule.requires, route, memory.focus());
    if (needed) return needed;
    const fromPrevious = previousMember(memory, actor, intent, route, text);
    if (fromPrevious) return fromPrevious;
    // A read whose member is optional ("her koc stats") takes the member in focus only when pointed at.
    const focus = memory.focus();
    if (focus && takesMember(intent) && intent.effect === 'read' && (pointsAtMember(text) || sameQuestionOn(memory, intent, text)) && !MEMBER_REF.some((k) => route.slots[k] !== undefined)) return { ...route, slots: { ...route.slots, memberNo: focus.memberNo } };
    return route;
  };

  /** The router found nothing it was sure of, or found the request being answered again: the message may answer. */
  const weak = (actor: Actor, routed: RouteResult, intent?: string) =>
    routed.intent === fallback[actor.kind] || routed.confidence < LOW_CONFIDENCE || routed.intent === intent || !getIntent(routed.intent);

  /** The message answering the bot's open question, as the request to run now; null when it is a new request. */
  async function resume(msg: InboundMessage, memory: TurnMemory, actor: Actor, pending: Pending, routed: RouteResult, lang: Lang): Promise<Plan | null> {
    if (pending.kind === 'choose') {
      // "2", "第二个" — or the option's own word: "订单那个", "the tickets one" (option-word.ts).
      const i = ordinalChoice(msg.text, pending.options.length) ?? optionNamed(msg.text, pending.options.map((o) => o.intent));
      const chosen = i === null ? undefined : pending.options[i];
      const intent = chosen && getIntent(chosen.intent);
      if (!chosen || !intent) return null;
      const route = focused(memory, actor, intent, { intent: intent.name, slots: chosen.slots, confidence: 1 }, pending.text);
      const plan = await prepare(memory, actor, intent, route, pending.text, lang);
      // Picked from the question: the answer names its member by number, as found (a refinement's does too).
      return plan.kind === 'run' ? { ...plan, picked: true } : plan;
    }
    const intent = getIntent(pending.intent);
    if (!intent) return null;
    let answer: Answer | null;
    // "不对 不是她 是13800000012": a correction of whom the request is about answers with what it says instead.
    let said = msg.text;
    for (let fixed = correctionOf(said); fixed !== null && fixed !== said; fixed = correctionOf(said)) said = fixed;
    if (pending.kind === 'pick') {
      answer = pickAnswer(said, pending.candidates) ?? (await pickByTrait(services, said, pending.candidates));
      // "徐汇店的" with two of 徐汇 in the list: still a pick to make — asked again, the list kept ("VIP那个" may follow).
      if (!answer && narrowsWithoutPicking(said, pending.candidates)) {
        memory.savePending(pending);
        return { kind: 'reply', route: { ...routed, intent: pending.intent, slots: pending.slots }, result: { text: t(lang, 'dialogue.pickAgain'), outcome: 'asked', data: { asked: 'member' } } };
      }
    }
    else answer = await detailAnswer(services, pending.need, pending.need === 'content' ? msg.text : said, pending.text);
    // A question is no reason ("他现在多少分" asked for 原因是什么？): a request of its own, and nothing is written.
    if (pending.kind === 'fill' && pending.need === 'reason' && !weak(actor, routed) && getIntent(routed.intent)?.effect === 'read' && (analyseMood(msg.text).question || ASKS.test(msg.text.normalize('NFKC').trim()))) return null;
    const focus = memory.focus();
    // "就她", "刚才那位" to "哪位会员？": the member in focus, as a write asked about them takes it when pointed at.
    if (pending.kind === 'fill' && pending.need === 'member' && !answer && focus && actor.kind === 'staff' && pointsAtFocus(said)) answer = { slots: { memberNo: focus.memberNo }, bare: true };
    // "王芳 VIP", "13800000006 加100 生日": the member and the request's next details at once — the request again with
    // the details appended (as content is), the member as answered; only when the details add to it and the router
    // read no other write.
    const both = pending.kind === 'fill' && pending.need === 'member' && !answer?.bare ? memberAndRest(said) : null;
    const otherWrite = routed.intent !== pending.intent && !weak(actor, routed) && !['read', 'control'].includes(getIntent(routed.intent)?.effect ?? 'read');
    if (both && !otherWrite && pending.kind === 'fill') {
      const text = `${pending.text} ${both.rest}`;
      const found = await slotsAs(intent, text, { audience: actor.kind, actor, services });
      for (const k of MEMBER_REF) delete found[k];
      const before = { ...pending.slots, ...both.member.slots };
      const after = { ...before, ...found };
      // The details add a figure, answer what was still missing, or are the content a dictated write lacked ("周杰 说包间太吵"
      // to 记录一下来电投诉's 哪位会员？).
      const contentOf = (slots: Record<string, unknown>) => intent.freeText?.(slots)?.trim() || undefined;
      // Never a refusal, a question, a maybe or bare chat as content ("王芳 算了", "王芳 好的", "王芳 谢谢").
      const restMood = analyseMood(both.rest);
      const plainContent = !restMood.negated && !restMood.question && !restMood.deferred && !restMood.hypothetical && !opensWithdrawn(both.rest) && assentOf(both.rest) === null && classifyUnmatched(both.rest) === 'unknown';
      const dictates = plainContent && contentOf(after) !== undefined && contentOf(after) !== contentOf({ ...before, text: pending.text });
      const adds = Object.keys(found).some((k) => !FREE_TEXT.includes(k) && before[k] === undefined) || missingDetail(intent, after) !== missingDetail(intent, { ...before, text: pending.text }) || dictates;
      if (adds) return prepare(memory, actor, intent, { intent: intent.name, slots: after, confidence: 1 }, text, lang);
    }
    // A bare answer stands whatever the router made of it; anything else only when the router recognised
    // no request (the request restated in full, "给他打个VIP标签", is a new request, not a name).
    // Content asked for may read like small talk to the router ("今天到店说生日想订包间"); thanks are not content.
    const content = pending.kind === 'fill' && pending.need === 'content';
    const chat = content && /(?:^|\.)smalltalk$/.test(routed.intent) && classifyUnmatched(msg.text) === 'unknown';
    // Content and a reason may restate the request's own words ("说储值卡余额不对" read as a ticket again,
    // "投诉补偿" read as points again): still the content or the reason asked for.
    const freeText = content || (pending.kind === 'fill' && pending.need === 'reason');
    // The request restated around the answer ("贴个家庭客" after 给王芳打标签 asked which tag): the same
    // request, its details as now stated over those first understood.
    const restated = pending.kind === 'fill' && !freeText && routed.intent === pending.intent;
    // Read as its read for want of an action word ("储值卡余额对不上" → the member's tickets): the same write named, no new request.
    // Or read as the write's own read ("他刚微信问年夜饭还有没有位置" → interactions), or as 确认 for a word in it
    // ("包间预订确认短信没发出去"), or (content only, not a reason) as any read that names and points at no member, is no question and no small talk
    // ("会员卡积分对不上" → a look-up of nobody: the classifier learns that 积分 lines are look-ups): still the content — unless it asks to see
    // records or is bare assent.
    const namesNobody =
      content &&
      getIntent(routed.intent)?.effect === 'read' &&
      !/(?:^|\.)smalltalk$/.test(routed.intent) &&
      !MEMBER_REF.some((k) => routed.slots[k] !== undefined) &&
      !pointsAtMember(msg.text) &&
      !analyseMood(msg.text).question;
    const sameUnasked =
      freeText &&
      (routed.unasked?.intent === pending.intent ||
        ((routed.intent === intent.readCounterpart || routed.intent === CONFIRM_INTENT || namesNobody) && assentOf(msg.text) === null && !isViewRequest(msg.text) && !ASKS.test(msg.text.normalize('NFKC').trim())));
    if (!answer || !(answer.bare || weak(actor, routed, freeText ? pending.intent : undefined) || chat || restated || sameUnasked)) return null;
    if (content) {
      // The content the gate asked for: the request again with it, its member as first understood.
      const text = `${pending.text} ${msg.text.trim()}`;
      const found = await slotsAs(intent, text, { audience: actor.kind, actor, services });
      const named = MEMBER_REF.some((k) => pending.slots[k] !== undefined);
      if (named) for (const k of MEMBER_REF) delete found[k];
      const refs = Object.fromEntries(MEMBER_REF.filter((k) => pending.slots[k] !== undefined).map((k) => [k, pending.slots[k]]));
      return prepare(memory, actor, intent, { intent: intent.name, slots: { ...found, ...refs }, confidence: 1 }, text, lang);
    }
    const base = { ...pending.slots };
    // A member answer replaces the whole reference: the picked M00000003, not "张伟" and M00000003.
    if (pending.kind === 'pick' || pending.need === 'member') for (const s of MEMBER_REF) delete base[s];
    // Restated: what the router read now ("给13800000007打老客标签": the tag 老客), its free text aside (the request's stays).
    const now = restated ? Object.fromEntries(Object.entries(routed.slots).filter(([k]) => k !== 'text' && (pending.need !== 'member' || !MEMBER_REF.includes(k)))) : {};
    // A member named anew replaces the one first understood, as a member answer does.
    if (MEMBER_REF.some((k) => now[k] !== undefined)) for (const s of MEMBER_REF) delete base[s];
    const slots = { ...base, ...now, ...answer.slots };
    return prepare(memory, actor, intent, { intent: intent.name, slots, confidence: 1 }, pending.text, lang);
  }

  const family = (n: string) => n.split('.')[0];
  /**
   * A write read for another of its family by a word that is none of its verbs ("hold off on tagging 陈静 VIP" as
   * removing a tag, for "off"): the write of that family the message names by its word, if any.
   */
  const namedInstead = (text: string, read: string): IntentDef | undefined => {
    const name = namedWrite(text);
    return name && name !== read && family(name) === family(read) && !hasActionWord(read, text) ? getIntent(name) : undefined;
  };

  /**
   * The likeliest write among the router's readings when the message negates, supposes, defers or relays it; null otherwise.
   * The write the router named but read as its read for want of an action word (`routed.unasked`: "do not send coupons
   * to …", "HQ says recall …") comes first, and is also the answer to a question weighing it ("should we label 陈静 as
   * 老客?": the gate answers with its read and reports the write). `named`: only writes the message asks for in words
   * (取消 with nothing held: "先不导出了", "no need to log that call" refuse the write they name, "算了" names none).
   */
  async function unaskedWrite(msg: InboundMessage, actor: Actor, routed: RouteResult, named = false): Promise<{ intent: IntentDef; route: RouteResult } | null> {
    const mood = analyseMood(msg.text);
    const declined = mood.negated || mood.hypothetical || mood.deferred || mood.reported;
    const weighed = mood.question && WEIGHING.test(msg.text) && routed.unasked !== undefined;
    if (!declined && !weighed) return null;
    const names = Array.isArray(routed.slots.options) ? (routed.slots.options as string[]) : [];
    const others = routed.alternatives?.length ? routed.alternatives : names.map((intent) => ({ intent, slots: undefined as Record<string, unknown> | undefined, confidence: routed.confidence }));
    // The likeliest first: the unasked write's confidence is its own before it was read as its read.
    const readings = [...(declined ? others : []), ...(routed.unasked ? [routed.unasked] : [])].sort((a, b) => b.confidence - a.confidence);
    for (const r of readings) {
      const instead = declined ? namedInstead(msg.text, r.intent) : undefined;
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
   * is one), and never after a disclaimer.
   */
  async function refusedByName(msg: InboundMessage, actor: Actor, routed: RouteResult, cancelsNothing: boolean): Promise<{ intent: IntentDef; route: RouteResult } | null> {
    const routedIntent = getIntent(routed.intent);
    const read = routedIntent?.effect === 'read';
    const unsure = cancelsNothing || routed.intent === CLARIFY_INTENT || routed.intent === fallback.staff || SMALLTALK.test(routed.intent);
    // The router read another write than the one the message names by its word ("do not log anything for 王芳" read
    // as a ticket, "what if we recalled everyone" as a batch tag): the one named is what is refused.
    const otherWrite = routedIntent !== undefined && !read && routedIntent.effect !== 'control' && !unsure;
    if ((!read && !unsure && !otherWrite) || !speaksOfAWrite(msg.text, [VERB_ZH, VERB_EN, HANDS_OFF])) return null;
    const mood = analyseMood(msg.text);
    // A disclaimer says what is NOT asked and then asks it ("不是要给陈静记录 我就问问她之前说过啥"): the router's read stands.
    if (mood.cues.some((c) => c.startsWith('disclaimer:'))) return null;
    const declined = mood.negated || mood.hypothetical || mood.deferred || mood.reported;
    if (!declined && !(mood.question && WEIGHING.test(msg.text))) return null;
    const name = namedWrite(msg.text);
    const intent = name ? getIntent(name) : undefined;
    if (!intent || !mayUse(actor, intent)) return null;
    const misread = otherWrite && namedInstead(msg.text, routed.intent) === intent;
    if (otherWrite && !misread && (family(intent.name) === family(routed.intent) || !hasActionWord(intent.name, msg.text))) return null;
    const slots = await slotsAs(intent, msg.text, { audience: actor.kind, actor, services });
    return { intent, route: { intent: intent.name, slots, confidence: routed.confidence } };
  }

  /** Among the router's readings, the one that takes a list (a batch write), set to the churn list just shown. */
  async function listedBatch(msg: InboundMessage, actor: Actor, routed: RouteResult): Promise<{ intent: IntentDef; route: RouteResult } | null> {
    const names = Array.isArray(routed.slots.options) ? (routed.slots.options as string[]) : [];
    const readings = routed.alternatives?.length ? routed.alternatives : names.map((intent) => ({ intent, slots: undefined as Record<string, unknown> | undefined, confidence: routed.confidence }));
    for (const r of readings) {
      const intent = getIntent(r.intent);
      const listSlot = intent && slotFor(intent, 'list');
      if (!intent || !listSlot || !mayUse(actor, intent)) continue;
      const slots = r.slots ?? (await slotsAs(intent, msg.text, { audience: actor.kind, actor, services }));
      return { intent, route: { intent: intent.name, slots: { ...slots, [listSlot]: 'churn' }, confidence: r.confidence } };
    }
    return null;
  }

  /** "你是想：1 … 2 …": the router's alternatives (or its option names with the slots each would take). */
  async function askChoice(msg: InboundMessage, memory: TurnMemory, actor: Actor, routed: RouteResult, lang: Lang): Promise<Plan> {
    const names = Array.isArray(routed.slots.options) ? (routed.slots.options as string[]) : [];
    const readings = routed.alternatives?.length ? routed.alternatives : names.map((intent) => ({ intent, slots: undefined as Record<string, unknown> | undefined, confidence: routed.confidence }));
    const options: ClarifyOption[] = [];
    for (const r of readings) {
      const intent = getIntent(r.intent);
      if (!intent || !mayUse(actor, intent) || options.some((o) => o.intent === intent)) continue;
      const slots = r.slots ?? (await slotsAs(intent, msg.text, { audience: actor.kind, actor, services }));
      options.push({ intent, slots });
      if (options.length === MAX_OPTIONS) break;
    }
    // 确认 / 取消 answer a held action: with nothing held and no open question they are no reading of the message
    // ("好吧 那我自己跟": 确认 or small talk). One reading left that only reads (small talk, a look-up) is the answer;
    // a write left alone is still asked about (a guess never runs a write).
    const answersHeld = (o: ClarifyOption) => o.intent.name === CONFIRM_INTENT || o.intent.name === CANCEL_INTENT;
    const live = !memory.held && memory.pending() === null ? options.filter((o) => !answersHeld(o)) : options;
    if (live.length === 1 && live.length < options.length && live[0]!.intent.effect === 'read') {
      const only = live[0]!;
      return prepare(memory, actor, only.intent, { intent: only.intent.name, slots: only.slots, confidence: routed.confidence }, msg.text, lang);
    }
    if (options.length === 0) return { kind: 'reply', route: routed, result: { text: clarifyingQuestion(options, lang), outcome: 'asked' } };
    // Listed by name, as the router's options are (slots.options, sorted): "1" is the same option whichever reading was likelier.
    options.sort((a, b) => a.intent.name.localeCompare(b.intent.name));
    // The options as a card too (src/bot/card-action.ts): a click on one answers like its number typed.
    const card = choiceCard(newTaskId('choice'), options, lang);
    await registerCardTask(services, card.taskId, { kind: 'choice', owner: actorKey(actor), ownerName: actor.name, options: card.options });
    memory.savePending({ kind: 'choose', text: msg.text, options: options.map((o) => ({ intent: o.intent.name, slots: o.slots })), taskId: card.taskId });
    return { kind: 'reply', route: routed, result: { text: clarifyingQuestion(options, lang), outcome: 'asked', card } };
  }

  /** The last answer refined: the refinement ("导出吧") is the instruction the write gate reads; the slots carry the last request's details. */
  const runRefined = (memory: TurnMemory, actor: Actor, refined: { intent: IntentDef; slots: Record<string, unknown> }, last: LastAnswer, text: string, lang: Lang) =>
    prepare(memory, actor, refined.intent, { intent: refined.intent.name, slots: refined.slots, confidence: 1 }, refined.intent.effect === 'read' ? last.text : text, lang);

  /** A ticket update naming its ticket by the end of its number ("002那个升级一下"): the whole number when one ticket fits. */
  async function withTicketNo(msg: InboundMessage, memory: TurnMemory, actor: Actor, intent: IntentDef, route: RouteResult): Promise<RouteResult> {
    if (intent.name !== TICKET_UPDATE || route.slots.ticketNo !== undefined) return route;
    const digits = shortTicketDigits(msg.text);
    const ticketNo = digits ? await ticketBySuffix(services, msg, actor, digits, memory.focus()) : null;
    return ticketNo ? { ...route, slots: { ...route.slots, ticketNo } } : route;
  }

  /** The message no intent took: the full help only when asked for; otherwise one line and two examples. */
  function unmatched(msg: InboundMessage, actor: Actor, help: IntentDef, routed: RouteResult, lang: Lang): Plan {
    const route = { ...routed, intent: help.name };
    const kind = classifyUnmatched(msg.text);
    // Assent ("好的") and a member's claim to be staff or ask about someone else go to the run
    // path, whose confirmation and write gates answer them (src/bot/gate*.ts).
    const gated = assentOf(msg.text) !== null || (actor.kind === 'member' && (claimsToBeStaff(msg.text) || asksAboutOthers(msg.text, actor.phone)));
    if (kind === 'help' || gated) return { kind: 'run', intent: help, route, text: msg.text };
    // "不用了" / "don't" with nothing to refer to: nothing is done, and the reply says so.
    if (kind === 'unknown' && analyseMood(msg.text).negated) return { kind: 'reply', route, result: { text: t(lang, 'dialogue.dropped'), outcome: 'declined' } };
    const text = shortReply(kind, twoExamples(msg.text, actor, getIntent), lang);
    return { kind: 'reply', route, result: { text, outcome: kind === 'unknown' ? 'asked' : 'answered', data: { unmatched: kind } } };
  }

  return {
    /** Before anything runs: an answer to the bot's question, a refinement, a clarification, or the routed intent. */
    async plan(msg: InboundMessage, memory: TurnMemory, actor: Actor, routed: RouteResult, lang: Lang): Promise<Plan> {
      const pending = memory.pending();
      if (pending) {
        // Asked once: answered now, or abandoned by whatever came instead.
        memory.clearPending();
        // "算了" is no answer: said instead of a member, tag or reason it must never become one.
        // The router may read "算了" / "先不扣了" as 取消 (of a held action): the open question is what it refuses.
        // "等等 我问下店长", "let me think" put the answer off: the question is dropped as well (asked again when wanted).
        // Dictated text and a reason are anything the user says — except a reply that opens by refusing or
        // putting it off ("等会再说 客人还没讲完", "不用建了"): that is no content, and nothing is written.
        const dictated = pending.kind === 'fill' && (pending.need === 'content' || pending.need === 'reason');
        // "要不先别扣了", "那就不加了": a refusal with a lead the opening words miss, read as 取消 with nothing held to cancel —
        // what it refuses is the open question's request.
        const cancelsQuestion = routed.intent === CANCEL_INTENT && !memory.held && correctionOf(msg.text) === null && analyseMood(msg.text).negated;
        // "那还是别扣了", "要不先不打了": a refusal after a lead that names the open question's own write — whatever the
        // router read ("那还是别扣了" as a ticket), it refuses what was asked about.
        const namesAsked = 'intent' in pending && correctionOf(msg.text) === null && hasActionWord(pending.intent, msg.text) && opensWithdrawn(msg.text.replace(REFUSAL_LEAD, ''));
        const refused = (REFUSAL.test(msg.text) && correctionOf(msg.text) === null && (weak(actor, routed) || routed.intent === CANCEL_INTENT || dictated)) || cancelsQuestion || namesAsked;
        if (refused || holdsBack(msg.text) || (dictated && opensWithdrawn(msg.text))) {
          return { kind: 'reply', route: { ...routed, intent: 'intent' in pending ? pending.intent : routed.intent }, result: { text: t(lang, 'dialogue.dropped'), outcome: 'declined' } };
        }
        // "好的" / "ok" to "哪位会员？", to a list of members or to "what should I record?" answers nothing: the question
        // stays open and is asked again (no help, no write; thanks or "好的" are never a note's content).
        if (pending.kind !== 'choose' && assentOf(msg.text) === 'vague' && !memory.held) {
          memory.savePending(pending);
          const again = pending.kind === 'pick' ? 'dialogue.pickAgain' : pending.need === 'content' ? 'dialogue.contentAgain' : NEED_TEXT[pending.need as AskedNeed];
          const asked = pending.kind === 'pick' ? 'member' : pending.need;
          return { kind: 'reply', route: { ...routed, intent: pending.intent, slots: pending.slots }, result: { text: t(lang, again), outcome: 'asked', data: { asked } } };
        }
        const resumed = await resume(msg, memory, actor, pending, routed, lang);
        if (resumed) return resumed;
      }
      // "发了吗?" while a recall waits for 确认, "开了吗" after a ticket was opened, "did it go out?": the action's
      // read (the held action's first, else the previous turn's write) — never a confirmation, never a new request.
      if (actor.kind === 'staff' && asksAboutTheAction(msg.text)) {
        const heldNow = memory.held ? await peekAction(services, actor, undefined, msg.conversationId) : null;
        const action = heldNow ? { intent: heldNow.intent, slots: heldNow.slots } : memory.previous;
        const read = action ? readOfAction(getIntent(action.intent), getIntent) : null;
        if (action && read && mayUse(actor, read)) return prepare(memory, actor, read, { intent: read.name, slots: slotsOf(read, action.slots), confidence: 1 }, msg.text, lang);
      }
      // While an action waits for 确认: assent naming it ("行 发吧", "打上吧") is its confirmation, whatever the router
      // read (a new recall, a tag); a question about the people it reaches ("发给谁啊", "多少人") is answered by the read
      // that shows them, and it stays held.
      const waiting = actor.kind === 'staff' && memory.held ? await peekAction(services, actor, undefined, msg.conversationId) : null;
      if (waiting && routed.intent !== CANCEL_INTENT && assentNames(msg.text, waiting.intent)) {
        const confirm = getIntent(CONFIRM_INTENT);
        if (confirm) return { kind: 'run', intent: confirm, route: { intent: confirm.name, slots: {}, confidence: 1 }, text: msg.text };
      }
      // "那就发吧 20块的" right after the bot declined "老板让我问下 能不能给流失会员发个召回" (nothing held): assent naming that
      // write is the write asked for now, with the figures it adds — previewed for 确认, never run: only writes that hold.
      const refusedJustNow = actor.kind === 'staff' && !memory.held && memory.previous ? getIntent(memory.previous.intent) : undefined;
      // The assent is the words before the figures said with it ("那就发吧" of "那就发吧 20块的").
      const assentHead = msg.text.normalize('NFKC').replace(/[\s,，]+[^\s,，]*\d[\s\S]*$/u, '');
      if (refusedJustNow?.confirm && memory.previous && assentNames(assentHead, refusedJustNow.name) && !moodFor(refusedJustNow, memory.previous.text).affirmative && mayUse(actor, refusedJustNow)) {
        const now = await slotsAs(refusedJustNow, msg.text, { audience: actor.kind, actor, services });
        const figures = Object.fromEntries(Object.entries(now).filter(([k]) => !FREE_TEXT.includes(k)));
        return prepare(memory, actor, refusedJustNow, { intent: refusedJustNow.name, slots: { ...memory.previous.slots, ...figures }, confidence: 1 }, msg.text, lang);
      }
      const reach = waiting && asksWhoIsReached(msg.text) ? getIntent(waiting.intent)?.reaches?.(waiting.slots) : undefined;
      const reachRead = reach && getIntent(reach.intent);
      if (reach && reachRead && reachRead.effect === 'read' && mayUse(actor, reachRead)) return prepare(memory, actor, reachRead, { intent: reachRead.name, slots: reach.slots, confidence: 1 }, msg.text, lang);
      // Members refine their own answers too ("只看近一个月的" after 我的订单); naming another member is staff's.
      const last = memory.last();
      const staffLast = actor.kind === 'staff' ? last : null;
      const lookups = async (routedIntent?: string): Promise<RefineLookups> => ({
        stores: await storeDirectory(services),
        tagNames: (await tagDictionary(services)).map((x) => x.name),
        getIntent,
        ...(routedIntent ? { routedIntent } : {}),
      });
      // A held action changed in place ("换成50块的", "改成老客" while 回复「确认」 waits): previewed again with the new figure.
      // "改成流失风险" is a change whatever the router made of its words (流失 reads as the churn list).
      // "no, 20 not 30", "不是30 是20": a figure said instead of the held one — a change, never the "no" of a refusal.
      const correction = correctionOf(msg.text);
      const instead = insteadFigure(msg.text) ?? (correction !== null && BARE_NUMBER.test(correction) ? correction : null);
      // "不对 扣80" while 扣100 waits: a correction read as the held write again — its figures change the held one.
      const restatedHeld = correction !== null && waiting !== null && routed.intent === waiting.intent && !MEMBER_REF.some((k) => routed.slots[k] !== undefined);
      const changing = weak(actor, routed) || routed.intent === CLARIFY_INTENT || SMALLTALK.test(routed.intent) || CHANGE_LEAD.test(msg.text) || instead !== null || restatedHeld;
      const held = actor.kind === 'staff' && changing ? await peekAction(services, actor, undefined, msg.conversationId) : null;
      const heldIntent = held && getIntent(held.intent);
      if (held && heldIntent) {
        const heldAnswer = { intent: held.intent, slots: held.slots, text: '' };
        // A bare number changing a held amount ("改成30的" after a 20-yuan recall) is that amount.
        // A correction's lead ("不对 换成老客", "不是20 是30的") rejects the figure it replaces: the change is what follows.
        const said = instead ?? correction ?? msg.text;
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
          return prepare(memory, actor, heldIntent, { intent: heldIntent.name, slots: changed.slots, confidence: 1 }, msg.text, lang);
        }
        if (restatedHeld && mayUse(actor, heldIntent)) {
          const figures = Object.fromEntries(Object.entries(routed.slots).filter(([k]) => !FREE_TEXT.includes(k)));
          if (Object.entries(figures).some(([k, v]) => held.slots[k] !== v)) return prepare(memory, actor, heldIntent, { intent: heldIntent.name, slots: { ...held.slots, ...figures }, confidence: 1 }, msg.text, lang);
        }
        // "改成50" while a points change waits: the number of points, its sign as held (扣100 → 扣50).
        const bare = BARE_NUMBER.exec(said);
        const n = bare ? Number(bare[2]) : NaN;
        if (typeof held.slots.delta === 'number' && held.slots.delta !== 0 && Number.isInteger(n) && n > 0 && n !== Math.abs(held.slots.delta) && mayUse(actor, heldIntent)) {
          return prepare(memory, actor, heldIntent, { intent: heldIntent.name, slots: { ...held.slots, delta: Math.sign(held.slots.delta) * n }, confidence: 1 }, msg.text, lang);
        }
      }
      // "不对 改成流失风险" right after 给周杰打标签 召回中 was done: the write just made, again with the figure said instead
      // (its member and free text as they were). Only a correction's lead with a change verb, only of the previous turn's
      // write that was asked for, and only when the change is a figure of that write's own.
      const lastWrite = actor.kind === 'staff' && !held && memory.previous ? getIntent(memory.previous.intent) : undefined;
      if (lastWrite && memory.previous && lastWrite.effect !== 'read' && lastWrite.effect !== 'control' && correction !== null && CHANGE_LEAD.test(msg.text) && moodFor(lastWrite, memory.previous.text).affirmative && mayUse(actor, lastWrite)) {
        const before = { intent: lastWrite.name, slots: memory.previous.slots, text: memory.previous.text };
        const changed = refine(correction, before, await lookups(lastWrite.name));
        const figures = changed ? Object.entries(changed.slots).filter(([k, v]) => !FREE_TEXT.includes(k) && before.slots[k] !== v) : [];
        if (changed && changed.intent === lastWrite && figures.length > 0) {
          const slots = { ...before.slots, ...Object.fromEntries(figures) };
          return prepare(memory, actor, lastWrite, await byNumber({ intent: lastWrite.name, slots, confidence: 1 }, previousRefs(memory), msg, actor), msg.text, lang);
        }
      }
      // "不是她，是王芳" after an answer about a member: the same question about the one meant.
      const corrected = staffLast ? correctionOf(msg.text) : null;
      const other = corrected ? memberAnswer(corrected) : null;
      const lastIntent = last && getIntent(last.intent);
      if (last && other && lastIntent && (other.bare || weak(actor, routed, last.intent) || routed.intent === 'member.lookup') && MEMBER_REF.some((k) => last.slots[k] !== undefined)) {
        const slots = withoutMemberRefs(last.slots);
        return prepare(memory, actor, lastIntent, { intent: lastIntent.name, slots: { ...slots, ...other.slots }, confidence: 1 }, last.text, lang);
      }
      // "不对 是徐汇", "不是上周 是上个月": a correction of the last answer's store, period, tag or figure refines it.
      // A name-like word ("徐汇" starts with a surname) corrects a member only where the last answer was about one.
      const aboutMember = staffLast !== null && MEMBER_REF.some((k) => staffLast.slots[k] !== undefined);
      const fixed = staffLast && corrected && (!other || !aboutMember) && lastIntent ? refine(corrected, staffLast, await lookups(staffLast.intent)) : null;
      if (staffLast && fixed && mayUse(actor, fixed.intent)) return runRefined(memory, actor, fixed, staffLast, msg.text, lang);
      // "那周杰呢" after an answer about 王芳: the last question about the member named. The router's
      // reading must agree it is only a member (a look-up of that name, or nothing sure): "徐汇的呢" is a store.
      // "另一个张伟呢 13800000003": the identifier after the question is the member meant.
      // A bare ordinal after a pick ("what about the first one") is another of the members listed whatever read the
      // router made of it (a profile), unless a write — never a member named "the first one".
      const bareOrdinal = memory.shown() !== null && ['read', 'control', undefined].includes(getIntent(routed.intent)?.effect) && ordinalChoice(msg.text.replace(ANOTHER_LEAD, ''), memory.shown()!.length) !== null;
      const trailingId = TRAILING_IDENTIFIER.exec(msg.text);
      const beforeId = trailingId ? msg.text.slice(0, trailingId.index) : msg.text;
      const switched = staffLast && lastIntent && !other && !bareOrdinal ? ANOTHER_MEMBER.exec(beforeId) : null;
      const another = switched ? memberAnswer(trailingId ? trailingId[0].trim() : (switched[1] ?? switched[2]!)) : null;
      // A name the router also read as that name, or read as nothing sure — never a store ("徐汇的呢").
      const sameMember = another && (another.slots.name === undefined || routed.slots.name === another.slots.name || (weak(actor, routed) && !findStore(msg.text, await storeDirectory(services))));
      // "what about 周杰" read as another read of only that member (a profile): still the last question about them.
      const onlyThatMember =
        another !== null && another.bare && getIntent(routed.intent)?.effect === 'read' && routed.slots.name === another.slots.name && Object.keys(routed.slots).every((k) => k === 'name' || FREE_TEXT.includes(k));
      if (last && lastIntent && another && sameMember && (routed.intent === 'member.lookup' || weak(actor, routed, last.intent) || routed.intent === CLARIFY_INTENT || onlyThatMember) && MEMBER_REF.some((k) => last.slots[k] !== undefined)) {
        const slots = withoutMemberRefs(last.slots);
        return prepare(memory, actor, lastIntent, { intent: lastIntent.name, slots: { ...slots, ...another.slots }, confidence: 1 }, last.text, lang);
      }
      // "那13800000004的呢" after 我的积分: a member asks their last question about someone else's account —
      // that question, which the member gate refuses (no data of anyone else), not a menu.
      const theirs = actor.kind === 'member' && last && lastIntent ? ANOTHER_MEMBER.exec(msg.text) : null;
      const someoneElse = theirs ? memberAnswer(theirs[1] ?? theirs[2]!) : null;
      if (last && lastIntent && someoneElse && (someoneElse.slots.phone !== undefined || someoneElse.slots.memberNo !== undefined) && mayUse(actor, lastIntent)) {
        return { kind: 'run', intent: lastIntent, route: { intent: lastIntent.name, slots: last.slots, confidence: 1 }, text: msg.text };
      }
      // "那第二个呢" after a pick from a list of members: the last question about another of them.
      if (staffLast && lastIntent && MEMBER_REF.some((k) => staffLast.slots[k] !== undefined) && (weak(actor, routed, staffLast.intent) || routed.intent === CLARIFY_INTENT || bareOrdinal)) {
        const shown = memory.shown();
        const i = shown ? ordinalChoice(msg.text.replace(ANOTHER_LEAD, ''), shown.length) : null;
        // Another of them: the one just answered about, picked again, is no new question (the pick was answered once).
        if (shown && i !== null && shown[i]!.memberNo !== staffLast.slots.memberNo) {
          const slots = withoutMemberRefs(staffLast.slots);
          return prepare(memory, actor, lastIntent, { intent: lastIntent.name, slots: { ...slots, memberNo: shown[i]!.memberNo }, confidence: 1 }, staffLast.text, lang);
        }
      }
      // "也给陈静加一个", "same for 李娜" after a write about a member: that write again for the one named,
      // its figures as they were (the tag), its free text not — through prepare and the run path's gates like any write.
      const previous = actor.kind === 'staff' && memory.previous ? getIntent(memory.previous.intent) : undefined;
      // Only a write that was asked for: "不用给王芳打VIP" → "陈静也一样" refuses that one too, and repeats nothing.
      const asked = previous !== undefined && moodFor(previous, memory.previous!.text).affirmative;
      const whom = previous && asked && previous.effect !== 'read' && previous.effect !== 'control' && MEMBER_REF.some((k) => memory.previous!.slots[k] !== undefined) ? repeatedFor(msg.text) : null;
      const repeatFor = whom !== null ? memberAnswer(whom) : null;
      if (previous && repeatFor && (repeatFor.bare || weak(actor, routed) || routed.intent === previous.name || routed.intent === 'member.lookup') && mayUse(actor, previous)) {
        const kept = Object.fromEntries(Object.entries(memory.previous!.slots).filter(([k]) => !MEMBER_REF.includes(k) && !FREE_TEXT.includes(k)));
        return prepare(memory, actor, previous, { intent: previous.name, slots: { ...kept, ...repeatFor.slots }, confidence: 1 }, msg.text, lang);
      }
      // "满意度给5", "升级一下" right after a ticket was updated: that ticket again, whatever the router made of the words.
      const lastTicket = actor.kind === 'staff' && memory.previous?.intent === TICKET_UPDATE ? memory.previous.slots.ticketNo : undefined;
      const updater = getIntent(TICKET_UPDATE);
      if (typeof lastTicket === 'string' && updater && (weak(actor, routed) || routed.intent === TICKET_UPDATE) && routed.slots.ticketNo === undefined && shortTicketDigits(msg.text) === null && mayUse(actor, updater)) {
        const slots = await slotsAs(updater, msg.text, { audience: actor.kind, actor, services });
        if (slots.status !== undefined || slots.escalate !== undefined || slots.satisfaction !== undefined) return prepare(memory, actor, updater, { intent: TICKET_UPDATE, slots: { ...slots, ticketNo: lastTicket }, confidence: 1 }, msg.text, lang);
      }
      // "第一名的详细数据" after the KOC ranking, "第二个的订单" after the churn list, "停掉第一个" after the recall list: the row
      // the bot just listed at that place. A member's row is shown in full (the last question about them) or asked the
      // read the router made of the words; a record's row takes only its family's held control named by its verb
      // (previewed for 确认, never run), and only when asked for.
      const row = staffLast?.items ? pointedRow(msg.text, staffLast.items.length) : null;
      if (staffLast && row && lastIntent) {
        const item = staffLast.items![row.index]!;
        const routedDef = getIntent(routed.intent);
        if (item.memberNo && takesMember(lastIntent) && asksForDetail(row.rest) && mayUse(actor, lastIntent)) {
          const slots = Object.fromEntries(Object.entries(withoutMemberRefs(staffLast.slots)).filter(([k]) => k !== 'limit'));
          return prepare(memory, actor, lastIntent, { intent: lastIntent.name, slots: { ...slots, memberNo: item.memberNo }, confidence: 1 }, msg.text, lang);
        }
        if (item.memberNo && routedDef && routedDef.effect === 'read' && takesMember(routedDef) && !MEMBER_REF.some((k) => routed.slots[k] !== undefined) && mayUse(actor, routedDef)) {
          return prepare(memory, actor, routedDef, { ...routed, slots: { ...routed.slots, memberNo: item.memberNo } }, msg.text, lang);
        }
        const family = lastIntent.name.split('.')[0]!;
        const control = item.id !== undefined ? ['stop', 'update', 'cancel'].map((verb) => getIntent(`${family}.${verb}`)).find((c) => c?.confirm && hasSlotNamed(c, `${family}Id`) && assentNames(row.rest, c.name)) : undefined;
        if (control && moodFor(control, msg.text).affirmative && mayUse(actor, control)) {
          return prepare(memory, actor, control, { intent: control.name, slots: { [`${family}Id`]: item.id }, confidence: 1 }, msg.text, lang);
        }
      }
      // A refinement is only figures and filler ("换 静安", "前3个就行"), so the router's guess at such
      // words (small talk, a clarification) does not stand in its way.
      // So are reads of no member ("几个人", "都谁", "只看工单", "徐汇的"): refine() takes them only when they
      // are nothing but figures, count or list words and the last intent's own words.
      const plainRead = getIntent(routed.intent)?.effect === 'read' && !MEMBER_REF.some((k) => routed.slots[k] !== undefined);
      // "他的工单呢" with a member in focus after an answer about no member: a question about that member, no refinement.
      const aboutFocus = staffLast !== null && !MEMBER_REF.some((k) => staffLast.slots[k] !== undefined) && memory.focus() !== null && pointsAtMember(msg.text);
      // "前3就行", "徐汇的就好": a refinement ending in "that will do" is no confirmation — assent is only the bare word (assent.ts).
      const notAssent = routed.intent === CONFIRM_INTENT && assentOf(msg.text) === null;
      // "换成老客" after a list by tag: a change of the last answer's figure, whatever the router made of the new word.
      const changes = CHANGE_LEAD.test(msg.text);
      if (last && !aboutFocus && (weak(actor, routed, last.intent) || routed.intent === CLARIFY_INTENT || SMALLTALK.test(routed.intent) || plainRead || notAssent || changes)) {
        // "她上周呢" after 王芳's orders: the pronoun is the member the answer was about, no word of a new request.
        const sameMember = last.slots.memberNo !== undefined && last.slots.memberNo === memory.focus()?.memberNo && !PLURAL_POINTER.test(msg.text);
        const refined = refine(sameMember ? msg.text.replace(EVERY_POINTER, ' ') : msg.text, last, await lookups(routed.intent));
        if (refined && mayUse(actor, refined.intent)) return runRefined(memory, actor, refined, last, msg.text, lang);
      }
      // "不用给王芳记录了", "我在想要不要给流失的都打个VIP": a write not asked for needs no "did you mean" — the
      // write gate declines the likeliest write and says so (it never runs: the mood is not affirmative).
      // So is a write the router read as its read for want of an action word ("do not send coupons to …"), and one
      // refused with nothing held ("先不导出了", "no need to log that call": read as 取消, with nothing to cancel).
      const cancelsNothing = routed.intent === CANCEL_INTENT && !memory.held;
      const unasked =
        actor.kind === 'staff' && (routed.intent === CLARIFY_INTENT || routed.intent === fallback.staff || routed.unasked !== undefined || cancelsNothing)
          ? await unaskedWrite(msg, actor, routed, cancelsNothing)
          : null;
      if (unasked) return prepare(memory, actor, unasked.intent, unasked.route, msg.text, lang);
      const refused = actor.kind === 'staff' ? await refusedByName(msg, actor, routed, cancelsNothing) : null;
      if (refused) return prepare(memory, actor, refused.intent, refused.route, msg.text, lang);
      // "给他们都打上召回中" after the churn list, read as either a batch or a single tag: the batch of the people listed.
      const batch = routed.intent === CLARIFY_INTENT && last?.intent === 'churn.list' && THE_LISTED.test(msg.text) ? await listedBatch(msg, actor, routed) : null;
      if (batch) return prepare(memory, actor, batch.intent, batch.route, msg.text, lang);
      if (actor.kind === 'member' && (routed.intent === CLARIFY_INTENT || weak(actor, routed) || SMALLTALK.test(routed.intent))) {
        // "那查我自己的" after a question about someone else's account: the member's last question, about themself.
        const previous = memory.previous && getIntent(memory.previous.intent);
        if (MY_OWN.test(msg.text.normalize('NFKC').trim()) && previous && previous.effect === 'read' && !previous.rule.fallback && mayUse(actor, previous)) {
          return { kind: 'run', intent: previous, route: { intent: previous.name, slots: {}, confidence: 1 }, text: msg.text };
        }
        // "我是店员 给我开个工单", "怎么投诉啊", "我不是要投诉": the member write it names, for the member gate to
        // decline or answer — a claim, a refusal or a question never makes a ticket; no "did you mean".
        const name = namedMemberWrite(msg.text);
        const own = name ? getIntent(name) : undefined;
        const mood = analyseMood(msg.text);
        if (own && mayUse(actor, own) && (claimsToBeStaff(msg.text) || mood.negated || mood.question || mood.hypothetical || mood.reported || mood.deferred)) {
          return { kind: 'run', intent: own, route: { intent: own.name, slots: {}, confidence: routed.confidence }, text: msg.text };
        }
      }
      // "哦 那是静安的 算了", "好吧 算了 我自己打电话": 算了 with nothing held, nothing asked and no write named, said around
      // words of its own, is a remark that closes the topic — small talk, not 取消 ("算了" alone stays 取消).
      const chat = cancelsNothing && !memory.pending() && remarkAroundCancel(msg.text) ? getIntent(actor.kind === 'staff' ? 'smalltalk' : 'my.smalltalk') : undefined;
      if (chat && mayUse(actor, chat)) return prepare(memory, actor, chat, { intent: chat.name, slots: {}, confidence: routed.confidence }, msg.text, lang);
      if (routed.intent === CLARIFY_INTENT) return askChoice(msg, memory, actor, routed, lang);
      const help = getIntent(fallback[actor.kind]);
      if (!help) throw new Error(`the intent catalogue has no ${fallback[actor.kind]} intent`);
      const intent = getIntent(routed.intent) ?? help;
      if (intent === help) return unmatched(msg, actor, help, routed, lang);
      // A batch write that points at the people just listed: the list of the last answer.
      const listSlot = last?.intent === 'churn.list' ? slotFor(intent, 'list') : undefined;
      // "给他们都打上老客" read as one member's tag: the family's batch write, for the people listed.
      const batchOf = last?.intent === 'churn.list' && !listSlot && THE_LISTED.test(msg.text) ? getIntent(`${intent.name.split('.')[0]}.batch`) : undefined;
      const batchList = batchOf && slotFor(batchOf, 'list');
      if (batchOf && batchList && mayUse(actor, batchOf)) {
        const slots = await slotsAs(batchOf, msg.text, { audience: actor.kind, actor, services });
        return prepare(memory, actor, batchOf, { intent: batchOf.name, slots: { ...slots, [batchList]: 'churn' }, confidence: routed.confidence }, msg.text, lang);
      }
      const route = listSlot && routed.slots[listSlot] === undefined && THE_LISTED.test(msg.text) ? { ...routed, slots: { ...routed.slots, [listSlot]: 'churn' } } : routed;
      // "他上个月消费了多少" with a member in focus, read as a store's dashboard: a read of nobody is not about "him" —
      // the likeliest reading of the router's that reads a member, for the one in focus.
      const aboutOne = actor.kind === 'staff' && memory.focus() && intent.effect === 'read' && !takesMember(intent) && pointsAtMember(msg.text) && !PLURAL_POINTER.test(msg.text)
        ? routed.alternatives?.map((a) => ({ a, def: getIntent(a.intent) })).find(({ def }) => def && def.effect === 'read' && takesMember(def) && mayUse(actor, def))
        : undefined;
      if (aboutOne?.def) return prepare(memory, actor, aboutOne.def, focused(memory, actor, aboutOne.def, { ...aboutOne.a, intent: aboutOne.def.name }, msg.text), msg.text, lang);
      // A member carried from the turn before (not said now) is reported by number (byNumber).
      const carried = MEMBER_REF.some((k) => route.slots[k] !== undefined) ? null : previousRefs(memory);
      return prepare(memory, actor, intent, await withTicketNo(msg, memory, actor, intent, await byNumber(focused(memory, actor, intent, route, msg.text), carried, msg, actor)), msg.text, lang);
    },

    /** After an intent ran: a list of members is a question ("第二个"); a read answer can be refined next. */
    async remember(memory: TurnMemory, actor: Actor, plan: Extract<Plan, { kind: 'run' }>, result: IntentResult, lang: Lang): Promise<IntentResult> {
      const candidates = ambiguousMembers(result.data);
      if (candidates) {
        const slots = withoutMemberRefs(plan.route.slots);
        // The list as a card too: a click on a member answers like "第二个" (src/bot/card-action.ts).
        const options = candidates.slice(0, MAX_CARD_OPTIONS).map((c, i) => ({ key: String(i + 1), label: c.name ? `${c.name} ${c.memberNo}` : c.memberNo }));
        const card = { kind: 'choice' as const, taskId: newTaskId('pick'), title: t(lang, 'cards.pickTitle'), options };
        await registerCardTask(services, card.taskId, { kind: 'choice', owner: actorKey(actor), ownerName: actor.name, options });
        memory.savePending({ kind: 'pick', text: plan.text, intent: plan.intent.name, slots, candidates, taskId: card.taskId });
        memory.saveShown(candidates);
        return { ...result, text: `${result.text}\n${t(lang, 'dialogue.pickHint')}`, outcome: 'asked', card };
      }
      if (result.outcome === 'asked' && (result.data as { asked?: unknown } | undefined)?.asked === 'content') {
        memory.savePending({ kind: 'fill', text: plan.text, intent: plan.intent.name, slots: plan.route.slots, need: 'content' });
        return result;
      }
      // "建个人群包 …" done: what was made is what "有多少人" / "导出吧" ask about next — the family's count reads it.
      const counter = plan.intent.name.endsWith('.create') && result.outcome === 'done' ? getIntent(`${plan.intent.name.split('.')[0]}.count`) : undefined;
      if (counter && counter.effect === 'read') {
        const slots = Object.fromEntries(Object.entries(plan.route.slots).filter(([k]) => k in ((counter.slots as unknown as { shape?: object }).shape ?? {})));
        memory.saveLast({ intent: counter.name, slots, text: plan.text });
        return result;
      }
      // Small talk ("谢谢") is no answer to refine: the one before it stays what "只要近30天的" narrows.
      if (plan.intent.effect === 'read' && !plan.intent.rule.fallback && !SMALLTALK.test(plan.intent.name) && result.outcome !== 'asked') {
        // The member found is the member meant next ("只要上个月的" after 陈静's orders): by member number, as resolved.
        const found = result.focus?.memberNo;
        const named = found && MEMBER_REF.some((k) => plan.route.slots[k] !== undefined);
        const slots = named ? { ...withoutMemberRefs(plan.route.slots), memberNo: found } : plan.route.slots;
        // The rows a list showed ("停掉第一个", "第一名的详细数据" point at them next).
        const items = listedItems(result.data);
        memory.saveLast({ intent: plan.intent.name, slots, text: plan.text, ...(items ? { items } : {}) });
      }
      return result;
    },
  };
}

export type Dialogue = ReturnType<typeof createDialogue>;
