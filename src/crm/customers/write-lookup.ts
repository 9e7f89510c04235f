import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { storeScope, type StaffActor } from '../kernel/index.ts';
import { normalizeMemberNo } from './identifiers.ts';
import { fieldError } from '../kernel/index.ts';
import { phoneOrThrow } from './member-input.ts';
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
  /** The points balance, read with the lock (the order's points are added to it in the same transaction). */
  points: number;
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
  const [rows] = await conn.query<RowDataPacket[]>(`SELECT id, member_no, home_store_id, level, points, status FROM members WHERE ${where}${opts.lock === false ? '' : ' FOR UPDATE'}`, [value]);
  const m = rows[0];
  if (!m || m.status === 'deleted') return null;
  const scope = storeScope(actor);
  const homeStoreId = m.home_store_id === null ? null : Number(m.home_store_id);
  if (scope !== null && (homeStoreId === null || !scope.includes(homeStoreId))) return null;
  return { id: Number(m.id), memberNo: String(m.member_no), homeStoreId, level: Number(m.level), points: Number(m.points) };
}

/**
 * lockMemberForWrite for a batch of keys (a batch of orders), in one transaction: ids, member
 * numbers, openids and phones (by their blind index, as lockMemberForWrite finds one) in one
 * locking read each, whatever the batch size — a POS that names its members by phone sends a
 * thousand of them a batch, which were a thousand statements when looked up one by one. Per key,
 * in order: the member, null (none the actor may see), or the 400 a malformed phone or member
 * number gets.
 */
export async function lockMembersForWrite(conn: PoolConnection, actor: StaffActor, keys: MemberKey[]): Promise<(MemberForWrite | null | Error)[]> {
  const out: (MemberForWrite | null | Error)[] = new Array(keys.length).fill(null);
  const byColumn = { id: new Map<unknown, number[]>(), member_no: new Map<unknown, number[]>(), openid: new Map<unknown, number[]>(), phone_hash: new Map<unknown, number[]>() };
  // Text keys compare as the column's collation does (case-insensitive), as `= ?` would.
  const norm = (col: keyof typeof byColumn, value: unknown) => (col === 'id' ? Number(value) : String(value).toLowerCase());
  const sent = new Map<unknown, unknown>();
  const want = (col: keyof typeof byColumn, value: unknown, i: number) => {
    const k = norm(col, value);
    const list = byColumn[col].get(k);
    sent.set(k, value);
    if (list) list.push(i);
    else byColumn[col].set(k, [i]);
  };
  keys.forEach((key, i) => {
    if (key.memberId !== undefined) want('id', key.memberId, i);
    else if (key.memberNo !== undefined) {
      const no = normalizeMemberNo(key.memberNo);
      if (!no) out[i] = fieldError('invalid_member', ['memberNo'], `「${key.memberNo}」不是会员号（M+8 位数字）`);
      else want('member_no', no, i);
    } else if (key.openid !== undefined) want('openid', key.openid, i);
    else if (key.phone !== undefined) {
      // The phone as lockMemberForWrite stores and finds it (normalized, then its blind index); a malformed one is its 400.
      try {
        want('phone_hash', phoneHash(phoneOrThrow(key.phone)), i);
      } catch (e) {
        out[i] = e as Error;
      }
    }
  });
  const scope = storeScope(actor);
  for (const col of ['id', 'member_no', 'openid', 'phone_hash'] as const) {
    const wanted = byColumn[col];
    if (!wanted.size) continue;
    // Locked in id order whatever the batch's order, so two batches sharing members queue rather than deadlock.
    const [rows] = await conn.query<RowDataPacket[]>(`SELECT id, member_no, openid, phone_hash, home_store_id, level, points, status FROM members WHERE ${col} IN (?) ORDER BY id FOR UPDATE`, [[...wanted.keys()].map((k) => sent.get(k))]);
    for (const m of rows) {
      if (m.status === 'deleted') continue;
      const homeStoreId = m.home_store_id === null ? null : Number(m.home_store_id);
      if (scope !== null && (homeStoreId === null || !scope.includes(homeStoreId))) continue;
      const member: MemberForWrite = { id: Number(m.id), memberNo: String(m.member_no), homeStoreId, level: Number(m.level), points: Number(m.points) };
      for (const i of wanted.get(norm(col, m[col])) ?? []) out[i] = member;
    }
  }
  return out;
}
