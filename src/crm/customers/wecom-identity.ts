import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { phoneHash } from './sealed.ts';
import { normalizePhone } from './identifiers.ts';

/**
 * The WeCom identities of a member (customers owns every identity): the external_userid of the
 * WeCom customer (客户联系) and the WeChat unionid externalcontact/get reports for a WeChat user.
 * The contacts context (src/crm/contacts) finds the member and binds through these.
 */
type Sql = Pool | PoolConnection;

/** The member holding this unionid, or null. */
export async function memberIdByUnionid(sql: Sql, unionid: string): Promise<number | null> {
  const [rows] = await sql.query<RowDataPacket[]>("SELECT id FROM members WHERE unionid = ? AND status <> 'deleted'", [unionid]);
  return rows[0] ? Number(rows[0].id) : null;
}

/** The member with this mobile (any spelling normalizePhone accepts), or null. */
export async function memberIdByMobile(sql: Sql, mobile: string): Promise<number | null> {
  const phone = normalizePhone(mobile);
  if (!phone) return null;
  const [rows] = await sql.query<RowDataPacket[]>("SELECT id FROM members WHERE phone_hash = ? AND status <> 'deleted'", [phoneHash(phone)]);
  return rows[0] ? Number(rows[0].id) : null;
}

/** The member bound to this WeCom customer, or null. */
export async function memberIdByExternalUserId(sql: Sql, externalUserId: string): Promise<number | null> {
  const [rows] = await sql.query<RowDataPacket[]>('SELECT id FROM members WHERE external_user_id = ?', [externalUserId]);
  return rows[0] ? Number(rows[0].id) : null;
}

/**
 * Binds a WeCom customer to a member: sets external_user_id (and the unionid when known and
 * free) unless the member already carries another WeCom customer. Returns false when it could
 * not (another customer, or the id is bound to another member: the unique keys say so).
 */
export async function bindWeComIdentity(sql: Sql, memberId: number, externalUserId: string, unionid: string | null, at: Date): Promise<boolean> {
  try {
    const [res] = await sql.query<ResultSetHeader>(
      `UPDATE members SET external_user_id = ?, unionid = COALESCE(unionid, ?), updated_at = ?
       WHERE id = ? AND status <> 'deleted' AND (external_user_id IS NULL OR external_user_id = ?)`,
      [externalUserId, unionid, at, memberId, externalUserId],
    );
    return res.affectedRows === 1;
  } catch (e) {
    if ((e as { errno?: number }).errno === 1062) return false;
    throw e;
  }
}
