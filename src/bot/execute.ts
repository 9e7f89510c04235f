import { isAppError } from '../crm/kernel/index.ts';
import type { Lang } from '../i18n/index.ts';
import type { IntentDef } from '../intents/types.ts';
import type { Services } from '../services.ts';
import type { Actor, InboundMessage, IntentResult, RouteResult } from './types.ts';

/**
 * Stage 6 — execute. Slots are validated by the intent's own zod schema; a missing or bad slot
 * becomes a short clarifying question built from the intent's example, never an exception.
 */
export async function execute(services: Services, msg: InboundMessage, actor: Actor, intent: IntentDef, route: RouteResult, lang: Lang): Promise<IntentResult> {
  const parsed = intent.slots.safeParse(route.slots);
  if (!parsed.success) {
    const missing = parsed.error.issues.map((i) => i.path.join('.') || i.message).join('、');
    const example = intent.examples[0]?.text;
    return { text: `「${intent.title}」还缺少信息（${missing}）。${example ? `例如：${example}` : ''}`.trim(), outcome: 'asked' };
  }
  try {
    return await intent.run({ services, actor, channel: msg.channel, requestId: msg.requestId, lang, text: msg.text }, parsed.data);
  } catch (e) {
    // Expected failures (AppError) carry a message meant for the user; anything else is a bug
    // or an outage: logged with the request id, answered politely, never silence.
    if (isAppError(e) && e.status < 500) return { text: e.message, outcome: e.status === 404 ? 'asked' : 'declined' };
    services.logger.error({ err: e, requestId: msg.requestId, intent: intent.name }, 'intent failed');
    return { text: `抱歉，处理时出了点问题，请稍后再试（请求号 ${msg.requestId}）。`, outcome: 'declined' };
  }
}
