import { loadEvalSet, type EvalCase } from '../eval/cases.ts';
import type { IntentDef } from '../types.ts';
import { catalogueCorpus, type TrainingLine } from './build.ts';
import { tuningDir } from './tuning.ts';

/**
 * The tuning set's human-written single messages as training lines. The templates are what the
 * engineers imagined; these are how people (many of them writing blind, never having seen the
 * router) actually phrase a request — the classifier learns from both.
 *
 * Honesty: whatever reads a tuning line to measure or to fit something must use a model that did
 * not train on that line's file (fit.ts `outOfFoldTuning`: folds of whole files). The blind sets
 * (test/intents/test, test2, r15 …) are never read here: only `tuningDir()`.
 */

/**
 * How much one human line counts against one template line. Measured with cv-intents
 * (leave-one-file-out, the file read by a model trained without it) — docs/intents.md, session 20.
 */
export const HUMAN_WEIGHT = 1;

/** The `source` of a human line: its file, so a cross-validation fold holds out whole files. */
export const humanSource = (file: string) => `human:${file}`;
export const isHuman = (l: Pick<TrainingLine, 'source'>) => l.source.startsWith('human:');

/**
 * The lines a model learns from: only lines labelled with an intent of their audience (a
 * clarification names no one intent; the model has no such class), the label as written (the
 * fallback intent is one of the model's labels, like any other).
 */
export function humanLines(intents: readonly IntentDef[], cases: readonly Pick<EvalCase, 'text' | 'audience' | 'intent' | 'file' | 'style'>[], weight = HUMAN_WEIGHT): TrainingLine[] {
  const known = new Set(intents.map((i) => `${i.audience}:${i.name}`));
  return cases
    .filter((c) => known.has(`${c.audience}:${c.intent}`))
    .map((c) => ({ audience: c.audience, label: c.intent, text: c.text, source: humanSource(c.file), ...(c.style ? { style: c.style } : {}), weight }));
}

/** Everything `npm run train:intents` trains on: the catalogue's corpus, then the tuning set's human lines. */
export async function trainingCorpus(intents: readonly IntentDef[], weight = HUMAN_WEIGHT): Promise<TrainingLine[]> {
  return [...catalogueCorpus(intents), ...humanLines(intents, await loadEvalSet(tuningDir()), weight)];
}
