import type { RowDataPacket } from 'mysql2/promise';
import { notFound, type AppError, type StaffActor } from '../kernel/index.ts';
import type { Services } from '../../services.ts';
import { visibleMembersSql } from './scope.ts';

/** The one answer for "no such member" and "a member of another store": nothing leaks. */
export const memberNotFound = (): AppError => notFound('member_not_found', '没有找到这位会员（或不在你可查看的门店）。');

/**
 * One member by id, only when the staff member may see it (store scope, not deleted). A member
 * of another store answers exactly like a missing one (404 member_not_found): nothing leaks.
 * One primary-key statement through mysql2 (it guards every per-member API route and chat
 * write; through Prisma it cost a query compilation on each).
 */
export async function memberInScope(services: Pick<Services, 'sql'>, actor: StaffActor, memberId: number): Promise<{ id: number; memberNo: string; name: string; homeStoreId: number | null }> {
  const scope = visibleMembersSql(actor);
  const [rows] = await services.sql.query<RowDataPacket[]>(`SELECT m.id, m.member_no, m.name, m.home_store_id FROM members m WHERE m.id = ? AND (${scope.sql}) LIMIT 1`, [memberId, ...scope.params]);
  const m = rows[0];
  if (!m) throw memberNotFound();
  return { id: Number(m.id), memberNo: String(m.member_no), name: String(m.name), homeStoreId: m.home_store_id === null ? null : Number(m.home_store_id) };
}
