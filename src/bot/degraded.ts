import { AppError, isAppError } from '../crm/kernel/index.ts';
import { replyLanguage, t } from '../i18n/index.ts';
import type { Router } from '../intents/router/types.ts';
import type { IntentDef } from '../intents/types.ts';
import { isConnectionError } from '../redis.ts';
import type { Services } from '../services.ts';
import { authorize } from './authorize.ts';
import { errorReply } from './error-reply.ts';
import { execute } from './execute.ts';
import { gate } from './gate.ts';
import { identifyActor } from './identify.ts';
import { render } from './render.ts';
import type { HandleOutcome, InboundMessage, IntentResult } from './types.ts';

/** True while the request connection to Redis cannot take a command (it fails at once then: no offline queue). */
export const redisDown = (services: Services): boolean => services.redis.status !== 'ready';

/**
 * The bot while Redis is away (docs/operations.md, "When Redis goes away"): conversation memory,
 * pending confirmations, the member rate limit and the queues live there. What is safe without
 * them still runs — a read-only request is routed on its own text and answered from MySQL — and
 * everything else (a write, which needs a confirmation or a rate limit; confirming or cancelling;
 * a send) is declined with `chat_degraded`, retryable: "稍后再试". Never a 5xx. The durable inbox
 * (src/bot/inbox/, MySQL) records the message as ever.
 */
export async function answerWithoutRedis(
  deps: { services: Services; router: Router; getIntent: (name: string) => IntentDef | undefined; fallback: { staff: string; member: string } },
  msg: InboundMessage,
  log: Services['logger'],
): Promise<HandleOutcome> {
  const { services, router, getIntent } = deps;
  const lang = replyLanguage(msg.text);
  const actor = await identifyActor(services, msg);
  if (!actor) return { kind: 'answer', answer: { intent: 'unregistered', slots: {}, confidence: 1, text: t(lang, 'bot.notRegistered'), outcome: 'declined' } };
  const route = await router.route(msg.text, { audience: actor.kind, actor, services, requestId: msg.requestId });
  const intent = getIntent(route.intent) ?? getIntent(deps.fallback[actor.kind])!;
  const decline = (): IntentResult => ({ text: errorReply(new AppError('chat_degraded', t('zh', 'errors.chat_degraded')), lang, intent), outcome: 'declined', data: { degraded: true } });
  let result: IntentResult;
  let reported = intent.name;
  try {
    authorize(actor, intent);
    if (intent.effect === 'read' && !intent.confirm) result = { ...(await execute(services, msg, actor, intent, route, lang)), outcome: 'answered' };
    else if (intent.effect === 'control') result = decline(); // confirm / cancel: the pending action is in Redis
    else {
      // A write: the gate may still answer it (a question, a refusal) or turn it into its read.
      const verdict = await gate({ services, actor, intent, route, text: msg.text, lang, getIntent, conversationId: msg.conversationId });
      if (verdict.kind === 'reply' && verdict.result.outcome !== 'done') result = verdict.result;
      else if (verdict.kind === 'read') {
        authorize(actor, verdict.intent);
        reported = verdict.intent.name;
        const r = await execute(services, msg, actor, verdict.intent, verdict.route, lang);
        result = { ...r, text: verdict.lead ? `${verdict.lead}\n${r.text}` : r.text, outcome: 'answered' };
      } else result = decline();
    }
  } catch (e) {
    if (isAppError(e)) result = { text: errorReply(e, lang, intent), outcome: 'declined' };
    else if (isConnectionError(e)) result = decline(); // a read that needed Redis after all
    else throw e;
  }
  log.warn({ intent: reported, outcome: result.outcome }, 'Redis unavailable: answered without conversation memory or queues');
  return { kind: 'answer', answer: { ...route, intent: reported, text: render(result.text, msg.channel, lang), outcome: result.outcome, data: result.data, ...(result.image ? { image: result.image } : {}) } };
}
