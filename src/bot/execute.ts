import { isAppError } from '../crm/kernel/index.ts';
import { t, type Lang } from '../i18n/index.ts';
import { intentExample, intentTitle } from '../intents/localized.ts';
import { errorReply } from './error-reply.ts';
import type { IntentDef } from '../intents/types.ts';
import type { Services } from '../services.ts';
import type { Actor, InboundMessage, IntentResult, RouteResult } from './types.ts';

/**
 * Stage 6 — execute. Slots are validated by the intent's own zod schema; a missing or bad slot
 * becomes a short clarifying question built from the intent's example, never an exception.
 */
/** A slot rule's own message (the domain's schemas word them in Chinese) in the asker's language. */
function issueText(message: string, lang: Lang): string {
  if (lang === 'zh' || !/\p{Script=Han}/u.test(message)) return message;
  return t(lang, /手机号|会员号|姓名/.test(message) ? 'errors.missingMemberRef' : 'errors.missingDetail');
}

export async function execute(services: Services, msg: InboundMessage, actor: Actor, intent: IntentDef, route: RouteResult, lang: Lang): Promise<IntentResult> {
  const parsed = intent.slots.safeParse(route.slots);
  if (!parsed.success) {
    const missing = parsed.error.issues.map((i) => i.path.join('.') || issueText(i.message, lang)).join(lang === 'zh' ? '、' : ', ');
    const example = intentExample(intent, lang);
    return { text: t(lang, 'errors.missingSlot', { title: intentTitle(intent, lang), missing, example: example ? t(lang, 'errors.missingSlotExample', { text: example }) : '' }).trim() };
  }
  try {
    return await intent.run({ services, actor, channel: msg.channel, requestId: msg.requestId, lang, text: msg.text }, parsed.data);
  } catch (e) {
    // Expected failures (AppError) carry a message meant for the user; anything else is a bug
    // or an outage: logged with the request id, answered politely, never silence.
    if (isAppError(e) && e.status < 500) return { text: errorReply(e, lang, intent), outcome: e.status === 404 ? 'asked' : 'declined' };
    // A 503 that no retry mends is this server's configuration (contacts_not_configured,
    // sync_not_configured …): the user is told what is missing — "try again later" would be untrue.
    if (isAppError(e) && e.status === 503 && !e.retryable) {
      services.logger.warn({ code: e.code, requestId: msg.requestId, intent: intent.name }, 'intent needs a setting this server lacks');
      return { text: errorReply(e, lang, intent), outcome: 'declined' };
    }
    services.logger.error({ err: e, requestId: msg.requestId, intent: intent.name }, 'intent failed');
    return { text: t(lang, 'errors.internal', { requestId: msg.requestId }), outcome: 'declined' };
  }
}
