import { parsePoints } from '../../intents/parse/service-text.ts';
import { findStore, storeDirectory } from '../../intents/router/stores.ts';
import { CLARIFY_INTENT } from '../../intents/router/types.ts';
import { moodFor } from '../gate.ts';
import { TRAILING_IDENTIFIER } from '../understand/lexicon.ts';
import { memberAnswer } from './answers.ts';
import type { DialogueContext, Plan, Recent, Turn } from './context.ts';
import { correctedMember } from './correct-answer.ts';
import { FREE_TEXT, MEMBER_REF, namesMember, withoutMemberRefs } from './member-refs.ts';
import { ordinalChoice } from './ordinal.ts';
import { repeatedFor } from './repeat.ts';

/** "一样的理由", "理由同上", "原因一样", "内容一样", "same reason": the free text said to be the previous write's, closing the message. */
const SAME_TEXT = /[\s，,]*(?:(?:一样|同样|相同)的?(?:理由|原因|内容|备注)|(?:理由|原因|内容|备注)(?:也)?(?:一样|同上|相同|照旧)|(?:with )?(?:the )?same (?:reason|note)s?)[\s。.!！]*$/i;

/** "那第二个呢", "what about the first one": another of the members listed, asked the same. */
const ANOTHER_LEAD = /^\s*(?:那么?|还有|那就|再看看?|再|and|what about|how about)\s*/i;
/**
 * "那周杰呢", "周杰的呢", "what about 13800000005": another member named with 呢 (or "what about")
 * after an answer about a member asks the same question about them — a name alone is a look-up,
 * but a name with 呢, or with 的 and nothing after it ("李娜的"), points back at the question just answered.
 */
const ANOTHER_MEMBER = /^\s*(?:那么?|那就|还有|再看看?)?\s*(.+?)\s*(?:的呢|呢|的)\s*[?？]*\s*$|^\s*(?:and|what about|how about)\s+(.+?)\s*[?？]*\s*$/i;

/**
 * The last question or write again, about another member: "那周杰呢" (named), "那第二个呢" (another of those listed),
 * "那13800000004的呢" from a member (someone else's account: the member gate refuses it), "也给陈静加一个" (the write just
 * made, for the one named). Why apart: only the member changes — the request's figures stay, its free text does not.
 */
export function anotherMember({ services, getIntent, mayUse, prepare, weak }: DialogueContext) {
  return async function askAgainFor({ msg, memory, actor, routed, lang }: Turn, recent: Recent): Promise<Plan | null> {
    const { last, staffLast, lastIntent } = recent;
    const other = correctedMember(msg.text, recent);
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
    if (last && lastIntent && another && sameMember && (routed.intent === 'member.lookup' || weak(actor, routed, last.intent) || routed.intent === CLARIFY_INTENT || onlyThatMember) && namesMember(last.slots)) {
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
    if (staffLast && lastIntent && namesMember(staffLast.slots) && (weak(actor, routed, staffLast.intent) || routed.intent === CLARIFY_INTENT || bareOrdinal)) {
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
    const whom = previous && asked && previous.effect !== 'read' && previous.effect !== 'control' && namesMember(memory.previous!.slots) ? repeatedFor(msg.text) : null;
    const repeatFor = whom !== null ? memberAnswer(whom) : null;
    if (previous && repeatFor && (repeatFor.bare || weak(actor, routed) || routed.intent === previous.name || routed.intent === 'member.lookup') && mayUse(actor, previous)) {
      const kept = Object.fromEntries(Object.entries(memory.previous!.slots).filter(([k]) => !MEMBER_REF.includes(k) && !FREE_TEXT.includes(k)));
      return prepare(memory, actor, previous, { intent: previous.name, slots: { ...kept, ...repeatFor.slots }, confidence: 1 }, msg.text, lang);
    }
    // "王芳也加800 一样的理由", "周杰也记一条 内容一样" after a write asked for: the same write for the member named, its figures
    // as now said, the reason or content said to be the same — the previous one's (a repeat keeps no free text unless told).
    const same = previous && asked && previous.effect === 'write' ? SAME_TEXT.exec(msg.text.normalize('NFKC').trim()) : null;
    const said = same ? [routed, ...(routed.alternatives ?? [])].find((r) => r.intent === previous!.name && namesMember(r.slots)) : undefined;
    if (previous && same && said && /也|同样|一样|照样/.test(msg.text.slice(0, same.index)) && mayUse(actor, previous)) {
      const before = memory.previous!.slots;
      const texts = Object.fromEntries(Object.entries(before).filter(([k]) => FREE_TEXT.includes(k) && k !== 'text'));
      // A points write keeps its reason inside its text ("加800积分 年度感谢"): read as the intent reads it.
      if (previous.name === 'points.adjust' && texts.reason === undefined && typeof before.text === 'string') {
        const reason = parsePoints(before.text, [before.phone, before.memberNo, before.name].filter((x): x is string => typeof x === 'string')).reason;
        if (reason) texts.reason = reason;
      }
      if (Object.keys(texts).length > 0) {
        const kept = Object.fromEntries(Object.entries(memory.previous!.slots).filter(([k]) => !MEMBER_REF.includes(k) && !FREE_TEXT.includes(k)));
        const now = Object.fromEntries(Object.entries(said.slots).filter(([k]) => !FREE_TEXT.includes(k)));
        return prepare(memory, actor, previous, { intent: previous.name, slots: { ...kept, ...now, ...texts }, confidence: 1 }, msg.text, lang);
      }
    }
    return null;
  };
}
