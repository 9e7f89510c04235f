import type { IntentDef } from '../types.ts';
import { corpusHash, generateCorpus, type CorpusLine } from './corpus/generate.ts';
import type { ModelFile } from './model.ts';
import { TRAIN_DEFAULTS, trainAudience, type TrainOptions } from './train.ts';

/** The corpus of the catalogue's intents (what `npm run train:intents` trains on). */
export function catalogueCorpus(intents: readonly IntentDef[]): CorpusLine[] {
  return generateCorpus(intents.map((i) => ({ name: i.name, audience: i.audience, examples: i.examples })));
}

/** Trains one model per audience on the corpus; the file records the corpus hash. */
export function buildModel(lines: readonly CorpusLine[], opts: TrainOptions = TRAIN_DEFAULTS): ModelFile {
  const of = (audience: 'staff' | 'member') => trainAudience(lines.filter((l) => l.audience === audience).map((l) => ({ text: l.text, label: l.label })), opts);
  return { version: 1, corpusHash: corpusHash(lines), scale: opts.scale, audiences: { staff: of('staff'), member: of('member') } };
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
