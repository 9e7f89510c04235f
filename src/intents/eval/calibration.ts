/**
 * A minimal calibration table (reported confidence vs observed accuracy), kept here until the
 * classifier's `src/intents/classifier/calibration.ts` lands with the same signature; the lead
 * then points the evaluation at that one and deletes this file.
 */
export interface CalibrationBin {
  /** The bin's confidence range [from, to) (the last bin includes 1). */
  from: number;
  to: number;
  n: number;
  /** Mean reported confidence of the answers in the bin. */
  confidence: number;
  /** Share of them that were right. */
  accuracy: number;
}

const BINS = [0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0001];

/** Answers grouped by reported confidence; empty bins are left out. */
export function calibrationTable(pairs: { confidence: number; correct: boolean }[]): CalibrationBin[] {
  const out: CalibrationBin[] = [];
  for (let i = 0; i + 1 < BINS.length; i++) {
    const from = BINS[i]!;
    const to = BINS[i + 1]!;
    const inBin = pairs.filter((p) => p.confidence >= from && p.confidence < to);
    if (!inBin.length) continue;
    out.push({
      from,
      to: Math.min(to, 1),
      n: inBin.length,
      confidence: inBin.reduce((s, p) => s + p.confidence, 0) / inBin.length,
      accuracy: inBin.filter((p) => p.correct).length / inBin.length,
    });
  }
  return out;
}
