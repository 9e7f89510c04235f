import { languageOf, type Lang } from '../../i18n/index.ts';
import type { IntentDef } from '../../intents/types.ts';

/**
 * What an intent is called in a reply: its Chinese title, or in English the first clause of its
 * (English) description ("List one member's recent orders").
 */
export function intentLabel(intent: IntentDef, lang: Lang): string {
  if (lang === 'zh') return intent.title;
  const clause = intent.description.split(/:|;|\(|\. |, (?:optionally|with|ranked)\b/)[0]!.trim().replace(/\.$/, '');
  return clause.length > 70 ? `${clause.slice(0, 67)}…` : clause;
}

/** The intent's first example in the reply language (examples list Chinese first, then English). */
export function exampleIn(intent: IntentDef, lang: Lang): string | undefined {
  return (intent.examples.find((e) => languageOf(e.text) === lang) ?? intent.examples[0])?.text;
}

/** The member, tag or store a reading would act on, for an option line ("张伟", "M00000001 · VIP"). */
export function slotSummary(slots: Record<string, unknown>): string {
  const keys = ['name', 'memberNo', 'phone', 'tag', 'store', 'level'];
  return keys.flatMap((k) => (typeof slots[k] === 'string' || typeof slots[k] === 'number' ? [String(slots[k])] : [])).join(' · ');
}
