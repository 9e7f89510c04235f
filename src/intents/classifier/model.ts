import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { features } from './features.ts';

/**
 * The intent classifier's file (model.json): one multinomial logistic regression per audience,
 * weights stored sparsely as integers (weight × scale) per feature: [labelIndex, weight, …].
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

export const MODEL_PATH = new URL('./model.json', import.meta.url);

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

interface Compiled {
  labels: string[];
  bias: Float64Array;
  /**
   * The parsed file's weight arrays, keyed in a Map: a lookup per feature of every message, and a
   * Map finds a fresh string faster than a 25,000-key object in dictionary mode does.
   */
  weights: Map<string, number[]>;
  scale: number;
}

function compile(m: AudienceModelFile, scale: number): Compiled {
  for (const f in m.weights) {
    const pairs = m.weights[f];
    if (!Array.isArray(pairs) || pairs.length % 2 !== 0) throw new Error(`model.json: bad weights for feature ${f}`);
  }
  return { labels: m.labels, bias: Float64Array.from(m.bias, (b) => b / scale), weights: new Map(Object.entries(m.weights)), scale };
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
  for (const f of feats) {
    const pairs = m.weights.get(f);
    if (pairs === undefined) continue;
    for (let i = 0; i < pairs.length; i += 2) scores[pairs[i]!]! += pairs[i + 1]! * v;
  }
  return scores;
}

export function classifierFrom(file: ModelFile): Classifier {
  const models = { staff: compile(file.audiences.staff, file.scale), member: compile(file.audiences.member, file.scale) };
  return {
    corpusHash: file.corpusHash,
    labels: (audience) => models[audience].labels,
    classify(text, audience) {
      const m = models[audience];
      const p = softmax(logits(m, features(text)));
      return m.labels.map((label, i) => ({ label, p: p[i]! })).sort((a, b) => b.p - a.p || a.label.localeCompare(b.label));
    },
  };
}

let loaded: Classifier | undefined;

/** The shipped model (src/intents/classifier/model.json), read once per process. */
export function loadClassifier(): Classifier {
  loaded ??= classifierFrom(modelFileSchema.parse(JSON.parse(readFileSync(MODEL_PATH, 'utf8'))));
  return loaded;
}
