import type { Actor } from '../bot/types.ts';
import { can } from '../crm/kernel/index.ts';
import type { IntentDef } from './types.ts';

/** The intents this actor may use: their audience, and for staff the permission of their role. */
export function usableIntents(intents: readonly IntentDef[], actor: Actor): IntentDef[] {
  const audience = actor.kind === 'staff' ? 'staff' : 'member';
  return intents.filter((i) => i.audience === audience && (!i.permission || (actor.kind === 'staff' && can(actor, i.permission))));
}

/** The help text, derived from the catalogue: title and first example of each usable intent. */
export function helpText(intents: readonly IntentDef[], actor: Actor): string {
  const lines = usableIntents(intents, actor)
    .filter((i) => i.name !== 'help')
    .map((i) => `· ${i.title}：${i.examples[0]?.text ?? ''}`);
  return [`你好${actor.name ? `，${actor.name}` : ''}！你可以这样问我：`, ...lines, '发送「帮助」或 help 随时查看本说明。'].join('\n');
}
