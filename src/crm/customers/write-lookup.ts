import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { storeScope, type StaffActor } from '../kernel/index.ts';
import { normalizeMemberNo } from './identifiers.ts';
import { fieldError, phoneOrThrow } from './member-input.ts';
import { phoneHash } from './sealed.ts';

/** How an order names its member: exactly one of these. */
export interface MemberKey {
  memberId?: number;
  memberNo?: string;
  openid?: string;
  phone?: string;
}

export interface MemberForWrite {
  id: number;
  memberNo: string;
  homeStoreId: number | null;
  level: number;
}

/**
 * The member an incoming write (an order) names, inside the caller's transaction and with its
 * row locked (the points and level written later in the same transaction queue on it): by id,
 * member number, mini-program openid or phone (by its blind index). Null when there is none the actor may see — a
 * deleted member, or one of another store for a store role, is "none", as everywhere else. A
 * malformed phone or member number is a 400 naming the field. With `lock: false` (on the pool)
 * it only looks: whether the actor may see the member.
 *
 * Take it first in a write transaction: it is a locking read, so the transaction's snapshot
 * (InnoDB's read view, made by its first plain read) starts after the writes of whoever held the
 * member before — the rollups recomputed from the member's orders then miss none of them.
 */
export async function lockMemberForWrite(conn: Pool | PoolConnection, actor: StaffActor, key: MemberKey, opts: { lock?: boolean } = {}): Promise<MemberForWrite | null> {
  let where: string;
  let value: unknown;
  if (key.memberId !== undefined) [where, value] = ['id = ?', key.memberId];
  else if (key.memberNo !== undefined) {
    const no = normalizeMemberNo(key.memberNo);
    if (!no) throw fieldError('invalid_member', ['memberNo'], `「${key.memberNo}」不是会员号（M+8 位数字）`);
    [where, value] = ['member_no = ?', no];
  } else if (key.openid !== undefined) [where, value] = ['openid = ?', key.openid];
  else if (key.phone !== undefined) [where, value] = ['phone_hash = ?', phoneHash(phoneOrThrow(key.phone))];
  else return null;
  const [rows] = await conn.query<RowDataPacket[]>(`SELECT id, member_no, home_store_id, level, status FROM members WHERE ${where}${opts.lock === false ? '' : ' FOR UPDATE'}`, [value]);
  const m = rows[0];
  if (!m || m.status === 'deleted') return null;
  const scope = storeScope(actor);
  const homeStoreId = m.home_store_id === null ? null : Number(m.home_store_id);
  if (scope !== null && (homeStoreId === null || !scope.includes(homeStoreId))) return null;
  return { id: Number(m.id), memberNo: String(m.member_no), homeStoreId, level: Number(m.level) };
}
