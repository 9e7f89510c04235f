import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eraseMember } from '../../src/crm/lifecycle/index.ts';
import { startContactsRig, type ContactsRig } from './contacts-rig.ts';

/**
 * change_external_chat through the real callback (signature, decryption, the durable inbox): the
 * chat fetched from the fake qyapi (groupchat/get), its external members recorded and bound to
 * members by the one binder, leaving and dismissal recorded, and a WeCom error never losing the event.
 */
let r: ContactsRig;
beforeAll(async () => {
  r = await startContactsRig('groupchat');
}, 120_000);
afterAll(async () => r?.close());

const chatEvent = (chatId: string, changeType: string, more: Record<string, string> = {}) => r.eventRequest('change_external_chat', { ChatId: chatId, ChangeType: changeType, ...more });

describe('change_external_chat', () => {
  it('create binds an external member by unionid; del_member marks them left; a busy WeCom is retried; dismiss marks the chat', async () => {
    const m5 = await r.memberId('M00000005');
    await r.services.sql.query('UPDATE members SET unionid = ? WHERE id = ?', ['oUNION-G5', m5]);
    r.wc.groupChats.set('wrG1', {
      chat_id: 'wrG1',
      name: '老客群',
      owner: 'agent_01',
      members: [
        { userid: 'agent_01', type: 1, name: '黄丽' },
        { userid: 'wmG1', type: 2, unionid: 'oUNION-G5', name: '群友甲', join_scene: 3 },
        { userid: 'wmG2', type: 2, name: '群友乙' },
      ],
    });

    expect(await r.send(chatEvent('wrG1', 'create'))).toEqual({ status: 200, body: '' });
    expect(r.wc.requests.get('groupchat/get')).toBe(1);
    expect((await r.rows('SELECT name, owner, change_type, fetch_error, dismissed_at FROM wecom_group_chats WHERE chat_id = ?', ['wrG1']))[0]).toEqual({ name: '老客群', owner: 'agent_01', change_type: 'create', fetch_error: null, dismissed_at: null });
    const members = await r.rows('SELECT userid, type, unionid, name, join_scene, member_id, left_at FROM wecom_group_chat_members WHERE chat_id = ? ORDER BY userid', ['wrG1']);
    expect(members).toEqual([
      { userid: 'agent_01', type: 1, unionid: null, name: '黄丽', join_scene: 1, member_id: null, left_at: null },
      { userid: 'wmG1', type: 2, unionid: 'oUNION-G5', name: '群友甲', join_scene: 3, member_id: m5, left_at: null },
      { userid: 'wmG2', type: 2, unionid: null, name: '群友乙', join_scene: 1, member_id: null, left_at: null },
    ]);
    // Bound the way change_external_contact binds: the customer row and the member's identity.
    expect((await r.rows('SELECT member_id, bound_by FROM wecom_customers WHERE external_userid = ?', ['wmG1']))[0]).toEqual({ member_id: m5, bound_by: 'unionid' });
    expect((await r.rows('SELECT external_user_id FROM members WHERE id = ?', [m5]))[0]!.external_user_id).toBe('wmG1');

    // del_member: WeCom no longer lists wmG1.
    r.wc.groupChats.get('wrG1')!.members = r.wc.groupChats.get('wrG1')!.members.filter((m) => m.userid !== 'wmG1');
    expect(await r.send(chatEvent('wrG1', 'update', { UpdateDetail: 'del_member', QuitScene: '0', MemChangeCnt: '1' }))).toEqual({ status: 200, body: '' });
    const after = await r.rows('SELECT userid, left_at IS NOT NULL AS gone, quit_scene FROM wecom_group_chat_members WHERE chat_id = ? ORDER BY userid', ['wrG1']);
    expect(after).toEqual([
      { userid: 'agent_01', gone: 0, quit_scene: null },
      { userid: 'wmG1', gone: 1, quit_scene: 0 },
      { userid: 'wmG2', gone: 0, quit_scene: null },
    ]);

    // WeCom busy on groupchat/get: the event is recorded, the callback fails so WeCom resends it, and the resend applies it.
    r.wc.groupChats.get('wrG1')!.name = '老客福利群';
    r.wc.groupChatErrors.push(-1, -1, -1);
    const rename = chatEvent('wrG1', 'update', { UpdateDetail: 'change_name' });
    const failed = await r.send(rename);
    expect(failed.status).toBeGreaterThanOrEqual(500);
    const kept = (await r.rows('SELECT name, change_type, update_detail, fetch_error FROM wecom_group_chats WHERE chat_id = ?', ['wrG1']))[0]!;
    expect(kept).toMatchObject({ name: '老客群', change_type: 'update', update_detail: 'change_name' });
    expect(String(kept.fetch_error)).toContain('(-1)');
    r.wc.groupChatErrors.length = 0;
    expect(await r.send(rename)).toEqual({ status: 200, body: '' });
    expect((await r.rows('SELECT name, fetch_error FROM wecom_group_chats WHERE chat_id = ?', ['wrG1']))[0]).toEqual({ name: '老客福利群', fetch_error: null });

    // dismiss: marked, not fetched (the chat is gone).
    const calls = r.wc.requests.get('groupchat/get');
    expect(await r.send(chatEvent('wrG1', 'dismiss'))).toEqual({ status: 200, body: '' });
    expect(r.wc.requests.get('groupchat/get')).toBe(calls);
    expect((await r.rows('SELECT change_type, dismissed_at IS NOT NULL AS dismissed FROM wecom_group_chats WHERE chat_id = ?', ['wrG1']))[0]).toEqual({ change_type: 'dismiss', dismissed: 1 });
  });

  it('a chat WeCom refuses for good is kept with the error and acknowledged, not retried forever', async () => {
    expect(await r.send(chatEvent('wrUnknown', 'create'))).toEqual({ status: 200, body: '' });
    const [chat] = await r.rows('SELECT change_type, fetch_error FROM wecom_group_chats WHERE chat_id = ?', ['wrUnknown']);
    expect(chat!.change_type).toBe('create');
    expect(String(chat!.fetch_error)).toContain('40050');
  });
});

describe('erasure', () => {
  it('an erased member’s group-chat membership loses the binding and the name and unionid copied from WeCom', async () => {
    const m5 = await r.memberId('M00000005'); // bound through wrG1 above
    await eraseMember(await r.access('hq_ops_01'), { memberId: m5 });
    expect((await r.rows('SELECT name, unionid, member_id FROM wecom_group_chat_members WHERE userid = ?', ['wmG1']))[0]).toEqual({ name: '', unionid: null, member_id: null });
    expect((await r.rows('SELECT name FROM wecom_group_chat_members WHERE userid = ?', ['wmG2']))[0]!.name).toBe('群友乙');
  });
});
