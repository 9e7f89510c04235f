import type { ResultSetHeader } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchRecall, recallAudience } from '../../src/crm/automation/index.ts';
import type { StaffAccess } from '../../src/crm/kernel/access.ts';
import { journeyDeps } from '../../src/jobs/journey-deps.ts';
import { createApiTestEnv, type ApiTestEnv } from './support.ts';
import { PHONE_COLUMNS, sealedPhoneValues } from '../support/sealed-phone.ts';

/** /api/crm/recalls over the real app and database: store-scoped list and detail, preview with exclusions, stop. */
let t: ApiTestEnv;
const as = (who: keyof ApiTestEnv['fx']['staff']): StaffAccess => ({ services: t.env.services, actor: t.fx.staff[who], channel: 'api', requestId: `api-${who}` });

async function members(n: number, store: 'S1' | 'S2', tag: string): Promise<number[]> {
  const rows = Array.from({ length: n }, (_, i) => [`A${tag}${String(i).padStart(5, '0')}`, `接口${tag}${i}`, ...sealedPhoneValues(`136${tag.charCodeAt(0) % 10}${String(i).padStart(7, '0')}`), new Date(), 'store', t.fx.stores[store]]);
  const [r] = await t.env.services.sql.query<ResultSetHeader>(`INSERT INTO members (member_no, name, ${PHONE_COLUMNS}, registered_at, source_channel, home_store_id) VALUES ?`, [rows]);
  return rows.map((_, i) => r.insertId + i);
}
const launch = async (who: 'manager1' | 'manager2' | 'hq' | 'marketer', ids: number[]) =>
  (await launchRecall(journeyDeps(t.env.services), as(who), { audience: { kind: 'churn' }, couponAmount: 20, memberIds: ids })).recallId;

beforeAll(async () => {
  t = await createApiTestEnv('api_recalls');
});
afterAll(async () => {
  await t?.cleanup();
});

describe('recalls admin API', () => {
  it('lists and shows recalls within the caller’s stores only', async () => {
    const s1 = await launch('manager1', await members(6, 'S1', 'a'));
    const s2 = await launch('manager2', await members(4, 'S2', 'b'));
    const hq = await launch('hq', await members(3, 'S2', 'c'));

    const mine = await t.call(t.tokens.manager1, 'GET', '/api/crm/recalls');
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((r: { id: number }) => r.id)).toEqual([s1]);
    expect(mine.body.items[0]).toMatchObject({ state: 'running', members: 6, launchedBy: { name: '王店长' }, counts: { total: 6, pending: 6, cancelled: 0 }, excluded: { total: 0 }, stoppedAt: null });
    expect((await t.call(t.tokens.manager2, 'GET', '/api/crm/recalls')).body.items.map((r: { id: number }) => r.id)).toEqual([s2]);
    expect((await t.call(t.tokens.hq, 'GET', '/api/crm/recalls')).body.items.map((r: { id: number }) => r.id)).toEqual([hq, s2, s1]);

    expect((await t.call(t.tokens.manager1, 'GET', `/api/crm/recalls/${s1}`)).body).toMatchObject({ id: s1, storeId: t.fx.stores.S1 });
    const other = await t.call(t.tokens.manager1, 'GET', `/api/crm/recalls/${s2}`);
    expect([other.status, other.body.error.code]).toEqual([404, 'recall_unknown']);
    expect((await t.call(t.tokens.manager1, 'GET', `/api/crm/recalls/${hq}`)).status).toBe(404);
    expect((await t.call(t.tokens.agent, 'GET', '/api/crm/recalls')).status).toBe(403);
    const bad = await t.call(t.tokens.hq, 'GET', '/api/crm/recalls?state=paused');
    expect(bad.status).toBe(400);
  });

  it('previews with the members left out and why', async () => {
    // The churn list of manager1's store; two of its members are already in a running recall.
    const audience = await recallAudience(as('manager1'), { kind: 'churn' });
    expect(audience.length).toBeGreaterThan(2);
    await launch('manager1', audience.slice(0, 2));
    const pv = await t.call(t.tokens.manager1, 'POST', '/api/crm/recalls/preview', { couponAmount: 15 });
    expect(pv.status).toBe(200);
    expect(pv.body).toMatchObject({ audience: audience.length, count: audience.length - 2, excluded: { total: 2, running: 2, recent: [], optedOut: 0, cooldownDays: 14 }, estimatedCost: (15 * (audience.length - 2)).toFixed(2) });
    expect(pv.body.sample.length).toBeGreaterThan(0);
    expect((await t.call(t.tokens.manager1, 'POST', '/api/crm/recalls/preview', { couponAmount: -1 })).status).toBe(422);
  });

  it('stops a recall: the launcher or its store’s manager, idempotent, 409 once finished', async () => {
    const id = await launch('manager1', await members(7, 'S1', 'e'));
    expect((await t.call(t.tokens.manager2, 'POST', `/api/crm/recalls/${id}/stop`)).status).toBe(404);
    expect((await t.call(t.tokens.agent, 'POST', `/api/crm/recalls/${id}/stop`)).status).toBe(403); // no recall permission at all
    const first = await t.call(t.tokens.manager1, 'POST', `/api/crm/recalls/${id}/stop`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ alreadyStopped: false, cancelled: 7, recall: { id, state: 'stopped', stoppedBy: { name: '王店长' }, counts: { cancelled: 7, pending: 0 } } });
    const again = await t.call(t.tokens.manager1, 'POST', `/api/crm/recalls/${id}/stop`);
    expect(again.body).toMatchObject({ alreadyStopped: true, cancelled: 7, recall: { state: 'stopped' } });
    expect((await t.call(t.tokens.manager1, 'POST', '/api/crm/recalls/0/stop')).status).toBe(400);

    // Finished: every member's message recorded (as the engine records it).
    const done = await launch('manager1', await members(2, 'S1', 'f'));
    await t.env.services.sql.query(
      "INSERT INTO journey_step_executions (member_id, journey_id, enrollment_id, step_id, step_type, action, result, channel, created_at, executed_at) SELECT member_id, journey_id, id, 'message', 'action', 'message', 'sent', 'sms', NOW(3), NOW(3) FROM journey_enrollments WHERE recall_id = ?",
      [done],
    );
    const fin = await t.call(t.tokens.manager1, 'POST', `/api/crm/recalls/${done}/stop`);
    expect([fin.status, fin.body.error.code]).toEqual([409, 'recall_finished']);
    expect((await t.call(t.tokens.manager1, 'GET', `/api/crm/recalls/${done}`)).body.state).toBe('finished');
  });

  it('HQ roles holding recall.manage stop recalls launched by others, audited with whose it was; a store manager not HQ’s', async () => {
    const byManager = await launch('manager1', await members(3, 'S1', 'g'));
    const byMarketer = await launch('marketer', await members(3, 'S2', 'h'));
    const byHq = await launch('hq', await members(3, 'S1', 'i'));
    // A store manager cannot stop HQ's recall (it spans every store), even when it reaches their store's members.
    expect((await t.call(t.tokens.manager1, 'POST', `/api/crm/recalls/${byHq}/stop`)).status).toBe(404);
    const m = await t.call(t.tokens.marketer, 'POST', `/api/crm/recalls/${byManager}/stop`);
    expect(m.status).toBe(200);
    expect(m.body).toMatchObject({ alreadyStopped: false, recall: { state: 'stopped', stoppedBy: { name: expect.any(String) } } });
    const h = await t.call(t.tokens.hq, 'POST', `/api/crm/recalls/${byMarketer}/stop`);
    expect(h.status).toBe(200);
    const [rows] = await t.env.services.sql.query<any[]>("SELECT actor_id, target_id, detail FROM audit_logs WHERE action = 'recall.stop' AND target_id IN (?) ORDER BY id", [[`recall:${byManager}`, `recall:${byMarketer}`]]);
    const detail = (r: any) => (typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail);
    expect(rows.map((r) => [r.actor_id, detail(r).launchedBy, detail(r).byLauncher])).toEqual([
      [t.fx.staff.marketer.wecomUserId, t.fx.staff.manager1.wecomUserId, false],
      [t.fx.staff.hq.wecomUserId, t.fx.staff.marketer.wecomUserId, false],
    ]);
  });
});
