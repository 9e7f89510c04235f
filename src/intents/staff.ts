import type { StaffActor } from '../bot/types.ts';
import { forbidden, type StaffAccess } from '../crm/kernel/index.ts';
import type { IntentContext } from './types.ts';

/** A staff intent's CRM access; a member actor here is a routing bug, refused rather than trusted. */
export function staffAccess(ctx: IntentContext): StaffAccess {
  if (ctx.actor.kind !== 'staff') throw forbidden('intent_not_for_audience', '这个功能仅限员工使用。');
  return { services: ctx.services, actor: ctx.actor as StaffActor, channel: ctx.channel, requestId: ctx.requestId };
}
