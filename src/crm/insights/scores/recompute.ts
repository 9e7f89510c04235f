import type { Pool } from 'mysql2/promise';
import { readSmartTagFacts, type SmartTagFacts, type SmartTagScores } from '../../engagement/index.ts';
import { BgNbdScorer, expectedAverageSpend, type BgNbdFit, type GammaGammaFit } from '../clv/index.ts';
import { assessChurn } from '../churn/assess.ts';
import { predictChurn } from '../churn/learned.ts';
import { eventCountsNow } from './churn-history.ts';
import { HORIZON_DAYS, trainChurnModel, type ChurnTraining } from './train-churn.ts';
import { DEFAULT_CHURN, type ChurnConfig } from '../churn/config.ts';
import { DEFAULT_RFM, rfmCutsFrom, rfmScorer, type RfmConfig, type RfmCuts } from '../rfm/rfm.ts';
import { chinaDay } from '../../kernel/index.ts';
import { eachRow, type StatsRefresh } from '../../sales/index.ts';
import { fitThreads, type FitThreads } from './fit-threads.ts';
import { loadScores, tsvText, type ScoreChunk } from './load-scores.ts';
import { centsText, fixed, fixedUnits, stringFieldsJson, utcText } from './score-text.ts';
import { rankOrder } from './rank-order.ts';
import { memberSample } from './member-sample.ts';
import { CHURN_WINDOW_DAYS, recordScoringRun, registrationKey, SnapshotCounter } from './snapshot.ts';
import { refreshStatsForScoring } from './stats-run.ts';
import { fitStoreValueModels, type StoreValueModel } from './store-models.ts';

/** Model time unit: weeks, as in the BG/NBD paper and CDNOW (t_x, T at day precision). */
const WEEK = 7;
const HORIZON_WEEKS = 90 / WEEK;
const CLV_WEEKS = 365 / WEEK;
const BATCH = 2000;
const FIT_SAMPLE = 50_000;
/**
 * A DATETIME(3) column as UTC epoch milliseconds, computed by the server (the pool's time zone
 * is UTC, so the same instant mysql2 would parse into a Date): three Dates parsed per member
 * were a third of the read's CPU at 1M members (session 15).
 */
const EPOCH_MS = (col: string) => `TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', ${col}) DIV 1000`;

export interface RecomputeOptions {
  now: Date;
  /** RFM settings (default: quintiles of lifetime figures); runScoring passes the stored ones. */
  rfm?: RfmConfig;
  /** Churn thresholds (default: the documents' 30/60/90 days, levels 0.4 / 0.7); runScoring passes the stored ones. */
  churn?: ChurnConfig;
  /**
   * member_stats first: 'auto' (default) moves the windowed columns to `now` for the members
   * whose windows changed, or rebuilds everything when needed (stats/window.ts); 'full' always
   * rebuilds; 'skip' uses the table as it is.
   */
  stats?: 'auto' | 'full' | 'skip';
  /** Buyers the models are fitted on (this many, chosen by member id, when there are more); default 50,000. */
  fitSample?: number;
  /**
   * Worker threads the fits run on (fit-threads.ts); default 0 = this thread. At 1M members on
   * the 2-core bench machine two threads made the run slower (85.5 s, 38.7 s CPU against 42.5 s,
   * 28.4 s: each worker loads tsx and the model code, and competes with the database), so they
   * are for machines with cores to spare.
   */
  fitThreads?: number;
}

export interface RecomputeResult {
  members: number;
  bgnbd: BgNbdFit | null;
  gammaGamma: GammaGammaFit | null;
  rfm: RfmCuts;
  /** How member_stats was brought to `now` (null when skipped). */
  stats: StatsRefresh | null;
  /**
   * The customer-base model each store's P(alive), expected purchases and CLV came from: the
   * stores whose own holdout race (store-models.ts) chose another model than BG/NBD; every other
   * member (other stores, no home store) is scored with the chain's BG/NBD fit.
   */
  valueModels: StoreValueModel[];
  /** The supervised churn layer: its out-of-time validation and weights (null learned = rule blend). */
  churn: ChurnTraining;
  /**
   * fit: the fits and the churn layer side by side (fit threads, reads), of which train: the churn
   * layer alone (its reads and its two fits); score: scoring and loading member_scores, of which
   * apply: the indexes, deletions and swap after the load.
   */
  ms: { stats: number; read: number; fit: number; train: number; score: number; apply: number; rfm: number; total: number };
  /**
   * This process's CPU time (user + system, ms) in the same stages: what the run itself costs,
   * which holds on a shared machine where the wall time is mostly the load (docs/benchmarks.md).
   */
  cpu: { stats: number; read: number; rfm: number; fit: number; score: number; total: number };
  /**
   * The figures of the rows written, for the smart tags' rules in memory (engagement
   * refreshSmartTags): exactly member_scores' rows — null when the load dropped the rows of
   * members deleted meanwhile, so that the rules read the table itself then.
   */
  tagScores: SmartTagScores | null;
}

/** This process's CPU time so far, ms (user + system; worker threads included). */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * Recomputes every member's scores: RFM, churn risk with level and reasons, P(alive) and
 * expected purchases in 90 days, and 12-month CLV (purchase model × Gamma-Gamma). The purchase
 * model is BG/NBD, or the model a store's own holdout race chose (store-models.ts).
 * member_stats is brought to `now` (incrementally: stats/window.ts), read once into arrays
 * (RFM cut points are their percentiles), the models are fitted on a sample of buyers, then one
 * pass scores every member in JS while the rows stream into member_scores (load-scores.ts);
 * the fitted parameters and RFM cut points go to model_runs.
 */
export async function recomputeScores(sql: Pool, opts: RecomputeOptions): Promise<RecomputeResult> {
  const threads = fitThreads(opts.fitThreads ?? 0);
  try {
    return await scoreAll(sql, opts, threads);
  } finally {
    await threads.close();
  }
}

async function scoreAll(sql: Pool, opts: RecomputeOptions, threads: FitThreads): Promise<RecomputeResult> {
  const t0 = Date.now();
  const c0 = cpuMs();
  const now = opts.now;
  const stats = opts.stats === 'skip' ? null : await refreshStatsForScoring(sql, now, opts.stats ?? 'auto');
  const t1 = Date.now();
  const c1 = cpuMs();
  const rfmConfig = opts.rfm ?? DEFAULT_RFM;
  const churnConfig = opts.churn ?? DEFAULT_CHURN;

  // Read every member's rollup once into typed arrays.
  const ids: number[] = [];
  const cols = { rf: [] as number[], rm: [] as number[], x: [] as number[], tx: [] as number[], T: [] as number[], monetary: [] as number[], daysSince: [] as number[], daysReg: [] as number[], gap: [] as number[], s90: [] as number[], sp90: [] as number[], compl: [] as number[] };
  // For the snapshot (snapshot.ts) and the churn list's order: home store, churn-list
  // candidacy (active, with orders), last order (ms, NaN = none), past spend in cents and
  // membership level.
  const snap = { store: [] as (number | null)[], candidate: [] as boolean[], last: [] as number[], cents: [] as number[], grade: [] as number[], reg: [] as string[] };
  const nowDay = chinaDay(now);
  // A registration day's key made once per day (registrationKey depends on the day alone), not a string per member.
  const regKeys = new Map<number, string>();
  const regKey = (registeredMs: number) => {
    const day = chinaDay(registeredMs);
    let k = regKeys.get(day);
    if (k === undefined) regKeys.set(day, (k = registrationKey(registeredMs, nowDay)));
    return k;
  };
  // members' columns come from its covering index (id, status, home store, level, points,
  // registered_at), read in member order, instead of the wide member rows (phones, addresses):
  // 100k members 3.7 → 2.3 s under load (2026-12-06).
  // Each row handed over as it arrives, its columns in the query's order (eachRow: no promise
  // or row object per member — at 1M members streamRows' async iteration was about half the read's CPU).
  await eachRow(
    sql,
    `SELECT ms.member_id, ${EPOCH_MS('ms.first_order_at')} AS first_ms, ${EPOCH_MS('ms.last_order_at')} AS last_ms, ms.order_days, ms.total_spend, ms.first_day_spend, ms.median_gap_days,
            ms.spend_90d, ms.spend_prev_90d, ms.complaints_60d, ${EPOCH_MS('m.registered_at')} AS registered_ms, m.home_store_id, m.status, m.level AS member_level, ms.order_count,
            ${rfmConfig.window === 'all' ? 'ms.order_count AS rfm_f, ms.total_spend AS rfm_m' : 'ms.orders_365d AS rfm_f, ms.spend_365d AS rfm_m'}
     FROM member_stats ms JOIN members m FORCE INDEX (members_list_cover_idx) ON m.id = ms.member_id WHERE m.status <> 'deleted'`,
    [],
    (r) => {
      ids.push(Number(r[0]));
      const first = r[1] === null ? null : Number(r[1]);
      const last = r[2] === null ? null : Number(r[2]);
      const registered = Number(r[10]);
      const days = Number(r[3]);
      if (first !== null && last !== null && days > 0) {
        const x = days - 1;
        cols.x.push(x);
        cols.tx.push((chinaDay(last) - chinaDay(first)) / WEEK);
        cols.T.push(Math.max(nowDay - chinaDay(first), 0) / WEEK);
        cols.monetary.push(x > 0 ? (Number(r[4]) - Number(r[5])) / x : 0);
        cols.daysSince.push(Math.floor((now.getTime() - last) / 86_400_000));
      } else {
        cols.x.push(-1);
        cols.tx.push(0);
        cols.T.push(0);
        cols.monetary.push(0);
        cols.daysSince.push(-1);
      }
      cols.daysReg.push(Math.floor((now.getTime() - registered) / 86_400_000));
      cols.gap.push(r[6] === null ? -1 : Number(r[6]));
      cols.s90.push(Number(r[7]));
      cols.sp90.push(Number(r[8]));
      cols.compl.push(Number(r[9]));
      cols.rf.push(Number(r[15]));
      cols.rm.push(Number(r[16]));
      snap.store.push(r[11] === null ? null : Number(r[11]));
      snap.candidate.push(r[12] === 'active' && Number(r[14]) > 0);
      snap.last.push(last ?? NaN);
      snap.cents.push(Math.round(Number(r[4]) * 100));
      snap.grade.push(Number(r[13]));
      snap.reg.push(regKey(registered));
    },
  );

  const tRead = Date.now();
  const cRead = cpuMs();
  // RFM cut points: the k/N percentiles of the members with orders, from the columns just read.
  const eligible = cols.x.map((x, i) => (x >= 0 ? i : -1)).filter((i) => i >= 0);
  const cuts = rfmCutsFrom({ r: eligible.map((i) => cols.daysSince[i]!), f: eligible.map((i) => cols.rf[i]!), m: eligible.map((i) => cols.rm[i]!) }, rfmConfig);
  const rfmOf = rfmScorer(cuts, rfmConfig);
  const tCuts = Date.now();
  const cCuts = cpuMs();
  // Fit on the members with at least one purchase: FIT_SAMPLE of them, those whose ids hash lowest
  // (member-sample.ts: the same members give the same sample, whatever order or neighbours they
  // have; a 50,000-member sample pins the parameters to ~2 decimals and keeps the fit's cost
  // flat however many members there are).
  const all = eligible;
  const buyers = memberSample(all.map((i) => ids[i]!), opts.fitSample ?? FIT_SAMPLE).map((k) => all[k]!);
  const fitting = buyers.length >= 10;
  // The fits run on the fit threads beside each other and beside the churn layer's reads and
  // the per-store fits on this thread (fit-threads.ts): the chain's BG/NBD and Gamma-Gamma,
  // the churn layer's BG/NBD at its two cuts.
  const bgFit = fitting ? threads.bgnbd({ x: Float64Array.from(buyers, (i) => cols.x[i]!), tx: Float64Array.from(buyers, (i) => cols.tx[i]!), T: Float64Array.from(buyers, (i) => cols.T[i]!) }) : Promise.resolve(null);
  const ggFit: Promise<GammaGammaFit | null> = fitting
    ? threads
        .gammaGamma({ x: Float64Array.from(buyers, (i) => cols.x[i]!), monetary: Float64Array.from(buyers, (i) => cols.monetary[i]!) })
        .then((fit) => (fit.q > 1 ? fit : null)) // infinite mean spend: no CLV rather than a wrong one
        .catch(() => null) // no repeat buyers yet
    : Promise.resolve(null);
  // The supervised churn layer, trained and validated on the chain's own history (train-churn.ts).
  // Candidates: buyers whose first purchase is older than the horizon (the others have no past cut).
  const seasoned = eligible.filter((i) => cols.T[i]! * WEEK > HORIZON_DAYS);
  let trainMs = 0;
  const training: Promise<ChurnTraining> = fitting
    ? trainChurnModel(sql, now, { ids: seasoned.map((i) => ids[i]!), stores: seasoned.map((i) => snap.store[i]!) }, churnConfig.levels.high, (d) => threads.bgnbd(d)).finally(() => (trainMs = Date.now() - tCuts))
    : Promise.resolve({ learned: null, validation: null, weights: null });
  // The event counts are read whether or not the churn layer is learned (it is, unless the chain is too young).
  const eventsRead = fitting ? eventCountsNow(sql, now) : Promise.resolve(null);
  // Stores whose latest race chose MBG/NBD or Pareto/NBD: that model, fitted on the store's own buyers.
  const storeFits = fitting ? fitStoreValueModels(sql, eligible.map((i) => ({ id: ids[i]!, store: snap.store[i]!, x: cols.x[i]!, tx: cols.tx[i]!, T: cols.T[i]! }))) : Promise.resolve([]);
  const [bg, gg, churnModel, counted, valueModels] = await Promise.all([bgFit, ggFit, training, eventsRead, storeFits]);
  const events = churnModel.learned ? counted : null;
  const storeFit = new Map(valueModels.flatMap((v) => (v.fit ? [[v.storeId, v.fit] as const] : [])));
  const t2 = Date.now();
  const c2 = cpuMs();

  // First pass: the models per member (kept in typed arrays) and the churn risk, so the churn
  // list's order can be ranked before the rows are written.
  const n = ids.length;
  const mPNo = new Float64Array(n).fill(NaN);
  const mE90 = new Float64Array(n).fill(NaN);
  const mPa = new Float64Array(n).fill(NaN);
  const mClv = new Float64Array(n).fill(NaN);
  const mLearned = new Float64Array(n).fill(NaN);
  const riskPct = new Int16Array(n);
  const assess = (i: number, withReasons = true) =>
    assessChurn({
      daysSince: cols.x[i]! >= 0 ? cols.daysSince[i]! : null,
      daysRegistered: cols.daysReg[i]!,
      orderDays: cols.x[i]! + 1,
      medianGapDays: cols.gap[i]! < 0 ? null : cols.gap[i]!,
      spend90: cols.s90[i]!,
      spendPrev90: cols.sp90[i]!,
      complaints60d: cols.compl[i]!,
      pNoPurchase: Number.isNaN(mPNo[i]!) ? null : mPNo[i]!,
      expected90: Number.isNaN(mE90[i]!) ? null : mE90[i]!,
      learnedRisk: Number.isNaN(mLearned[i]!) ? null : mLearned[i]!,
    }, churnConfig, withReasons);
  // P(alive) once per buyer and the (x, T)-only parts once per pair (BgNbdScorer: the same numbers as pAlive,
  // expectedPurchases and probabilityNoPurchase called one by one).
  const bgOut = bg ? new BgNbdScorer(bg, HORIZON_WEEKS, CLV_WEEKS, WEEK) : null;
  for (let i = 0; i < n; i++) {
    const x = cols.x[i]!;
    if (x >= 0 && bgOut !== null) {
      const tx = cols.tx[i]!;
      const T = cols.T[i]!;
      // The churn risk's model input stays BG/NBD's P(no purchase) (the supervised layer is trained on BG/NBD's outputs).
      bgOut.score(x, tx, T);
      mPNo[i] = bgOut.pNoPurchase;
      const bgE90 = bgOut.expected;
      const bgPa = bgOut.pAlive;
      const home = snap.store[i]!;
      const own = home !== null && storeFit.size ? storeFit.get(home) : undefined;
      if (own) {
        mE90[i] = own.expected(HORIZON_WEEKS, x, tx, T);
        mPa[i] = own.pAlive(x, tx, T);
        if (gg) mClv[i] = own.expected(CLV_WEEKS, x, tx, T) * expectedAverageSpend(gg, x, cols.monetary[i]!);
      } else {
        mE90[i] = bgE90;
        mPa[i] = bgPa;
        if (gg) mClv[i] = bgOut.expectedLong() * expectedAverageSpend(gg, x, cols.monetary[i]!);
      }
      if (churnModel.learned && events) {
        mLearned[i] = predictChurn(churnModel.learned, {
          daysSince: cols.daysSince[i]!,
          x,
          txDays: tx * WEEK,
          ageDays: T * WEEK,
          medianGapDays: cols.gap[i]! < 0 ? null : cols.gap[i]!,
          spend90: cols.s90[i]!,
          spendPrev90: cols.sp90[i]!,
          complaints60d: cols.compl[i]!,
          tickets90d: events.tickets.get(ids[i]!) ?? 0,
          couponsUsed180d: events.coupons.get(ids[i]!) ?? 0,
          store: snap.store[i]!,
        }, bg!, { expected: bgE90, pAlive: bgPa });
      }
    }
    // ROUND(churn_risk, 2) of the stored DECIMAL(5,4), in integers (half away from zero, as the database rounds).
    riskPct[i] = Math.floor((fixedUnits(assess(i, false).risk, 4)! + 50) / 100);
  }
  // The churn list's order among its candidates: risk to the percent, past spend, member id —
  // those whose last order is within the list's window first, then the lost ones (longer silent),
  // each part in that order. The default list (the window) is then the first ranks of a level, so
  // its top N is the first N entries of the (level, rank) index instead of a walk past every lost
  // member, who rank highest by risk; a days floor reads both parts and merges them (churn/list.ts).
  const windowStart = now.getTime() - CHURN_WINDOW_DAYS * 86_400_000;
  const rank = rankOrder(ids, snap.candidate, (i) => (snap.last[i]! > windowStart ? 1 : 0), riskPct, snap.cents);
  const counts = new SnapshotCounter();

  // Second pass: score and write, each row's TSV line written straight from the arrays
  // (load-scores.ts ScoreChunk), chunk by chunk as the load pulls them.
  const scoredAt = utcText(now.getTime());
  // Membership levels are a few small integers: their keys made once, not a string per member.
  const gradeKeys = new Map<number, string>();
  const gradeKey = (g: number) => {
    let k = gradeKeys.get(g);
    if (k === undefined) gradeKeys.set(g, (k = String(g)));
    return k;
  };
  // The smart tags' figures of each row (engagement's SmartTagScores): RFM grades (0 = none) and the risk as stored.
  const tagR = new Int8Array(n);
  const tagF = new Int8Array(n);
  const tagM = new Int8Array(n);
  const riskUnits = new Int32Array(n);
  const num = (v: number, places: 2 | 4) => (Number.isNaN(v) ? '\\N' : fixed(v, places));
  function* scored(): Generator<ScoreChunk> {
    let text = '';
    let from = 0;
    for (let i = 0; i < n; i++) {
      const x = cols.x[i]!;
      const clv = mClv[i]!;
      const a = assess(i);
      const rfm = x >= 0 ? rfmOf(cols.daysSince[i]!, cols.rf[i]!, cols.rm[i]!, a.level === 'high') : null;
      const store = snap.store[i]!;
      const cents = snap.cents[i]!;
      const cell = rfm?.cell ?? 'no_orders';
      const quadrant = rfm?.quadrant ?? 'dormant';
      if (rfm) {
        tagR[i] = rfm.r;
        tagF[i] = rfm.f;
        tagM[i] = rfm.m;
      }
      riskUnits[i] = fixedUnits(a.risk, 4)!;
      const cells = counts.store(store);
      cells.add('cell', cell, cents);
      cells.add('quadrant', quadrant, cents);
      cells.add('level', a.level, cents);
      cells.add('grade', gradeKey(snap.grade[i]!), cents);
      cells.add('reg', snap.reg[i]!, cents);
      const candidate = snap.candidate[i]!;
      const last = snap.last[i]!;
      if (candidate && last > windowStart) cells.add('churn', a.level, cents);
      // SCORE_COLUMNS in order: member_id, rfm_r, rfm_f, rfm_m, rfm_score, rfm_cell, value_quadrant,
      // churn_risk, churn_level, churn_reasons, p_alive, expected_purchases_90d, clv, scored_at,
      // churn_rank, churn_store, last_order_at, total_spend.
      text +=
        `${ids[i]}\t${rfm ? `${rfm.r}\t${rfm.f}\t${rfm.m}\t${rfm.score}` : '\\N\t\\N\t\\N\t\\N'}\t${cell}\t${quadrant}\t${fixed(a.risk, 4)}\t${a.level}\t${tsvText(stringFieldsJson(a.reasons))}` +
        `\t${num(mPa[i]!, 4)}\t${num(mE90[i]!, 4)}\t${Number.isFinite(clv) ? fixed(clv, 2) : '\\N'}\t${scoredAt}` +
        `\t${candidate ? `${rank[i]}\t${store ?? 0}` : '\\N\t\\N'}\t${Number.isNaN(last) ? '\\N' : utcText(last)}\t${centsText(cents)}\n`;
      if (i + 1 - from === BATCH) {
        yield { text, ids: ids.slice(from, i + 1) };
        text = '';
        from = i + 1;
      }
    }
    if (from < n) yield { text, ids: ids.slice(from, n) };
  }
  // The smart tags' own reads (engagement readSmartTagFacts: deleted members, KOC facts, each
  // tag's rows) start once the rows are in, so they run beside the server's index builds rather
  // than after the swap; the refresh that follows the run awaits them (a rejection surfaces there).
  let facts: Promise<SmartTagFacts> | undefined;
  const { applyMs, pruned } = await loadScores(sql, scored(), () => {
    facts = readSmartTagFacts(sql, now);
    facts.catch(() => {});
  });
  const t3 = Date.now();
  const c3 = cpuMs();
  const params = {
    bgnbd: bg && { r: bg.r, alpha: bg.alpha, a: bg.a, b: bg.b, logLikelihood: bg.logLikelihood, converged: bg.converged, unit: 'week' },
    gammaGamma: gg && { p: gg.p, q: gg.q, gamma: gg.gamma, logLikelihood: gg.logLikelihood, customers: gg.customers },
    rfm: { config: rfmConfig, cuts },
    churn: churnConfig,
    // Which model scored whom: these stores' members with their own fit, everyone else BG/NBD above.
    valueModels: valueModels.map(({ fit: _fit, ...v }) => v),
    churnModel: { validation: churnModel.validation, weights: churnModel.weights, trainedOn: churnModel.learned?.trainedOn ?? 0, horizonDays: churnModel.learned?.horizonDays ?? null },
  };
  await recordScoringRun(sql, { now, members: ids.length, params, durationMs: t3 - t0 }, counts);
  return { members: ids.length, bgnbd: bg, gammaGamma: gg, rfm: cuts, stats, valueModels, churn: churnModel, ms: { stats: t1 - t0, rfm: tCuts - tRead, read: tRead - t1, fit: t2 - tCuts, train: trainMs, score: t3 - t2, apply: applyMs, total: Date.now() - t0 },
    cpu: { stats: c1 - c0, read: cRead - c1, rfm: cCuts - cRead, fit: c2 - cCuts, score: c3 - c2, total: cpuMs() - c0 },
    tagScores: pruned ? null : { ids, rfmR: tagR, rfmF: tagF, rfmM: tagM, riskUnits, lastOrderMs: snap.last, spendCents: snap.cents, ...(facts ? { facts } : {}) } };
}
