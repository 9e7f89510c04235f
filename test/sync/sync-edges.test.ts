import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSyncRules, pushChanges, reconcile } from '../../src/crm/sync/index.ts';
import { hashOf, writeLedger } from '../../src/crm/sync/ledger.ts';
import type { WeilingSync } from '../../src/integrations/weiling/index.ts';
import type { ApiTestEnv } from '../api/support.ts';
import type { Envelope, FakeWeiling } from '../fakes/weiling.ts';
import { createSyncTestEnv, SYNC_CALLBACK, type SyncTestEnv } from './support.ts';

/**
 * The parts of the 卫瓴 sync the main suite (sync.test.ts) leaves out: merges in 卫瓴, refunds
 * and tag changes going out, a tag changed in 卫瓴 coming in, the rate-limit answer, a timeline
 * entry left in flight by a run that died mid-page, reconciliation resuming at its checkpoint
 * after a failed run, a member merged here (contact discarded), and the field and object rules
 * from the settings. In order on one database.
 */
describe('卫瓴 sync: merges, refunds, tags, rate limits, checkpoints, rules', () => {
  let fake: FakeWeiling;
  let t: ApiTestEnv;
  let sync: WeilingSync;
  let admin: string;
  const CB = SYNC_CALLBACK;
  const sql = () => t.env.services.sql;

  let setup: SyncTestEnv;
  beforeAll(async () => {
    setup = await createSyncTestEnv('sync_edges');
    ({ fake, t, sync, admin } = setup);
    expect((await t.call(admin, 'POST', '/api/crm/sync/backfill')).status).toBe(200);
    await tick();
  }, 240_000);
  afterAll(async () => {
    await setup?.cleanup();
  });

  const tick = (o?: { reconcileEveryMs?: number }) => setup.tick(o);
  const id = (memberNo: string) => t.fx.memberIds[memberNo]!;
  const remoteOf = (memberNo: string) => fake.thirdIds.get(memberNo)!;
  const contactOf = (memberNo: string) => fake.contacts.get(remoteOf(memberNo))!;
  const post = (env: Envelope) => t.call(null, 'POST', CB, env);
  const callsTo = (path: string) => fake.calls.filter((c) => c.path === path);
  const entries = (key: string) => fake.timeline.filter((e) => e.key === key);
  const mapping = async (memberId: number) => ((await sql().query<any[]>("SELECT remote_id, unlinked_at FROM sync_id_map WHERE connection = 'weiling' AND object_type = 'member' AND local_id = ?", [String(memberId)]))[0] as any[])[0];
  const openFailures = async () => (await sql().query<any[]>("SELECT object_type, object_id, status, error FROM sync_failures WHERE status <> 'resolved'"))[0] as any[];

  it('puts a refund on the timeline once, with the member’s spend updated', async () => {
    const [[order]] = await sql().query<any[]>('SELECT order_no, amount FROM orders WHERE member_id = ? ORDER BY id LIMIT 1', [id('M00000004')]);
    const before = contactOf('M00000004').contact_custom.crm_total_spend;
    const r = await t.call(admin, 'POST', `/api/crm/orders/${encodeURIComponent(order.order_no)}/refunds`, { refundNo: 'RF-SYNC-1', amount: '10.00', reason: '测试' });
    expect(r.status).toBe(201);
    await tick();
    await tick();
    expect(entries('refund:RF-SYNC-1')).toHaveLength(1);
    // The member's figures moved with the refund (recomputed here, pushed with the entry).
    const after = contactOf('M00000004').contact_custom.crm_total_spend;
    expect(after).toMatch(/^\d+(\.\d+)?$/);
    expect(after).not.toBe(before);
  });

  it('sends a tag put on and taken off here as object-tag changes, and takes a tag added in 卫瓴', async () => {
    const m = id('M00000005');
    expect((await t.call(admin, 'POST', '/api/crm/tags/apply', { op: 'apply', tag: 'VIP', memberIds: [m] })).status).toBe(200);
    await tick();
    expect(contactOf('M00000005').tags.has('VIP')).toBe(true);
    expect((await t.call(admin, 'POST', '/api/crm/tags/apply', { op: 'remove', tag: 'VIP', memberIds: [m] })).status).toBe(200);
    await tick();
    expect(contactOf('M00000005').tags.has('VIP')).toBe(false);
    const sent = callsTo('/openapi/tag/object_tag_update').filter((c) => c.body?.object_id === remoteOf('M00000005'));
    expect(sent.map((c) => [c.body.add_tag_names, c.body.remove_tag_names])).toEqual([
      [['VIP'], []],
      [[], ['VIP']],
    ]);
    // Added by a person in 卫瓴 (a tag that exists here): it comes in, and is not echoed back.
    await post(fake.editInUi(remoteOf('M00000005'), { addTags: ['VIP'] }));
    await tick();
    const [held] = await sql().query<any[]>("SELECT t.name FROM member_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.member_id = ? AND t.name = 'VIP'", [m]);
    expect(held).toHaveLength(1);
    await tick();
    expect(callsTo('/openapi/tag/object_tag_update').filter((c) => c.body?.object_id === remoteOf('M00000005'))).toHaveLength(2);
  });

  it('treats 卫瓴’s rate-limit answer as retryable: a failure with backoff, then through', async () => {
    fake.rateLimited(1);
    expect((await t.call(admin, 'PATCH', `/api/crm/customers/${id('M00000007')}`, { name: '陈静静' })).status).toBe(200);
    await tick();
    expect(await openFailures()).toEqual([expect.objectContaining({ object_type: 'member', object_id: String(id('M00000007')), status: 'retrying', error: expect.stringContaining('45009') })]);
    expect(contactOf('M00000007').user_name).toBe('陈静');
    expect((await t.call(admin, 'POST', '/api/crm/sync/failures/retry-all')).status).toBe(200);
    await tick();
    expect(await openFailures()).toEqual([]);
    expect(contactOf('M00000007').user_name).toBe('陈静静');
  });

  it('does not add a timeline entry twice when a run died between the add and its record (in flight)', async () => {
    const [[order]] = await sql().query<any[]>('SELECT order_no, paid_at FROM orders WHERE member_id = ? ORDER BY id DESC LIMIT 1', [id('M00000008')]);
    const key = `order:${order.order_no}`;
    // Not yet pushed (the fixture's orders predate the feed): the run that "died" had added it and marked it in flight.
    await sync.ctx.connector.addActivity(remoteOf('M00000008'), { key, kind: 'order', title: '订单', content: '之前那次', at: new Date() });
    await writeLedger(sql(), 'weiling', 'activity', key, [['sent', hashOf('0')]], new Date());
    await sql().query("INSERT INTO change_feed (object_type, object_id, member_id, op, changed_at) VALUES ('order', ?, ?, 'upsert', ?)", [order.order_no, id('M00000008'), new Date()]);
    const lists = callsTo('/openapi/v2/event/list').length;
    await tick();
    expect(callsTo('/openapi/v2/event/list').length).toBe(lists + 1); // looked up first
    expect(entries(key)).toHaveLength(1);
    const [[led]] = await sql().query<any[]>("SELECT hash FROM sync_ledger WHERE object_type = 'activity' AND object_id = ?", [key]);
    expect(led.hash).toBe(hashOf('1'));
  });

  it('remaps a member when its contact is merged into a new one, and logs two members merged into one contact', async () => {
    // Merged into a contact we never saw: the member's link moves to the survivor.
    const loser = remoteOf('M00000010');
    const survivor = 'wl_survivor_1';
    await post(fake.envelope('contact_merge', { contact_id: survivor, merged_contact_ids: [loser] }));
    await tick();
    expect((await mapping(id('M00000010'))).remote_id).toBe(survivor);
    // Two members here became one contact there: a person decides; the loser is unlinked, logged.
    const a = remoteOf('M00000003');
    const b = remoteOf('M00000009');
    await post(fake.envelope('contact_merge', { contact_id: a, merged_contact_ids: [b] }));
    await tick();
    expect((await mapping(id('M00000009'))).unlinked_at).not.toBeNull();
    expect((await mapping(id('M00000003'))).unlinked_at).toBeNull();
    const [logged] = await sql().query<any[]>("SELECT object_id, field, winner FROM sync_conflicts WHERE field = '_merged'");
    expect(logged).toEqual([{ object_id: String(id('M00000009')), field: '_merged', winner: 'admin' }]);
    const [[m]] = await sql().query<any[]>('SELECT status FROM members WHERE id = ?', [id('M00000009')]);
    expect(m.status).toBe('active');
  });

  it('discards the contact of a member merged away here', async () => {
    const gone = remoteOf('M00000002');
    const r = await t.call(admin, 'POST', `/api/crm/customers/${id('M00000003')}/merge`, { mergedId: id('M00000002'), reason: '同一人' });
    expect(r.status).toBe(200);
    await tick();
    expect(fake.contacts.get(gone)!.discarded).toBe(true);
    expect(callsTo('/openapi/contact/discard').map((c) => c.body.contact_id)).toEqual([gone]);
  });

  it('resumes reconciliation at its checkpoint after a failed run', async () => {
    await tick({ reconcileEveryMs: 1 }); // the first run: cursor at the newest change
    const state = async () => ((await sql().query<any[]>("SELECT `cursor`, stage, last_error FROM sync_state WHERE connection = 'weiling' AND stream = 'reconcile'"))[0] as any[])[0];
    const saved = (await state()).cursor;
    expect(saved).toMatch(/^\d+:wl_\d+$/);
    fake.editInUi(remoteOf('M00000012'), { user_name: '周杰伦' }); // its callback lost
    fake.fail5xx(1);
    await expect(reconcile(sync.ctx)).rejects.toThrow(/500/);
    expect(await state()).toMatchObject({ cursor: saved, stage: 'idle', last_error: expect.stringContaining('500') });
    const queries = callsTo('/openapi/contact/query').length;
    await reconcile(sync.ctx);
    // The run after the failure starts at the checkpoint, not from the beginning.
    expect(callsTo('/openapi/contact/query')[queries]!.body.cursor).toBe(saved);
    const [[m]] = await sql().query<any[]>('SELECT name FROM members WHERE id = ?', [id('M00000012')]);
    expect(m.name).toBe('周杰伦');
  });

  it('follows the field and object rules of the settings', async () => {
    expect(() => parseSyncRules('points=both', '')).toThrow(/can only go out/);
    expect(() => parseSyncRules('name=sideways', '')).toThrow(/field=direction/);
    expect(() => parseSyncRules('', 'member,invoices')).toThrow(/unknown "invoices"/);
    const rules = parseSyncRules('name=off,gender=both:local', 'member');
    expect(rules.fields.gender).toEqual({ direction: 'both', owner: 'local' });
    expect(rules.objects).toEqual(['member']);
    // Name switched off, orders not synced: a renamed member with a new order sends neither.
    const ctx = { ...sync.ctx, rules };
    const m = id('M00000006');
    expect((await t.call(admin, 'PATCH', `/api/crm/customers/${m}`, { name: '刘洋洋', gender: 'female' })).status).toBe(200);
    const o = await t.call(admin, 'POST', '/api/crm/orders', { memberId: m, orderNo: 'SYNC-RULES-1', storeCode: 'S1', amount: '12.00', paidAt: new Date().toISOString(), paymentMethod: 'wechat', items: [{ name: '拿铁', qty: 1, price: '12.00' }] });
    expect(o.status).toBeLessThan(300);
    await Promise.allSettled([...t.rt.inflight]);
    await pushChanges(ctx);
    expect(contactOf('M00000006').user_name).toBe('刘洋');
    expect(contactOf('M00000006').gender).toBe(2);
    expect(entries('order:SYNC-RULES-1')).toEqual([]);
  });
});
