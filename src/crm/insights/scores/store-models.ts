import type { Pool, RowDataPacket } from 'mysql2/promise';
import { chinaDay } from '../../kernel/index.ts';
import { streamRows } from '../../sales/index.ts';
import { memberSample } from './member-sample.ts';
import { latestScoringRun } from './snapshot.ts';
import { compareCustomerModels, CUSTOMER_MODELS, fitCustomerModel, type CustomerModel, type FittedCustomerModel, type ModelComparison } from '../clv/compare.ts';

/** The model_runs kind of the per-store model choice. */
export const STORE_MODELS_KIND = 'store_models';
const WEEK = 7;
/** Below this many buyers a store's own race is noise: the store is scored with BG/NBD, the default. */
const MIN_BUYERS = 300;
/** Buyers raced per store (this many, chosen by member id): bounds the run's cost whatever the store's size. */
const SAMPLE = 3000;

export interface StoreModelChoice {
  /** 0 = the whole chain. */
  storeId: number;
  buyers: number;
  model: CustomerModel;
  /** 'own' = this store's holdout race; 'default' = too few buyers for a race of its own, BG/NBD. */
  basis: 'own' | 'default';
  holdoutLogLikelihood: Partial<Record<CustomerModel, number>>;
  /** The winner's parameters in the race (fitted on 4/5 of the sample): the scoring run's fit starts there. */
  params?: Record<string, number>;
}

/** A buyer as the fits read them: x, t_x and T in weeks, and the member id (the sample is chosen by id: member-sample.ts). */
type BuyerRow = [x: number, tx: number, T: number, id: number];

/** At most `max` of the rows, chosen by member id. */
function sampleOf(rows: BuyerRow[], max: number): BuyerRow[] {
  return memberSample(rows.map((r) => r[3]), max).map((k) => rows[k]!);
}

function race(rows: BuyerRow[], models: readonly CustomerModel[]): ModelComparison {
  const s = sampleOf(rows, SAMPLE);
  return compareCustomerModels({ x: Float64Array.from(s, (r) => r[0]), tx: Float64Array.from(s, (r) => r[1]), T: Float64Array.from(s, (r) => r[2]) }, { models, minimize: { maxEvaluations: 2000 } });
}

const lls = (c: ModelComparison) => Object.fromEntries(c.models.map((m) => [m.model, Number(m.holdoutLogLikelihood.toFixed(2))]));

/**
 * Per home store, which customer-base model (BG/NBD, MBG/NBD, Pareto/NBD) describes its buyers
 * best by holdout log-likelihood (clv/compare.ts: every 5th buyer held out), and the chain's
 * own choice (store 0, for the model report). The next scoring runs score each store's members
 * with its choice (fitStoreValueModels); a store under 300 buyers has no race and stays on
 * BG/NBD. Reads member_stats as the scoring run left it (x = purchase days − 1,
 * t_x and T in weeks to `now`), records the choice in model_runs (kind store_models) and returns it.
 */
export async function chooseStoreModels(sql: Pool, now: Date, opts: { minBuyers?: number; models?: readonly CustomerModel[] } = {}): Promise<StoreModelChoice[]> {
  const minBuyers = opts.minBuyers ?? MIN_BUYERS;
  const models = opts.models ?? CUSTOMER_MODELS;
  const t0 = Date.now();
  const nowDay = chinaDay(now);
  const byStore = new Map<number, BuyerRow[]>();
  const all: BuyerRow[] = [];
  for await (const r of streamRows(
    sql,
    `SELECT ms.member_id, ms.first_order_at, ms.last_order_at, ms.order_days, m.home_store_id FROM member_stats ms JOIN members m ON m.id = ms.member_id
     WHERE m.status <> 'deleted' AND ms.order_days > 0 AND ms.first_order_at < ?`,
    [now],
  )) {
    const first = chinaDay(r.first_order_at as Date);
    const row: BuyerRow = [Number(r.order_days) - 1, (chinaDay(r.last_order_at as Date) - first) / WEEK, Math.max(nowDay - first, 0) / WEEK, Number(r.member_id)];
    if (row[1] > row[2]) row[1] = row[2];
    all.push(row);
    const store = r.home_store_id === null ? -1 : Number(r.home_store_id);
    if (!byStore.has(store)) byStore.set(store, []);
    byStore.get(store)!.push(row);
  }
  if (all.length < minBuyers) return [];
  const chain = race(all, models);
  const out: StoreModelChoice[] = [{ storeId: 0, buyers: all.length, model: chain.chosen, basis: 'own', holdoutLogLikelihood: lls(chain) }];
  for (const [storeId, rows] of [...byStore].sort((a, b) => a[0] - b[0])) {
    if (storeId < 0) continue; // members without a home store count in the chain's race only
    if (rows.length < minBuyers) {
      out.push({ storeId, buyers: rows.length, model: 'bgnbd', basis: 'default', holdoutLogLikelihood: {} });
      continue;
    }
    const c = race(rows, models);
    out.push({ storeId, buyers: rows.length, model: c.chosen, basis: 'own', holdoutLogLikelihood: lls(c), params: c.models.find((m) => m.model === c.chosen)?.params });
  }
  await sql.query('INSERT INTO model_runs (kind, as_of, members, params, duration_ms) VALUES (?, ?, ?, ?, ?)', [STORE_MODELS_KIND, now, all.length, JSON.stringify({ stores: out, minBuyers, sample: SAMPLE }), Date.now() - t0]);
  return out;
}

/** The latest per-store choice (model_runs kind store_models); null before the first one. */
export async function latestStoreModels(sql: Pool): Promise<{ asOf: Date; stores: StoreModelChoice[]; minBuyers: number } | null> {
  const [rows] = await sql.query<RowDataPacket[]>('SELECT as_of, params FROM model_runs WHERE kind = ? ORDER BY id DESC LIMIT 1', [STORE_MODELS_KIND]);
  const row = rows[0];
  if (!row) return null;
  const params = (typeof row.params === 'string' ? JSON.parse(row.params) : row.params) as { stores?: StoreModelChoice[]; minBuyers?: number };
  return { asOf: row.as_of as Date, stores: params.stores ?? [], minBuyers: params.minBuyers ?? MIN_BUYERS };
}

/** A store scored with the model its own race chose (recompute.ts); `fit` is the fitted model (not recorded). */
export interface StoreValueModel {
  storeId: number;
  model: CustomerModel;
  /** The store's buyers (members with an order) scored with it. */
  buyers: number;
  /** Buyers the model was fitted on (at most 3,000, chosen by member id as in the race). */
  fittedOn: number;
  params: Record<string, number>;
  /** When the race that chose it ran. */
  raceAsOf: string;
  fit?: FittedCustomerModel;
}

/**
 * The per-store models for the scoring run: every store whose latest race (basis `own`: enough
 * buyers of its own) chose a model other than BG/NBD gets that model fitted on its own buyers as
 * of now (`buyers`: the run's members with an order, x/t_x/T in weeks). A fit that does not
 * converge or gives no finite forecast is dropped, and that store stays on the chain's BG/NBD
 * like every store the race left to the chain or never saw.
 */
export async function fitStoreValueModels(sql: Pool, buyers: ReadonlyArray<{ id: number; store: number | null; x: number; tx: number; T: number }>): Promise<StoreValueModel[]> {
  const latest = await latestStoreModels(sql);
  // The race's own floor (recorded with it): a store it raced keeps its model while it has that many buyers.
  const minBuyers = latest?.minBuyers ?? MIN_BUYERS;
  const wanted = new Map((latest?.stores ?? []).filter((c) => c.storeId > 0 && c.basis === 'own' && c.model !== 'bgnbd').map((c) => [c.storeId, c]));
  if (!latest || wanted.size === 0) return [];
  const byStore = new Map<number, BuyerRow[]>();
  for (const b of buyers) {
    if (b.store === null || !wanted.has(b.store)) continue;
    if (!byStore.has(b.store)) byStore.set(b.store, []);
    byStore.get(b.store)!.push([b.x, Math.min(b.tx, b.T), b.T, b.id]);
  }
  const out: StoreValueModel[] = [];
  for (const [storeId, { model, params: start }] of [...wanted].sort((a, b) => a[0] - b[0])) {
    const rows = byStore.get(storeId) ?? [];
    if (rows.length < minBuyers) continue; // the store has shrunk below a trustworthy fit since the race
    const s = sampleOf(rows, SAMPLE);
    let fit: FittedCustomerModel;
    try {
      fit = fitCustomerModel(model, { x: Float64Array.from(s, (r) => r[0]), tx: Float64Array.from(s, (r) => r[1]), T: Float64Array.from(s, (r) => r[2]) }, { maxEvaluations: 2000, ...(start ? { start } : {}) });
    } catch {
      continue;
    }
    const typical = s[0]!;
    if (!fit.converged || !Object.values(fit.params).every(Number.isFinite) || !Number.isFinite(fit.expected(52, typical[0], typical[1], typical[2]))) continue;
    out.push({ storeId, model, buyers: rows.length, fittedOn: s.length, params: Object.fromEntries(Object.entries(fit.params).map(([k, v]) => [k, Number(v.toPrecision(6))])), raceAsOf: latest.asOf.toISOString(), fit });
  }
  return out;
}

/** The stores the latest scoring run scored with a model other than BG/NBD (its model_runs params); null before any run. */
export async function scoringValueModels(sql: Pool): Promise<{ asOf: Date; stores: Omit<StoreValueModel, 'fit'>[] } | null> {
  const run = await latestScoringRun(sql);
  if (!run) return null;
  const [rows] = await sql.query<RowDataPacket[]>('SELECT params FROM model_runs WHERE id = ?', [run.id]);
  const raw = rows[0]?.params;
  const params = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { valueModels?: Omit<StoreValueModel, 'fit'>[] } | null;
  return { asOf: run.asOf, stores: params?.valueModels ?? [] };
}
