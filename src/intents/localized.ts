import { languageOf, type Lang } from '../i18n/index.ts';
import { catalogue } from '../i18n/messages/index.ts';
import type { IntentDef } from './types.ts';

const HAN = /\p{Script=Han}/u;
const EN_TITLES: Record<string, string> = catalogue.titles.en;

/**
 * An intent's one-line title in `lang`: the declaration's own Chinese `title`, or its English line
 * in the `titles` namespace, else the first clause of its English description (an intent added
 * without an English title still reads in English).
 */
export function intentTitle(intent: Pick<IntentDef, 'name' | 'title' | 'description'>, lang: Lang): string {
  if (lang === 'zh') return intent.title;
  return EN_TITLES[intent.name] ?? intent.description.split(/[.:;(]|, (?:or|and)\b/)[0]!.trim();
}

/**
 * The example to show in `lang`: Chinese examples come first in each declaration (the first one
 * for Chinese); for English the first English example, preferring one without Chinese words.
 */
export function intentExample(intent: Pick<IntentDef, 'examples'>, lang: Lang): string | undefined {
  const texts = intent.examples.map((e) => e.text);
  if (lang === 'zh') return texts[0];
  const english = texts.filter((x) => languageOf(x) === 'en');
  return english.find((x) => !HAN.test(x)) ?? english[0] ?? texts[0];
}
