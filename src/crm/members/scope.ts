import type { StaffActor } from '../../bot/types.ts';
import type { Prisma } from '../../db/prisma.ts';
import { storeScope } from '../auth/permissions.ts';

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
