import { createHash } from 'node:crypto';
import type { IntentDef } from '../types.ts';
import { corpusHash, generateCorpus, type CorpusLine } from './corpus/generate.ts';
import type { ModelFile } from './model.ts';
import { TRAIN_DEFAULTS, trainAudience, type TrainOptions } from './train.ts';

/** The corpus of the catalogue's intents (what `npm run train:intents` trains on). */
export function catalogueCorpus(intents: readonly IntentDef[]): CorpusLine[] {
  return generateCorpus(intents.map((i) => ({ name: i.name, audience: i.audience, examples: i.examples })));
}

/** A line the model learns from: a corpus line, or a human-written tuning line with its weight (human.ts). */
export type TrainingLine = CorpusLine & { weight?: number };

/**
 * The hash the model file records: the corpus hash of the lines (audience, label, text), and the
 * weight of every line that has one — a change of the human lines' weight is a stale model too.
 */
export function trainingHash(lines: readonly TrainingLine[]): string {
  const weights = lines.flatMap((l, i) => (l.weight === undefined ? [] : [`${i}:${l.weight}`]));
  return weights.length ? createHash('sha256').update(`${corpusHash(lines)}\n${weights.join(',')}`).digest('hex') : corpusHash(lines);
}

/** Trains one model per audience on the lines; the file records their hash. */
export function buildModel(lines: readonly TrainingLine[], opts: TrainOptions = TRAIN_DEFAULTS): ModelFile {
  const of = (audience: 'staff' | 'member') =>
    trainAudience(
      lines.filter((l) => l.audience === audience).map((l) => ({ text: l.text, label: l.label, ...(l.weight === undefined ? {} : { weight: l.weight }) })),
      opts,
    );
  return { version: 1, corpusHash: trainingHash(lines), scale: opts.scale, audiences: { staff: of('staff'), member: of('member') } };
}

/**
 * The file as written: one line per feature, keys in a fixed order, so the same model is the
 * same bytes and a retrain's diff is readable.
 */
export function serializeModel(m: ModelFile): string {
  const audience = (a: ModelFile['audiences']['staff']) =>
    [
      '{',
      `"labels":${JSON.stringify(a.labels)},`,
      `"bias":${JSON.stringify(a.bias)},`,
      '"weights":{',
      Object.entries(a.weights)
        .map(([f, w]) => `${JSON.stringify(f)}:${JSON.stringify(w)}`)
        .join(',\n'),
      '}}',
    ].join('\n');
  return `{"version":${m.version},"corpusHash":${JSON.stringify(m.corpusHash)},"scale":${m.scale},"audiences":{\n"staff":${audience(m.audiences.staff)},\n"member":${audience(m.audiences.member)}}}\n`;
}
