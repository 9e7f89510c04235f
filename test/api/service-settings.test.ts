import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiTestEnv, type ApiTestEnv } from './support.ts';

/** SLA policy, business hours and auto-assignment through the admin API, on the real database. */
describe('admin API: service settings', () => {
  let t: ApiTestEnv;
  let clock = new Date('2026-12-02T13:50:00Z'); // 21:50 China time, a Wednesday
  const split = [{ start: '10:00', end: '14:00' }, { start: '17:00', end: '22:00' }];
  const week = (shifts: unknown[]) => ({ mon: shifts, tue: shifts, wed: shifts, thu: shifts, fri: shifts, sat: shifts, sun: shifts });
  beforeAll(async () => {
    t = await createApiTestEnv('api_service_settings', {}, { now: () => clock });
  });
  afterAll(async () => t?.cleanup());

  it('reads and replaces the SLA policy; a ticket opened at 21:50 is due at 10:20 on the split shifts', async () => {
    const first = await t.call(t.tokens.hq, 'GET', '/api/crm/service/sla-policy');
    expect(first.status).toBe(200);
    expect(first.body.urgent).toEqual({ respondMinutes: 30, resolveMinutes: 240 });
    const policy = { ...first.body, urgent: { respondMinutes: 30, resolveMinutes: 120 } };
    const put = await t.call(t.tokens.hq, 'PUT', '/api/crm/service/sla-policy', policy);
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect((await t.call(t.tokens.hq, 'GET', '/api/crm/service/sla-policy')).body).toEqual(policy);

    const hours = await t.call(t.tokens.hq, 'PUT', '/api/crm/service/business-hours', { days: week(split) });
    expect(hours.status, JSON.stringify(hours.body)).toBe(200);
    expect(hours.body).toEqual({ days: week(split), closedDates: [] });

    const ticket = await t.call(t.tokens.agent, 'POST', '/api/crm/tickets', { memberId: t.fx.memberIds.M00000001, type: 'repair', priority: 'urgent', title: '冰柜不制冷' });
    expect(ticket.status).toBe(201);
    expect(ticket.body.responseDueAt).toBe('2026-12-03T02:20:00.000Z'); // 10:20 China time
    expect(ticket.body.resolveDueAt).toBe('2026-12-03T03:50:00.000Z'); // 10 min Wednesday + 110 min Thursday = 11:50
    expect(ticket.body).toMatchObject({ assignee: null, assignedBy: null, assignedAt: null });
    const [audit] = await t.auditRows("action = 'service.sla.set'");
    expect(audit).toMatchObject({ actor_id: 'hq_ops_01', target_id: 'service.sla' });
  });

  it('keeps a store’s own hours apart from the chain’s, and returns it to the chain’s on DELETE', async () => {
    const s2 = t.fx.stores.S2;
    const own = { days: { ...week([{ start: '09:00', end: '18:00' }]), sat: [], sun: [] }, closedDates: ['2027-02-06'] };
    const put = await t.call(t.tokens.hq, 'PUT', `/api/crm/service/business-hours/stores/${s2}`, own);
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toMatchObject({ storeId: s2, storeCode: 'S2', hours: own, effective: own });
    const list = await t.call(t.tokens.hq, 'GET', '/api/crm/service/business-hours');
    expect(list.body.chain.days.mon).toEqual(split);
    expect(list.body.stores.map((s: { storeCode: string; hours: unknown }) => [s.storeCode, s.hours !== null])).toEqual([['S1', false], ['S2', true]]);
    const one = await t.call(t.tokens.hq, 'GET', `/api/crm/service/business-hours/stores/${t.fx.stores.S1}`);
    expect(one.body).toMatchObject({ hours: null, effective: { days: week(split) } });
    const back = await t.call(t.tokens.hq, 'DELETE', `/api/crm/service/business-hours/stores/${s2}`);
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ hours: null, effective: { days: week(split) } });
  });

  it('answers a clear 4xx for bad shapes, naming the field: overlap, end before start, bad time, unknown store, unknown staff', async () => {
    const overlap = await t.call(t.tokens.hq, 'PUT', '/api/crm/service/business-hours', { days: { ...week(split), fri: [{ start: '10:00', end: '14:00' }, { start: '13:30', end: '22:00' }] } });
    expect(overlap.status).toBe(422);
    expect(overlap.body.error.code).toBe('validation_failed');
    expect(overlap.body.error.issues).toEqual([expect.objectContaining({ path: ['days', 'fri', 1, 'start'], message: expect.stringContaining('overlaps') })]);

    const backwards = await t.call(t.tokens.hq, 'PUT', '/api/crm/service/business-hours', { days: { ...week(split), sat: [{ start: '22:00', end: '10:00' }] } });
    expect(backwards.status).toBe(422);
    expect(backwards.body.error.issues[0].path).toEqual(['days', 'sat', 0, 'end']);

    const badTime = await t.call(t.tokens.hq, 'PUT', '/api/crm/service/business-hours', { days: { ...week(split), mon: [{ start: '25:00', end: '26:00' }] } });
    expect(badTime.status).toBe(422);
    expect(badTime.body.error.issues.map((i: { path: unknown[] }) => i.path.join('.'))).toContain('days.mon.0.start');

    const closedAllWeek = await t.call(t.tokens.hq, 'PUT', '/api/crm/service/business-hours', { days: week([]) });
    expect(closedAllWeek.status).toBe(422);

    const unknownStore = await t.call(t.tokens.hq, 'PUT', '/api/crm/service/business-hours/stores/999999', { days: week(split) });
    expect(unknownStore.status).toBe(404);
    expect(unknownStore.body.error.code).toBe('unknown_store');
    expect((await t.call(t.tokens.hq, 'GET', '/api/crm/service/business-hours/stores/999999')).status).toBe(404);

    const sla = await t.call(t.tokens.hq, 'PUT', '/api/crm/service/sla-policy', { urgent: { respondMinutes: 60, resolveMinutes: 30 }, high: { respondMinutes: 60, resolveMinutes: 60 }, normal: { respondMinutes: 0, resolveMinutes: 60 } });
    expect(sla.status).toBe(422);
    const paths = sla.body.error.issues.map((i: { path: unknown[] }) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['urgent.resolveMinutes', 'normal.respondMinutes', 'low']));

    const staff = await t.call(t.tokens.hq, 'PUT', '/api/crm/service/assignment', { enabled: true, serviceGroup: [t.fx.staff.marketer.staffId] });
    expect(staff.status).toBe(400);
    expect(staff.body.error).toMatchObject({ code: 'invalid_assignment_config', issues: [expect.objectContaining({ path: ['serviceGroup', 0] })] });

    // The chain's hours are still those set above.
    expect((await t.call(t.tokens.hq, 'GET', '/api/crm/service/business-hours')).body.chain.days.fri).toEqual(split);
  });

  it('turns auto-assignment on: a new ticket shows who got it and that it was automatic', async () => {
    const before = await t.call(t.tokens.hq, 'GET', '/api/crm/service/assignment');
    expect(before.body).toEqual({ enabled: false, roles: ['agent', 'store_manager'], priorities: {}, serviceGroup: [] });
    const put = await t.call(t.tokens.hq, 'PUT', '/api/crm/service/assignment', { enabled: true, roles: ['agent'], priorities: { urgent: { roles: ['store_manager'] } } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toEqual({ enabled: true, roles: ['agent'], priorities: { urgent: { roles: ['store_manager'] } }, serviceGroup: [] });

    clock = new Date('2026-12-03T03:00:00Z');
    const normal = await t.call(t.tokens.manager1, 'POST', '/api/crm/tickets', { memberId: t.fx.memberIds.M00000003, type: 'consultation', title: '开发票' });
    expect(normal.body).toMatchObject({ assignee: { wecomUserId: 'agent_01' }, assignedBy: 'auto', assignedAt: '2026-12-03T03:00:00.000Z' });
    const urgent = await t.call(t.tokens.manager1, 'POST', '/api/crm/tickets', { memberId: t.fx.memberIds.M00000003, type: 'repair', priority: 'urgent', title: '漏水' });
    expect(urgent.body.assignee).toMatchObject({ wecomUserId: 'store_manager_01' });
    // Reassigned by hand: the ticket says who did it.
    const manual = await t.call(t.tokens.manager1, 'POST', `/api/crm/tickets/${urgent.body.id}/assign`, { assigneeId: t.fx.staff.agent.staffId });
    expect(manual.body).toMatchObject({ assignee: { wecomUserId: 'agent_01' }, assignedBy: 'store_manager_01' });
  });

  it('is for service.configure only (admin, HQ operators)', async () => {
    for (const who of ['agent', 'manager1', 'marketer'] as const) {
      expect((await t.call(t.tokens[who], 'GET', '/api/crm/service/assignment')).status).toBe(403);
      expect((await t.call(t.tokens[who], 'PUT', '/api/crm/service/sla-policy', {})).status).toBe(403);
    }
  });
});
