import type { PoolConnection } from 'mysql2/promise';

/**
 * The contacts context's part of a member merge and an erasure (src/crm/lifecycle), on the
 * caller's transaction: a merged member's WeCom customer follows the survivor (customers'
 * mergeMemberRows moves the external_user_id the same way); an erased member's WeCom customer
 * loses the binding and the personal data we copied from WeCom (name, unionid, staff remarks),
 * in the group chats it is a member of too.
 */
export async function moveWeComContacts(conn: PoolConnection, from: number, to: number): Promise<number> {
  const [res] = await conn.query<import('mysql2/promise').ResultSetHeader>('UPDATE wecom_customers SET member_id = ? WHERE member_id = ?', [to, from]);
  await conn.query('UPDATE wecom_group_chat_members SET member_id = ? WHERE member_id = ?', [to, from]);
  return res.affectedRows;
}

export async function eraseWeComContacts(conn: PoolConnection, memberId: number): Promise<void> {
  await conn.query("UPDATE wecom_group_chat_members g JOIN wecom_customers c ON c.external_userid = g.userid SET g.name = '', g.unionid = NULL, g.member_id = NULL WHERE c.member_id = ? OR g.member_id = ?", [memberId, memberId]);
  await conn.query("UPDATE wecom_follows f JOIN wecom_customers c ON c.external_userid = f.external_userid SET f.remark = '' WHERE c.member_id = ?", [memberId]);
  await conn.query("UPDATE wecom_customers SET name = '', unionid = NULL, member_id = NULL, bound_by = NULL, bound_at = NULL WHERE member_id = ?", [memberId]);
}
