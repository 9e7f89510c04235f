import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../../test/support/env.ts';
import { seedDemo } from '../../../demo/index.ts';
import { readOrderTransactions } from '../../sales/index.ts';
import { TransactionLedger } from '../clv/summary.ts';
import { recomputeScores } from './recompute.ts';
import { chooseStoreModels, latestStoreModels, type StoreModelChoice } from './store-models.ts';

// Synthetic data (the demo generator), so this checks the mechanics of the choice, not which
// model real chains need.
const NOW = new Date('2026-11-21T16:00:00.000Z');

describe('per-store model choice by holdout likelihood', () => {
  let env: TestEnv;
  let choice: StoreModelChoice[];
  beforeAll(async () => {
    env = await createTestEnv('store_models', {}, { now: () => NOW });
    await seedDemo(env.services.sql, { members: 600, seed: 11, now: NOW });
    await recomputeScores(env.services.sql, { now: NOW });
    choice = await chooseStoreModels(env.services.sql, NOW);
  }, 600_000);
  afterAll(async () => env?.cleanup());

  it('races the chain and every store with enough buyers, and says which model won', async () => {
    const [[b]] = await env.services.sql.query<any[]>("SELECT COUNT(*) AS n FROM member_stats ms JOIN members m ON m.id = ms.member_id WHERE m.status <> 'deleted' AND ms.order_days > 0");
    const chain = choice.find((c) => c.storeId === 0)!;
    expect(chain.buyers).toBe(Number(b.n));
    console.info(`store model choice: ${choice.map((c) => `${c.storeId}:${c.model}(${c.basis}, ${c.buyers})`).join(' ')}`);
    for (const c of choice) {
      if (c.basis === 'default') {
        expect(c.buyers).toBeLessThan(300);
        expect(c.model).toBe('bgnbd');
        continue;
      }
      const lls = Object.entries(c.holdoutLogLikelihood);
      expect(lls.map(([m]) => m).sort()).toEqual(['bgnbd', 'mbgnbd', 'paretonbd']);
      const best = lls.sort((x, y) => y[1] - x[1])[0]![0];
      expect(c.model).toBe(best);
    }
    const [stores] = await env.services.sql.query<any[]>('SELECT DISTINCT home_store_id AS s FROM members WHERE home_store_id IS NOT NULL');
    expect(choice.filter((c) => c.storeId > 0).map((c) => c.storeId).sort()).toEqual(stores.map((r) => Number(r.s)).sort());
  });

  it('is recorded in model_runs and read back', async () => {
    const latest = await latestStoreModels(env.services.sql);
    expect(latest?.stores).toEqual(choice);
  });

  it('reads the chain\'s own orders as transactions, net of refunds', async () => {
    const ledger = new TransactionLedger();
    const n = await readOrderTransactions(env.services.sql, ledger.sink);
    const [[o]] = await env.services.sql.query<any[]>('SELECT COUNT(*) AS n, COUNT(DISTINCT member_id) AS m FROM orders WHERE refunded_amount < amount');
    expect(n).toBe(Number(o.n));
    expect(ledger.customers).toBe(Number(o.m));
  });
});
