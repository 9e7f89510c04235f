import { features } from './features.ts';
import type { AudienceModelFile } from './model.ts';

/** One labelled training utterance. */
export interface Example {
  text: string;
  label: string;
  /**
   * How much the line counts (default 1): a human-written tuning line may count more than one
   * template line. Class weights are computed on the weighted counts.
   */
  weight?: number;
}

export interface TrainOptions {
  epochs: number;
  /** Seed of the per-epoch shuffles. */
  seed: number;
  /** AdaGrad learning rate. */
  rate: number;
  /** L2 penalty, applied to the weights of the features an example has (lazy regularisation). */
  l2: number;
  /** Features seen in fewer examples than this are not learnt (rare n-grams are noise and size). */
  minCount: number;
  /**
   * Each epoch, each feature of each example is left out with this probability (seeded; the
   * rest are scaled up to keep the expected score). The model cannot lean on one n-gram of a
   * template: it learns several cues per intent, which is what reads a phrasing it has not seen.
   * Measured on held-out template families (4 folds, fixed held-out lines): classifier alone
   * 77.4 → 78.4 % at 0.3 (0.5 the same), rules + classifier 84.2 → 84.7 %.
   */
  dropout: number;
  /** Weights whose |w × scale| rounds below this are dropped from the file. */
  pruneBelow: number;
  /** Weights are stored as integers: round(w × scale). */
  scale: number;
}

export const TRAIN_DEFAULTS: TrainOptions = { epochs: 12, seed: 20261121, rate: 0.4, l2: 2e-4, minCount: 2, dropout: 0.3, pruneBelow: 100, scale: 1000 };

/** mulberry32: a small seeded PRNG, so shuffles (and the corpus) are the same on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Multinomial logistic regression by AdaGrad SGD over a fixed, seeded order of examples; each
 * class weighs the same in total (the corpus has more lines for some intents than others).
 * Deterministic: the same examples and options give the same file, byte for byte (plain
 * float64 arithmetic in a fixed order; vocabulary and labels sorted).
 */
export function trainAudience(examples: readonly Example[], opts: TrainOptions = TRAIN_DEFAULTS): AudienceModelFile {
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const K = labels.length;
  const featurised = examples.map((e) => features(e.text));
  const df = new Map<string, number>();
  for (const fs of featurised) for (const f of fs) df.set(f, (df.get(f) ?? 0) + 1);
  const vocab = [...df.entries()].filter(([, n]) => n >= opts.minCount).map(([f]) => f).sort();
  const vocabIndex = new Map(vocab.map((f, i) => [f, i]));
  const rows = featurised.map((fs, i) => ({
    feats: Int32Array.from(fs.flatMap((f) => vocabIndex.get(f) ?? [])),
    v: 1 / Math.sqrt(Math.max(fs.length, 1)),
    y: labelIndex.get(examples[i]!.label)!,
    w: examples[i]!.weight ?? 1,
  }));
  const perLabel = new Float64Array(K);
  let total = 0;
  for (const r of rows) {
    perLabel[r.y]! += r.w;
    total += r.w;
  }
  const classWeight = Float64Array.from(perLabel, (n) => (n ? total / (K * n) : 0));

  const W = new Float64Array(vocab.length * K);
  const G = new Float64Array(vocab.length * K);
  const bias = new Float64Array(K);
  const gBias = new Float64Array(K);
  const scores = new Float64Array(K);
  const order = rows.map((_, i) => i);
  const eps = 1e-8;
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    const rand = seededRandom(opts.seed + epoch);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const keep = seededRandom(opts.seed * 31 + epoch);
    for (const ri of order) {
      const all = rows[ri]!;
      const r = opts.dropout > 0 ? { ...all, feats: all.feats.filter(() => keep() >= opts.dropout), v: all.v / (1 - opts.dropout) } : all;
      for (let k = 0; k < K; k++) scores[k] = bias[k]!;
      for (const f of r.feats) for (let k = 0; k < K; k++) scores[k]! += W[f * K + k]! * r.v;
      let max = -Infinity;
      for (let k = 0; k < K; k++) if (scores[k]! > max) max = scores[k]!;
      let sum = 0;
      for (let k = 0; k < K; k++) sum += scores[k] = Math.exp(scores[k]! - max);
      const cw = classWeight[r.y]! * r.w;
      for (let k = 0; k < K; k++) {
        const err = (scores[k]! / sum - (k === r.y ? 1 : 0)) * cw;
        gBias[k]! += err * err;
        bias[k]! -= (opts.rate * err) / Math.sqrt(gBias[k]! + eps);
        for (const f of r.feats) {
          const at = f * K + k;
          const g = err * r.v + opts.l2 * W[at]!;
          G[at]! += g * g;
          W[at]! -= (opts.rate * g) / Math.sqrt(G[at]! + eps);
        }
      }
    }
  }

  const weights: Record<string, number[]> = {};
  const row = new Float64Array(K);
  vocab.forEach((f, fi) => {
    // Softmax does not change when one feature's weights all move by the same amount: moving
    // them by their median puts most at ≈ 0 (a feature mostly says "not these"), so pruning
    // keeps the few that matter.
    for (let k = 0; k < K; k++) row[k] = W[fi * K + k]!;
    const median = Float64Array.from(row).sort()[Math.floor(K / 2)]!;
    const pairs: number[] = [];
    for (let k = 0; k < K; k++) {
      const w = Math.round((row[k]! - median) * opts.scale);
      if (Math.abs(w) >= opts.pruneBelow) pairs.push(k, w);
    }
    if (pairs.length) weights[f] = pairs;
  });
  return { labels, bias: Array.from(bias, (b) => Math.round(b * opts.scale)), weights };
}
