import { t } from '../../i18n/index.ts';
import { anyWord, CORRECTION, midSentence } from '../understand/lexicon.ts';
import { hasActionWord } from '../../intents/router/action-words.ts';
import { slotsAs } from '../../intents/router/rules.ts';
import { pointsAtFocus, pointsAtMember } from '../../intents/router/member-pointer.ts';
import { assentOf, holdsBack } from '../understand/assent.ts';
import { analyseMood } from '../understand/mood.ts';
import { isViewRequest } from '../understand/requests.ts';
import { correctionOf } from '../understand/routing-text.ts';
import { detailAnswer, memberAnswer, narrowsWithoutPicking, pickAnswer, type Answer } from './answers.ts';
import { ASKS, CANCEL_INTENT, CONFIRM_INTENT, NEED_TEXT, SMALLTALK, type DialogueContext, type Plan, type Turn } from './context.ts';
import type { MemberFocus } from './focus.ts';
import { FREE_TEXT, MEMBER_REF, withoutMemberRefs } from './member-refs.ts';
import { memberAndRest } from './member-and-rest.ts';
import { missingDetail, type AskedNeed } from './missing.ts';
import { changedMind } from './instead.ts';
import { optionNamed } from './option-word.ts';
import { ordinalChoice } from './ordinal.ts';
import { pickByStoreAndTrait, pickByTrait } from './pick-trait.ts';
import { repeatedFor } from './repeat.ts';
import { reportedQuestion } from './reported-question.ts';
import { classifyUnmatched } from './short-reply.ts';
import type { Candidate, Pending } from './state.ts';
import { opensWithdrawn, REFUSAL, REFUSAL_LEAD } from './withdrawn.ts';

/** "A 不对 是B", "A 哦不 B", "A 说错了 B": the answer given again after the correction, the last word said. */
// The correction words of CORRECTION (lexicon.ts); what follows holds none said inside a sentence (`midSentence`: a bare
// 不是 or 错了 there may be part of the answer).
const SELF_CORRECTED = new RegExp(
  `^\\S.*?[\\s，,。]+(?:${anyWord([...CORRECTION.wrongZh, ...CORRECTION.ohNoZh])})[啊了]?[\\s，,。]*(?:而?是|应该是)?\\s*(\\S(?:(?!${anyWord(midSentence([...CORRECTION.wrongZh, ...CORRECTION.ohNoZh]))}).)*)$`,
  'u',
);

/**
 * "不对是200 原因 好评返积分" to 原因是什么？ after 给刘洋加500积分: the points corrected with the answer after them — the
 * bare figure takes the direction first asked (加 / 扣), so it reads as the change of mind "还是加200 …" does.
 */
const FIGURE_CORRECTED = new RegExp(`^\\s*(?:${anyWord([...CORRECTION.wrongZh, ...CORRECTION.ohNoZh])})[，,。\\s]*(?:而|应该)?是\\s*(\\d{1,6})\\s*(?:个)?\\s*(?:积分|分)?(?![\\d.])[，,。\\s]*(.*)$`, 'u');
function figureCorrected(text: string, slots: Record<string, unknown>): string | null {
  const m = FIGURE_CORRECTED.exec(text.normalize('NFKC'));
  if (!m || typeof slots.delta !== 'number') return null;
  return `${slots.delta < 0 ? '扣' : '加'}${m[1]}分 ${m[2]}`.trim();
}

/**
 * A correction word, then the request refused or put off ("不对 先别加 我再问问" to 原因是什么？, "哦不 算了 不扣了", "no wait,
 * don't"): the request taken back — never the answer asked for (s26b wrote "先别加 我再问问" as the reason of the points).
 * The correction's lead taken off as often as it is said ("不对 不是她 是…" is a correction, answered with what follows).
 */
function takenBack(text: string): boolean {
  if (analyseMood(text).cues.some((c) => c.startsWith('retract:'))) return true;
  let rest = text;
  for (let fixed = correctionOf(rest); fixed !== null && fixed !== rest; fixed = correctionOf(rest)) rest = fixed;
  return rest !== text && (REFUSAL.test(rest) || opensWithdrawn(rest) || holdsBack(rest));
}

/**
 * The message after the bot asked something ("哪位会员？", "你是想：1 … 2 …", a list of members, "原因是什么？"): the
 * answer, the request it completes run with it — or the question dropped when refused, asked again when only
 * acknowledged, and abandoned (null) when the message is a new request. Asked once: the question is cleared here.
 */
export function pendingAnswer(ctx: DialogueContext, { focused }: MemberFocus) {
  const { services, getIntent, mayUse, prepare, weak } = ctx;

  /** The message answering the bot's open question, as the request to run now; null when it is a new request. */
  async function resume({ msg, memory, actor, routed, lang }: Turn, pending: Pending): Promise<Plan | null> {
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
    // "老客 不对 是流失风险" to 哪个标签？: the answer corrected as it is given — what follows the last correction.
    // Not for dictated words (content, a reason), where "不对" is part of what happened ("余额不对 是少了50").
    if (pending.kind === 'pick' || !['content', 'reason'].includes(pending.need)) said = SELF_CORRECTED.exec(said)?.[1]?.trim() || said;
    if (pending.kind === 'pick') {
      // A trait first ("高价值那个"): said with a pointing word it would otherwise read as a name, 高价值.
      answer = (await pickByTrait(services, said, pending.candidates)) ?? pickAnswer(said, pending.candidates) ?? (await pickByStoreAndTrait(services, said, pending.candidates));
      // "徐汇店的" with two of 徐汇 in the list: still a pick to make — asked again, the list kept ("VIP那个" may follow).
      if (!answer && narrowsWithoutPicking(said, pending.candidates)) {
        memory.savePending(pending);
        return { kind: 'reply', route: { ...routed, intent: pending.intent, slots: pending.slots }, result: { text: t(lang, 'dialogue.pickAgain'), outcome: 'asked', data: { asked: 'member' } } };
      }
    }
    else {
      // "M00000003" to 要写什么内容？ after 给张伟建个工单: which 张伟 — a bare number is no content; the member it names replaces
      // the name, and the content is asked for again.
      const who = pending.need === 'content' && typeof pending.slots.name === 'string' ? memberAnswer(msg.text) : null;
      if (who?.bare && (who.slots.phone !== undefined || who.slots.memberNo !== undefined)) {
        return prepare(memory, actor, intent, { intent: intent.name, slots: { ...withoutMemberRefs(pending.slots), ...who.slots }, confidence: 1 }, pending.text, lang);
      }
      answer = await detailAnswer(services, pending.need, pending.need === 'content' ? msg.text : said, pending.text);
    }
    // A question is no reason ("他现在多少分" asked for 原因是什么？): a request of its own, and nothing is written.
    if (pending.kind === 'fill' && pending.need === 'reason' && !weak(actor, routed) && getIntent(routed.intent)?.effect === 'read' && (analyseMood(msg.text).question || ASKS.test(msg.text.normalize('NFKC').trim()))) return null;
    // A reason or content that is a request about another member — the last write again for them ("一样的给陈静也记一条"
    // to 要写什么内容？ about 刘洋) or a write of its own naming them ("郑浩再扣100 刚才多加了" to 原因是什么？ about 吴敏) — is a
    // new request, never the words asked for (s24b wrote both onto the member asked about).
    if (pending.kind === 'fill' && (pending.need === 'content' || pending.need === 'reason') && aboutAnotherMember(pending.slots, actor, routed, msg.text)) return null;
    const focus = memory.focus();
    // "就她", "刚才那位" to "哪位会员？": the member in focus, as a write asked about them takes it when pointed at.
    if (pending.kind === 'fill' && pending.need === 'member' && !answer && focus && actor.kind === 'staff' && pointsAtFocus(said)) answer = { slots: { memberNo: focus.memberNo }, bare: true };
    // "王芳 VIP", "13800000006 加100 生日": the member and the request's next details at once — the request again with
    // the details appended (as content is), the member as answered; only when the details add to it and the router
    // read no other write.
    // To "哪一位？" too ("13800000003这个 新客首单奖励" after 给张伟加300积分 listed three 张伟): the member picked, the rest read on.
    // A pick by phone or member number only: a name there is the ambiguous one again.
    // To 原因是什么？ or 要写什么内容？ while the member is still only a name ("13800000003这个 新客首单奖励" after 给张伟加300积分,
    // where three 张伟 wait to be told apart): the member by phone or number replaces the name, the rest is the reason.
    const byIdInstead = pending.kind === 'fill' && (pending.need === 'reason' || pending.need === 'content') && typeof pending.slots.name === 'string';
    const byId = (b: ReturnType<typeof memberAndRest>) => b !== null && b.member.slots.name === undefined;
    const both = ((b) => (b && (pending.kind === 'pick' || byIdInstead) && !byId(b) ? null : b))((pending.kind === 'pick' || pending.need === 'member' || byIdInstead) && !answer?.bare ? memberAndRest(said) : null);
    const otherWrite = routed.intent !== pending.intent && !weak(actor, routed) && !['read', 'control'].includes(getIntent(routed.intent)?.effect ?? 'read');
    if (both && !otherWrite) {
      const text = `${pending.text} ${both.rest}`;
      const found = await slotsAs(intent, text, { audience: actor.kind, actor, services });
      for (const k of MEMBER_REF) delete found[k];
      const before = { ...(byIdInstead ? withoutMemberRefs(pending.slots) : pending.slots), ...both.member.slots };
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
    const chat = content && SMALLTALK.test(routed.intent) && classifyUnmatched(msg.text) === 'unknown';
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
    // records or is bare assent. A question the customer asked, reported ("她打电话来问包间还有没有"), is content, not one put to the bot.
    const namesNobody =
      content &&
      getIntent(routed.intent)?.effect === 'read' &&
      !/(?:^|\.)smalltalk$/.test(routed.intent) &&
      !MEMBER_REF.some((k) => routed.slots[k] !== undefined) &&
      !pointsAtMember(msg.text) &&
      (!analyseMood(msg.text).question || reportedQuestion(msg.text));
    const sameUnasked =
      freeText &&
      (routed.unasked?.intent === pending.intent ||
        ((routed.intent === intent.readCounterpart || routed.intent === CONFIRM_INTENT || namesNobody) && assentOf(msg.text) === null && !isViewRequest(msg.text) && (!ASKS.test(msg.text.normalize('NFKC').trim()) || reportedQuestion(msg.text))));
    // "13800000003 那个新来的" to "哪一位？": a phone or number of one of the members listed, with words about them that add
    // nothing to the request (the router reads a look-up of that number) — the pick, as if said alone.
    const listedAnswer = pending.kind === 'pick' && !answer ? memberAnswer(said) : null;
    const listedNumber = listedAnswer !== null && (getIntent(routed.intent)?.effect === 'read' || weak(actor, routed)) && isListed(listedAnswer.slots, (pending as Extract<Pending, { kind: 'pick' }>).candidates);
    if (listedNumber) answer = listedAnswer;
    if (!answer || !(answer.bare || weak(actor, routed, freeText ? pending.intent : undefined) || chat || restated || sameUnasked || listedNumber)) return null;
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

  /** Whether a member answer's phone or member number is one of the members listed (a phone by the tail shown beside one only). */
  function isListed(slots: Record<string, unknown>, candidates: readonly Candidate[]): boolean {
    if (typeof slots.memberNo === 'string') return candidates.some((c) => c.memberNo === slots.memberNo);
    if (typeof slots.phone !== 'string') return false;
    const tail = slots.phone.slice(-4);
    return candidates.filter((c) => c.tail === tail).length === 1;
  }

  /**
   * A repeat for a member named, or a write the router read confidently about another member than `asked`'s with a figure
   * of its own (points, a tag): a name alone may be the router's misreading of the content ("储值卡充不进去" → 储值卡充).
   */
  function aboutAnotherMember(asked: Record<string, unknown>, actor: Turn['actor'], routed: Turn['routed'], text: string): boolean {
    if (!MEMBER_REF.some((k) => asked[k] !== undefined)) return false;
    // The repeat's words must name a member (a name, a phone, a number), not "跟上次一样" told as the reason: read by the
    // same member reader as an answer to "哪位会员？", as another-member.ts reads a repeat.
    const again = repeatedFor(text);
    if (again !== null && memberAnswer(again) !== null) return true;
    const write = !['read', 'control'].includes(getIntent(routed.intent)?.effect ?? 'read');
    const figure = routed.slots.delta !== undefined || routed.slots.tag !== undefined;
    return write && figure && !weak(actor, routed) && MEMBER_REF.some((k) => routed.slots[k] !== undefined && asked[k] !== undefined && routed.slots[k] !== asked[k]);
  }

  /** The open question, if any, answered, refused or re-asked by this message; null when the message goes on as a request. */
  return async function answerPending(turn: Turn): Promise<Plan | null> {
    const { msg, memory, actor, routed, lang } = turn;
    const pending = memory.pending();
    if (!pending) return null;
    // Asked once: answered now, or abandoned by whatever came instead.
    memory.clearPending();
    // "算了 还是加100吧 老客关怀" to 原因是什么？ after 给周杰加300分: the request with the figures wanted instead (and
    // whatever else the words answer), its member as asked — a change of mind, not the refusal its 算了 opens.
    const instead = pending.kind === 'fill' ? (changedMind(msg.text) ?? figureCorrected(msg.text, pending.slots)) : null;
    const asked = pending.kind === 'fill' ? getIntent(pending.intent) : undefined;
    if (instead && asked && pending.kind === 'fill' && mayUse(actor, asked)) {
      const found = await slotsAs(asked, instead, { audience: actor.kind, actor, services });
      for (const k of MEMBER_REF) delete found[k];
      if (Object.entries(found).some(([k, v]) => !FREE_TEXT.includes(k) && v !== undefined && pending.slots[k] !== v)) {
        return prepare(memory, actor, asked, { intent: asked.name, slots: { ...pending.slots, ...found }, confidence: 1 }, `${pending.text} ${instead}`, lang);
      }
    }
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
    if (refused || takenBack(msg.text) || holdsBack(msg.text) || (dictated && opensWithdrawn(msg.text))) {
      // The request refused is the one asked about, as it stood ("给李娜扣200分" → 原因是什么？ → "她投诉过 算了别扣了").
      const route = 'intent' in pending ? { ...routed, intent: pending.intent, slots: pending.slots } : routed;
      return { kind: 'reply', route, result: { text: t(lang, 'dialogue.dropped'), outcome: 'declined' } };
    }
    // "好的" / "ok" to "哪位会员？", to a list of members or to "what should I record?" answers nothing: the question
    // stays open and is asked again (no help, no write; thanks or "好的" are never a note's content).
    if (pending.kind !== 'choose' && assentOf(msg.text) === 'vague' && !memory.held) {
      memory.savePending(pending);
      const again = pending.kind === 'pick' ? 'dialogue.pickAgain' : pending.need === 'content' ? 'dialogue.contentAgain' : NEED_TEXT[pending.need as AskedNeed];
      const asked = pending.kind === 'pick' ? 'member' : pending.need;
      return { kind: 'reply', route: { ...routed, intent: pending.intent, slots: pending.slots }, result: { text: t(lang, again), outcome: 'asked', data: { asked } } };
    }
    return resume(turn, pending);
  };
}
