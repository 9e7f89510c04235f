import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/api/tokens.ts';
import { childEnv, runTsx, stopChildren } from '../support/child.ts';
import { startContactsRig, type ContactsRig } from './contacts-rig.ts';

/** The admin API of customer contacts: QR codes, attribution, unbound customers, corp tags, the 360 view's WeCom part. */
let r: ContactsRig;
let hq: string;
let agent: string;
const call = async (token: string, method: string, path: string, body?: unknown) => {
  const res = await r.rt.app.request(`/api/crm${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, body: (await res.json()) as any };
};

beforeAll(async () => {
  r = await startContactsRig('contacts-api');
  hq = (await createApiToken(r.services, { staff: 'hq_ops_01', name: 'hq' })).token;
  agent = (await createApiToken(r.services, { staff: 'agent_01', name: 'agent' })).token;
}, 120_000);
afterAll(async () => {
  await stopChildren();
  await r?.close();
});

describe('/api/crm/wecom', () => {
  it('makes a store/staff QR code, attributes the customers who scan it, counts them and shows it in the 360 view', async () => {
    const way = await call(hq, 'POST', '/wecom/contact-ways', { store: 1, staffUserId: 'agent_01' });
    expect(way.status).toBe(201);
    expect(way.body.qrCode).toMatch(/^https:\/\//);
    const id = await r.memberId('M00000006');
    await r.services.sql.query('UPDATE members SET unionid = ? WHERE id = ?', ['oUNION-6', id]);
    r.wc.addCustomer({ external_userid: 'wmApi', name: 'API', unionid: 'oUNION-6', follow: [{ userid: 'agent_01', state: way.body.state }] });
    await r.contactEvent('add_external_contact', 'agent_01', 'wmApi', { State: way.body.state });
    const counts = await call(hq, 'GET', '/wecom/attribution');
    expect(counts.body.items).toEqual([{ storeId: 1, storeName: expect.any(String), staffUserId: 'agent_01', staffName: '黄丽', customers: 1, active: 1 }]);
    const view = await call(hq, 'GET', `/customers/${id}`);
    expect(view.status).toBe(200);
    expect(view.body.wecom).toMatchObject({ externalUserId: 'wmApi', relationships: [{ staffUserId: 'agent_01', state: way.body.state, storeId: 1, attributedStaff: '黄丽' }] });
  });

  it("the 360 view's WeCom part: null for a member with no WeCom customer, no relationships for one whose customer has no follows", async () => {
    const id = await r.memberId('M00000007');
    expect((await call(hq, 'GET', `/customers/${id}`)).body.wecom).toBeNull();
    await r.services.sql.query("INSERT INTO wecom_customers (external_userid, name, member_id, bound_by, bound_at) VALUES ('wmBare', '无跟进', ?, 'manual', NOW(3))", [id]);
    const view = await call(hq, 'GET', `/customers/${id}`);
    expect(view.status).toBe(200);
    expect(view.body.wecom).toEqual({ externalUserId: 'wmBare', relationships: [] });
  });

  it('lists unbound customers; an agent may not manage contacts', async () => {
    r.wc.addCustomer({ external_userid: 'wmLost', name: '未绑定', follow: [{ userid: 'agent_01' }] });
    await r.contactEvent('add_external_contact', 'agent_01', 'wmLost');
    const list = await call(hq, 'GET', '/wecom/contacts?bound=false');
    expect(list.body.items.map((c: { externalUserId: string }) => c.externalUserId)).toEqual(['wmLost']);
    expect((await call(agent, 'GET', '/wecom/contacts')).status).toBe(403);
    expect((await call(agent, 'POST', '/wecom/contact-ways', { store: 1, staffUserId: 'agent_01' })).status).toBe(403);
  });

  it('corp tags: sync, create (owned), rename ours, refuse others’ with 409', async () => {
    const theirs = r.wc.consoleTag('渠道', '大众点评');
    expect((await call(hq, 'POST', '/wecom/corp-tags/sync')).body).toEqual({ tags: 1, deleted: 0 });
    const made = await call(hq, 'POST', '/wecom/corp-tags', { group: '会员权益', names: ['储值客户'] });
    expect(made.status).toBe(201);
    const ours = made.body.tags[0].id as string;
    expect((await call(hq, 'PATCH', `/wecom/corp-tags/${ours}`, { name: '储值老客' })).status).toBe(200);
    const refused = await call(hq, 'PATCH', `/wecom/corp-tags/${theirs}`, { name: '点评' });
    expect(refused.status).toBe(409);
    expect(refused.body.code ?? refused.body.error?.code).toBe('wecom_tag_not_owned');
    const list = await call(hq, 'GET', '/wecom/corp-tags');
    expect(list.body.items.map((t: { name: string; owned: boolean }) => [t.name, t.owned])).toEqual([
      ['储值老客', true],
      ['大众点评', false],
    ]);
    expect((await call(hq, 'DELETE', `/wecom/corp-tags/${ours}`)).body).toEqual({ id: ours, deleted: true });
  });
});

describe('npm run crm:contact-way', () => {
  it('makes a store/staff QR code from the command line', async () => {
    const run = await runTsx(['src/cli/contact-way.ts', '--store', '2', '--staff', 'agent_02', '--as', 'hq_ops_01'], childEnv(r.env.config));
    expect(run.code).toBe(0);
    const way = JSON.parse(run.stdout.trim()) as { state: string; storeId: number; staffUserId: string };
    expect(way).toMatchObject({ storeId: 2, staffUserId: 'agent_02' });
    expect((await r.rows('SELECT store_id, staff_id FROM wecom_contact_ways WHERE state = ?', [way.state]))[0]).toEqual({ store_id: 2, staff_id: 6 });
    expect((await runTsx(['src/cli/contact-way.ts', '--store', '2'], childEnv(r.env.config))).code).toBe(2);
  }, 180_000);
});
