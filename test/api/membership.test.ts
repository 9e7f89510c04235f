import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW } from '../support/crm/fixture.ts';
import { createApiTestEnv, type ApiTestEnv } from './support.ts';

/** Membership, KOC, profile changes and the service side of the 360 view, through the admin API. */
describe('admin API: membership, KOC, profile, 360 service facts', () => {
  let t: ApiTestEnv;
  let m1: number;
  let m8: number;
  beforeAll(async () => {
    t = await createApiTestEnv('api_membership', {}, { now: () => NOW });
    m1 = t.fx.memberIds.M00000001!;
    m8 = t.fx.memberIds.M00000008!;
  });
  afterAll(async () => t?.cleanup());

  it('lists the configured levels and lets membership.manage roles change one (others 403)', async () => {
    const r = await t.call(t.tokens.agent, 'GET', '/api/crm/membership/levels');
    expect(r.status).toBe(200);
    const [rows] = await t.env.services.sql.query<any[]>('SELECT level, name, min_spend FROM membership_levels ORDER BY level');
    expect(r.body.items.map((l: any) => [l.level, l.name, l.minSpend])).toEqual(rows.map((x: any) => [x.level, x.name, String(x.min_spend)]));

    const put = await t.call(t.tokens.hq, 'PUT', '/api/crm/membership/levels/3', { name: '金卡会员', minSpend: '3000', minOrders: 30, keepMinSpend: 1500, benefits: { discount: 0.94 } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ level: 3, name: '金卡会员', minSpend: '3000.00', keepMinSpend: '1500.00', benefits: { discount: 0.94 } });
    const [[row]] = (await t.env.services.sql.query('SELECT min_spend FROM membership_levels WHERE level = 3')) as any;
    expect(String(row.min_spend)).toBe('3000.00');
    expect((await t.call(t.tokens.manager1, 'PUT', '/api/crm/membership/levels/3', { name: 'x' })).status).toBe(403);
    expect((await t.call(t.tokens.hq, 'PUT', '/api/crm/membership/levels/0', { name: 'x' })).status).toBe(400);
    expect((await t.call(t.tokens.hq, 'PUT', '/api/crm/membership/levels/3', { name: '金卡会员', minSpend: '-1' })).status).toBe(422);
    expect((await t.call(t.tokens.hq, 'PUT', '/api/crm/membership/levels/4', { name: '金卡会员' })).status).toBe(400); // name taken by L3
  });

  it('enrols and sets levels by hand with history; scope and permission enforced', async () => {
    const enrol = await t.call(t.tokens.hq, 'POST', `/api/crm/customers/${m1}/membership/enroll`, { level: 3, source: 'purchase', reason: '购买金卡' });
    expect(enrol.status).toBe(200);
    expect(enrol.body).toEqual({ from: 2, to: 3 });
    const set = await t.call(t.tokens.hq, 'PUT', `/api/crm/customers/${m1}/membership/level`, { level: 4, reason: '大客户特批' });
    expect(set.body).toEqual({ from: 3, to: 4, changed: true });
    const same = await t.call(t.tokens.hq, 'PUT', `/api/crm/customers/${m1}/membership/level`, { level: 4, reason: '再来一次' });
    expect(same.body.changed).toBe(false);
    const status = await t.call(t.tokens.manager1, 'GET', `/api/crm/customers/${m1}/membership`);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ memberId: m1, level: 4, levelName: '铂金会员', next: { level: 5 } });
    expect(status.body.history.map((h: any) => [h.fromLevel, h.toLevel, h.kind])).toEqual([
      [3, 4, 'upgrade'],
      [2, 3, 'enrol'],
    ]);
    const history = await t.call(t.tokens.manager1, 'GET', `/api/crm/customers/${m1}/membership/history`);
    expect(history.body.items.map((h: any) => h.createdBy)).toEqual(['hq_ops_01', 'hq_ops_01']);
    expect((await t.call(t.tokens.manager1, 'POST', `/api/crm/customers/${m1}/membership/enroll`, { level: 3, source: 'gift' })).status).toBe(403);
    expect((await t.call(t.tokens.manager2, 'GET', `/api/crm/customers/${m1}/membership`)).status).toBe(404);
    expect((await t.call(t.tokens.hq, 'POST', `/api/crm/customers/${m1}/membership/enroll`, { level: 3, source: 'lottery' })).status).toBe(422);
    expect((await t.call(t.tokens.hq, 'POST', `/api/crm/customers/${m1}/membership/enroll`, { level: 9, source: 'gift' })).status).toBe(400);
  });

  it('shows KOC contribution with money from the database, and the leaderboard in scope', async () => {
    const none = await t.call(t.tokens.manager1, 'GET', `/api/crm/customers/${m1}/koc`);
    expect(none.body).toEqual({ isKoc: false, koc: null });
    const { db } = t.env.services;
    await db.kocProfile.create({ data: { memberId: m1, level: 2, referralCode: 'K00000001', joinedAt: NOW } });
    await db.kocReferral.createMany({
      data: [
        { kocMemberId: m1, commission: '10.10', redeemedAt: NOW, createdAt: NOW },
        { kocMemberId: m1, commission: '0.20', redeemedAt: NOW, createdAt: NOW },
        { kocMemberId: m1, commission: '0', createdAt: NOW },
      ],
    });
    await db.kocProfile.create({ data: { memberId: m8, level: 1, referralCode: 'K00000008', joinedAt: NOW } });
    const koc = await t.call(t.tokens.manager1, 'GET', `/api/crm/customers/${m1}/koc`);
    expect(koc.body).toMatchObject({ isKoc: true, koc: { level: 2, referrals: 3, redemptions: 2, earnings: '10.30', referralCode: 'K00000001' } });
    const board = await t.call(t.tokens.manager1, 'GET', '/api/crm/koc/leaderboard');
    expect(board.body.items.map((k: any) => k.memberId)).toEqual([m1]); // m8 is in the other store
    expect((await t.call(t.tokens.hq, 'GET', '/api/crm/koc/leaderboard')).body.items.map((k: any) => k.memberId)).toEqual([m1, m8]);
  });

  it('changes profile fields with history (phones masked for roles without phone access)', async () => {
    const r = await t.call(t.tokens.manager1, 'PATCH', `/api/crm/customers/${m1}`, { phone: '139 0000 0001', birthday: '1991-02-03' });
    expect(r.status).toBe(200);
    expect(r.body.changed.map((c: any) => c.field).sort()).toEqual(['birthday', 'phone']);
    const history = await t.call(t.tokens.agent, 'GET', `/api/crm/customers/${m1}/history`);
    const phone = history.body.items.find((h: any) => h.field === 'phone');
    expect(phone).toMatchObject({ oldValue: '138****0001', newValue: '139****0001', changedBy: 'store_manager_01', channel: 'api' });
    const full = await t.call(t.tokens.manager1, 'GET', `/api/crm/customers/${m1}/history`);
    expect(full.body.items.find((h: any) => h.field === 'phone')).toMatchObject({ oldValue: '13800000001', newValue: '13900000001' });
    expect((await t.call(t.tokens.manager1, 'PATCH', `/api/crm/customers/${m1}`, { phone: '13800000004' })).status).toBe(409);
    expect((await t.call(t.tokens.manager1, 'PATCH', `/api/crm/customers/${m1}`, { homeStoreId: t.fx.stores.S2 })).status).toBe(403);
    expect((await t.call(t.tokens.manager1, 'PATCH', `/api/crm/customers/${m1}`, {})).status).toBe(422);
    // An e-mail is a profile field now; a malformed one is the domain's 400 naming it.
    expect((await t.call(t.tokens.manager1, 'PATCH', `/api/crm/customers/${m1}`, { email: 'x@y' })).body.error).toMatchObject({ code: 'invalid_email', issues: [{ path: ['email'] }] });
    expect((await t.call(t.tokens.agent, 'PATCH', `/api/crm/customers/${m1}`, { gender: 'male' })).status).toBe(403);
    expect((await t.call(t.tokens.manager1, 'PATCH', `/api/crm/customers/${m8}`, { gender: 'male' })).status).toBe(404);
  });

  it('the 360 view carries level name, open tickets, complaints, interactions, follow-ups and KOC', async () => {
    await t.call(t.tokens.agent, 'POST', '/api/crm/interactions', { memberId: m1, type: 'complaint', channel: 'call', content: '上菜慢', followUpAt: new Date(NOW.getTime() - 60_000).toISOString() });
    const r = await t.call(t.tokens.agent, 'GET', `/api/crm/customers/${m1}`);
    expect(r.status).toBe(200);
    expect(r.body.membership).toEqual({ level: 4, levelName: '铂金会员' });
    expect(r.body.service.openTickets).toHaveLength(1);
    expect(r.body.service.openTickets[0]).toMatchObject({ type: 'complaint', status: 'open', overdue: false });
    expect(r.body.service.recentComplaints[0]).toMatchObject({ content: '上菜慢', ticketNo: r.body.service.openTickets[0].ticketNo });
    expect(r.body.service.recentInteractions[0]).toMatchObject({ type: 'complaint', channel: 'call' });
    expect(r.body.service.pendingFollowUps).toBe(1);
    expect(r.body.koc).toEqual({ level: 2, referrals: 3, redemptions: 2, earnings: '10.30' });
    expect(r.body.profile.phone).toBe('139****0001');
  });
});
