import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/api/tokens.ts';
import { enrolKoc } from '../../src/crm/loyalty/koc/index.ts';
import { runSyncTick } from '../../src/crm/sync/index.ts';
import { createWeilingSync, type WeilingSync } from '../../src/integrations/weiling/index.ts';
import { createApiTestEnv, type ApiTestEnv } from '../api/support.ts';
import { startFakeWeiling, type FakeWeiling } from '../fakes/weiling.ts';

/**
 * The sync's upkeep and the owners that feed it (docs/sync.md), on a clock the test moves: the
 * stale-stage reaper, the staff alert (once per incident, not every run), change-feed pruning,
 * a timeline entry whose answer timed out not added twice, level changes and follow-up
 * completion synced, a KOC referral at registration. In order on one database.
 */
describe('卫瓴 sync upkeep', () => {
  let fake: FakeWeiling;
  let t: ApiTestEnv;
  let sync: WeilingSync;
  let admin: string;
  // The rate limiter's bucket refills on this clock too: a limit high enough that it never waits.
  let clock = new Date('2026-12-01T02:00:00.000Z').getTime();
  const alerts: string[] = [];
  const advance = (ms: number) => void (clock += ms);
  const sql = () => t.env.services.sql;

  beforeAll(async () => {
    fake = await startFakeWeiling();
    t = await createApiTestEnv('sync_upkeep', { WEILING_API_BASE: fake.url, WEILING_APP_ID: fake.appId, WEILING_APP_SECRET: fake.appSecret, WEILING_RECONCILE_MINUTES: '0', WEILING_RATE_PER_MINUTE: '600000' }, { now: () => new Date(clock) });
    await t.env.services.db.staff.create({ data: { wecomUserId: 'admin_01', name: '管理员', role: 'admin' } });
    admin = (await createApiToken(t.env.services, { staff: 'admin_01', name: 'test-admin' })).token;
    sync = createWeilingSync(t.env.services, { timeoutMs: 1000, alert: async (text) => void alerts.push(text) })!;
  }, 300_000);
  afterAll(async () => {
    await t?.cleanup();
    await fake?.close();
  });

  async function tick() {
    for (;;) {
      const r = await runSyncTick(sync.ctx, sync.parse, { reconcileEveryMs: 0 });
      if (r.ran) return r;
      await new Promise((res) => setTimeout(res, 50));
    }
  }
  const stateOf = async (stream: string) => ((await sql().query<any[]>("SELECT * FROM sync_state WHERE connection = 'weiling' AND stream = ?", [stream]))[0] as any[])[0];
  const contactOf = (memberNo: string) => fake.contacts.get(fake.thirdIds.get(memberNo)!)!;

  it('pushes every member first (the set-up the rest builds on)', async () => {
    expect((await t.call(admin, 'POST', '/api/crm/sync/backfill')).status).toBe(200);
    await tick();
    expect(fake.thirdIds.has('M00000002')).toBe(true);
  });

  it('puts a stage stuck past ten minutes back to idle, and leaves a fresh one', async () => {
    const at = new Date(clock);
    await sql().query("INSERT INTO sync_state (connection, stream, stage, stage_started_at, updated_at) VALUES ('weiling', 'reconcile', 'paging', ?, ?) ON DUPLICATE KEY UPDATE stage = 'paging', stage_started_at = VALUES(stage_started_at)", [at, at]);
    advance(5 * 60_000);
    expect((await tick()).reaped).toBe(0);
    expect((await stateOf('reconcile')).stage).toBe('paging');
    advance(6 * 60_000);
    expect((await tick()).reaped).toBe(1);
    const st = await stateOf('reconcile');
    expect(st).toMatchObject({ stage: 'idle', stage_started_at: null, last_error: 'stage reaped: no progress' });
  });

  it('tells staff once when the lag passes five minutes, not on every run, and again on the next incident', async () => {
    const id = t.fx.memberIds['M00000002']!;
    fake.fail5xx(1_000_000);
    try {
      await t.call(admin, 'PATCH', `/api/crm/customers/${id}`, { name: '延迟一' });
      await tick();
      expect(alerts).toEqual([]); // failing for seconds: no alert yet
      advance(6 * 60_000);
      await tick();
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatch(/member 延迟 6 分钟/);
      advance(60_000);
      await tick();
      await tick();
      expect(alerts).toHaveLength(1);
    } finally {
      fake.fail5xx(0);
    }
    advance(10 * 60_000); // past the backoff: the retry gets through
    await tick();
    expect(contactOf('M00000002').user_name).toBe('延迟一');
    expect((await stateOf('alert')).stage).toBe('idle');
    fake.fail5xx(1_000_000);
    try {
      await t.call(admin, 'PATCH', `/api/crm/customers/${id}`, { name: '延迟二' });
      await tick();
      advance(6 * 60_000);
      await tick();
      expect(alerts).toHaveLength(2);
    } finally {
      fake.fail5xx(0);
    }
    advance(10 * 60_000);
    await tick();
    expect(contactOf('M00000002').user_name).toBe('延迟二');
  });

  it('prunes change-feed rows read a day ago or more, keeping newer ones', async () => {
    const [[before]] = await sql().query<any[]>('SELECT MAX(id) AS id FROM change_feed');
    advance(25 * 3600_000);
    await t.call(admin, 'PATCH', `/api/crm/customers/${t.fx.memberIds['M00000003']!}`, { name: '新一天' });
    await tick();
    const [[after]] = await sql().query<any[]>('SELECT COUNT(*) AS old, (SELECT COUNT(*) FROM change_feed) AS total FROM change_feed WHERE id <= ?', [before.id]);
    expect(Number(after.old)).toBe(0);
    expect(Number(after.total)).toBeGreaterThan(0); // today's change stays
    expect(contactOf('M00000003').user_name).toBe('新一天');
  });

  it('does not add a timeline entry twice when its answer timed out (looked up before it is added again)', async () => {
    const order = { memberNo: 'M00000004', orderNo: 'UPKEEP-0001', storeCode: 'S1', amount: '48.00', paidAt: new Date(clock - 60_000).toISOString(), paymentMethod: 'wechat', items: [{ name: '美式', qty: 2, price: '24.00' }] };
    expect((await t.call(t.tokens.hq, 'POST', '/api/crm/orders', order)).status).toBeLessThan(300);
    fake.timeouts(1, '/openapi/v2/event/create');
    await tick();
    const entries = () => fake.timeline.filter((e) => e.key === 'order:UPKEEP-0001');
    expect(entries()).toHaveLength(1); // went through, the answer lost
    const [[f]] = await sql().query<any[]>("SELECT status FROM sync_failures WHERE object_type = 'order' AND object_id = 'UPKEEP-0001'");
    expect(f.status).toBe('retrying');
    await t.call(admin, 'POST', '/api/crm/sync/failures/retry-all');
    await tick();
    expect(entries()).toHaveLength(1);
    expect(fake.calls.some((c) => c.path === '/openapi/v2/event/list')).toBe(true);
    const [[g]] = await sql().query<any[]>("SELECT status FROM sync_failures WHERE object_type = 'order' AND object_id = 'UPKEEP-0001'");
    expect(g.status).toBe('resolved');
  });

  it('syncs a level set by hand and a completed follow-up, each written to the change feed with the change', async () => {
    const id = t.fx.memberIds['M00000005']!;
    const feedOf = async (type: string, objectId: string) => Number(((await sql().query<any[]>('SELECT COUNT(*) AS n FROM change_feed WHERE object_type = ? AND object_id = ?', [type, objectId]))[0] as any[])[0].n);
    const feedBefore = await feedOf('member', String(id));
    const lv = await t.call(t.tokens.hq, 'PUT', `/api/crm/customers/${id}/membership/level`, { level: 4, reason: '特批' });
    expect(lv.status).toBe(200);
    expect(await feedOf('member', String(id))).toBe(feedBefore + 1);
    const logged = await t.call(t.tokens.hq, 'POST', '/api/crm/interactions', { memberId: id, type: 'consultation', channel: 'wechat', content: '问会员日', followUpAt: new Date(clock + 3600_000).toISOString() });
    expect(logged.status).toBeLessThan(300);
    await tick();
    expect(contactOf('M00000005').contact_custom.crm_level).toBe('4');
    const interactionId = logged.body.interaction.id as number;
    const done = await t.call(t.tokens.hq, 'POST', `/api/crm/interactions/${interactionId}/follow-up-done`, { outcome: '已回复' });
    expect(done.status).toBe(200);
    expect(await feedOf('follow_up', String(interactionId))).toBe(2);
    await tick();
    const progress = fake.timeline.filter((e) => e.kind === 'progress' && e.key.startsWith(`follow_up:${interactionId}`)).map((e) => e.key);
    expect(progress).toEqual([`follow_up:${interactionId}`, `follow_up:${interactionId}:done`]);
  });

  it('records a KOC referral when a member registers with the referral code, and syncs the KOC’s count', async () => {
    const hq = { services: t.env.services, actor: t.fx.staff.hq, channel: 'api' as const, requestId: 'upkeep-koc' };
    const { referralCode } = await enrolKoc(hq, t.fx.memberIds['M00000006']!);
    const bad = await t.call(t.tokens.hq, 'POST', '/api/crm/customers', { name: '错码', phone: '13900000881', referralCode: 'K99999999' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_member');
    const r = await t.call(t.tokens.hq, 'POST', '/api/crm/customers', { name: '被推荐', phone: '13900000882', referralCode });
    expect(r.status).toBe(201);
    const [rows] = await sql().query<any[]>('SELECT koc_member_id, referred_member_id, commission FROM koc_referrals WHERE referred_member_id = ?', [r.body.id]);
    expect(rows).toEqual([{ koc_member_id: t.fx.memberIds['M00000006'], referred_member_id: r.body.id, commission: '0.00' }]);
    const [[feed]] = await sql().query<any[]>("SELECT member_id FROM change_feed WHERE object_type = 'koc_referral' ORDER BY id DESC LIMIT 1");
    expect(feed.member_id).toBe(t.fx.memberIds['M00000006']);
    // The refused registration rolled back a change-feed id: the page stops at that gap until
    // the rows after it are 30 s old (outbound.ts), then the KOC's count goes.
    await tick();
    advance(31_000);
    await tick();
    expect(contactOf('M00000006').contact_custom.crm_koc_referrals).toBe('1');
    expect([...fake.contacts.values()].filter((c) => c.contact_ways.some((w) => w.contact_way === '13900000881'))).toEqual([]);
  });
});
