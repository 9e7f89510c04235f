import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../../test/support/env.ts';
import { seedDemo } from '../../../demo/index.ts';
import { auc } from '../churn/metrics.ts';
import { recomputeScores, type RecomputeResult } from './recompute.ts';

// The scoring run trains the supervised churn layer on the chain's own history and validates it
// out of time (train-churn.ts); checked here on a seeded demo chain against the generator's truth.
const NOW = new Date('2026-11-21T16:00:00.000Z');

describe('supervised churn layer in the scoring run', () => {
  let env: TestEnv;
  let r: RecomputeResult;

  beforeAll(async () => {
    env = await createTestEnv('train_churn', {}, { now: () => NOW });
    await seedDemo(env.services.sql, { members: 3000, seed: 5, now: NOW });
    r = await recomputeScores(env.services.sql, { now: NOW });
  }, 300_000);
  afterAll(async () => env?.cleanup());

  it('trains on the split before now and reports the out-of-time validation per store in model_runs', async () => {
    const v = r.churn.validation!;
    console.info(`demo 3000: trained on ${r.churn.learned?.trainedOn}, validation AUC ${v.auc} vs BG/NBD ${v.bgnbdAuc}, P/R at high ${v.precisionHigh}/${v.recallHigh}, ECE ${v.ece}`);
    expect(r.churn.learned!.trainedOn).toBeGreaterThan(500);
    expect(v.auc).toBeGreaterThan(0.6);
    expect(v.ece).toBeLessThan(0.1);
    expect(v.stores.reduce((s, x) => s + x.members, 0)).toBe(v.members);
    const [[run]] = await env.services.sql.query<any[]>("SELECT params FROM model_runs WHERE kind = 'scores' ORDER BY id DESC LIMIT 1");
    expect(run.params.churnModel.validation).toEqual(v);
    expect(Object.keys(run.params.churnModel.weights)).toContain('overdue');
  });

  it('the stored risk is the learned probability and ranks the truly gone members above the living', async () => {
    const [rows] = await env.services.sql.query<any[]>(
      'SELECT t.alive, s.churn_risk, s.expected_purchases_90d FROM demo_member_truth t JOIN member_scores s USING (member_id) JOIN member_stats ms USING (member_id) WHERE ms.order_count > 0',
    );
    const gone = rows.map((x) => !x.alive);
    const a = auc(rows.map((x) => Number(x.churn_risk)), gone);
    console.info(`demo 3000 truth AUC: churn_risk ${a.toFixed(4)}, BG/NBD expected ${auc(rows.map((x) => -Number(x.expected_purchases_90d)), gone).toFixed(4)}`);
    expect(a).toBeGreaterThan(0.75);
  });
});
