import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJourneyWorker } from '../../src/jobs/journey-worker.ts';
import { startFakeTextProvider, type FakeTextProvider } from '../fakes/text-provider.ts';
import { createApiTestEnv, type ApiTestEnv } from './support.ts';

/** /api/crm/journeys and /api/crm/automation-logs over the real app, database and queue. */
let t: ApiTestEnv;
let sms: FakeTextProvider;
let worker: ReturnType<typeof startJourneyWorker>;

const definition = {
  trigger: { type: 'product_browsed', productId: 'SKU-1' },
  steps: [
    { id: 'coupon', type: 'action', action: { kind: 'coupon', title: '看过就送', amount: 5, validDays: 7 } },
    { id: 'msg', type: 'action', action: { kind: 'message', text: '{name}，您看过的商品有{amount}元券', channels: ['sms'], marketing: false } },
    { id: 'done', type: 'exit' },
  ],
};

beforeAll(async () => {
  sms = await startFakeTextProvider();
  t = await createApiTestEnv('api_journeys', { SMS_PROVIDER_URL: sms.url, JOURNEY_QUIET_HOURS: 'off' });
  worker = startJourneyWorker(t.env.services);
});
afterAll(async () => {
  await worker?.close();
  await t?.cleanup();
  await sms?.close();
});

async function completed(journeyId: number, n: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const [r] = await t.env.services.sql.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM journey_enrollments WHERE journey_id = ? AND state = 'completed'", [journeyId]);
    if (Number(r[0]!.n) >= n) return;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('journey did not complete');
}

describe('journeys admin API', () => {
  it('validates definitions, naming the bad path', async () => {
    const bad = await t.call(t.tokens.marketer, 'POST', '/api/crm/journeys/validate', { definition: { trigger: { type: 'manual' }, steps: [{ id: 'a', type: 'condition', if: { orderedSinceEntry: true }, then: 'a', else: 'b' }] } });
    expect(bad.status).toBe(200);
    expect(bad.body.valid).toBe(false);
    expect(bad.body.error.message).toMatch(/does not exist|cycle/);
    const split = await t.call(t.tokens.marketer, 'POST', '/api/crm/journeys/validate', {
      definition: { trigger: { type: 'manual' }, steps: [{ id: 's', type: 'split', branches: [{ name: 'A', percent: 60, next: 'e' }, { name: 'B', percent: 30, next: 'e' }] }, { id: 'e', type: 'exit' }] },
    });
    expect(split.body).toMatchObject({ valid: false, error: { path: 'steps[0].branches' } });
    expect((await t.call(t.tokens.marketer, 'POST', '/api/crm/journeys/validate', { definition })).body).toEqual({ valid: true, steps: 3, trigger: 'product_browsed' });
    const created = await t.call(t.tokens.marketer, 'POST', '/api/crm/journeys', { name: 'x', definition: { trigger: { type: 'nope' }, steps: [] } });
    expect(created.status).toBe(400);
    expect(created.body.error.code).toBe('invalid_journey');
  });

  it('creates, tests on one member, activates, runs on events, versions and reports stats and logs', async () => {
    const c = await t.call(t.tokens.marketer, 'POST', '/api/crm/journeys', { name: '浏览未购', definition });
    expect(c.status).toBe(201);
    expect(c.body).toMatchObject({ status: 'draft', currentVersion: 1, triggerType: 'product_browsed' });
    const id = c.body.id as number;
    const member = t.fx.memberIds.M00000001!;

    // A draft journey does not react to events, but can be tested on one member.
    const ev = { type: 'product_browsed', memberId: member, occurrence: 'view-1', data: { productId: 'SKU-1' } };
    expect((await t.call(t.tokens.marketer, 'POST', '/api/crm/journeys/events', ev)).body).toEqual({ enrolled: 0 });
    const test = await t.call(t.tokens.marketer, 'POST', `/api/crm/journeys/${id}/test`, { memberId: member });
    expect(test.status).toBe(200);
    await completed(id, 1);
    expect(sms.delivered).toHaveLength(1);

    expect((await t.call(t.tokens.marketer, 'POST', `/api/crm/journeys/${id}/activate`)).body.status).toBe('active');
    expect((await t.call(t.tokens.marketer, 'POST', '/api/crm/journeys/events', ev)).body).toEqual({ enrolled: 1 });
    expect((await t.call(t.tokens.marketer, 'POST', '/api/crm/journeys/events', ev)).body).toEqual({ enrolled: 0 }); // duplicate event
    expect((await t.call(t.tokens.marketer, 'POST', '/api/crm/journeys/events', { ...ev, occurrence: 'view-2', data: { productId: 'SKU-9' } })).body).toEqual({ enrolled: 0 }); // another product
    await completed(id, 2);

    const stats = await t.call(t.tokens.manager1, 'GET', `/api/crm/journeys/${id}/stats`);
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({ entered: 2, inProgress: 0, completed: 2, converted: 0 });
    expect(stats.body.steps).toEqual([
      { stepId: 'coupon', results: { sent: 2 } },
      { stepId: 'msg', results: { sent: 2 } },
      { stepId: 'done', results: { done: 2 } },
    ]);
    const logs = await t.call(t.tokens.marketer, 'GET', `/api/crm/automation-logs?journeyId=${id}&result=sent&pageSize=10`);
    expect(logs.body.total).toBe(4);
    expect(logs.body.items[0]).toMatchObject({ journeyId: id, memberId: member, result: 'sent' });
    expect(logs.body.items.filter((i: { channel: string }) => i.channel === 'sms')).toHaveLength(2);
    // The quota ledger's decision on each message (docs/journeys.md, "Quota ledger"); other steps have none.
    expect(logs.body.items.filter((i: { channel: string }) => i.channel === 'sms').map((i: { quotaDecision: string; quotaReason: string }) => [i.quotaDecision, i.quotaReason])).toEqual([
      ['sent', 'ok'],
      ['sent', 'ok'],
    ]);
    const byDecision = await t.call(t.tokens.marketer, 'GET', `/api/crm/automation-logs?journeyId=${id}&quotaDecision=sent&pageSize=10`);
    expect(byDecision.body.total).toBe(2);

    const v2 = await t.call(t.tokens.marketer, 'PATCH', `/api/crm/journeys/${id}`, { definition: { ...definition, trigger: { type: 'product_browsed' } } });
    expect(v2.body).toMatchObject({ currentVersion: 2, definition: { trigger: { type: 'product_browsed' } } });
    expect((await t.call(t.tokens.marketer, 'DELETE', `/api/crm/journeys/${id}`)).status).toBe(409); // active
    expect((await t.call(t.tokens.marketer, 'POST', `/api/crm/journeys/${id}/pause`)).body.status).toBe('paused');
  });

  it('installs the shipped templates once; roles without journey.write are refused', async () => {
    const first = await t.call(t.tokens.hq, 'POST', '/api/crm/journeys/templates/install');
    expect(first.body.items.map((j: { templateKey: string }) => j.templateKey)).toEqual(['welcome_coupon', 'birthday', 'post_purchase_survey', 'points_expiry', 'winback_high_churn']);
    expect((await t.call(t.tokens.hq, 'POST', '/api/crm/journeys/templates/install')).body.items).toEqual([]);
    expect((await t.call(t.tokens.agent, 'POST', '/api/crm/journeys', { name: 'x', definition })).status).toBe(403);
    expect((await t.call(t.tokens.agent, 'GET', '/api/crm/journeys')).status).toBe(403);
    expect((await t.call(t.tokens.manager1, 'GET', '/api/crm/journeys')).status).toBe(200);
  });
});
