import type { Actor } from '../bot/types.ts';
import { can } from '../crm/kernel/index.ts';
import { t, type Lang } from '../i18n/index.ts';
import { intentExample, intentTitle } from './localized.ts';
import type { IntentDef } from './types.ts';

/** The intents this actor may use: their audience, and for staff the permission of their role. */
export function usableIntents(intents: readonly IntentDef[], actor: Actor): IntentDef[] {
  const audience = actor.kind === 'staff' ? 'staff' : 'member';
  return intents.filter((i) => i.audience === audience && (!i.permission || (actor.kind === 'staff' && can(actor, i.permission))));
}

/**
 * Not listed: help itself, confirming and cancelling (every preview says how) and small talk. The
 * help must fit one passive WeCom reply (2048 bytes) to come back at once, not as pushed parts.
 */
export const UNLISTED_IN_HELP = new Set(['help', 'my.help', 'action.confirm', 'action.cancel', 'smalltalk', 'my.smalltalk']);

/** The help text, derived from the catalogue: title and an example of each usable intent, in the asker's language. */
export function helpText(intents: readonly IntentDef[], actor: Actor, lang: Lang = 'zh'): string {
  const lines = usableIntents(intents, actor)
    .filter((i) => !UNLISTED_IN_HELP.has(i.name))
    .map((i) => t(lang, 'help.line', { title: intentTitle(i, lang), example: intentExample(i, lang) ?? '' }));
  const greeting = actor.name ? t(lang, 'help.greetingNamed', { name: actor.name }) : t(lang, 'help.greeting');
  return [greeting, ...lines, t(lang, 'help.footer')].join('\n');
}
