import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW } from '../support/crm/fixture.ts';
import { createApiTestEnv, type ApiTestEnv } from './support.ts';
import { openEmail, openPhone } from '../support/sealed-phone.ts';

/**
 * POST /api/crm/customers and the new profile fields on the real database: 201 with
 * id and memberNo, the 409 naming the holder of a phone, 400 naming a bad phone or e-mail with
 * nothing written, store scope, tags, member_registered, and the PATCH of email, remarks,
 * addresses and status with their history.
 */
describe('admin API: creating customers', () => {
  let t: ApiTestEnv;
  let registeredJourney = 0;
  const members = async () => Number((await t.env.services.sql.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM members'))[0][0]!.n);
  const row = async (id: number) => (await t.env.services.sql.query<RowDataPacket[]>('SELECT * FROM members WHERE id = ?', [id]))[0][0]!;

  beforeAll(async () => {
    t = await createApiTestEnv('api_customer_create', {}, { now: () => NOW });
    const j = await t.call(t.tokens.marketer, 'POST', '/api/crm/journeys', { name: '新会员欢迎', definition: { trigger: { type: 'member_registered' }, steps: [{ id: 'done', type: 'exit' }] } });
    expect(j.status).toBe(201);
    registeredJourney = j.body.id;
    expect((await t.call(t.tokens.marketer, 'POST', `/api/crm/journeys/${registeredJourney}/activate`)).body.status).toBe('active');
  });
  afterAll(async () => t?.cleanup());

  const body = {
    name: '林晓雯',
    phone: '+86 139-0000-1234',
    email: 'Lin.XW@Example.COM',
    gender: 'female',
    birthday: '1992-03-08',
    homeStore: 'S1',
    source: 'pos',
    customerNo: 'POS-000123',
    remarks: '不吃香菜',
    addresses: [{ province: '上海市', city: '上海市', district: '徐汇区', detail: '漕溪北路 88 号' }],
    tags: ['VIP'],
  };

  it('creates a member: 201 with id and memberNo, every field stored, tag applied, member_registered fired, audited', async () => {
    const r = await t.call(t.tokens.manager1, 'POST', '/api/crm/customers', body);
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ id: expect.any(Number), memberNo: 'M00000013' }); // the fixture's last is M00000012
    const m = await row(r.body.id);
    expect({ phone: openPhone(m.phone_enc), email: openEmail(m.email_enc) }).toEqual({ phone: '13900001234', email: 'Lin.XW@example.com' });
    expect(m).toMatchObject({ customer_no: 'POS-000123', remarks: '不吃香菜', source_channel: 'pos', home_store_id: t.fx.stores.S1, gender: 'female', status: 'active' });
    expect(typeof m.addresses === 'string' ? JSON.parse(m.addresses) : m.addresses).toEqual([{ type: 'home', province: '上海市', city: '上海市', district: '徐汇区', detail: '漕溪北路 88 号', default: true }]);
    expect(m.registered_at).toEqual(NOW);
    const [tags] = await t.env.services.sql.query<RowDataPacket[]>('SELECT t.name FROM member_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.member_id = ?', [r.body.id]);
    expect(tags.map((x) => x.name)).toEqual(['VIP']);
    const [enr] = await t.env.services.sql.query<RowDataPacket[]>('SELECT member_id FROM journey_enrollments WHERE journey_id = ?', [registeredJourney]);
    expect(enr.map((e) => Number(e.member_id))).toEqual([r.body.id]);
    expect(await t.auditRows("action = 'member.create' AND target_id = ?", [String(r.body.id)])).toHaveLength(1);

    // The 360 view shows the new fields; a role that sees masked phones sees a masked e-mail.
    const v = await t.call(t.tokens.manager1, 'GET', `/api/crm/customers/${r.body.id}`);
    expect(v.status).toBe(200);
    expect(v.body.profile).toMatchObject({ email: 'Lin.XW@example.com', remarks: '不吃香菜', customerNo: 'POS-000123', addresses: [expect.objectContaining({ detail: '漕溪北路 88 号' })] });
    expect((await t.call(t.tokens.marketer, 'GET', `/api/crm/customers/${r.body.id}`)).body.profile.email).toBe('Li***@example.com');
  });

  it('answers 409 with the existing member’s id for a phone (any formatting) or customer number already held, writing nothing', async () => {
    const before = await members();
    const dup = await t.call(t.tokens.hq, 'POST', '/api/crm/customers', { name: '重复', phone: '138 0000 0001' });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ code: 'phone_taken', existingId: t.fx.memberIds.M00000001, requestId: expect.any(String) });
    const no = await t.call(t.tokens.hq, 'POST', '/api/crm/customers', { name: '重复', phone: '13900009999', customerNo: 'POS-000123' });
    expect(no.status).toBe(409);
    expect(no.body.error.code).toBe('customer_no_taken');
    expect(no.body.error.existingId).toBe((await t.env.services.sql.query<RowDataPacket[]>("SELECT id FROM members WHERE customer_no = 'POS-000123'"))[0][0]!.id);
    expect(await members()).toBe(before);
  });

  it('refuses malformed input naming the field: 400 for a bad phone or e-mail, 422 for the schema, nothing written', async () => {
    const before = await members();
    const bad = async (b: Record<string, unknown>) => (await t.call(t.tokens.hq, 'POST', '/api/crm/customers', { name: '新客', phone: '13900005555', ...b })).body.error;
    expect(await bad({ phone: '12345' })).toMatchObject({ code: 'invalid_phone', issues: [{ path: ['phone'] }] });
    expect(await bad({ email: 'not-an-email' })).toMatchObject({ code: 'invalid_email', issues: [{ path: ['email'] }] });
    expect(await bad({ birthday: '1990-02-30' })).toMatchObject({ code: 'invalid_member', issues: [{ path: ['birthday'] }] });
    expect(await bad({ homeStore: 'NOPE' })).toMatchObject({ code: 'invalid_member', issues: [{ path: ['homeStore'] }] });
    expect(await bad({ tags: ['没有这个标签'] })).toMatchObject({ code: 'invalid_member', issues: [{ path: ['tags', 0] }] });
    expect(await bad({ gender: 'x' })).toMatchObject({ code: 'validation_failed', issues: [expect.objectContaining({ path: ['gender'] })] });
    expect(await bad({ addresses: [{ city: '上海' }] })).toMatchObject({ code: 'validation_failed', issues: [expect.objectContaining({ path: ['addresses', 0, 'detail'] })] });
    expect(await bad({ nickname: 'x' })).toMatchObject({ code: 'validation_failed' });
    expect(await members()).toBe(before);
  });

  it('keeps store roles in their stores: default home store, 403 elsewhere; agents and marketers may not create', async () => {
    const own = await t.call(t.tokens.manager1, 'POST', '/api/crm/customers', { name: '店长建', phone: '13900006666' });
    expect(own.status).toBe(201);
    expect((await row(own.body.id)).home_store_id).toBe(t.fx.stores.S1);
    const other = await t.call(t.tokens.manager1, 'POST', '/api/crm/customers', { name: '越权', phone: '13900007777', homeStore: 'S2' });
    expect(other.body.error.code).toBe('store_out_of_scope');
    expect(other.status).toBe(403);
    expect((await t.call(t.tokens.agent, 'POST', '/api/crm/customers', { name: '客服建', phone: '13900008888' })).status).toBe(403);
    expect((await t.call(t.tokens.marketer, 'POST', '/api/crm/customers', { name: '市场建', phone: '13900008888' })).status).toBe(403);
  });

  it('patches email, remarks, addresses and status, each change in the history; clears with null', async () => {
    const id = t.fx.memberIds.M00000003!;
    const p = await t.call(t.tokens.manager1, 'PATCH', `/api/crm/customers/${id}`, {
      email: 'zw@example.com',
      remarks: '生日当天送长寿面',
      addresses: [{ type: 'delivery', city: '上海市', detail: '虹桥路 1 号' }, { type: 'work', detail: '南京西路 2 号', default: true }],
      status: 'frozen',
    });
    expect(p.status).toBe(200);
    expect(p.body.changed.map((c: { field: string }) => c.field).sort()).toEqual(['addresses', 'email', 'remarks', 'status']);
    const m = await row(id);
    expect(openEmail(m.email_enc)).toBe('zw@example.com');
    expect(m).toMatchObject({ remarks: '生日当天送长寿面', status: 'frozen' });
    const addresses = typeof m.addresses === 'string' ? JSON.parse(m.addresses) : m.addresses;
    expect(addresses.map((a: { default: boolean }) => a.default)).toEqual([false, true]);
    const h = await t.call(t.tokens.manager1, 'GET', `/api/crm/customers/${id}/history`);
    expect(h.body.items.filter((i: { field: string }) => ['email', 'remarks', 'addresses', 'status'].includes(i.field))).toHaveLength(4);
    // The same values again change nothing; null clears.
    expect((await t.call(t.tokens.manager1, 'PATCH', `/api/crm/customers/${id}`, { email: 'zw@example.com', status: 'frozen' })).body.changed).toEqual([]);
    const cleared = await t.call(t.tokens.manager1, 'PATCH', `/api/crm/customers/${id}`, { email: null, addresses: null, remarks: null, status: 'active' });
    expect(cleared.body.changed).toHaveLength(4);
    expect(await row(id)).toMatchObject({ email_enc: null, email_hash: null, addresses: null, remarks: null, status: 'active' });
    // Deletion is not a status one may set; another store's member is a 404.
    expect((await t.call(t.tokens.manager1, 'PATCH', `/api/crm/customers/${id}`, { status: 'deleted' })).status).toBe(422);
    expect((await t.call(t.tokens.manager1, 'PATCH', `/api/crm/customers/${t.fx.memberIds.M00000002}`, { email: 'a@b.cn' })).status).toBe(404);
  });
});
