import type { AddressInfo } from 'node:net';
import { developmentKeysAsProduction } from '../support/sealed-phone.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, revokeApiToken } from '../../src/api/tokens.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { createSegment, exportSegment } from '../../src/crm/insights/index.ts';
import type { StaffActor } from '../../src/crm/kernel/index.ts';
import { listen } from '../../src/http/listen.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import type { Services } from '../../src/services.ts';
import { startFakeQyapi, type FakeQyapi } from '../fakes/qyapi.ts';
import { createFixture, type Fixture } from '../support/crm/fixture.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';

/**
 * Identity on every surface: the console is off in production unless enabled,
 * signs staff in (API token, WeCom web login through test/fakes/qyapi), takes the sender from the
 * session and never from the body there, listens on loopback in development; downloads are bound
 * to the person who asked; full-phone and large exports wait for a second approver.
 * Real MariaDB and Redis; one database, several runtimes over configs that differ.
 */
let env: TestEnv;
let fx: Fixture;
let qyapi: FakeQyapi;
let clock = new Date('2026-11-21T02:00:00Z');
const tokens = {} as Record<keyof Fixture['staff'], string>;
const runtimes: Runtime[] = [];

/** A runtime over the same database and Redis, with some settings changed. */
function runtimeWith(vars: Record<string, string>): { rt: Runtime; services: Services } {
  // Production refuses to start without data keys: the development ones, so the fixture's sealed members still open.
  const keys = vars.NODE_ENV === 'production' ? developmentKeysAsProduction() : {};
  const config: Config = loadConfig({ ...stringify(env.config), ...keys, ...vars });
  const services: Services = { ...env.services, config };
  const rt = createRuntime(services);
  runtimes.push(rt);
  return { rt, services };
}
const stringify = (c: Config) => Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));

const cookieOf = (res: Response, name = 'crm_session') => res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
const sessionHeader = (res: Response) => ({ cookie: cookieOf(res)!.split(';')[0]! });
const json = (body: unknown, headers: Record<string, string> = {}) => ({ method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const lastAudit = async (action: string) => ((await env.services.sql.query<any[]>('SELECT * FROM audit_logs WHERE action = ? ORDER BY id DESC LIMIT 1', [action]))[0] as any[])[0];

beforeAll(async () => {
  qyapi = await startFakeQyapi({ corpId: 'ww-corp', corpSecret: 'app-secret' });
  env = await createTestEnv('console_identity', { WECOM_CORP_ID: 'ww-corp', WECOM_TOKEN: 'cb-token', WECOM_AES_KEY: 'a'.repeat(43), WECOM_SECRET: 'app-secret', WECOM_AGENT_ID: '1000002', WECOM_API_BASE: qyapi.url }, { now: () => clock });
  fx = await createFixture(env.services);
  for (const [key, actor] of Object.entries(fx.staff) as [keyof Fixture['staff'], StaffActor][]) {
    tokens[key] = (await createApiToken(env.services, { staff: actor.wecomUserId, name: `test-${key}` })).token;
  }
}, 180_000);
afterAll(async () => {
  for (const rt of runtimes) await rt.stop();
  await env?.cleanup();
  await qyapi?.close();
});

describe('production: the console is off unless enabled', () => {
  it('answers 404 for the page and the messages by default, while sign-in and the API stay', async () => {
    const { rt } = runtimeWith({ NODE_ENV: 'production' });
    expect((await rt.app.request('/')).status).toBe(404);
    const msg = await rt.app.request('/console/messages', json({ from: 'hq_ops_01', text: '查一下 13800000001' }));
    expect(msg.status).toBe(404);
    expect((await rt.app.request('/auth/dev', json({ from: 'hq_ops_01' }))).status).toBe(404); // no "try as anyone" in production
    expect((await rt.app.request('/auth/token', json({ token: tokens.hq }))).status).toBe(200);
  });
});

describe('production with CONSOLE=on: sign in, then the session is the sender', () => {
  let rt: Runtime;
  beforeAll(() => {
    rt = runtimeWith({ NODE_ENV: 'production', CONSOLE: 'on' }).rt;
  });

  it('shows only the sign-in form and refuses messages until signed in', async () => {
    const page = await rt.app.request('/');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('/auth/token');
    expect(html).toContain('/auth/wecom');
    expect(html).not.toContain('/console/messages');
    const msg = await rt.app.request('/console/messages', json({ from: 'hq_ops_01', text: '查一下 13800000001' }));
    expect(msg.status).toBe(401);
    expect(((await msg.json()) as any).error.code).toBe('unauthorized');
  });

  it('signs in with an API token: an HttpOnly, Secure, SameSite=Lax session cookie with expiry', async () => {
    expect((await rt.app.request('/auth/token', json({ token: 'crm_not-a-token' }))).status).toBe(401);
    const res = await rt.app.request('/auth/token', json({ token: tokens.agent }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ from: 'agent_01', role: 'agent', via: 'token' });
    const cookie = cookieOf(res)!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Max-Age=28800/);
    const me = await rt.app.request('/auth/me', { headers: sessionHeader(res) });
    expect(await me.json()).toMatchObject({ from: 'agent_01', via: 'token' });
    const page = await rt.app.request('/', { headers: sessionHeader(res) });
    expect(await page.text()).toContain('已登录：agent_01');
  });

  it('takes the sender from the session and ignores the body’s from', async () => {
    const agent = sessionHeader(await rt.app.request('/auth/token', json({ token: tokens.agent })));
    // The body claims HQ (full phones); the session is the agent's, whose phones are masked.
    const res = await rt.app.request('/console/messages', json({ from: 'hq_ops_01', text: '查一下 13800000001' }, agent));
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.intent).toBe('member.lookup');
    expect(body.reply).toContain('138****0001');
    expect(body.reply).not.toContain('13800000001');
    expect(await lastAudit('member.lookup')).toMatchObject({ actor_id: 'agent_01', channel: 'console' });
    // And the other way round: HQ's session with a body naming the agent still reads as HQ.
    const hq = sessionHeader(await rt.app.request('/auth/token', json({ token: tokens.hq })));
    const full = (await (await rt.app.request('/console/messages', json({ from: 'agent_01', text: '查一下 13800000001' }, hq))).json()) as any;
    expect(full.reply).toContain('13800000001');
    expect(await lastAudit('member.lookup')).toMatchObject({ actor_id: 'hq_ops_01' });
    // A bearer token works as well (scripts); a bad one is 401, not the cookie's identity.
    const bearer = await rt.app.request('/console/messages', json({ text: '帮助' }, { authorization: `Bearer ${tokens.marketer}` }));
    expect(bearer.status).toBe(200);
    expect((await rt.app.request('/console/messages', json({ text: '帮助' }, { ...hq, authorization: 'Bearer crm_wrong' }))).status).toBe(401);
  });

  it('ends a session at its expiry and at sign-out', async () => {
    const res = await rt.app.request('/auth/token', json({ token: tokens.marketer }));
    const s = sessionHeader(res);
    expect((await rt.app.request('/auth/me', { headers: s })).status).toBe(200);
    const saved = clock;
    clock = new Date(saved.getTime() + 8 * 3600 * 1000 + 1000);
    try {
      expect((await rt.app.request('/auth/me', { headers: s })).status).toBe(401);
      expect((await rt.app.request('/console/messages', json({ text: '帮助' }, s))).status).toBe(401);
    } finally {
      clock = saved;
    }
    const again = sessionHeader(await rt.app.request('/auth/token', json({ token: tokens.marketer })));
    expect((await rt.app.request('/auth/logout', { method: 'POST', headers: again })).status).toBe(204);
    expect((await rt.app.request('/auth/me', { headers: again })).status).toBe(401);
  });
});

describe('revoking a token or deactivating a staff member ends their console sessions at once', () => {
  let rt: Runtime;
  beforeAll(() => {
    rt = runtimeWith({ NODE_ENV: 'production', CONSOLE: 'on', ADMIN_TOKEN: 'bootstrap-admin-token-0123456789' }).rt;
  });
  const signIn = async (token: string) => {
    const res = await rt.app.request('/auth/token', json({ token }));
    expect(res.status).toBe(200);
    return sessionHeader(res);
  };

  it('a revoked token: the next request of every session it opened is a 401; other tokens’ sessions stay', async () => {
    const created = await createApiToken(env.services, { staff: 'agent_01', name: 'to-revoke' });
    const a = await signIn(created.token);
    const b = await signIn(created.token);
    const other = await signIn(tokens.agent); // same staff member, another token
    expect((await rt.app.request('/console/messages', json({ text: '帮助' }, a))).status).toBe(200);
    expect(await revokeApiToken(env.services, created.id)).toBe(true);
    for (const s of [a, b]) {
      expect((await rt.app.request('/console/messages', json({ text: '帮助' }, s))).status).toBe(401);
      expect((await rt.app.request('/auth/me', { headers: s })).status).toBe(401);
    }
    expect((await rt.app.request('/auth/me', { headers: other })).status).toBe(200);
  });

  it('a deactivated staff member loses token and WeCom sessions; a deleted one too', async () => {
    const staff = await env.services.db.staff.create({ data: { wecomUserId: 'leaver_01', name: 'Leaver', role: 'agent' } });
    const viaToken = await signIn((await createApiToken(env.services, { staff: 'leaver_01', name: 'leaver' })).token);
    // A WeCom session (web login through the fake qyapi).
    const started = await rt.app.request('/auth/wecom?next=/');
    const state = new URL(started.headers.get('location')!).searchParams.get('state')!;
    const login = await rt.app.request(`/auth/wecom/callback?code=${qyapi.loginCode({ userid: 'leaver_01' })}&state=${state}`, { headers: { cookie: cookieOf(started, 'crm_login_state')!.split(';')[0]! } });
    expect(login.status).toBe(302);
    const wecom = sessionHeader(login);
    expect(await (await rt.app.request('/auth/me', { headers: wecom })).json()).toMatchObject({ from: 'leaver_01', via: 'wecom' });
    await env.services.db.staff.update({ where: { id: staff.id }, data: { active: false } });
    expect((await rt.app.request('/auth/me', { headers: viaToken })).status).toBe(401);
    expect((await rt.app.request('/console/messages', json({ text: '帮助' }, wecom))).status).toBe(401);
    // Reactivation does not bring an ended session back (it was deleted on the refused read).
    await env.services.db.staff.update({ where: { id: staff.id }, data: { active: true } });
    expect((await rt.app.request('/auth/me', { headers: wecom })).status).toBe(401);
    // Deleted outright: a fresh WeCom session ends as well.
    const again = await rt.app.request('/auth/wecom?next=/');
    const state2 = new URL(again.headers.get('location')!).searchParams.get('state')!;
    const login2 = await rt.app.request(`/auth/wecom/callback?code=${qyapi.loginCode({ userid: 'leaver_01' })}&state=${state2}`, { headers: { cookie: cookieOf(again, 'crm_login_state')!.split(';')[0]! } });
    const wecom2 = sessionHeader(login2);
    expect((await rt.app.request('/auth/me', { headers: wecom2 })).status).toBe(200);
    await env.services.db.staff.delete({ where: { id: staff.id } });
    expect((await rt.app.request('/auth/me', { headers: wecom2 })).status).toBe(401);
  });

  it('an ADMIN_TOKEN session ends when ADMIN_TOKEN is changed', async () => {
    const s = await signIn('bootstrap-admin-token-0123456789');
    expect((await rt.app.request('/auth/me', { headers: s })).status).toBe(200);
    const rotated = runtimeWith({ NODE_ENV: 'production', CONSOLE: 'on', ADMIN_TOKEN: 'another-admin-token-0123456789' }).rt;
    expect((await rotated.app.request('/auth/me', { headers: s })).status).toBe(401);
  });
});

describe('WeCom web login (网页授权登录 / 扫码登录) against the fake qyapi', () => {
  let rt: Runtime;
  beforeAll(() => {
    rt = runtimeWith({ NODE_ENV: 'production', CONSOLE: 'on', PUBLIC_BASE_URL: 'https://crm.example.com' }).rt;
  });

  /** GET /auth/wecom → the state (from WeCom's redirect URL) and the browser's state cookie. */
  const start = async (ua = 'Mozilla/5.0 Chrome/120', next = '/') => {
    const res = await rt.app.request(`/auth/wecom?next=${encodeURIComponent(next)}`, { headers: { 'user-agent': ua } });
    expect(res.status).toBe(302);
    const to = new URL(res.headers.get('location')!);
    return { to, state: to.searchParams.get('state')!, cookie: cookieOf(res, 'crm_login_state')!.split(';')[0]! };
  };

  it('sends a browser to the QR login and the WeCom client to silent OAuth, with our callback', async () => {
    const qr = await start();
    expect(`${qr.to.origin}${qr.to.pathname}`).toBe('https://login.work.weixin.qq.com/wwlogin/sso/login');
    expect(Object.fromEntries(qr.to.searchParams)).toMatchObject({ login_type: 'CorpApp', appid: 'ww-corp', agentid: '1000002', redirect_uri: 'https://crm.example.com/auth/wecom/callback' });
    const inApp = await start('Mozilla/5.0 wxwork/4.1.22 MicroMessenger/7.0.1');
    expect(`${inApp.to.origin}${inApp.to.pathname}`).toBe('https://open.weixin.qq.com/connect/oauth2/authorize');
    expect(inApp.to.hash).toBe('#wechat_redirect');
    expect(Object.fromEntries(inApp.to.searchParams)).toMatchObject({ appid: 'ww-corp', response_type: 'code', scope: 'snsapi_base', agentid: '1000002' });
  });

  it('turns the code into a staff session (auth/getuserinfo → userid) and goes back where it started', async () => {
    const s = await start(undefined, '/exports/abc');
    const code = qyapi.loginCode({ userid: 'store_manager_01' });
    const res = await rt.app.request(`/auth/wecom/callback?code=${code}&state=${s.state}`, { headers: { cookie: s.cookie } });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/exports/abc');
    const me = await rt.app.request('/auth/me', { headers: sessionHeader(res) });
    expect(await me.json()).toMatchObject({ from: 'store_manager_01', via: 'wecom' });
    expect(qyapi.userInfoRequests).toBeGreaterThan(0); // the code really went to auth/getuserinfo
    // The state is single-use.
    const replay = await rt.app.request(`/auth/wecom/callback?code=${qyapi.loginCode({ userid: 'store_manager_01' })}&state=${s.state}`, { headers: { cookie: s.cookie } });
    expect(replay.status).toBe(401);
  });

  it('refuses a foreign state, a used code, an outsider and an unknown userid', async () => {
    const a = await start();
    const b = await start();
    const code = qyapi.loginCode({ userid: 'hq_ops_01' });
    expect((await rt.app.request(`/auth/wecom/callback?code=${code}&state=${a.state}`, { headers: { cookie: b.cookie } })).status).toBe(401); // started in another browser
    const used = qyapi.loginCode({ userid: 'hq_ops_01' });
    expect((await rt.app.request(`/auth/wecom/callback?code=${used}&state=${a.state}`, { headers: { cookie: a.cookie } })).status).toBe(302);
    const c = await start();
    const reused = await rt.app.request(`/auth/wecom/callback?code=${used}&state=${c.state}`, { headers: { cookie: c.cookie } });
    expect(reused.status).toBe(401);
    expect(((await reused.json()) as any).error.code).toBe('login_failed');
    const d = await start();
    const outsider = await rt.app.request(`/auth/wecom/callback?code=${qyapi.loginCode({ openid: 'oAbc' })}&state=${d.state}`, { headers: { cookie: d.cookie } });
    expect(outsider.status).toBe(403);
    expect(((await outsider.json()) as any).error.code).toBe('login_not_staff');
    const e = await start();
    const stranger = await rt.app.request(`/auth/wecom/callback?code=${qyapi.loginCode({ userid: 'not_in_crm' })}&state=${e.state}`, { headers: { cookie: e.cookie } });
    expect(stranger.status).toBe(403);
    expect(cookieOf(stranger)).toBeUndefined();
  });

  it('sends a browser that opens a download link without a session through WeCom login and back', async () => {
    const link = `/exports/${'B'.repeat(32)}`;
    const res = await rt.app.request(link, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`/auth/wecom?next=${encodeURIComponent(link)}`);
    expect((await rt.app.request(link)).status).toBe(401); // a script gets the 401
  });

  it('never redirects off the site after sign-in', async () => {
    const s = await start(undefined, '//evil.example.com/x');
    const res = await rt.app.request(`/auth/wecom/callback?code=${qyapi.loginCode({ userid: 'agent_01' })}&state=${s.state}`, { headers: { cookie: s.cookie } });
    expect(res.headers.get('location')).toBe('/');
  });
});

describe('development: open for trying, on loopback only', () => {
  it('binds 127.0.0.1 unless HOST says otherwise; production binds every interface', async () => {
    const address = async (cfg: Pick<Config, 'NODE_ENV' | 'HOST' | 'PORT'>) => {
      const server = listen(() => new Response('ok'), cfg);
      await new Promise((resolve) => server.once('listening', resolve));
      const a = (server.address() as AddressInfo).address;
      await new Promise((resolve) => server.close(resolve));
      return a;
    };
    expect(await address({ NODE_ENV: 'development', PORT: 0, HOST: undefined })).toBe('127.0.0.1');
    expect(await address({ NODE_ENV: 'test', PORT: 0, HOST: undefined })).toBe('127.0.0.1');
    expect(await address({ NODE_ENV: 'production', PORT: 0, HOST: undefined })).toBe('0.0.0.0');
    expect(await address({ NODE_ENV: 'development', PORT: 0, HOST: '0.0.0.0' })).toBe('0.0.0.0');
  });

  it('takes the body’s from without a session, and a session’s sender over the body', async () => {
    const { rt } = runtimeWith({ NODE_ENV: 'development' });
    const open = (await (await rt.app.request('/console/messages', json({ from: 'agent_01', text: '查一下 13800000001' }))).json()) as any;
    expect(open.reply).toContain('138****0001');
    const dev = sessionHeader(await rt.app.request('/auth/dev', json({ from: 'hq_ops_01' })));
    const signed = (await (await rt.app.request('/console/messages', json({ from: 'agent_01', text: '查一下 13800000001' }, dev))).json()) as any;
    expect(signed.reply).toContain('13800000001');
    expect((await rt.app.request('/')).status).toBe(200);
  });
});

describe('downloads: bound to the asker, expiring, and a second approver for full phones', () => {
  let rt: Runtime;
  let dir: string;
  const signIn = async (token: string) => sessionHeader(await rt.app.request('/auth/token', json({ token })));
  const access = (actor: StaffActor) => ({ services: env.services, actor, channel: 'console' as const, requestId: 'test' });
  const allMembers = { version: 1, root: { field: 'points', op: 'gte', value: 0 } };

  beforeAll(async () => {
    rt = runtimeWith({ NODE_ENV: 'production' }).rt; // the console is off; downloads and sign-in still work
    dir = await mkdtemp(join(tmpdir(), 'crm-exports-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('opens a segment export only for the signed-in person who asked; expired links are gone', async () => {
    const { segment } = await createSegment(access(fx.staff.marketer), { name: '全部会员-营销', tree: allMembers });
    const exp = await exportSegment(access(fx.staff.marketer), segment.id, { dir }); // a marketer's export: masked phones
    expect(exp.phoneMasked).toBe(true);
    expect((await rt.app.request(exp.url)).status).toBe(401);
    expect((await rt.app.request(exp.url, { headers: await signIn(tokens.hq) })).status).toBe(404);
    const mine = await rt.app.request(exp.url, { headers: await signIn(tokens.marketer) });
    expect(mine.status).toBe(200);
    expect(await mine.text()).toContain('138****0001');
    // The asker's API token opens it too; another's does not.
    expect((await rt.app.request(exp.url, { headers: { authorization: `Bearer ${tokens.marketer}` } })).status).toBe(200);
    expect((await rt.app.request(exp.url, { headers: { authorization: `Bearer ${tokens.hq}` } })).status).toBe(404);
    const ttl = await env.services.redis.ttl(env.services.key('export', exp.token));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30 * 60);
    await env.services.redis.del(env.services.key('export', exp.token));
    expect((await rt.app.request(exp.url, { headers: await signIn(tokens.marketer) })).status).toBe(410);
  });

  it('holds a full-phone segment export until another staff member approves it (audited)', async () => {
    const { segment } = await createSegment(access(fx.staff.hq), { name: '全部会员-总部', tree: allMembers });
    const exp = await exportSegment(access(fx.staff.hq), segment.id, { dir }); // HQ sees full phones
    expect(exp.phoneMasked).toBe(false);
    const hq = await signIn(tokens.hq);
    const held = await rt.app.request(exp.url, { headers: hq });
    expect(held.status).toBe(409);
    expect(((await held.json()) as any).error.code).toBe('export_pending_approval');
    const requested = await lastAudit('export.requested');
    expect(requested).toMatchObject({ actor_id: 'hq_ops_01', target_type: 'export' });
    const id = requested.target_id as string;

    const approve = (token: string) => rt.app.request(`/api/crm/exports/${id}/approve`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    const self = await approve(tokens.hq);
    expect(self.status).toBe(403);
    expect(((await self.json()) as any).error.code).toBe('export_self_approval');
    expect((await approve(tokens.agent)).status).toBe(403); // no export permission
    const pending = await rt.app.request('/api/crm/exports', { headers: { authorization: `Bearer ${tokens.marketer}` } });
    expect(((await pending.json()) as any).items.map((a: any) => a.id)).toContain(id);
    const ok = await approve(tokens.marketer);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: 'approved', approvedBy: 'marketer_01', requester: 'hq_ops_01', reasons: ['full_phone'] });
    expect(await lastAudit('export.approved')).toMatchObject({ actor_id: 'marketer_01', target_id: id });

    const file = await rt.app.request(exp.url, { headers: hq });
    expect(file.status).toBe(200);
    expect(await file.text()).toContain('13800000001');
    expect((await rt.app.request(exp.url, { headers: await signIn(tokens.marketer) })).status).toBe(404); // the approver does not get the file
  });

  it('asks, approves and downloads a full-phone member export through the API; the download window closes', async () => {
    const api = (token: string, method: string, path: string, body?: unknown) =>
      rt.app.request(`/api${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    const direct = await api(tokens.hq, 'GET', '/crm/customers/export?fields=memberNo,phone&unmaskPhone=true');
    expect(direct.status).toBe(409);
    const asked = await api(tokens.hq, 'POST', '/crm/exports', { fields: ['memberNo', 'phone'], unmaskPhone: true });
    expect(asked.status).toBe(201);
    const a = (await asked.json()) as any;
    expect(a).toMatchObject({ kind: 'customers', status: 'pending', reasons: ['full_phone'], requester: 'hq_ops_01', download: `/api/crm/exports/${a.id}/download` });
    const early = await api(tokens.hq, 'GET', a.download.slice(4));
    expect(early.status).toBe(409); // no file before the approval
    expect((await api(tokens.hq, 'POST', `/crm/exports/${a.id}/approve`)).status).toBe(403);
    expect((await api(tokens.marketer, 'POST', `/crm/exports/${a.id}/approve`)).status).toBe(200);
    expect((await api(tokens.marketer, 'GET', `/crm/exports/${a.id}/download`)).status).toBe(404); // only the asker
    const csv = await api(tokens.hq, 'GET', `/crm/exports/${a.id}/download`);
    expect(csv.status).toBe(200);
    expect(await csv.text()).toContain('13800000001');
    expect(await lastAudit('member.export')).toMatchObject({ actor_id: 'hq_ops_01' });
    const saved = clock;
    clock = new Date(saved.getTime() + 31 * 60_000);
    try {
      expect((await api(tokens.hq, 'GET', `/crm/exports/${a.id}/download`)).status).toBe(404);
    } finally {
      clock = saved;
    }
  });

  it('also holds an export above EXPORT_APPROVAL_ROWS, masked or not', async () => {
    const small = runtimeWith({ NODE_ENV: 'production', EXPORT_APPROVAL_ROWS: '3' }).rt;
    const res = await small.app.request('/api/crm/customers/export?fields=memberNo', { headers: { authorization: `Bearer ${tokens.marketer}` } });
    expect(res.status).toBe(409);
    const asked = await small.app.request('/api/crm/exports', json({ fields: ['memberNo'] }, { authorization: `Bearer ${tokens.marketer}` }));
    expect(asked.status).toBe(201);
    expect(await asked.json()).toMatchObject({ reasons: ['rows'], status: 'pending' });
  });
});
