import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributionCounts, createContactWay, listContacts, memberWeCom } from '../../src/crm/contacts/index.ts';
import { eraseMember, mergeMembers } from '../../src/crm/lifecycle/index.ts';
import { startContactsRig, type ContactsRig } from './contacts-rig.ts';

/**
 * 客户联系 events through the real callback (signature, decryption, the durable inbox), the
 * customer fetched from the fake qyapi (externalcontact/get), recorded and bound in MariaDB.
 */
let r: ContactsRig;
beforeAll(async () => {
  r = await startContactsRig('contacts');
}, 120_000);
afterAll(async () => r?.close());

describe('change_external_contact', () => {
  it('add: binds the customer by unionid, answers with the empty ack, and runs a resent callback once', async () => {
    const m2 = await r.memberId('M00000002');
    await r.services.sql.query('UPDATE members SET unionid = ? WHERE id = ?', ['oUNION-2', m2]);
    r.wc.addCustomer({ external_userid: 'wmUnion', name: '王先生', unionid: 'oUNION-2', follow: [{ userid: 'agent_01', remark: '王先生' }] });
    const req = r.eventRequest('change_external_contact', { ChangeType: 'add_external_contact', UserID: 'agent_01', ExternalUserID: 'wmUnion', WelcomeCode: 'WELCOME' });
    const first = await r.send(req);
    expect(first).toEqual({ status: 200, body: '' });
    // WeCom resends the same callback when it misses the answer: recorded once, fetched once.
    expect(await r.send(req)).toEqual({ status: 200, body: '' });
    expect(r.wc.requests.get('get')).toBe(1);
    const [c] = await r.rows('SELECT member_id, bound_by, unionid FROM wecom_customers WHERE external_userid = ?', ['wmUnion']);
    expect(c).toMatchObject({ member_id: m2, bound_by: 'unionid', unionid: 'oUNION-2' });
    const [m] = await r.rows('SELECT external_user_id FROM members WHERE id = ?', [m2]);
    expect(m!.external_user_id).toBe('wmUnion');
    const [f] = await r.rows('SELECT staff_userid, remark, deleted_at FROM wecom_follows WHERE external_userid = ?', ['wmUnion']);
    expect(f).toMatchObject({ staff_userid: 'agent_01', remark: '王先生', deleted_at: null });
    // No chat text went anywhere for an event.
    expect(r.fake.sent).toEqual([]);
  });

  it('add: binds by a mobile the staff noted (remark_mobiles, or written in the remark)', async () => {
    r.wc.addCustomer({ external_userid: 'wmMobile', name: '林', follow: [{ userid: 'agent_01', remark_mobiles: ['13800000001'] }] });
    r.wc.addCustomer({ external_userid: 'wmRemark', name: '周', follow: [{ userid: 'store_manager_01', remark: '周女士 138 0000 0003 老客' }] });
    await r.contactEvent('add_external_contact', 'agent_01', 'wmMobile');
    await r.contactEvent('add_external_contact', 'store_manager_01', 'wmRemark');
    const bound = await r.rows('SELECT external_userid, member_id, bound_by FROM wecom_customers WHERE external_userid IN (?) ORDER BY external_userid', [['wmMobile', 'wmRemark']]);
    expect(bound).toEqual([
      { external_userid: 'wmMobile', member_id: await r.memberId('M00000001'), bound_by: 'mobile' },
      { external_userid: 'wmRemark', member_id: await r.memberId('M00000003'), bound_by: 'mobile' },
    ]);
  });

  it('add with nothing to match: recorded unbound and listed for a person', async () => {
    r.wc.addCustomer({ external_userid: 'wmNobody', name: '路人甲', follow: [{ userid: 'agent_01', remark: '问过包间' }] });
    await r.contactEvent('add_half_external_contact', 'agent_01', 'wmNobody');
    const unbound = await listContacts(await r.access('hq_ops_01'), { bound: false });
    expect(unbound.map((c) => c.externalUserId)).toEqual(['wmNobody']);
    expect(unbound[0]!.staff).toMatchObject([{ userId: 'agent_01', remark: '问过包间', deletedAt: null }]);
  });

  it('del_follow_user and del_external_contact: the relationship is ended, and by whom', async () => {
    await r.contactEvent('del_follow_user', 'agent_01', 'wmMobile');
    await r.contactEvent('del_external_contact', 'store_manager_01', 'wmRemark');
    const ended = await r.rows('SELECT external_userid, deleted_by, deleted_at IS NOT NULL AS gone FROM wecom_follows WHERE external_userid IN (?) ORDER BY external_userid', [['wmMobile', 'wmRemark']]);
    expect(ended).toEqual([
      { external_userid: 'wmMobile', deleted_by: 'customer', gone: 1 },
      { external_userid: 'wmRemark', deleted_by: 'staff', gone: 1 },
    ]);
    // The member stays bound; the 360 view shows the ended relationship.
    const view = await memberWeCom(r.services, await r.memberId('M00000001'));
    expect(view?.relationships).toMatchObject([{ staffUserId: 'agent_01', deletedBy: 'customer' }]);
  });

  it('change_external_chat is recorded', async () => {
    await r.send(r.eventRequest('change_external_chat', { ChatId: 'wrChat1', ChangeType: 'create' }));
    await r.send(r.eventRequest('change_external_chat', { ChatId: 'wrChat1', ChangeType: 'dismiss' }));
    const [chat] = await r.rows('SELECT change_type, dismissed_at IS NOT NULL AS dismissed FROM wecom_group_chats WHERE chat_id = ?', ['wrChat1']);
    expect(chat).toEqual({ change_type: 'dismiss', dismissed: 1 });
  });
});

describe('the 360 view of a member bound to several customers', () => {
  it('shows the customer bound last, the same one on every read', async () => {
    const m = await r.memberId('M00000009');
    // The later-bound customer has the larger id: read in index order (member_id, then id) the other came first.
    await r.services.sql.query(
      "INSERT INTO wecom_customers (external_userid, name, member_id, bound_by, bound_at, created_at, updated_at) VALUES ('wmTwoA', '甲', ?, 'manual', '2026-01-01 00:00:00', NOW(3), NOW(3)), ('wmTwoZ', '乙', ?, 'manual', '2026-03-01 00:00:00', NOW(3), NOW(3))",
      [m, m],
    );
    await r.services.sql.query("INSERT INTO wecom_follows (external_userid, staff_userid, remark, added_at, wecom_tags) VALUES ('wmTwoA', 'agent_01', 'a', NOW(3), '[]'), ('wmTwoZ', 'agent_02', 'z', NOW(3), '[]')");
    for (let i = 0; i < 3; i++) expect((await memberWeCom(r.services, m))?.externalUserId).toBe('wmTwoZ');
    expect((await memberWeCom(r.services, m))?.relationships).toMatchObject([{ staffUserId: 'agent_02', remark: 'z' }]);
  });
});

describe('attribution by contact-way state', () => {
  it('QR codes per store/staff; customers arriving with the state count for that store and staff, visible in the 360 view', async () => {
    const hq = await r.access('hq_ops_01');
    const a = await createContactWay(hq, r.port, { store: 1, staffUserId: 'agent_01' });
    const b = await createContactWay(hq, r.port, { store: 2, staffUserId: 'agent_02' });
    expect(r.wc.contactWays.map((w) => [w.state, w.user])).toEqual([
      [a.state, ['agent_01']],
      [b.state, ['agent_02']],
    ]);
    expect(a.state.length).toBeLessThanOrEqual(30);
    r.wc.addCustomer({ external_userid: 'wmQr1', name: '扫码一', follow: [{ userid: 'agent_01', state: a.state, remark_mobiles: ['13800000004'] }] });
    r.wc.addCustomer({ external_userid: 'wmQr2', name: '扫码二', follow: [{ userid: 'agent_01', state: a.state }] });
    r.wc.addCustomer({ external_userid: 'wmQr3', name: '扫码三', follow: [{ userid: 'agent_02', state: b.state }] });
    await r.contactEvent('add_external_contact', 'agent_01', 'wmQr1', { State: a.state });
    await r.contactEvent('add_external_contact', 'agent_01', 'wmQr2', { State: a.state });
    await r.contactEvent('add_external_contact', 'agent_02', 'wmQr3', { State: b.state });
    const counts = await attributionCounts(hq);
    expect(counts.map((c) => [c.storeId, c.staffUserId, c.customers, c.active])).toEqual([
      [1, 'agent_01', 2, 2],
      [2, 'agent_02', 1, 1],
    ]);
    // A store manager sees only their store's line.
    expect((await attributionCounts(await r.access('store_manager_02'))).map((c) => c.storeId)).toEqual([2]);
    const view = await memberWeCom(r.services, await r.memberId('M00000004'));
    expect(view?.relationships).toMatchObject([{ staffUserId: 'agent_01', state: a.state, storeId: 1, attributedStaff: '黄丽' }]);
  });

  it('a store manager cannot make QR codes for another store', async () => {
    await expect(createContactWay(await r.access('store_manager_01'), r.port, { store: 2, staffUserId: 'agent_02' })).rejects.toMatchObject({ code: 'contacts_store_not_found' });
  });
});

describe('merge and erasure', () => {
  it('a merged member’s WeCom customer follows the survivor; an erased member’s loses the binding and the copied personal data', async () => {
    const m2 = await r.memberId('M00000002'); // bound to wmUnion above
    const m8 = await r.memberId('M00000008');
    const admin = await r.access('hq_ops_01');
    await mergeMembers(admin, { survivorId: m8, mergedId: m2 });
    expect((await r.rows('SELECT member_id FROM wecom_customers WHERE external_userid = ?', ['wmUnion']))[0]!.member_id).toBe(m8);
    expect((await memberWeCom(r.services, m8))?.externalUserId).toBe('wmUnion');
    await eraseMember(admin, { memberId: m8 });
    expect((await r.rows('SELECT member_id, name, unionid FROM wecom_customers WHERE external_userid = ?', ['wmUnion']))[0]).toEqual({ member_id: null, name: '', unionid: null });
    expect((await r.rows('SELECT remark FROM wecom_follows WHERE external_userid = ?', ['wmUnion'])).map((f) => f.remark)).toEqual(['']);
    expect((await r.rows('SELECT unionid, external_user_id FROM members WHERE id = ?', [m8]))[0]).toEqual({ unionid: null, external_user_id: null });
  });
});
