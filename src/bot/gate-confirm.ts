import { t, type Lang } from '../i18n/index.ts';
import type { IntentDef } from '../intents/types.ts';
import { isConnectionError } from '../redis.ts';
import type { Services } from '../services.ts';
import { peekAction } from './confirmation.ts';
import { actionLabel } from './gate-text.ts';
import type { Actor, IntentResult } from './types.ts';
import { assentNames, assentOf, confirmationCode, holdsBack } from './understand/assent.ts';

/** What vague assent with nothing held is reported as: small talk (docs/intents.md, Confirmation). */
export const ACK_INTENT = 'smalltalk';
/** The same for a member, whose small talk is their own intent (my.smalltalk). */
export const MEMBER_ACK_INTENT = 'my.smalltalk';

/** Small talk in the actor's own audience: a lone "ok" / "好" from a member is my.smalltalk, not staff smalltalk. */
export const ackIntentFor = (actor: Actor): string => (actor.kind === 'member' ? MEMBER_ACK_INTENT : ACK_INTENT);

/**
 * Whether a "confirm" turn may take the pending action: an explicit confirmation always may
 * (the owner and expiry are checked when taking it); vague assent ("嗯", "好的", "ok") only when
 * the person's previous turn was the bot asking for this very confirmation (`fresh`); anything
 * else routed as a confirmation takes nothing. `take` → go on; otherwise the reply.
 */
export async function confirmationGate(
  services: Services,
  actor: Actor,
  text: string,
  fresh: string | null,
  lang: Lang,
  getIntent: (name: string) => IntentDef | undefined,
  conversationId?: string,
): Promise<{ take: true; code?: string } | { take: false; result: IntentResult | null }> {
  const assent = assentOf(text);
  const code = confirmationCode(text);
  if (assent === 'explicit') return { take: true, ...(code ? { code } : {}) };
  const pending = await peekAction(services, actor, undefined, conversationId);
  // Nothing held: vague assent is an acknowledgement (small talk), one short line — never help, never a write.
  if (!pending) {
    if (assent === 'vague') return { take: false, result: { text: t(lang, 'safety.assentNothing'), outcome: 'answered', intent: ackIntentFor(actor) } };
    // "don't confirm yet", "先别确认" with nothing held: a withdrawal of nothing, said and declined — never a confirmation.
    if (holdsBack(text)) return { take: false, result: { text: t(lang, 'safety.assentNothing'), outcome: 'declined', intent: 'action.cancel' } };
    return { take: false, result: null };
  }
  if (assent === 'vague' && fresh === pending.code) return { take: true, code: pending.code };
  // "行 发吧" while a recall waits, a few turns after its preview: assent naming the very action held takes it.
  if (assentNames(text, pending.intent)) return { take: true, code: pending.code };
  // An action held, but not asked about just now: the assent is about it (a confirmation, refused), whatever the router read.
  return { take: false, result: { text: t(lang, 'safety.assentStale', { code: pending.code, action: labelOf(pending.intent, lang, getIntent) }), outcome: 'asked', intent: 'action.confirm', data: { pending: { code: pending.code, intent: pending.intent } } } };
}

/** The answer plus one line naming the person's pending action, if one is still waiting. */
export async function withPendingReminder(services: Services, actor: Actor, lang: Lang, result: IntentResult, getIntent: (name: string) => IntentDef | undefined, conversationId?: string): Promise<IntentResult> {
  // Runs after the action: Redis gone now must not turn a done action into an error (src/bot/degraded.ts).
  const pending = await peekAction(services, actor, undefined, conversationId).catch((e) => {
    if (isConnectionError(e)) return null;
    throw e;
  });
  if (!pending) return result;
  return { ...result, text: `${result.text}\n${t(lang, 'safety.pendingReminder', { code: pending.code, action: labelOf(pending.intent, lang, getIntent) })}` };
}

function labelOf(name: string, lang: Lang, getIntent: (name: string) => IntentDef | undefined): string {
  const intent = getIntent(name);
  return intent ? actionLabel(intent, lang) : name;
}
