import { createHash } from 'node:crypto';
import type { IntentDef } from '../types.ts';
import { corpusHash, generateCorpus, type CorpusLine } from './corpus/generate.ts';
import { flattenWeights, MODEL_MAGIC, type ModelFile, type ModelHeader } from './model.ts';
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
 * The model file as shipped (the layout: MODEL_PATH in model.ts): the same model is the same
 * bytes — features in training's fixed order, int32 little-endian, sections padded to 4 bytes.
 * Not diffable: a retrain's effect is read in the route digest and the evaluation instead.
 */
export function encodeModel(m: ModelFile): Buffer {
  const audience = (a: ModelFile['audiences']['staff']) => {
    const { names, ends, pairs } = flattenWeights(a.weights);
    for (const f of names) if (f.includes('\n')) throw new Error(`model: a feature holds a line break: ${JSON.stringify(f)}`);
    const text = Buffer.from(names.join('\n'), 'utf8');
    return { header: { labels: a.labels, bias: a.bias, features: names.length, textBytes: text.length, pairs: pairs.length }, text, ends, pairs };
  };
  const staff = audience(m.audiences.staff);
  const member = audience(m.audiences.member);
  const header: ModelHeader = { version: 2, corpusHash: m.corpusHash, scale: m.scale, audiences: { staff: staff.header, member: member.header } };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const parts: Buffer[] = [];
  let length = 0;
  const put = (b: Buffer) => {
    parts.push(b);
    length += b.length;
  };
  const pad = () => {
    if (length % 4) put(Buffer.alloc(4 - (length % 4)));
  };
  const int32s = (xs: Int32Array) => {
    pad();
    const b = Buffer.alloc(4 * xs.length);
    xs.forEach((x, i) => b.writeInt32LE(x, 4 * i));
    put(b);
  };
  put(Buffer.from(MODEL_MAGIC, 'latin1'));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(headerBytes.length);
  put(len);
  put(headerBytes);
  for (const a of [staff, member]) {
    put(a.text);
    int32s(a.ends);
    int32s(a.pairs);
  }
  return Buffer.concat(parts, length);
}
