import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import { recordChanges } from '../kernel/index.ts';
import { phoneColumns } from './sealed.ts';

/**
 * The member rows in a merge or an erasure (run by the lifecycle context inside its one
 * transaction, on its connection): locking them, folding the duplicate into the survivor,
 * erasing personal data.
 */

/** What stays of an erased member: a placeholder name and a phone no real number can have. */
export const ERASED_NAME = '已注销用户';
/** 11 characters starting with 0 (mainland mobiles start with 1): unique by id, never a real phone. */
export const erasedPhone = (id: number) => `0${String(id).padStart(10, '0')}`;

export interface LockedMember {
  id: number;
  points: number;
  growthValue: number;
  level: number;
  openid: string | null;
  externalUserId: string | null;
  status: string;
}

/** Locks the members' rows (in id order, so two opposite merges cannot deadlock) and reads them. */
export async function lockMembers(conn: PoolConnection, ids: number[]): Promise<LockedMember[]> {
  const [rows] = await conn.query<RowDataPacket[]>('SELECT id, points, growth_value, level, openid, external_user_id, status FROM members WHERE id IN (?) ORDER BY id FOR UPDATE', [ids]);
  return rows.map((r) => ({ id: Number(r.id), points: Number(r.points), growthValue: Number(r.growth_value), level: Number(r.level), openid: r.openid, externalUserId: r.external_user_id, status: r.status }));
}

/**
 * Folds duplicate `m` into survivor `s` (both locked): the duplicate becomes a deleted row
 * pointing at the survivor (merged_into_id) without identities or growth value; the survivor
 * gets the sum of growth values, the higher level, and the WeChat identities when it has none.
 * Identities are unique: they are cleared on the duplicate before the survivor takes them.
 */
export async function mergeMemberRows(conn: PoolConnection, s: LockedMember, m: LockedMember, at: Date): Promise<void> {
  await conn.query("UPDATE members SET status = 'deleted', merged_into_id = ?, openid = NULL, external_user_id = NULL, unionid = NULL, growth_value = 0, updated_at = ? WHERE id = ?", [s.id, at, m.id]);
  await conn.query('UPDATE members SET growth_value = ?, level = ?, openid = COALESCE(openid, ?), external_user_id = COALESCE(external_user_id, ?), updated_at = ? WHERE id = ?', [
    s.growthValue + m.growthValue,
    Math.max(s.level, m.level),
    m.openid,
    m.externalUserId,
    at,
    s.id,
  ]);
  await recordChanges(conn, at, [{ object: 'member', id: m.id, memberId: m.id, op: 'delete' }, { object: 'member', id: s.id, memberId: s.id }]);
}

/** Locks a member's row; its status, or null when there is no such member. */
export async function lockMemberStatus(conn: PoolConnection, id: number): Promise<string | null> {
  const [[row]] = await conn.query<RowDataPacket[]>('SELECT status FROM members WHERE id = ? FOR UPDATE', [id]);
  return row ? String(row.status) : null;
}

/**
 * Erases a member's personal data (the row locked): name, phone, birthday, gender, email,
 * remarks, addresses, the chain's customer number and WeChat identities; the row stays as an
 * anonymous deleted member. Profile change values go too.
 */
export async function eraseMemberRow(conn: PoolConnection, id: number, at: Date): Promise<void> {
  await conn.query(
    `UPDATE members SET name = ?, phone_enc = ?, phone_hash = ?, phone_tail = ?, gender = 'unknown', birthday = NULL, email_enc = NULL, email_hash = NULL, remarks = NULL, addresses = NULL, customer_no = NULL, openid = NULL, external_user_id = NULL, unionid = NULL,
            status = 'deleted', erased_at = ? WHERE id = ?`,
    [ERASED_NAME, ...Object.values(phoneColumns(erasedPhone(id))), at, id],
  );
  await recordChanges(conn, at, [{ object: 'member', id, memberId: id, op: 'delete' }]);
  await conn.query('UPDATE member_profile_changes SET old_value = NULL, new_value = NULL WHERE member_id = ?', [id]);
}
