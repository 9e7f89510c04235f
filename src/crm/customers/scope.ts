import { storeScope, storeScopeSql, type StaffActor } from '../kernel/index.ts';
import type { Prisma } from '../../db/prisma.ts';

/**
 * The members this staff member may see: HQ roles every store, store roles only members whose
 * home store is theirs (a member with no home store is HQ's). Deleted members are nobody's.
 * Every member query ANDs this in, so a member of another store is simply "not found".
 */
export function visibleMembers(actor: StaffActor): Prisma.MemberWhereInput {
  const stores = storeScope(actor);
  return {
    status: { not: 'deleted' },
    ...(stores === null ? {} : { homeStoreId: { in: stores } }),
  };
}

/** visibleMembers as a SQL condition on the members alias `m`, for hand-written statements. */
export function visibleMembersSql(actor: StaffActor): { sql: string; params: unknown[] } {
  const scope = storeScopeSql(storeScope(actor));
  return { sql: `m.status <> 'deleted'${scope.sql}`, params: scope.params };
}
