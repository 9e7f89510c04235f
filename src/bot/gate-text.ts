import type { Lang } from '../i18n/index.ts';
import { intentExample, intentTitle } from '../intents/localized.ts';
import type { IntentDef } from '../intents/types.ts';

/** How the gate names an action in a reply: its title in the reply's language. */
export const actionLabel = (intent: Pick<IntentDef, 'title' | 'name' | 'description'>, lang: Lang): string => intentTitle(intent, lang);

/** One example of the intent in the reply's language. */
export const exampleOf = (intent: Pick<IntentDef, 'examples'>, lang: Lang): string => intentExample(intent, lang) ?? '';
