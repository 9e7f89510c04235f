import type { Services } from '../../services.ts';
import type { StaffActor } from './actor.ts';
import { processCache } from './process-cache.ts';
import { activeStaffActor } from './staff.ts';

/**
 * The sender of a chat turn as a staff actor, read once per STAFF_IDENTITY_TTL_MS per process
 * (the lookup was two Prisma queries on every turn; docs/benchmarks.md, bench:http). The identity is still checked on
 * every turn — against a copy at most that old: a staff member deactivated, moved or demoted
 * through the staff directory loses the old access at once in the process that changed them
 * (`forgetStaffIdentities`, called by staff-admin.ts) and within the TTL in every other process.
 * Unknown and inactive senders are remembered as such for as long, so an unknown sender's
 * flood costs no reads either. Sign-in, sessions and API tokens keep reading `staff` on every
 * use (activeStaffActor): this copy serves chat turns only. Kept in the kernel's one process
 * cache (process-cache.ts).
 */
const identities = processCache<StaffActor | null>();

/** The active staff member with this WeCom userid, as an actor (a copy at most STAFF_IDENTITY_TTL_MS old); null when unknown or inactive. */
export async function staffIdentity(services: Pick<Services, 'sql' | 'config'>, wecomUserId: string): Promise<StaffActor | null> {
  const actor = await identities.get(services.sql, wecomUserId, services.config.STAFF_IDENTITY_TTL_MS, () => activeStaffActor(services, wecomUserId));
  // A copy: the caller may not change the one kept.
  return actor && { ...actor, storeIds: [...actor.storeIds] };
}

/** Drops this process's copies (a staff row or its stores changed here). */
export function forgetStaffIdentities(services: Pick<Services, 'sql'>): void {
  identities.forget(services.sql);
}
