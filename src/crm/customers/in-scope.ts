import { notFound, type StaffActor } from '../kernel/index.ts';
import type { Services } from '../../services.ts';
import { visibleMembers } from './scope.ts';

/**
 * One member by id, only when the staff member may see it (store scope, not deleted). A member
 * of another store answers exactly like a missing one (404 member_not_found): nothing leaks.
 */
export async function memberInScope(services: Services, actor: StaffActor, memberId: number): Promise<{ id: number; memberNo: string; name: string; homeStoreId: number | null }> {
  const m = await services.db.member.findFirst({
    where: { AND: [visibleMembers(actor), { id: memberId }] },
    select: { id: true, memberNo: true, name: true, homeStoreId: true },
  });
  if (!m) throw notFound('member_not_found', '没有找到这位会员（或不在你可查看的门店）。');
  return m;
}
