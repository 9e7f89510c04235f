import { languageOf, type Lang } from '../i18n/index.ts';
import type { IntentDef } from '../intents/types.ts';

/** How the gate names an action in a reply: its Chinese title, or its name in English. */
export const actionLabel = (intent: Pick<IntentDef, 'title' | 'name'>, lang: Lang): string => (lang === 'zh' ? intent.title : intent.name);

/** One example of the intent in the reply's language (the catalogue lists Chinese first, then English). */
export const exampleOf = (intent: Pick<IntentDef, 'examples'>, lang: Lang): string =>
  (intent.examples.find((e) => languageOf(e.text) === lang) ?? intent.examples[0])?.text ?? '';
