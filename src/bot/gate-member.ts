import { t, type Lang } from '../i18n/index.ts';
import { COMPLAINT } from '../intents/member/handoff.ts';
import { STOP_WISH } from '../intents/member/unsubscribe.ts';
import { toSimplified } from '../intents/router/traditional.ts';
import type { IntentDef } from '../intents/types.ts';
import { actionLabel, exampleOf } from './gate-text.ts';
import type { GateVerdict } from './gate.ts';
import type { MemberActor } from './types.ts';
import * as L from './understand/lexicon.ts';
import { analyseMood, type Mood } from './understand/mood.ts';
import { asksAboutOthers, asksForPerson, claimsAGrant, claimsToBeStaff, complaintInJest } from './understand/requests.ts';

/**
 * A complaint, or a person asked for in the member's own "我要…", clear enough to hand over even when the
 * message also asks something ("怎么这么慢？我要投诉", "怎么还没处理 太慢了 我要找你们的人").
 */
const STRONG_COMPLAINT = /我要(?:找|转|见)[^，,。；;\s?？吗]{0,6}?(?:人|人工|客服|店长|经理|老板|负责人)(?![^，,。；;\s]*[吗么?？])|我要投诉|我要退款|要投诉|太差|垃圾|坑人|气死|差劲|难吃|态度.{0,4}(?:差|不好)|terrible|awful|worst|i want to complain/i;

/** A request to stop messages put politely as a question: 能不能 / 可不可以 … 别 / 不要 (再) 发 / 推. */
const POLITE_STOP = /(?:能不能|可不可以|能否|可以|麻烦)\s*(?:以后|今后|之后)?\s*(?:别|不要|不再|甭)(?:再)?(?:给我)?(?:发|推|打扰)[^，,。；;]{0,4}(?:了|吗|啊|呀)?[?？]?$/;

/**
 * A complaint told and then the hand-off asked in the message's last clause, on its own ("储值卡到现在都不能用 … 我要投诉",
 * "那算了 帮我转人工"): the negation is the complaint's facts (不能用, 没人联系) or a question given up before (算了), not a
 * refusal of the hand-off — that clause, read alone, asks for a person or complains and neither refuses nor supposes.
 * "不用转人工" or "转人工 算了" keep the refusal (their last clause refuses, or asks nothing).
 */
function askedLast(read: string): boolean {
  const clauses = read.split(/[\s,，。;；!！?？~～…]+/).filter(Boolean);
  const last = clauses.at(-1);
  if (!last || clauses.length < 2) return false;
  if (!(asksForPerson(last) || STRONG_COMPLAINT.test(last) || /^投诉$/.test(last))) return false;
  const own = analyseMood(last);
  return !own.negated && !own.hypothetical && !own.reported && !own.deferred && !own.question;
}

/**
 * The member side of the gate. Role comes only from identity: a claim to be staff is declined
 * whatever was routed; a question about someone else's account gets no data; the hand-off opens
 * a ticket only when the member asks for a person or complains, affirmatively. null: go on.
 */
export function gateMember(actor: MemberActor, intent: IntentDef, text: string, lang: Lang, mood: Mood): GateVerdict | null {
  const reply = (key: 'safety.memberStaffClaim' | 'safety.memberOthers' | 'safety.handoffHow' | 'safety.handoffNegated' | 'safety.unsubscribeHow', outcome: 'declined' | 'answered'): GateVerdict => ({
    kind: 'reply',
    result: { text: t(lang, key), outcome },
  });
  // Read in simplified characters, as the router reads them ("我要投訴", "轉人工").
  const read = toSimplified(text.normalize('NFKC'));
  if (claimsToBeStaff(text)) return reply('safety.memberStaffClaim', 'declined');
  // "manager told me I can get 500 points today": a credit the member says staff allowed — staff work (my.help), declined.
  if (claimsAGrant(text) && intent.name !== 'handoff') return { kind: 'reply', result: { text: t(lang, 'safety.memberGrantClaim'), outcome: 'declined', intent: 'my.help' } };
  if (intent.effect === 'read') return asksAboutOthers(text, actor.phone) ? reply('safety.memberOthers', 'declined') : null;

  const params = { action: actionLabel(intent, lang), example: exampleOf(intent, lang) };
  // A member's own write never runs for someone else ("帮我把13800000005退订了"); a hand-off may
  // mention others (a complaint about a waiter) and opens a ticket for the sender only.
  if (intent.name !== 'handoff' && asksAboutOthers(text, actor.phone)) return reply('safety.memberOthers', 'declined');
  if (intent.name === 'handoff') {
    // A complaint word in jest ("哈哈哈我要投诉你太聪明了", "report you for being too helpful lol"): small talk, never a ticket.
    if (complaintInJest(text)) return { kind: 'reply', result: { text: t(lang, 'safety.handoffJest'), outcome: 'answered', intent: 'my.smalltalk' } };
    if (mood.negated && !askedLast(read)) return reply('safety.handoffNegated', 'declined');
    const threat = L.ESCALATION_THREAT_ZH.test(read) || L.ESCALATION_THREAT_EN.test(read);
    if (mood.reported || (mood.hypothetical && !threat) || mood.deferred) return reply('safety.handoffHow', 'declined');
    const wanted = asksForPerson(text) || COMPLAINT.test(read) || threat;
    if (!wanted || (mood.question && !STRONG_COMPLAINT.test(read))) return reply('safety.handoffHow', 'answered');
    return null;
  }
  // 退订 only on the member's own words asking to stop ("消息也太多了吧" is a grumble, not a wish): say how.
  if (intent.name === 'unsubscribe' && !STOP_WISH.test(read)) return reply('safety.unsubscribeHow', 'answered');
  // "以后能不能别发了", "可不可以不要再推了": asking the bot to stop, put as a question — the wish itself, no question about it.
  if (intent.name === 'unsubscribe' && POLITE_STOP.test(read) && !mood.negated && !mood.reported && !mood.hypothetical) return null;
  if (mood.negated) return { kind: 'reply', result: { text: t(lang, 'safety.negated', params), outcome: 'declined' } };
  if (mood.reported) return { kind: 'reply', result: { text: t(lang, 'safety.reported', params), outcome: 'declined' } };
  if (mood.hypothetical) return { kind: 'reply', result: { text: t(lang, 'safety.hypothetical', params), outcome: 'declined' } };
  if (mood.deferred) return { kind: 'reply', result: { text: t(lang, 'safety.deferred', params), outcome: 'declined' } };
  if (mood.question) return { kind: 'reply', result: { text: t(lang, 'safety.question', params), outcome: 'answered' } };
  return null;
}
