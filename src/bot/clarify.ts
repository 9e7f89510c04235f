import { t, type Lang } from '../i18n/index.ts';
import type { IntentDef } from '../intents/types.ts';
import type { AnswerCard } from './types.ts';
import { intentExample as exampleIn, intentTitle as intentLabel } from '../intents/localized.ts';
import { slotSummary } from './dialogue/labels.ts';

/** One reading of an unclear message: the intent and the slots it would run with. */
export interface ClarifyOption {
  intent: IntentDef;
  slots: Record<string, unknown>;
}

/** At most this many options: more is a menu, not a question. */
export const MAX_OPTIONS = 3;

/**
 * The short question asked when several intents fit (the router's CLARIFY answer): numbered
 * options naming what each would do and with whom, answerable with the number ("2", "第二个").
 */
export function clarifyingQuestion(options: readonly ClarifyOption[], lang: Lang): string {
  if (options.length === 0) return t(lang, 'dialogue.noOptions');
  const lines = options.slice(0, MAX_OPTIONS).map((o, i) => {
    const n = i + 1;
    const title = intentLabel(o.intent, lang);
    const about = slotSummary(o.slots);
    if (about) return t(lang, 'dialogue.optionAbout', { n, title, about });
    const example = exampleIn(o.intent, lang);
    return example ? t(lang, 'dialogue.optionExample', { n, title, example }) : t(lang, 'dialogue.option', { n, title });
  });
  return [t(lang, 'dialogue.chooseIntro'), ...lines, t(lang, 'dialogue.chooseHint')].join('\n');
}

/** The clarification as a choice card: one option per reading, keyed by the number that answers it typed. */
export function choiceCard(taskId: string, options: readonly ClarifyOption[], lang: Lang): Extract<AnswerCard, { kind: 'choice' }> {
  return {
    kind: 'choice',
    taskId,
    title: t(lang, 'cards.choiceTitle'),
    options: options.slice(0, MAX_OPTIONS).map((o, i) => {
      const about = slotSummary(o.slots);
      return { key: String(i + 1), label: about ? `${intentLabel(o.intent, lang)} · ${about}` : intentLabel(o.intent, lang) };
    }),
  };
}
