import type { RowDataPacket } from 'mysql2/promise';
import { audit, countedOrder, phoneFor, requirePermission, type StaffAccess } from '../kernel/index.ts';
import { openPhone } from './sealed.ts';
import { visibleMembersSql } from './scope.ts';

export interface DuplicateGroup {
  reason: 'name_birthday';
  key: string;
  members: { id: number; memberNo: string; name: string; phone: string; homeStoreId: number | null; registeredAt: Date; orders: number }[];
}

/**
 * Probable duplicates among members the actor sees: the same name and birthday. (The same phone
 * cannot occur twice: members.phone_hash is unique, and imports update by phone.) Phones masked by role.
 */
export async function findDuplicates(access: StaffAccess, opts: { memberId?: number; limit?: number } = {}): Promise<DuplicateGroup[]> {
  requirePermission(access.actor, 'member.merge');
  const scope = visibleMembersSql(access.actor);
  const only = opts.memberId ? ' AND (m.name, m.birthday) IN (SELECT name, birthday FROM members WHERE id = ?)' : '';
  const [groups] = await access.services.sql.query<RowDataPacket[]>(
    `SELECT m.name, m.birthday FROM members m WHERE (${scope.sql}) AND m.birthday IS NOT NULL${only}
      GROUP BY m.name, m.birthday HAVING COUNT(*) > 1 ORDER BY m.name LIMIT ?`,
    [...scope.params, ...(opts.memberId ? [opts.memberId] : []), Math.min(opts.limit ?? 50, 500)],
  );
  const out: DuplicateGroup[] = [];
  for (const g of groups) {
    const [rows] = await access.services.sql.query<RowDataPacket[]>(
      `SELECT m.id, m.member_no, m.name, m.phone_enc, m.home_store_id, m.registered_at, (SELECT COUNT(*) FROM orders o WHERE o.member_id = m.id AND ${countedOrder('o')}) AS orders
         FROM members m WHERE (${scope.sql}) AND m.name = ? AND m.birthday = ? ORDER BY m.id`,
      [...scope.params, g.name, g.birthday],
    );
    out.push({
      reason: 'name_birthday',
      key: `${g.name}|${g.birthday instanceof Date ? g.birthday.toISOString().slice(0, 10) : String(g.birthday)}`,
      members: rows.map((r) => ({ id: Number(r.id), memberNo: String(r.member_no), name: String(r.name), phone: phoneFor(access.actor, openPhone(String(r.phone_enc))), homeStoreId: r.home_store_id === null ? null : Number(r.home_store_id), registeredAt: r.registered_at as Date, orders: Number(r.orders) })),
    });
  }
  await audit(access.services, { actor: access.actor, action: 'member.duplicates', targetType: 'member_search', targetId: opts.memberId ? `duplicates:${opts.memberId}` : 'duplicates', channel: access.channel, requestId: access.requestId, detail: { groups: out.length } });
  return out;
}
