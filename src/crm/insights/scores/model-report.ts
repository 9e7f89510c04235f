import { conflict, forbidden, requirePermission, storeScope, chinaDay, chinaDayStartMs, type StaffAccess } from '../../kernel/index.ts';
import { readOrderTransactions } from '../../sales/index.ts';
import { fitBgNbd } from '../clv/bgnbd.ts';
import { fitCustomerModel, type CustomerModel } from '../clv/compare.ts';
import { scoreCustomers } from '../clv/score.ts';
import { TransactionLedger } from '../clv/summary.ts';
import { modelValidation, type ModelValidation } from '../clv/validation.ts';
import { cachedJson } from '../cache.ts';
import { latestStoreModels, STORE_MODELS_KIND, scoringValueModels, type StoreModelChoice, type StoreValueModel } from './store-models.ts';

/** Members read for the chat report at most (an even sample by member id above it). */
const SAMPLE_MEMBERS = 20_000;
/** Holdout: the last 13 weeks up to yesterday, the calibration everything before. */
const HOLDOUT_DAYS = 91;

export interface ModelReport {
  validation: ModelValidation;
  /** The chain's model (latest scoring run's choice; BG/NBD before the first). */
  model: CustomerModel;
  /** The latest race per store (store-models.ts). */
  stores: StoreModelChoice[];
  /**
   * The model each store's scores come from in the latest scoring run: the stores listed here
   * with their own model, every other store BG/NBD (null before the first run).
   */
  scoredWith: { asOf: Date; stores: Omit<StoreValueModel, 'fit'>[] } | null;
  /** 1 = every member; k = members whose id is a multiple of k. */
  sampleEvery: number;
  calibrationEnd: number;
  holdoutEnd: number;
}

/**
 * "模型效果" for HQ: the validation figures (clv/validation.ts) of the chain's chosen model on its
 * own orders — calibration up to 13 weeks ago, holdout the 13 weeks since — and each store's
 * choice from the latest scoring run (store-models.ts). Whole-chain figures: HQ roles only.
 */
export async function modelReport(access: StaffAccess): Promise<ModelReport> {
  requirePermission(access.actor, 'churn.read');
  if (storeScope(access.actor) !== null) throw forbidden('permission_denied', '模型效果是全连锁的数据，仅总部可查看。');
  const { services } = access;
  const today = chinaDay(services.now());
  // The report holds up to yesterday and the latest scoring run's choices: computed once per
  // China day and run (a model fit over the chain's orders, seconds), then read from the cache.
  const [[ids]] = await services.sql.query<any[]>(
    "SELECT (SELECT COALESCE(MAX(id), 0) FROM model_runs WHERE kind = 'scores') AS s, (SELECT COALESCE(MAX(id), 0) FROM model_runs WHERE kind = ?) AS c",
    [STORE_MODELS_KIND],
  );
  return cachedJson(services, services.key('model-report', today, ids.s, ids.c), 26 * 3600, () => computeModelReport(access, today));
}

/** The report computed (modelReport reads it from the cache once computed for the day and run). */
export async function computeModelReport(access: StaffAccess, today: number): Promise<ModelReport> {
  const sql = access.services.sql;
  const [[m]] = await sql.query<any[]>('SELECT COUNT(*) AS n FROM members');
  const holdoutEnd = today - 1;
  const calibrationEnd = holdoutEnd - HOLDOUT_DAYS;
  const sampleEvery = Math.max(1, Math.ceil(Number(m.n) / SAMPLE_MEMBERS));
  const ledger = new TransactionLedger();
  await readOrderTransactions(sql, ledger.sink, { before: new Date(chinaDayStartMs(today)), sampleEvery });
  const s = ledger.summarize({ calibrationEnd, holdoutEnd, unitDays: 7 });
  if (s.ids.length < 50) throw conflict('model_data_too_few', `13 周前已有消费的会员只有 ${s.ids.length} 位（至少要 50 位），还无法检验模型。`);
  const chosen = await latestStoreModels(sql);
  const model = chosen?.stores.find((c) => c.storeId === 0)?.model ?? 'bgnbd';
  const fitted = fitCustomerModel(model, s);
  const horizon = HOLDOUT_DAYS / 7;
  const risk = scoreCustomers(fitBgNbd(s), s, horizon).churnRisk;
  const validation = modelValidation(fitted, s, ledger, { calibrationEnd, holdoutEnd, unitDays: 7 }, risk);
  return { validation, model, stores: chosen?.stores ?? [], scoredWith: await scoringValueModels(sql), sampleEvery, calibrationEnd, holdoutEnd };
}
