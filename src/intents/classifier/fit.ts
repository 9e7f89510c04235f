import type { RouteContext } from '../router/types.ts';
import { candidatesOf, combine, DEFAULT_COMBINATION, type Candidate, type Combination, withoutTrailingThanks } from '../router/combined.ts';
import { createRuleAnalyser, type RuleRouterOptions } from '../router/rules.ts';
import type { IntentDef } from '../types.ts';
import { createHash } from 'node:crypto';
import { buildModel, type TrainingLine } from './build.ts';
import type { CorpusLine } from './corpus/generate.ts';
import { humanSource, isHuman } from './human.ts';
import { classifierFrom, NONE, type Classifier } from './model.ts';

/** One tuning utterance as the fit sees it: its candidates and which of them are right. */
export interface FitSample {
  candidates: Candidate[];
  /** Indexes of the right candidates (the fallback's lines accept NONE too). */
  right: number[];
  /** The utterance (reports break figures down by it). */
  text?: string;
  audience?: 'staff' | 'member';
}

export interface Labelled {
  text: string;
  audience: 'staff' | 'member';
  intent: string;
}

/** The candidates of each labelled utterance (clarification lines are left out: they name no one intent). */
export async function fitSamples(intents: readonly IntentDef[], classifier: Classifier, cases: readonly Labelled[], ctxOf: (audience: 'staff' | 'member') => RouteContext, options: RuleRouterOptions = {}): Promise<FitSample[]> {
  const analyser = createRuleAnalyser(intents, options);
  const samples: FitSample[] = [];
  for (const c of cases) {
    const audienceIntents = intents.filter((i) => i.audience === c.audience);
    const fallback = audienceIntents.find((i) => i.rule.fallback)?.name;
    if (c.intent !== NONE && !audienceIntents.some((i) => i.name === c.intent)) continue;
    const rules = await analyser.analyse(withoutTrailingThanks(c.text), ctxOf(c.audience));
    const candidates = candidatesOf(audienceIntents, classifier.classify(rules.text, c.audience), rules);
    // "None of these" and the fallback are the same answer to the user.
    const none = c.intent === NONE || c.intent === fallback;
    const right = candidates.flatMap((x, i) => (x.label === c.intent || (none && (x.label === NONE || x.label === fallback)) ? [i] : []));
    samples.push({ candidates, right, text: c.text, audience: c.audience });
  }
  return samples;
}

/** Mean negative log-likelihood of the right readings. */
export function nll(samples: readonly FitSample[], c: Combination): number {
  let sum = 0;
  for (const s of samples) {
    const q = combine(s.candidates, c);
    sum -= Math.log(Math.max(s.right.reduce((a, i) => a + q[i]!, 0), 1e-12));
  }
  return sum / Math.max(samples.length, 1);
}

/** Bounds of each weight: the rules may outweigh the classifier, never silence it entirely. */
const BOUNDS: Record<keyof Combination, [number, number]> = {
  classifier: [0.2, 3],
  ruleSure: [0, 5],
  ruleMissing: [0, 5],
  ruleTied: [0, 5],
  ruleOther: [-1, 3],
  identifier: [0, 5],
};

/**
 * The cross-validation fold of a line: by its source — a template (a fold holds out whole
 * templates) or a human line's tuning file (a fold holds out whole files).
 */
export function foldOf(line: Pick<CorpusLine, 'source'>, folds: number): number {
  return createHash('sha256').update(line.source).digest()[0]! % folds;
}

/** A held-out corpus line and the fold whose model must not have seen its template. */
export interface HeldLine {
  audience: 'staff' | 'member';
  label: string;
  text: string;
  source: string;
  style?: string;
  fold: number;
}

/** The lines the cross-validation reads: every fold's template lines (not the examples, not human lines), thinned to about `max`. */
export function heldOutLines(all: readonly CorpusLine[], cv = { folds: 4, max: 4000 }): HeldLine[] {
  const lines = all.filter((l) => !isHuman(l));
  const every = Math.max(1, Math.ceil(lines.length / cv.max));
  const out: HeldLine[] = [];
  for (let fold = 0; fold < cv.folds; fold++) {
    lines.forEach((l, i) => {
      if (foldOf(l, cv.folds) === fold && i % every === 0 && !l.source.includes('#example')) out.push({ audience: l.audience, label: l.label, text: l.text, source: l.source, ...(l.style ? { style: l.style } : {}), fold });
    });
  }
  return out;
}

/**
 * Held-out readings of the corpus: the templates are split into folds (whole templates, so a
 * held-out line's phrasing is new to the model that reads it), a model is trained without each
 * fold and reads that fold. What the classifier says about phrasings it has not seen is what
 * its temperature must be fitted to; fitted to the training lines it would be overconfident.
 * `held` (default: this corpus's own held-out lines) may be lines saved from an earlier corpus
 * (`cv-intents --save-fixed`): the models are trained on `lines` without each fold's templates
 * and read the same fixed lines, so a change of templates or styles is measured on unchanged
 * test lines.
 */
export async function crossValidatedSamples(
  intents: readonly IntentDef[],
  lines: readonly TrainingLine[],
  ctxOf: (audience: 'staff' | 'member') => RouteContext,
  options: RuleRouterOptions = {},
  cv = { folds: 4, max: 4000 },
  held: readonly HeldLine[] = heldOutLines(lines, cv),
  /** Called with each fold's model and the lines it reads (cv-intents routes them through the whole router too). */
  onFold?: (classifier: Classifier, mine: readonly HeldLine[]) => Promise<void>,
): Promise<FitSample[]> {
  const samples: FitSample[] = [];
  for (let fold = 0; fold < cv.folds; fold++) {
    // Human lines stay in every fold's model (they are not what the fold reads; the shipped model has them).
    const classifier = classifierFrom(buildModel(lines.filter((l) => isHuman(l) || foldOf(l, cv.folds) !== fold)));
    const mine = held.filter((h) => h.fold === fold);
    await onFold?.(classifier, mine);
    samples.push(...(await fitSamples(intents, classifier, mine.map((l) => ({ text: l.text, audience: l.audience, intent: l.label })), ctxOf, options)));
  }
  return samples;
}

/** A tuning single with its file (the unit a fold holds out). */
export type TuningLine = Labelled & { file: string };

/**
 * Out-of-fold readings of the tuning set's singles (stacking): the tuning files are split into
 * folds (whole files, by a hash of the name: deterministic), a model is trained on every template
 * and the human lines of the other folds, and reads its fold's lines. The combination is fitted on
 * these scores, never on scores of a model that learnt the very line (those are overconfident
 * and would teach the combination to trust the classifier more than it deserves on a new phrasing).
 * Without human lines in `lines` every fold's model is the same; the result is the same readings.
 * Returns each file's samples (cv-intents leaves one file out of the combination too).
 */
export async function outOfFoldTuning(
  intents: readonly IntentDef[],
  lines: readonly TrainingLine[],
  cases: readonly TuningLine[],
  ctxOf: (audience: 'staff' | 'member') => RouteContext,
  options: RuleRouterOptions = {},
  folds = 4,
): Promise<Map<string, FitSample[]>> {
  const fileFold = (file: string) => foldOf({ source: humanSource(file) }, folds);
  const files = [...new Set(cases.map((c) => c.file))].sort();
  const byFile = new Map<string, FitSample[]>();
  const anyHuman = lines.some(isHuman);
  let shared: Classifier | undefined;
  for (let fold = 0; fold < folds; fold++) {
    const mine = files.filter((f) => fileFold(f) === fold);
    if (!mine.length) continue;
    const classifier = anyHuman ? classifierFrom(buildModel(lines.filter((l) => !isHuman(l) || foldOf(l, folds) !== fold))) : (shared ??= classifierFrom(buildModel(lines)));
    for (const file of mine) byFile.set(file, await fitSamples(intents, classifier, cases.filter((c) => c.file === file), ctxOf, options));
  }
  return new Map(files.map((f) => [f, byFile.get(f)!]));
}

/**
 * Maximum-likelihood weights by coordinate search on a fixed grid (deterministic, no
 * randomness): each weight in turn moves to the best of its neighbours, in shrinking steps.
 * A small pull towards the defaults keeps weights the tuning set says little about in place.
 */
export function fitCombination(sets: readonly (readonly FitSample[])[], start: Combination = DEFAULT_COMBINATION): Combination {
  const prior = (c: Combination) => 0.002 * (Object.keys(c) as (keyof Combination)[]).reduce((s, k) => s + (c[k] - DEFAULT_COMBINATION[k]) ** 2, 0);
  // Each set weighs the same, however many lines it has.
  const loss = (c: Combination) => sets.reduce((s, set) => s + nll(set, c), 0) / sets.length + prior(c);
  let best = { ...start };
  let bestLoss = loss(best);
  for (const step of [1, 0.5, 0.25, 0.1, 0.05]) {
    for (let round = 0; round < 4; round++) {
      let moved = false;
      for (const k of Object.keys(BOUNDS) as (keyof Combination)[]) {
        for (const d of [-step, step]) {
          const v = Math.min(BOUNDS[k][1], Math.max(BOUNDS[k][0], Math.round((best[k] + d) * 100) / 100));
          const next = { ...best, [k]: v };
          const l = loss(next);
          if (l < bestLoss - 1e-9) {
            best = next;
            bestLoss = l;
            moved = true;
          }
        }
      }
      if (!moved) break;
    }
  }
  return best;
}
