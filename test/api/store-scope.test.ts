import type { ResultSetHeader } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiTestEnv, type ApiTestEnv } from './support.ts';

/**
 * Lists of journeys and of the automation log are filtered by the caller's stores (docs/api.md):
 * a store role sees its stores' journeys and HQ's (store_id NULL) read-only, and only log rows
 * of members of its stores; HQ roles see everything.
 */
let t: ApiTestEnv;
const ids = { hqJourney: 0, s1Journey: 0, s2Journey: 0 };
let m1 = 0;
let m2 = 0;

async function journey(name: string, storeId: number | null): Promise<number> {
  const [r] = await t.env.services.sql.query<ResultSetHeader>(
    "INSERT INTO journeys (name, status, current_version, trigger_type, store_id, created_by, created_at, updated_at) VALUES (?, 'active', 1, 'manual', ?, 'test', NOW(3), NOW(3))",
    [name, storeId],
  );
  return r.insertId;
}
async function logRow(journeyId: number, memberId: number): Promise<void> {
  const [e] = await t.env.services.sql.query<ResultSetHeader>(
    "INSERT INTO journey_enrollments (journey_id, version, member_id, dedupe_key, state, entered_at, updated_at) VALUES (?, 1, ?, ?, 'completed', NOW(3), NOW(3))",
    [journeyId, memberId, `scope:${journeyId}:${memberId}`],
  );
  await t.env.services.sql.query(
    "INSERT INTO journey_step_executions (member_id, journey_id, enrollment_id, step_id, step_type, result, created_at) VALUES (?, ?, ?, 'msg', 'action', 'sent', NOW(3))",
    [memberId, journeyId, e.insertId],
  );
}

beforeAll(async () => {
  t = await createApiTestEnv('api_store_scope');
  m1 = t.fx.memberIds.M00000001!;
  m2 = t.fx.memberIds.M00000002!;
  ids.hqJourney = await journey('总部召回', null);
  ids.s1Journey = await journey('一店召回', t.fx.stores.S1);
  ids.s2Journey = await journey('二店召回', t.fx.stores.S2);
  // HQ's journey reached members of both stores; each store journey only its own.
  await logRow(ids.hqJourney, m1);
  await logRow(ids.hqJourney, m2);
  await logRow(ids.s1Journey, m1);
  await logRow(ids.s2Journey, m2);
});
afterAll(async () => {
  await t?.cleanup();
});

const journeyIds = (b: any) => b.items.map((j: any) => j.id).sort((a: number, b: number) => a - b);
const logKeys = (b: any) => b.items.map((l: any) => `${l.journeyId}:${l.memberId}`).sort();

describe('store scope of journey and automation-log lists', () => {
  it('a store manager sees its own store journeys and HQ journeys, never another store’s', async () => {
    const r = await t.call(t.tokens.manager1, 'GET', '/api/crm/journeys');
    expect(r.status).toBe(200);
    expect(journeyIds(r.body)).toEqual([ids.hqJourney, ids.s1Journey]);
    const r2 = await t.call(t.tokens.manager2, 'GET', '/api/crm/journeys');
    expect(journeyIds(r2.body)).toEqual([ids.hqJourney, ids.s2Journey]);
  });

  it('a store manager reads only log rows of its stores’ members, also of HQ journeys', async () => {
    const r = await t.call(t.tokens.manager1, 'GET', '/api/crm/automation-logs?pageSize=100');
    expect(r.status).toBe(200);
    expect(logKeys(r.body)).toEqual([`${ids.hqJourney}:${m1}`, `${ids.s1Journey}:${m1}`].sort());
    expect(r.body.total).toBe(2);
    // Asking for the other store's journey or member by id returns nothing, not its rows.
    const other = await t.call(t.tokens.manager1, 'GET', `/api/crm/automation-logs?journeyId=${ids.s2Journey}`);
    expect(other.body).toMatchObject({ total: 0, items: [] });
    const otherMember = await t.call(t.tokens.manager1, 'GET', `/api/crm/automation-logs?memberId=${m2}`);
    expect(otherMember.body).toMatchObject({ total: 0, items: [] });
  });

  it('a store manager cannot open another store’s journey or its stats (404)', async () => {
    expect((await t.call(t.tokens.manager1, 'GET', `/api/crm/journeys/${ids.s2Journey}`)).status).toBe(404);
    expect((await t.call(t.tokens.manager1, 'GET', `/api/crm/journeys/${ids.s2Journey}/stats`)).status).toBe(404);
    expect((await t.call(t.tokens.manager1, 'GET', `/api/crm/journeys/${ids.hqJourney}`)).status).toBe(200);
  });

  it('HQ roles see every journey and every log row', async () => {
    for (const tok of [t.tokens.hq, t.tokens.marketer]) {
      expect(journeyIds((await t.call(tok, 'GET', '/api/crm/journeys')).body)).toEqual([ids.hqJourney, ids.s1Journey, ids.s2Journey]);
      expect((await t.call(tok, 'GET', '/api/crm/automation-logs?pageSize=100')).body.total).toBe(4);
    }
  });
});
