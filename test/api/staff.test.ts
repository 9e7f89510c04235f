import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/api/tokens.ts';
import { NOW } from '../support/crm/fixture.ts';
import { createApiTestEnv, type ApiTestEnv } from './support.ts';

/**
 * The staff directory through the admin API (src/crm/kernel/staff-admin.ts): add, change, and
 * deactivate — which must stop the person's API token and chat at once — with the guards that keep
 * the chain from locking itself out, every change audited.
 */
describe('admin API: staff directory', () => {
  let t: ApiTestEnv;
  let admin = '';
  let adminId = 0;
  beforeAll(async () => {
    t = await createApiTestEnv('api_staff', {}, { now: () => NOW });
    adminId = (await t.env.services.db.staff.create({ data: { wecomUserId: 'admin_01', name: '管理员', role: 'admin' } })).id;
    admin = (await createApiToken(t.env.services, { staff: 'admin_01', name: 'staff-admin' })).token;
  });
  afterAll(async () => t?.cleanup());

  const storeId = () => t.fx.stores.S1;

  it('only an administrator may read or change the directory (403 for every other role, nothing written)', async () => {
    const before = await t.env.services.db.staff.count();
    for (const role of ['hq', 'marketer', 'manager1', 'agent'] as const) {
      for (const [method, path, body] of [['GET', '/api/crm/staff'], ['POST', '/api/crm/staff', { wecomUserId: 'x1', name: 'x', role: 'agent' }], ['PATCH', `/api/crm/staff/${adminId}`, { active: false }]] as const) {
        const r = await t.call(t.tokens[role], method, path, body);
        expect([role, method, r.status, r.body.error?.code]).toEqual([role, method, 403, 'permission_denied']);
      }
    }
    expect(await t.env.services.db.staff.count()).toBe(before);
  });

  it('adds a staff member with stores; a second add of the same userid is 409 with the existing id; bad fields are named', async () => {
    const r = await t.call(admin, 'POST', '/api/crm/staff', { wecomUserId: 'store_manager_09', name: '周敏', role: 'store_manager', storeIds: [storeId()] });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ wecomUserId: 'store_manager_09', name: '周敏', role: 'store_manager', storeIds: [storeId()], active: true });
    const again = await t.call(admin, 'POST', '/api/crm/staff', { wecomUserId: 'store_manager_09', name: '别人', role: 'agent' });
    expect([again.status, again.body.error.code, again.body.error.existingId]).toEqual([409, 'staff_exists', r.body.id]);
    const unknownStore = await t.call(admin, 'POST', '/api/crm/staff', { wecomUserId: 'agent_99', name: '新人', role: 'agent', storeIds: [999_999] });
    expect([unknownStore.status, unknownStore.body.error.code]).toEqual([400, 'invalid_staff']);
    expect(JSON.stringify(unknownStore.body.error)).toContain('storeIds');
    const badRole = await t.call(admin, 'POST', '/api/crm/staff', { wecomUserId: 'agent_98', name: '新人', role: 'boss' });
    expect(badRole.status).toBeGreaterThanOrEqual(400);
    expect(badRole.status).toBeLessThan(500);
    expect(await t.env.services.db.staff.count({ where: { wecomUserId: { in: ['agent_99', 'agent_98'] } } })).toBe(0);
    const audits = await t.auditRows("action = 'staff.create'");
    expect(audits.map((a) => [a.actor_id, a.target_id])).toEqual([['admin_01', String(r.body.id)]]);
  });

  it('deactivation stops their API token and their chat at once; reactivation lets them back; both audited', async () => {
    const agentId = t.fx.staff.agent.staffId;
    expect((await t.call(t.tokens.agent, 'GET', `/api/crm/customers/${t.fx.memberIds.M00000001}`)).status).toBe(200);
    const off = await t.call(admin, 'PATCH', `/api/crm/staff/${agentId}`, { active: false });
    expect([off.status, off.body.active]).toEqual([200, false]);
    const refused = await t.call(t.tokens.agent, 'GET', `/api/crm/customers/${t.fx.memberIds.M00000001}`);
    expect([refused.status, refused.body.error.code]).toEqual([401, 'unauthorized']);
    // The bot no longer knows them as staff either.
    const chat = await t.rt.handle({ channel: 'wecom', messageId: 'staff-off-1', from: 'agent_01', text: '查一下 13800000001', receivedAt: NOW, requestId: 'staff-off-1' });
    expect(chat.kind === 'answer' ? chat.answer.text : '').not.toContain('M00000001');
    const on = await t.call(admin, 'PATCH', `/api/crm/staff/${agentId}`, { active: true });
    expect([on.status, on.body.active]).toEqual([200, true]);
    expect((await t.call(t.tokens.agent, 'GET', `/api/crm/customers/${t.fx.memberIds.M00000001}`)).status).toBe(200);
    expect((await t.auditRows("action IN ('staff.deactivate', 'staff.reactivate')")).map((a) => a.action)).toEqual(['staff.deactivate', 'staff.reactivate']);
  });

  it('changes role and stores in one go (the store list is replaced), and lists by store and state', async () => {
    const managerId = t.fx.staff.manager2.staffId;
    const r = await t.call(admin, 'PATCH', `/api/crm/staff/${managerId}`, { role: 'agent', storeIds: [storeId()] });
    expect(r.body).toMatchObject({ role: 'agent', storeIds: [storeId()] });
    const inStore = await t.call(admin, 'GET', `/api/crm/staff?storeId=${storeId()}`);
    expect(inStore.body.items.map((s: any) => s.wecomUserId)).toContain('store_manager_02');
    const detail = (await t.auditRows("action = 'staff.update'")).at(-1);
    const d = typeof detail.detail === 'string' ? JSON.parse(detail.detail) : detail.detail;
    expect(d.old.role).toBe('store_manager');
    expect(d.new).toMatchObject({ role: 'agent', storeIds: [storeId()] });
  });

  it('an administrator cannot deactivate or demote themselves, nor leave the chain without an active administrator', async () => {
    const self = await t.call(admin, 'PATCH', `/api/crm/staff/${adminId}`, { active: false });
    expect([self.status, self.body.error.code]).toEqual([409, 'staff_self_change']);
    // A second administrator may deactivate the first — but not the last one left.
    const second = await t.call(admin, 'POST', '/api/crm/staff', { wecomUserId: 'admin_02', name: '副管理员', role: 'admin' });
    const secondToken = (await createApiToken(t.env.services, { staff: 'admin_02', name: 'second' })).token;
    expect((await t.call(secondToken, 'PATCH', `/api/crm/staff/${adminId}`, { active: false })).status).toBe(200);
    const demoteSelf = await t.call(secondToken, 'PATCH', `/api/crm/staff/${second.body.id}`, { role: 'hq_operator' });
    expect([demoteSelf.status, demoteSelf.body.error.code]).toEqual([409, 'staff_self_change']);
    expect(await t.env.services.db.staff.count({ where: { role: 'admin', active: true } })).toBe(1);
    const missing = await t.call(secondToken, 'PATCH', '/api/crm/staff/999999', { name: 'x' });
    expect([missing.status, missing.body.error.code]).toEqual([404, 'staff_not_found']);
    const empty = await t.call(secondToken, 'PATCH', `/api/crm/staff/${adminId}`, {});
    expect(empty.status).toBeGreaterThanOrEqual(400);
    expect(empty.status).toBeLessThan(500);
  });
});
