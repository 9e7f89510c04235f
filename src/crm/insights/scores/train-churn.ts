import type { Pool } from 'mysql2/promise';
import { DAY_MS } from '../../kernel/index.ts';
import { fitBgNbd, probabilityNoPurchase, type BgNbdParams, type RfmData } from '../clv/index.ts';
import { FEATURE_NAMES, predictChurn, trainChurn, type ChurnSignals, type LearnedChurn } from '../churn/learned.ts';
import { auc, calibration, confusion } from '../churn/metrics.ts';
import { memberSample } from './member-sample.ts';
import { boughtBetween, historySignals, loadHistories } from './churn-history.ts';

/**
 * Trains the supervised churn layer on the chain's own history (docs/models.md, "The supervised churn layer") and validates
 * it out of time, in the scoring run:
 *   validation — trained on members as of now − 180 days (label: no purchase in the next 90),
 *                scored as of now − 90 days against what happened by now, beside BG/NBD alone;
 *   production — retrained the same way on now − 90 days (label: no purchase by now) and applied
 *                to every member as of now.
 * Each split fits its own BG/NBD on the data up to its cut: nothing after a cut reaches its
 * features. The report (AUC, precision/recall at the "high" cut, calibration, per store) goes to
 * model_runs with the scoring run.
 */
export const HORIZON_DAYS = 90;
const TRAIN_SAMPLE = 20_000;
/** Fewer training members than this (or one class only): the rule blend of assess.ts stays. */
const MIN_TRAIN = 500;
const WEEK = 7;

export interface StoreValidation {
  store: number | null;
  members: number;
  auc: number;
  precisionHigh: number;
  recallHigh: number;
  ece: number;
}

export interface ChurnValidation {
  members: number;
  goneShare: number;
  auc: number;
  /** BG/NBD P(no purchase in 90 days) alone on the same members. */
  bgnbdAuc: number;
  precisionHigh: number;
  recallHigh: number;
  ece: number;
  brier: number;
  stores: StoreValidation[];
}

export interface ChurnTraining {
  learned: LearnedChurn | null;
  validation: ChurnValidation | null;
  /** Feature weights of the production model on standardised columns (docs/models.md). */
  weights: Record<string, number> | null;
}

/** How a BG/NBD fit is run: in this thread by default; the scoring run passes its fit threads (fit-threads.ts). */
export type FitBgNbd = (data: RfmData) => Promise<BgNbdParams>;

function bgOf(signals: ChurnSignals[], fit: FitBgNbd): Promise<BgNbdParams> {
  return fit({ x: Float64Array.from(signals, (s) => s.x), tx: Float64Array.from(signals, (s) => s.txDays / WEEK), T: Float64Array.from(signals, (s) => s.ageDays / WEEK) });
}

/** `candidates`: members with orders (ids and home stores); 20,000 of them, chosen by id (member-sample.ts), are read. */
export async function trainChurnModel(sql: Pool, now: Date, candidates: { ids: number[]; stores: (number | null)[] }, highCut: number, fit: FitBgNbd = async (d) => fitBgNbd(d)): Promise<ChurnTraining> {
  const pick = memberSample(candidates.ids, TRAIN_SAMPLE);
  const nowMs = now.getTime();
  const cut1 = nowMs - HORIZON_DAYS * DAY_MS;
  const cut2 = nowMs - 2 * HORIZON_DAYS * DAY_MS;
  const hist = await loadHistories(sql, pick.map((k) => candidates.ids[k]!), pick.map((k) => candidates.stores[k]!), nowMs, cut2 - 180 * DAY_MS);
  const at = (cut: number, end: number) => {
    const s: ChurnSignals[] = [];
    const y: boolean[] = [];
    for (const h of hist.values()) {
      const sig = historySignals(h, cut);
      if (!sig) continue;
      s.push(sig);
      y.push(!boughtBetween(h, cut, end));
    }
    return { s, y, ok: s.length >= MIN_TRAIN && y.some(Boolean) && y.some((v) => !v) };
  };
  const early = at(cut2, cut1);
  const late = at(cut1, nowMs);
  if (!late.ok) return { learned: null, validation: null, weights: null };
  // The two cuts' fits side by side (on the fit threads when the run passes them).
  const [bgLate, bgEarly] = await Promise.all([bgOf(late.s, fit), early.ok ? bgOf(early.s, fit) : null]);

  let validation: ChurnValidation | null = null;
  if (early.ok && bgEarly) {
    const model = trainChurn(early.s, early.y, bgEarly, HORIZON_DAYS);
    const p = late.s.map((s) => predictChurn(model, s, bgLate));
    const bg = late.s.map((s) => probabilityNoPurchase(bgLate, HORIZON_DAYS / WEEK, s.x, s.txDays / WEEK, s.ageDays / WEEK));
    const high = confusion(p.map((v) => v >= highCut), late.y);
    const cal = calibration(p, late.y);
    const byStore = new Map<number | null, number[]>();
    late.s.forEach((s, i) => {
      const list = byStore.get(s.store) ?? [];
      list.push(i);
      byStore.set(s.store, list);
    });
    const stores = [...byStore].sort(([a], [b]) => (a ?? 0) - (b ?? 0)).map(([store, idx]) => {
      const ps = idx.map((i) => p[i]!);
      const ys = idx.map((i) => late.y[i]!);
      const c = confusion(ps.map((v) => v >= highCut), ys);
      return { store, members: idx.length, auc: round(auc(ps, ys)), precisionHigh: round(c.precision), recallHigh: round(c.recall), ece: round(calibration(ps, ys).ece) };
    });
    validation = {
      members: late.s.length,
      goneShare: round(late.y.filter(Boolean).length / late.y.length),
      auc: round(auc(p, late.y)),
      bgnbdAuc: round(auc(bg, late.y)),
      precisionHigh: round(high.precision),
      recallHigh: round(high.recall),
      ece: round(cal.ece),
      brier: round(cal.brier),
      stores,
    };
  }
  const learned = trainChurn(late.s, late.y, bgLate, HORIZON_DAYS);
  const weights = Object.fromEntries(FEATURE_NAMES.map((n, j) => [n, round(learned.model.weights[j]!)]));
  learned.stores.forEach((st, k) => (weights[`store_${st}`] = round(learned.model.weights[FEATURE_NAMES.length + k]!)));
  return { learned, validation, weights };
}

const round = (v: number) => (Number.isFinite(v) ? Math.round(v * 10_000) / 10_000 : v);
