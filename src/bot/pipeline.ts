import { isAppError } from '../errors.ts';
import type { Router } from '../intents/router/types.ts';
import type { IntentDef } from '../intents/types.ts';
import type { Services } from '../services.ts';
import { authorize } from './authorize.ts';
import { recordTurn } from './conversation.ts';
import { claimMessage, releaseMessage } from './dedupe.ts';
import { execute } from './execute.ts';
import { identifyActor } from './identify.ts';
import { render } from './render.ts';
import type { BotAnswer, HandleMessage, HandleOutcome, InboundMessage } from './types.ts';

export interface BotDeps {
  services: Services;
  router: Router;
  getIntent: (name: string) => IntentDef | undefined;
}

const NOT_REGISTERED =
  '你好！你还不是本系统登记的员工或会员，暂时无法使用。员工请联系总部运营在 CRM 中登记企业微信账号；会员请先在小程序注册。';

/**
 * The bot: dedupe → identify actor → route → authorize → execute → render; the channel then
 * delivers (passively on the same request, or pushed through the outbound queue). One file
 * per stage beside this one; this file only composes them.
 */
export function createBot({ services, router, getIntent }: BotDeps): HandleMessage {
  return async function handle(msg: InboundMessage): Promise<HandleOutcome> {
    const log = services.logger.child({ requestId: msg.requestId, channel: msg.channel, messageId: msg.messageId });
    if (!(await claimMessage(services, msg))) {
      log.info({ retryCount: msg.retryCount }, 'duplicate message dropped');
      return { kind: 'duplicate' };
    }
    try {
      return await answer(msg, log);
    } catch (e) {
      // Release the claim so the platform's retry (or the user's resend) is processed: a crash
      // mid-pipeline must not turn into a silently dropped message.
      await releaseMessage(services, msg).catch(() => {});
      throw e;
    }
  };

  async function answer(msg: InboundMessage, log: typeof services.logger): Promise<HandleOutcome> {
    const started = Date.now();
    const actor = await identifyActor(services, msg);
    if (!actor) {
      log.info({ from: msg.from }, 'unregistered sender');
      return { kind: 'answer', answer: { intent: 'unregistered', slots: {}, confidence: 1, text: NOT_REGISTERED } };
    }
    const route = await router.route(msg.text, { audience: actor.kind, actor, services });
    const intent = getIntent(route.intent) ?? getIntent('help');
    if (!intent) throw new Error('the intent catalogue has no help intent');
    let text: string;
    let data: unknown;
    try {
      authorize(actor, intent);
      ({ text, data } = await execute(services, msg, actor, intent, route));
    } catch (e) {
      if (!isAppError(e)) throw e;
      text = e.message;
    }
    await recordTurn(services, msg, actor, route);
    const result: BotAnswer = { ...route, intent: intent.name, text: render(text, msg.channel), data };
    log.info({ intent: result.intent, confidence: result.confidence, ms: Date.now() - started, actor: actor.kind === 'staff' ? actor.wecomUserId : `member:${actor.memberId}` }, 'answered');
    return { kind: 'answer', answer: result };
  }
}
