import type { RowDataPacket } from 'mysql2/promise';
import type { Services } from '../../services.ts';
import { isAppError } from '../kernel/index.ts';
import type { ContactEvent } from './events.ts';
import type { ContactsPort, GroupChat } from './port.ts';
import { bindCustomer } from './record.ts';

type ChatEvent = Extract<ContactEvent, { kind: 'chat' }>;

/**
 * One change_external_chat (Tencent: 客户群变更事件). The event is recorded first, on its own, so a
 * failed fetch never loses it. create and update fetch the chat (groupchat/get: the event carries
 * only the ChatId and what changed) and record it whole — name, owner, members — so a resent or
 * reordered event converges on WeCom's state; a member no longer listed has left (del_member).
 * dismiss only marks the chat: a dismissed chat is no longer there to fetch.
 *
 * A retryable WeCom error (busy, rate limit) is rethrown, so the inbox releases its claim and
 * WeCom's resend runs the event again; a permanent one (e.g. the owner outside the app's visible
 * range) is kept on the chat row (fetch_error) and logged, not retried forever.
 */
export async function onGroupChatEvent(services: Services, port: ContactsPort, e: ChatEvent): Promise<string> {
  await recordChatEvent(services, e);
  if (e.changeType === 'dismiss') return 'chat.dismiss';
  let chat: GroupChat;
  try {
    chat = await port.getGroupChat(e.chatId);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await services.sql.query('UPDATE wecom_group_chats SET fetch_error = ? WHERE chat_id = ?', [message.slice(0, 255), e.chatId]);
    if (!isAppError(err) || err.retryable) throw err;
    services.logger.warn({ chatId: e.chatId, err: message }, 'wecom group chat: groupchat/get refused, event kept with the error');
    return `chat.${e.changeType}.refused`;
  }
  await recordChat(services, chat, e.updateDetail === 'del_member' ? (e.quitScene ?? null) : null);
  return `chat.${e.changeType}`;
}

async function recordChatEvent(services: Services, e: ChatEvent): Promise<void> {
  const now = services.now();
  await services.sql.query(
    `INSERT INTO wecom_group_chats (chat_id, change_type, update_detail, dismissed_at, updated_at) VALUES (?, ?, ?, ?, ?)
     ON DUPLICATE KEY UPDATE change_type = VALUES(change_type), update_detail = VALUES(update_detail), dismissed_at = COALESCE(VALUES(dismissed_at), dismissed_at), updated_at = VALUES(updated_at)`,
    [e.chatId, e.changeType, e.updateDetail ?? null, e.changeType === 'dismiss' ? now : null, now],
  );
}

/** The chat as groupchat/get lists it; external members recorded as customers and bound by the one binder (record.ts). */
async function recordChat(services: Services, chat: GroupChat, quitScene: number | null): Promise<void> {
  const now = services.now();
  await services.sql.query('UPDATE wecom_group_chats SET name = ?, owner = ?, fetch_error = NULL WHERE chat_id = ?', [chat.name.slice(0, 128), chat.owner || null, chat.chat_id]);
  for (const m of chat.member_list) {
    let memberId: number | null = null;
    if (m.type === 2) {
      // A group's external member need not be any staff member's contact: recorded as a customer with no relationship.
      await services.sql.query(
        `INSERT INTO wecom_customers (external_userid, name, type, unionid, created_at, updated_at) VALUES (?, ?, 1, ?, ?, ?)
         ON DUPLICATE KEY UPDATE unionid = COALESCE(VALUES(unionid), unionid), updated_at = VALUES(updated_at)`,
        [m.userid, m.name.slice(0, 64), m.unionid ?? null, now, now],
      );
      memberId = (await bindCustomer(services, m.userid, m.unionid ?? null, [])).memberId;
    }
    await services.sql.query(
      `INSERT INTO wecom_group_chat_members (chat_id, userid, type, unionid, name, join_time, join_scene, member_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON DUPLICATE KEY UPDATE type = VALUES(type), unionid = COALESCE(VALUES(unionid), unionid), name = VALUES(name), join_time = VALUES(join_time),
         join_scene = VALUES(join_scene), member_id = COALESCE(VALUES(member_id), member_id), left_at = NULL, quit_scene = NULL, updated_at = VALUES(updated_at)`,
      [chat.chat_id, m.userid, m.type, m.unionid ?? null, m.name.slice(0, 64), m.join_time ? new Date(m.join_time * 1000) : null, m.join_scene ?? null, memberId, now],
    );
  }
  const present = chat.member_list.map((m) => m.userid);
  const [gone] = await services.sql.query<RowDataPacket[]>(
    `SELECT userid FROM wecom_group_chat_members WHERE chat_id = ? AND left_at IS NULL${present.length ? ' AND userid NOT IN (?)' : ''}`,
    present.length ? [chat.chat_id, present] : [chat.chat_id],
  );
  if (gone.length) {
    await services.sql.query('UPDATE wecom_group_chat_members SET left_at = ?, quit_scene = ?, updated_at = ? WHERE chat_id = ? AND userid IN (?)', [now, quitScene, now, chat.chat_id, gone.map((g) => String(g.userid))]);
  }
}
