import type { Pool, RowDataPacket } from 'mysql2/promise';
import { chinaDay } from '../../kernel/index.ts';
import { streamRows } from '../../sales/index.ts';
import { compareCustomerModels, type CustomerModel, type ModelComparison } from '../clv/compare.ts';

/** The model_runs kind of the per-store model choice. */
export const STORE_MODELS_KIND = 'store_models';
const WEEK = 7;
/** Below this many buyers a store's own race is noise: it takes the chain's choice. */
const MIN_BUYERS = 300;
/** Buyers raced per store (an even sample): bounds the run's cost whatever the store's size. */
const SAMPLE = 3000;

export interface StoreModelChoice {
  /** 0 = the whole chain. */
  storeId: number;
  buyers: number;
  model: CustomerModel;
  /** 'own' = this store's holdout race; 'chain' = too few buyers, the chain's model. */
  basis: 'own' | 'chain';
  holdoutLogLikelihood: Partial<Record<CustomerModel, number>>;
}

function even<T>(rows: T[], max: number): T[] {
  if (rows.length <= max) return rows;
  const step = rows.length / max;
  return Array.from({ length: max }, (_, k) => rows[Math.floor(k * step)]!);
}

function race(rows: Array<[number, number, number]>): ModelComparison {
  const s = even(rows, SAMPLE);
  return compareCustomerModels({ x: Float64Array.from(s, (r) => r[0]), tx: Float64Array.from(s, (r) => r[1]), T: Float64Array.from(s, (r) => r[2]) }, { minimize: { maxEvaluations: 2000 } });
}

const lls = (c: ModelComparison) => Object.fromEntries(c.models.map((m) => [m.model, Number(m.holdoutLogLikelihood.toFixed(2))]));

/**
 * Per home store, which customer-base model (BG/NBD, MBG/NBD, Pareto/NBD) describes its buyers
 * best by holdout log-likelihood (clv/compare.ts: every 5th buyer held out), and the chain's
 * own choice (store 0). Reads member_stats as the scoring run left it (x = purchase days − 1,
 * t_x and T in weeks to `now`), records the choice in model_runs (kind store_models) and returns it.
 */
export async function chooseStoreModels(sql: Pool, now: Date): Promise<StoreModelChoice[]> {
  const t0 = Date.now();
  const nowDay = chinaDay(now);
  const byStore = new Map<number, Array<[number, number, number]>>();
  const all: Array<[number, number, number]> = [];
  for await (const r of streamRows(
    sql,
    `SELECT ms.first_order_at, ms.last_order_at, ms.order_days, m.home_store_id FROM member_stats ms JOIN members m ON m.id = ms.member_id
     WHERE m.status <> 'deleted' AND ms.order_days > 0 AND ms.first_order_at < ?`,
    [now],
  )) {
    const first = chinaDay(r.first_order_at as Date);
    const row: [number, number, number] = [Number(r.order_days) - 1, (chinaDay(r.last_order_at as Date) - first) / WEEK, Math.max(nowDay - first, 0) / WEEK];
    if (row[1] > row[2]) row[1] = row[2];
    all.push(row);
    const store = r.home_store_id === null ? -1 : Number(r.home_store_id);
    if (!byStore.has(store)) byStore.set(store, []);
    byStore.get(store)!.push(row);
  }
  if (all.length < MIN_BUYERS) return [];
  const chain = race(all);
  const out: StoreModelChoice[] = [{ storeId: 0, buyers: all.length, model: chain.chosen, basis: 'own', holdoutLogLikelihood: lls(chain) }];
  for (const [storeId, rows] of [...byStore].sort((a, b) => a[0] - b[0])) {
    if (storeId < 0) continue; // members without a home store count in the chain's race only
    if (rows.length < MIN_BUYERS) {
      out.push({ storeId, buyers: rows.length, model: chain.chosen, basis: 'chain', holdoutLogLikelihood: {} });
      continue;
    }
    const c = race(rows);
    out.push({ storeId, buyers: rows.length, model: c.chosen, basis: 'own', holdoutLogLikelihood: lls(c) });
  }
  await sql.query('INSERT INTO model_runs (kind, as_of, members, params, duration_ms) VALUES (?, ?, ?, ?, ?)', [STORE_MODELS_KIND, now, all.length, JSON.stringify({ stores: out, minBuyers: MIN_BUYERS, sample: SAMPLE }), Date.now() - t0]);
  return out;
}

/** The latest per-store choice (model_runs kind store_models); null before the first one. */
export async function latestStoreModels(sql: Pool): Promise<{ asOf: Date; stores: StoreModelChoice[] } | null> {
  const [rows] = await sql.query<RowDataPacket[]>('SELECT as_of, params FROM model_runs WHERE kind = ? ORDER BY id DESC LIMIT 1', [STORE_MODELS_KIND]);
  const row = rows[0];
  if (!row) return null;
  const params = (typeof row.params === 'string' ? JSON.parse(row.params) : row.params) as { stores?: StoreModelChoice[] };
  return { asOf: row.as_of as Date, stores: params.stores ?? [] };
}
