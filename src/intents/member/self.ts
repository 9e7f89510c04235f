import type { MemberActor } from '../../bot/types.ts';
import { forbidden, type SelfAccess } from '../../crm/kernel/index.ts';
import type { IntentContext } from '../types.ts';

/** A member intent's access: the member themself, never anyone else; a staff actor here is a routing bug. */
export function selfAccess(ctx: IntentContext): SelfAccess {
  if (ctx.actor.kind !== 'member') throw forbidden('intent_not_for_audience', '这个功能仅限会员本人使用。');
  return { services: ctx.services, actor: ctx.actor as MemberActor, channel: ctx.channel, requestId: ctx.requestId };
}
