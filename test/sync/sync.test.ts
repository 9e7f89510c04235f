import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WeilingSync } from '../../src/integrations/weiling/index.ts';
import type { ApiTestEnv } from '../api/support.ts';
import type { Envelope, FakeWeiling } from '../fakes/weiling.ts';
import { createSyncTestEnv, SYNC_CALLBACK, type SyncTestEnv } from './support.ts';

/**
 * Two-way sync with 卫瓴 against the fake (test/fakes/weiling.ts): both directions, idempotency,
 * echo suppression, each fault, conflicts by ownership, reconciliation after downtime, the
 * monitor and its retries. The tests run in order on one database (each builds on the last).
 */
describe('卫瓴 two-way sync', () => {
  let fake: FakeWeiling;
  let t: ApiTestEnv;
  let sync: WeilingSync;
  let admin: string;
  const CB = SYNC_CALLBACK;

  let setup: SyncTestEnv;
  beforeAll(async () => {
    setup = await createSyncTestEnv('sync');
    ({ fake, t, sync, admin } = setup);
  }, 120_000);
  afterAll(async () => {
    await setup?.cleanup();
  });

  const tick = (o?: { reconcileEveryMs?: number }) => setup.tick(o);
  const remoteOf = (memberNo: string) => fake.thirdIds.get(memberNo)!;
  const contactOf = (memberNo: string) => fake.contacts.get(remoteOf(memberNo))!;
  const post = (env: Envelope) => t.call(null, 'POST', CB, env);
  const edits = () => fake.calls.filter((c) => c.path === '/openapi/contact/edit');

  it('pushes every member on the first sync: contacts created, our ids registered, figures in custom fields, tags', async () => {
    const r = await t.call(admin, 'POST', '/api/crm/sync/backfill');
    expect(r.status).toBe(200);
    expect(r.body.members).toBeGreaterThan(5);
    await tick();
    const [fails] = await t.env.services.sql.query<any[]>("SELECT object_id, error FROM sync_failures WHERE status <> 'resolved'");
    expect(fails).toEqual([]);
    expect(fake.contacts.size).toBe(r.body.members);
    const m1 = contactOf('M00000001');
    expect(m1.user_name).toBe('张伟');
    expect(m1.contact_ways).toEqual([{ type: 1, contact_way: '13800000001' }]);
    expect(m1.contact_custom.crm_member_no).toBe('M00000001');
    const [[row]] = await t.env.services.sql.query<any[]>('SELECT points, level FROM members WHERE member_no = ?', ['M00000001']);
    expect(m1.contact_custom).toMatchObject({ crm_points: String(row.points), crm_level: String(row.level), crm_home_store: 'S1' });
    expect([...m1.tags]).toContain('VIP');
    const status = await t.call(admin, 'GET', '/api/crm/sync/status');
    expect(status.status).toBe(200);
    const member = status.body.items.find((i: any) => i.object === 'member');
    expect(member).toMatchObject({ lag: 0, pending: 0, dead: 0, status: 'ok', stage: 'idle' });
  });

  it('sends only the changed fields, and nothing when run again (the ledger)', async () => {
    const id = t.fx.memberIds['M00000002']!;
    const before = edits().length;
    const r = await t.call(admin, 'PATCH', `/api/crm/customers/${id}`, { name: '张伟伟' });
    expect(r.status).toBe(200);
    await tick();
    const sent = edits().slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toEqual({ contact_id: remoteOf('M00000002'), user_name: '张伟伟' });
    await tick();
    expect(edits().length).toBe(before + 1);
  });

  it('puts an order on the timeline once, with the member’s figures updated', async () => {
    const order = { memberNo: 'M00000003', orderNo: 'SYNC-0001', storeCode: 'S1', amount: '66.00', paidAt: new Date(Date.now() - 60_000).toISOString(), paymentMethod: 'wechat', items: [{ name: '拿铁', qty: 2, price: '33.00' }] };
    const r = await t.call(t.tokens.hq, 'POST', '/api/crm/orders', order);
    expect(r.status).toBeLessThan(300);
    await tick();
    await tick();
    expect(fake.timeline.filter((e) => e.key === 'order:SYNC-0001')).toHaveLength(1);
    expect(contactOf('M00000003').contact_custom.crm_order_count).toBe('2');
  });

  it('survives 5xx: the failure is retried with backoff, shown on the monitor, and retried from it', async () => {
    const id = t.fx.memberIds['M00000004']!;
    fake.fail5xx(50);
    try {
      await t.call(admin, 'PATCH', `/api/crm/customers/${id}`, { name: '李娜娜' });
      await tick();
    } finally {
      fake.fail5xx(0);
    }
    const failures = await t.call(admin, 'GET', '/api/crm/sync/failures');
    const f = failures.body.items.find((x: any) => x.objectType === 'member' && x.objectId === String(id));
    expect(f).toMatchObject({ status: 'retrying', attempts: 1 });
    expect(f.error).toMatch(/HTTP 500/);
    const status = await t.call(admin, 'GET', '/api/crm/sync/status');
    expect(status.body.items.find((i: any) => i.object === 'member').retrying).toBe(1);
    await tick(); // not due yet (30 s backoff): nothing sent
    expect(contactOf('M00000004').user_name).toBe('李娜');
    const retried = await t.call(admin, 'POST', `/api/crm/sync/failures/${f.id}/retry`);
    expect(retried.status).toBe(200);
    await tick();
    expect(contactOf('M00000004').user_name).toBe('李娜娜');
    const after = await t.call(admin, 'GET', '/api/crm/sync/failures');
    expect(after.body.items.find((x: any) => x.id === f.id)).toBeUndefined();
    expect((await t.call(admin, 'POST', '/api/crm/sync/failures/999999/retry')).status).toBe(404);
    expect((await t.call(t.tokens.hq, 'GET', '/api/crm/sync/status')).status).toBe(403);
  });

  it('fetches a new token when 卫瓴 says it expired, and carries on', async () => {
    const issued = fake.tokensIssued;
    fake.expireTokens();
    await t.call(admin, 'PATCH', `/api/crm/customers/${t.fx.memberIds['M00000005']!}`, { name: '王芳芳' });
    await tick();
    expect(fake.tokensIssued).toBe(issued + 1);
    expect(contactOf('M00000005').user_name).toBe('王芳芳');
  });

  it('after a timeout of a write that went through, the retry adopts the contact instead of creating a second one', async () => {
    const r = await t.call(t.tokens.hq, 'POST', '/api/crm/customers', { name: '新会员', phone: '13900000777', homeStoreCode: 'S1' }).then((x) => (x.status < 300 ? x : t.call(t.tokens.hq, 'POST', '/api/crm/customers', { name: '新会员', phone: '13900000777' })));
    expect(r.status).toBeLessThan(300);
    fake.timeouts(1, '/openapi/contact/create');
    await tick();
    const withPhone = () => [...fake.contacts.values()].filter((c) => c.contact_ways.some((w) => w.contact_way === '13900000777'));
    expect(withPhone()).toHaveLength(1); // created over there, answer lost
    await t.call(admin, 'POST', '/api/crm/sync/failures/retry-all');
    await tick();
    expect(withPhone()).toHaveLength(1);
    const [[map]] = await t.env.services.sql.query<any[]>("SELECT remote_id FROM sync_id_map WHERE remote_id = ?", [withPhone()[0]!.contact_id]);
    expect(map).toBeDefined();
  });

  it('applies an edit made in 卫瓴, stores a duplicated callback once, and does not echo it back', async () => {
    const env = fake.editInUi(remoteOf('M00000006'), { user_name: '刘洋洋' });
    const first = await post(env);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ code: 0, msg: 'success' });
    await post(env); // 卫瓴 delivered it twice
    const [[n]] = await t.env.services.sql.query<any[]>("SELECT COUNT(*) AS n FROM sync_inbound_events WHERE event_type = 'contact_update'");
    expect(Number(n.n)).toBe(1);
    const before = edits().length;
    await tick();
    await tick();
    const [[m]] = await t.env.services.sql.query<any[]>('SELECT name FROM members WHERE id = ?', [t.fx.memberIds['M00000006']]);
    expect(m.name).toBe('刘洋洋');
    expect(edits().length).toBe(before); // our own write came back through the change feed: nothing sent
  });

  it('marks an event older than one already applied as stale (out of order)', async () => {
    const remote = remoteOf('M00000007');
    const older = fake.envelope('contact_update', { contact_id: remote }, Date.now() - 3_600_000);
    const newer = fake.editInUi(remote, { user_name: '陈静静' });
    await post(newer);
    await tick();
    await post(older);
    await tick();
    const [rows] = await t.env.services.sql.query<any[]>('SELECT status FROM sync_inbound_events WHERE object_id = ? ORDER BY event_at', [remote]);
    expect(rows.map((r: any) => r.status)).toEqual(['stale', 'applied']);
  });

  it('refuses a callback without our token or for another app', async () => {
    expect((await t.call(null, 'POST', '/weiling/callback?token=wrong', fake.envelope('contact_update', { contact_id: 'x' }))).status).toBe(401);
    const other = { ...fake.envelope('contact_update', { contact_id: 'x' }), header: { event_type: 'contact_update', time_stamp: '1', to_app: 'someone_else' } };
    expect((await post(other)).status).toBe(401);
    expect((await post({ to_app: fake.appId, encrypt_msg: 'abc' } as never)).status).toBe(400);
  });

  it('resolves a conflicting edit on both sides by field ownership, logging both values', async () => {
    const id = t.fx.memberIds['M00000008']!;
    const remote = remoteOf('M00000008');
    // gender is 卫瓴's (remote owner), name ours (local owner, default rules)
    await t.call(admin, 'PATCH', `/api/crm/customers/${id}`, { gender: 'male', name: '赵磊本地' });
    const env = fake.editInUi(remote, { gender: 0, user_name: '赵磊远端' }); // the fixture's members are female
    await post(env);
    await tick();
    await tick();
    const [[m]] = await t.env.services.sql.query<any[]>('SELECT name, gender FROM members WHERE id = ?', [id]);
    expect(m).toMatchObject({ name: '赵磊本地', gender: 'unknown' });
    expect(fake.contacts.get(remote)!.user_name).toBe('赵磊本地');
    const [conflicts] = await t.env.services.sql.query<any[]>('SELECT field, local_value, remote_value, winner FROM sync_conflicts WHERE object_id = ? ORDER BY field', [String(id)]);
    expect(conflicts).toEqual([
      { field: 'gender', local_value: 'male', remote_value: 'unknown', winner: 'remote' },
      { field: 'name', local_value: '赵磊本地', remote_value: '赵磊远端', winner: 'local' },
    ]);
  });

  it('catches up edits whose callbacks were lost (downtime) by reconciliation, with a checkpoint', async () => {
    fake.editInUi(remoteOf('M00000009'), { user_name: '张伟华华' }); // no callback posted
    await tick({ reconcileEveryMs: 1 });
    const [[m]] = await t.env.services.sql.query<any[]>('SELECT name FROM members WHERE id = ?', [t.fx.memberIds['M00000009']]);
    expect(m.name).toBe('张伟华华');
    const [[st]] = await t.env.services.sql.query<any[]>("SELECT `cursor`, stage FROM sync_state WHERE connection = 'weiling' AND stream = 'reconcile'");
    expect(st.cursor).toMatch(/^\d+:wl_\d+$/);
    expect(st.stage).toBe('idle');
  });

  it('keeps the member when its contact is deleted over there, unlinked and logged for a person', async () => {
    const remote = remoteOf('M00000001');
    await post(fake.envelope('contact_delete', { contact_id: remote }));
    await tick();
    const [[map]] = await t.env.services.sql.query<any[]>('SELECT unlinked_at FROM sync_id_map WHERE remote_id = ?', [remote]);
    expect(map.unlinked_at).not.toBeNull();
    const [[m]] = await t.env.services.sql.query<any[]>('SELECT status FROM members WHERE id = ?', [t.fx.memberIds['M00000001']]);
    expect(m.status).toBe('active');
    const before = edits().length;
    await t.call(admin, 'PATCH', `/api/crm/customers/${t.fx.memberIds['M00000001']}`, { name: '张伟一' });
    await tick();
    expect(edits().length).toBe(before);
  });

  it('answers 同步状态 in chat to an admin with the monitor figures, and refuses a store manager', async () => {
    const ask = async (from: string, text: string) => {
      const out = await t.rt.handle({ channel: 'console', messageId: `sync-chat-${from}-${Date.now()}`, from, text, receivedAt: new Date(), requestId: `sync-chat-${from}` });
      return out.kind === 'answer' ? out.answer : null;
    };
    const status = await t.call(admin, 'GET', '/api/crm/sync/status');
    const answer = await ask('admin_01', '同步状态');
    expect(answer?.intent).toBe('sync.status');
    // One line per object the monitor lists, the same objects as the API.
    for (const item of status.body.items as { object: string }[]) expect(answer!.text).toContain(item.object);
    const refused = await ask('store_manager_01', '同步状态');
    // Understood, but refused: none of the monitor's figures.
    expect(refused?.text ?? '').not.toContain(status.body.items[0].object);
    expect(refused?.text ?? '').not.toBe(answer!.text);
  });
});
