import { can, forbidden } from '../crm/kernel/index.ts';
import type { IntentDef } from '../intents/types.ts';
import type { Actor } from './types.ts';

/**
 * Stage 5 — authorize. An intent of the other audience or a missing permission is refused
 * here; store scope is enforced again inside the CRM layer for every read (never by routing).
 */
export function authorize(actor: Actor, intent: IntentDef): void {
  const audience = actor.kind === 'staff' ? 'staff' : 'member';
  if (intent.audience !== audience) throw forbidden('intent_not_for_audience', `「${intent.title}」不可用。`);
  if (intent.permission && (actor.kind !== 'staff' || !can(actor, intent.permission))) {
    throw forbidden('permission_denied', `你的角色没有「${intent.title}」的权限，请联系总部运营开通。`);
  }
}
