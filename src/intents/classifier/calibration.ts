/**
 * Is a reported confidence honest? Bins the router's answers by the confidence it reported and
 * compares each bin's mean confidence with the share that was right (a reported 0.9 should be
 * right about 90 % of the time). `npm run eval:intents` prints it per set.
 */
export interface CalibrationPair {
  confidence: number;
  correct: boolean;
}

export interface CalibrationBin {
  /** The bin's confidence range [from, to) (the last bin includes 1). */
  from: number;
  to: number;
  n: number;
  /** Mean reported confidence of the answers in the bin. */
  reported: number;
  /** Share of those answers that were right. */
  observed: number;
}

export interface CalibrationTable {
  bins: CalibrationBin[];
  n: number;
  /** Expected calibration error: the n-weighted mean |reported − observed| (0 = honest). */
  ece: number;
}

/** Equal-width bins (default ten: 0–0.1 … 0.9–1); empty bins are left out. */
export function calibrationTable(pairs: readonly CalibrationPair[], bins = 10): CalibrationTable {
  const acc = Array.from({ length: bins }, (_, i) => ({ from: i / bins, to: (i + 1) / bins, n: 0, sumConf: 0, right: 0 }));
  for (const p of pairs) {
    const c = Math.min(Math.max(p.confidence, 0), 1);
    const b = acc[Math.min(Math.floor(c * bins), bins - 1)]!;
    b.n++;
    b.sumConf += c;
    if (p.correct) b.right++;
  }
  const out = acc.filter((b) => b.n > 0).map((b) => ({ from: b.from, to: b.to, n: b.n, reported: b.sumConf / b.n, observed: b.right / b.n }));
  const n = pairs.length;
  const ece = n ? out.reduce((s, b) => s + (b.n / n) * Math.abs(b.reported - b.observed), 0) : 0;
  return { bins: out, n, ece };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(6);

/** The table as printed: one line per bin. */
export function formatCalibrationTable(t: CalibrationTable, title = 'calibration (reported confidence vs observed accuracy)'): string {
  const lines = [title, '  confidence     n  reported  observed'];
  for (const b of t.bins) lines.push(`  ${b.from.toFixed(1)}–${b.to.toFixed(1)}  ${String(b.n).padStart(6)}  ${pct(b.reported).padStart(8)}  ${pct(b.observed).padStart(8)}`);
  lines.push(`  n = ${t.n}, expected calibration error ${pct(t.ece).trim()}`);
  return lines.join('\n');
}
