import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { z } from 'zod';
import { features } from './features.ts';

/**
 * The intent classifier: one multinomial logistic regression per audience, weights stored
 * sparsely as integers (weight × scale) per feature: [labelIndex, weight, …] (ModelFile, as
 * training makes it; shipped in the binary form of MODEL_PATH).
 * Labels are intent names, plus NONE for "none of these" (maps to the audience's fallback).
 */
export const NONE = '__none__';

const audienceModelSchema = z.object({
  labels: z.array(z.string()),
  bias: z.array(z.number()),
  // Checked per feature in compile(), not by zod: validating every weight would double the load time.
  weights: z.custom<Record<string, number[]>>((w) => typeof w === 'object' && w !== null && !Array.isArray(w)),
});

export const modelFileSchema = z.object({
  version: z.literal(1),
  /** sha256 of the training corpus (the CI test compares it with a freshly generated corpus). */
  corpusHash: z.string(),
  scale: z.number(),
  audiences: z.object({ staff: audienceModelSchema, member: audienceModelSchema }),
});
export type ModelFile = z.infer<typeof modelFileSchema>;
export type AudienceModelFile = z.infer<typeof audienceModelSchema>;
export type Audience = 'staff' | 'member';

/**
 * The shipped model, in the binary form `encodeModel` (build.ts) writes: a JSON header (version,
 * corpus hash, scale, per audience its labels, bias and section sizes), then per audience its
 * feature names as one '\n'-joined UTF-8 text, each feature's end in the pairs, and the pairs
 * (label index, weight × scale) as little-endian int32. Read as it lies — no JSON parse of
 * 36,000 weight arrays and no array per feature: loading took 150–210 ms as JSON on the quiet
 * machine against the issue's ≤ 200 ms (docs/benchmarks.md, "Intent routing").
 */
export const MODEL_PATH = new URL('./model.bin', import.meta.url);

const LITTLE_ENDIAN = endianness() === 'LE';

/** The binary file's first four bytes. */
export const MODEL_MAGIC = 'ICM2';

/** The header of the binary file: ModelFile without the weights, and each audience's section sizes. */
const audienceHeaderSchema = audienceModelSchema.omit({ weights: true }).extend({ features: z.number().int(), textBytes: z.number().int(), pairs: z.number().int() });
export const modelHeaderSchema = modelFileSchema.extend({ version: z.literal(2), audiences: z.object({ staff: audienceHeaderSchema, member: audienceHeaderSchema }) });
export type ModelHeader = z.infer<typeof modelHeaderSchema>;

/** One label's probability. */
export interface Scored {
  label: string;
  p: number;
}

export interface Classifier {
  readonly corpusHash: string;
  /** The audience's labels with softmax probabilities, most likely first (ties by label name). */
  classify(text: string, audience: Audience): Scored[];
  labels(audience: Audience): readonly string[];
}

/**
 * One audience's model as it is read: feature k's pairs are pairs[ends[k-1] .. ends[k]) (from 0
 * for k = 0), (label index, weight × scale) each. A Map finds a fresh string faster than a
 * 25,000-key object in dictionary mode does; flat typed arrays are no per-feature garbage.
 */
export interface Compiled {
  labels: string[];
  bias: Float64Array;
  index: Map<string, number>;
  ends: Int32Array;
  pairs: Int32Array;
  scale: number;
}

/**
 * One audience's weights laid flat, features in their key order: feature k's pairs are
 * pairs[ends[k-1] .. ends[k]) (the layout of Compiled and of the file's sections). Shared by the
 * model trained in this process (compile) and the file's writer (build.ts encodeModel).
 */
export function flattenWeights(weights: AudienceModelFile['weights']): { names: string[]; ends: Int32Array; pairs: Int32Array } {
  const names = Object.keys(weights);
  const ends = new Int32Array(names.length);
  const pairs: number[] = [];
  names.forEach((f, k) => {
    const w = weights[f];
    if (!Array.isArray(w) || w.length % 2 !== 0) throw new Error(`model: bad weights for feature ${f}`);
    for (const x of w) {
      if (!Number.isInteger(x) || x < -0x80000000 || x > 0x7fffffff) throw new Error(`model: weight ${x} of ${f} is not an int32`);
      pairs.push(x);
    }
    ends[k] = pairs.length;
  });
  return { names, ends, pairs: Int32Array.from(pairs) };
}

function compile(m: AudienceModelFile, scale: number): Compiled {
  const { names, ends, pairs } = flattenWeights(m.weights);
  const index = new Map<string, number>();
  names.forEach((f, k) => index.set(f, k));
  return { labels: m.labels, bias: Float64Array.from(m.bias, (b) => b / scale), index, ends, pairs, scale };
}

/** Softmax of scores, in place; returns the array. */
export function softmax(scores: Float64Array | number[]): Float64Array | number[] {
  let max = -Infinity;
  for (const s of scores) if (s > max) max = s;
  let sum = 0;
  for (let i = 0; i < scores.length; i++) {
    scores[i] = Math.exp(scores[i]! - max);
    sum += scores[i]!;
  }
  for (let i = 0; i < scores.length; i++) scores[i] = scores[i]! / sum;
  return scores;
}

/** The raw scores (logits) of a message under one audience's model. */
function logits(m: Compiled, feats: readonly string[]): Float64Array {
  const scores = Float64Array.from(m.bias);
  // Features are L2-normalised over all the message's features, known to the model or not, as in training.
  const v = 1 / Math.sqrt(Math.max(feats.length, 1)) / m.scale;
  const { ends, pairs } = m;
  for (const f of feats) {
    const k = m.index.get(f);
    if (k === undefined) continue;
    for (let i = k === 0 ? 0 : ends[k - 1]!, end = ends[k]!; i < end; i += 2) scores[pairs[i]!]! += pairs[i + 1]! * v;
  }
  return scores;
}

/** A classifier of a model trained in this process (cross-validation, tests). */
export function classifierFrom(file: ModelFile): Classifier {
  return classifierOf(file.corpusHash, { staff: compile(file.audiences.staff, file.scale), member: compile(file.audiences.member, file.scale) });
}

function classifierOf(corpusHash: string, models: Record<Audience, Compiled>): Classifier {
  return {
    corpusHash,
    labels: (audience) => models[audience].labels,
    classify(text, audience) {
      const m = models[audience];
      const p = softmax(logits(m, features(text)));
      return m.labels.map((label, i) => ({ label, p: p[i]! })).sort((a, b) => b.p - a.p || a.label.localeCompare(b.label));
    },
  };
}

/** The binary model file's classifier (the layout: MODEL_PATH). */
export function decodeModel(buf: Uint8Array): Classifier {
  const bytes = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (bytes.toString('latin1', 0, 4) !== MODEL_MAGIC) throw new Error('model: not an intent model file (run npm run train:intents)');
  const headerBytes = bytes.readUInt32LE(4);
  const header = modelHeaderSchema.parse(JSON.parse(bytes.toString('utf8', 8, 8 + headerBytes)));
  let at = 8 + headerBytes;
  // Int32 sections start on a multiple of 4 (the writer pads); copied out, so the views never depend on the read buffer's offset.
  const int32s = (count: number) => {
    at = (at + 3) & ~3;
    const start = bytes.byteOffset + at;
    at += 4 * count;
    // A copy of the bytes as they lie (one memcpy) where the machine is little-endian and they are aligned.
    if (LITTLE_ENDIAN && start % 4 === 0) return new Int32Array(bytes.buffer, start, count).slice();
    const out = new Int32Array(count);
    for (let i = 0; i < count; i++) out[i] = bytes.readInt32LE(start - bytes.byteOffset + 4 * i);
    return out;
  };
  const audience = (h: z.infer<typeof audienceHeaderSchema>): Compiled => {
    const names = h.features === 0 ? [] : bytes.toString('utf8', at, at + h.textBytes).split('\n');
    at += h.textBytes;
    if (names.length !== h.features) throw new Error('model: feature count does not match its header');
    const index = new Map<string, number>();
    for (let k = 0; k < names.length; k++) index.set(names[k]!, k);
    const ends = int32s(h.features);
    const pairs = int32s(h.pairs);
    return { labels: h.labels, bias: Float64Array.from(h.bias, (b) => b / header.scale), index, ends, pairs, scale: header.scale };
  };
  const staff = audience(header.audiences.staff);
  const member = audience(header.audiences.member);
  if (at !== bytes.length) throw new Error('model: trailing bytes after the last section');
  return classifierOf(header.corpusHash, { staff, member });
}

let loaded: Classifier | undefined;

/** The shipped model (src/intents/classifier/model.bin), read once per process. */
export function loadClassifier(): Classifier {
  loaded ??= decodeModel(readFileSync(MODEL_PATH));
  return loaded;
}
