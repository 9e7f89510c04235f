import { t, type Lang } from '../i18n/index.ts';
import { COMPLAINT } from '../intents/member/handoff.ts';
import type { IntentDef } from '../intents/types.ts';
import { actionLabel, exampleOf } from './gate-text.ts';
import type { GateVerdict } from './gate.ts';
import type { MemberActor } from './types.ts';
import type { Mood } from './understand/mood.ts';
import { asksAboutOthers, asksForPerson, claimsToBeStaff } from './understand/requests.ts';

/** A complaint clear enough to hand over even when phrased as a question ("怎么这么慢？我要投诉"). */
const STRONG_COMPLAINT = /我要投诉|我要退款|要投诉|太差|垃圾|坑人|气死|差劲|难吃|态度.{0,4}(?:差|不好)|terrible|awful|worst|i want to complain/i;

/**
 * The member side of the gate. Role comes only from identity: a claim to be staff is declined
 * whatever was routed; a question about someone else's account gets no data; the hand-off opens
 * a ticket only when the member asks for a person or complains, affirmatively. null: go on.
 */
export function gateMember(actor: MemberActor, intent: IntentDef, text: string, lang: Lang, mood: Mood): GateVerdict | null {
  const reply = (key: 'safety.memberStaffClaim' | 'safety.memberOthers' | 'safety.handoffHow' | 'safety.handoffNegated', outcome: 'declined' | 'answered'): GateVerdict => ({
    kind: 'reply',
    result: { text: t(lang, key), outcome },
  });
  if (claimsToBeStaff(text)) return reply('safety.memberStaffClaim', 'declined');
  if (intent.effect === 'read') return asksAboutOthers(text, actor.phone) ? reply('safety.memberOthers', 'declined') : null;

  const params = { action: actionLabel(intent, lang), example: exampleOf(intent, lang) };
  // A member's own write never runs for someone else ("帮我把13800000005退订了"); a hand-off may
  // mention others (a complaint about a waiter) and opens a ticket for the sender only.
  if (intent.name !== 'handoff' && asksAboutOthers(text, actor.phone)) return reply('safety.memberOthers', 'declined');
  if (intent.name === 'handoff') {
    if (mood.negated) return reply('safety.handoffNegated', 'declined');
    if (mood.reported || mood.hypothetical || mood.deferred) return reply('safety.handoffHow', 'declined');
    const wanted = asksForPerson(text) || COMPLAINT.test(text);
    if (!wanted || (mood.question && !STRONG_COMPLAINT.test(text))) return reply('safety.handoffHow', 'answered');
    return null;
  }
  if (mood.negated) return { kind: 'reply', result: { text: t(lang, 'safety.negated', params), outcome: 'declined' } };
  if (mood.reported) return { kind: 'reply', result: { text: t(lang, 'safety.reported', params), outcome: 'declined' } };
  if (mood.hypothetical) return { kind: 'reply', result: { text: t(lang, 'safety.hypothetical', params), outcome: 'declined' } };
  if (mood.deferred) return { kind: 'reply', result: { text: t(lang, 'safety.deferred', params), outcome: 'declined' } };
  if (mood.question) return { kind: 'reply', result: { text: t(lang, 'safety.question', params), outcome: 'answered' } };
  return null;
}
