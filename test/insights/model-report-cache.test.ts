import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffActor } from '../../src/bot/types.ts';
import { chooseStoreModels, recomputeScores } from '../../src/crm/insights/index.ts';
import { computeModelReport, modelReport } from '../../src/crm/insights/scores/model-report.ts';
import { activeStaffActor, chinaDay, type StaffAccess } from '../../src/crm/kernel/index.ts';
import { seedDemo } from '../../src/demo/index.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';

// 「模型效果」 fits a model over the chain's orders (seconds at scale); the chat reads it from a
// cache keyed by the China day and the latest scoring run and model race. Each read must equal a
// fresh computation, and a new run or race must be a new computation, never the old report.
const NOW = new Date('2026-11-21T16:00:00.000Z');

describe('the model report the chat reads is a fresh computation of its day and run', () => {
  let env: TestEnv;
  let access: StaffAccess;
  const json = <T>(v: T): T => JSON.parse(JSON.stringify(v), (_k, x) => (typeof x === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(x) ? new Date(x) : x));

  beforeAll(async () => {
    env = await createTestEnv('model_report_cache', {}, { now: () => NOW });
    await seedDemo(env.services.sql, { members: 600, seed: 11, now: NOW });
    await recomputeScores(env.services.sql, { now: NOW });
    const hq = (await activeStaffActor(env.services, 'hq_ops_01')) as StaffActor;
    access = { services: env.services, actor: hq, channel: 'console', requestId: 'model-report-cache' } as StaffAccess;
  }, 300_000);
  afterAll(async () => env?.cleanup());

  it('the cached report equals a fresh one; after a model race the report is computed again and equals a fresh one', async () => {
    const today = chinaDay(NOW);
    const first = await modelReport(access);
    const cached = await modelReport(access);
    const fresh = await computeModelReport(access, today);
    expect(cached.validation.summary.customers).toBeGreaterThanOrEqual(50);
    expect(cached).toEqual(json(fresh));
    expect(first).toEqual(fresh);
    expect(cached.stores).toEqual([]);

    // A race after it: the next read is that race's report, not the cached one.
    const choice = await chooseStoreModels(env.services.sql, NOW);
    const after = await modelReport(access);
    expect(after.stores.map((s) => s.storeId).sort()).toEqual(choice.map((c) => c.storeId).sort());
    expect(after.stores.length).toBeGreaterThan(0);
    expect(after).toEqual(json(await computeModelReport(access, today)));
  }, 600_000);
});
