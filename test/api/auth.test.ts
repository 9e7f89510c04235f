import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, hashToken, listApiTokens, revokeApiToken } from '../../src/api/tokens.ts';
import { runTokenCli } from '../../src/cli/token.ts';
import { forgetStaffIdentities } from '../../src/crm/kernel/index.ts';
import { NOW } from '../support/crm/fixture.ts';
import { createApiTestEnv, type ApiTestEnv } from './support.ts';

const ADMIN_TOKEN = 'bootstrap-admin-token-for-tests-0123456789';

describe('admin API bearer-token auth', () => {
  let t: ApiTestEnv;
  let now = NOW;
  beforeAll(async () => {
    t = await createApiTestEnv('api_auth', { ADMIN_TOKEN }, { now: () => now });
  });
  afterAll(async () => t?.cleanup());

  const expectUnauthorized = (r: { status: number; body: any; requestId: string | null; headers: Headers }, message: RegExp) => {
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('unauthorized');
    expect(r.body.error.message).toMatch(message);
    expect(r.body.error.requestId).toBe(r.requestId);
    expect(r.requestId).toBeTruthy();
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
  };

  it('refuses a request without a token, with a malformed header, or with an unknown token', async () => {
    expectUnauthorized(await t.call(null, 'GET', '/api/crm/customers'), /missing/);
    const basic = await t.rt.app.request('/api/crm/customers', { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } });
    expect(basic.status).toBe(401);
    expect(((await basic.json()) as any).error.message).toMatch(/Bearer <token>/);
    expectUnauthorized(await t.call('crm_not-a-real-token', 'GET', '/api/crm/customers'), /not valid/);
    // A token of another database's hash is just as unknown; nothing is created by trying.
    expect(await t.env.services.db.apiToken.count()).toBe(5);
  });

  it('accepts a valid token as its staff member (audit rows name them) and records last use once a minute', async () => {
    const r = await t.call(t.tokens.manager1, 'GET', '/api/crm/customers?pageSize=1');
    expect(r.status).toBe(200);
    const [row] = await t.auditRows('request_id = ?', [r.requestId]);
    expect(row).toMatchObject({ actor_type: 'staff', actor_id: 'store_manager_01', channel: 'api', action: 'member.list' });
    const hash = hashToken(t.tokens.manager1);
    const first = await t.env.services.db.apiToken.findUniqueOrThrow({ where: { tokenHash: hash } });
    expect(first.lastUsedAt?.toISOString()).toBe(NOW.toISOString());
    now = new Date(NOW.getTime() + 30_000);
    await t.call(t.tokens.manager1, 'GET', '/api/crm/customers?pageSize=1');
    expect((await t.env.services.db.apiToken.findUniqueOrThrow({ where: { tokenHash: hash } })).lastUsedAt?.toISOString()).toBe(NOW.toISOString());
    now = new Date(NOW.getTime() + 61_000);
    await t.call(t.tokens.manager1, 'GET', '/api/crm/customers?pageSize=1');
    expect((await t.env.services.db.apiToken.findUniqueOrThrow({ where: { tokenHash: hash } })).lastUsedAt?.toISOString()).toBe(now.toISOString());
    now = NOW;
  });

  it('stores only the SHA-256 of a token', async () => {
    const created = await createApiToken(t.env.services, { staff: 'agent_01', name: 'hash-check' });
    expect(created.token).toMatch(/^crm_[A-Za-z0-9_-]{43}$/);
    const [rows] = await t.env.services.sql.query<any[]>('SELECT token_hash FROM api_tokens WHERE id = ?', [created.id]);
    expect(rows[0].token_hash).toBe(hashToken(created.token));
    expect(JSON.stringify(rows)).not.toContain(created.token);
  });

  it('refuses a revoked token at once', async () => {
    const created = await createApiToken(t.env.services, { staff: 'hq_ops_01', name: 'to-revoke' });
    expect((await t.call(created.token, 'GET', '/api/crm/tags')).status).toBe(200);
    expect(await revokeApiToken(t.env.services, created.id)).toBe(true);
    expectUnauthorized(await t.call(created.token, 'GET', '/api/crm/tags'), /revoked/);
    expect(await revokeApiToken(t.env.services, 999_999)).toBe(false);
  });

  it('refuses the token of a deactivated staff member, and follows role changes at once', async () => {
    const created = await createApiToken(t.env.services, { staff: 'marketer_01', name: 'role-change' });
    // A marketer may not see phones: masked.
    const masked = await t.call(created.token, 'GET', '/api/crm/customers?q=13800000001');
    expect(masked.body.items[0].phone).toBe('138****0001');
    await t.env.services.db.staff.update({ where: { wecomUserId: 'marketer_01' }, data: { role: 'hq_operator' } });
    const full = await t.call(created.token, 'GET', '/api/crm/customers?q=13800000001');
    expect(full.body.items[0].phone).toBe('13800000001');
    await t.env.services.db.staff.update({ where: { wecomUserId: 'marketer_01' }, data: { active: false } });
    expectUnauthorized(await t.call(created.token, 'GET', '/api/crm/customers'), /deactivated/);
    await t.env.services.db.staff.update({ where: { wecomUserId: 'marketer_01' }, data: { active: true, role: 'marketer' } });
  });

  it('accepts ADMIN_TOKEN as a bare admin while there is no admin_01, then as admin_01', async () => {
    const bare = await t.call(ADMIN_TOKEN, 'GET', '/api/crm/customers?q=13800000008');
    expect(bare.status).toBe(200);
    expect(bare.body.items[0].phone).toBe('13800000008');
    expect((await t.auditRows('request_id = ?', [bare.requestId]))[0].actor_id).toBe('admin_token');
    // Created through the staff directory (POST /api/crm/staff): the identity copy of this process is dropped at once.
    const created = await t.call(ADMIN_TOKEN, 'POST', '/api/crm/staff', { wecomUserId: 'admin_01', name: '孙浩', role: 'admin' });
    expect(created.status).toBe(201);
    const named = await t.call(ADMIN_TOKEN, 'GET', '/api/crm/customers?q=13800000008');
    expect((await t.auditRows('request_id = ?', [named.requestId]))[0].actor_id).toBe('admin_01');
    expectUnauthorized(await t.call(`${ADMIN_TOKEN}x`, 'GET', '/api/crm/customers'), /not valid/);
  });

  it("reads ADMIN_TOKEN's admin_01 through the staff identity copy: a change out of band within STAFF_IDENTITY_TTL_MS, one through the directory at once", async () => {
    const id = (await t.env.services.db.staff.findUniqueOrThrow({ where: { wecomUserId: 'admin_01' } })).id;
    const actorOf = async () => {
      const r = await t.call(ADMIN_TOKEN, 'GET', '/api/crm/customers?q=13800000008');
      expect(r.status).toBe(200);
      return (await t.auditRows('request_id = ?', [r.requestId]))[0].actor_id as string;
    };
    expect(await actorOf()).toBe('admin_01');
    // Out of band (not the directory): this process keeps its copy, at most STAFF_IDENTITY_TTL_MS (5 s) old.
    await t.env.services.db.staff.update({ where: { id }, data: { active: false } });
    expect(await actorOf()).toBe('admin_01');
    await t.env.services.db.staff.update({ where: { id }, data: { active: true } });
    // Demoted through the directory (by another admin: nobody demotes themselves): the copy is dropped, the next request acts as the bare admin token.
    expect((await t.call(ADMIN_TOKEN, 'POST', '/api/crm/staff', { wecomUserId: 'admin_02', name: '钱敏', role: 'admin' })).status).toBe(201);
    const other = (await createApiToken(t.env.services, { staff: 'admin_02', name: 'second-admin' })).token;
    expect((await t.call(other, 'PATCH', `/api/crm/staff/${id}`, { role: 'hq_operator' })).status).toBe(200);
    expect(await actorOf()).toBe('admin_token');
    await t.env.services.db.staff.update({ where: { id }, data: { role: 'admin' } });
    forgetStaffIdentities(t.env.services);
    expect(await actorOf()).toBe('admin_01');
  });

  it('keeps the reference public: /api/openapi.json and /api/docs need no token', async () => {
    expect((await t.call(null, 'GET', '/api/openapi.json')).status).toBe(200);
    expect((await t.call(null, 'GET', '/api/docs')).status).toBe(200);
  });

  it('crm:token CLI: creates a token that works, lists it without the secret, revokes it; bad arguments exit 2', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
    expect(await runTokenCli(['--staff', 'store_manager_02', '--name', 'laptop'], t.env.databaseUrl, io)).toBe(0);
    expect(out).toHaveLength(1);
    const token = out[0]!;
    expect(token).toMatch(/^crm_/);
    expect(err.join('\n')).toMatch(/shown once/);
    const r = await t.call(token, 'GET', '/api/crm/customers?q=13800000008');
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(1); // store_manager_02 sees their own store's 赵磊

    out.length = 0;
    expect(await runTokenCli(['--list', '--staff', 'store_manager_02'], t.env.databaseUrl, io)).toBe(0);
    expect(out[0]).toMatch(/^id\tstaff\tname/);
    expect(out.some((l) => l.includes('laptop'))).toBe(true);
    expect(out.join('\n')).not.toContain(token);

    const id = (await listApiTokens(t.env.services, 'store_manager_02')).find((x) => x.name === 'laptop')!.id;
    expect(await runTokenCli(['--revoke', String(id)], t.env.databaseUrl, io)).toBe(0);
    expect((await t.call(token, 'GET', '/api/crm/customers')).status).toBe(401);

    expect(await runTokenCli(['--staff', 'nobody_here', '--name', 'x'], t.env.databaseUrl, io)).toBe(1);
    expect(err.at(-1)).toMatch(/no staff member/);
    expect(await runTokenCli(['--name', 'x'], t.env.databaseUrl, io)).toBe(2);
    expect(await runTokenCli(['--revoke', 'abc'], t.env.databaseUrl, io)).toBe(2);
    expect(await runTokenCli(['--bogus'], t.env.databaseUrl, io)).toBe(2);
  });
});
