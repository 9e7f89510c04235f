import type { Services } from '../../services.ts';
import type { StaffActor } from './actor.ts';
import { activeStaffActor } from './staff.ts';

/**
 * The sender of a chat turn as a staff actor, read once per STAFF_IDENTITY_TTL_MS per process
 * (the lookup was two Prisma queries on every turn; docs/benchmarks.md, bench:http). The identity is still checked on
 * every turn — against a copy at most that old: a staff member deactivated, moved or demoted
 * through the staff directory loses the old access at once in the process that changed them
 * (`forgetStaffIdentities`, called by staff-admin.ts) and within the TTL in every other process.
 * Unknown and inactive senders are remembered as such for as long, so an unknown sender's
 * flood costs no reads either. Sign-in, sessions and API tokens keep reading `staff` on every
 * use (activeStaffActor): this copy serves chat turns only.
 */
interface Entry {
  actor: StaffActor | null;
  until: number;
}

/** One cache per services object (a process has one; tests make several, each on its own database). */
const caches = new WeakMap<object, { entries: Map<string, Entry>; generation: number }>();
/** Bound on the entries kept: a flood of made-up senders cannot grow the map without end. */
const MAX_ENTRIES = 10_000;

function cacheOf(services: Pick<Services, 'sql'>) {
  let cache = caches.get(services.sql);
  if (!cache) caches.set(services.sql, (cache = { entries: new Map(), generation: 0 }));
  return cache;
}


/** The active staff member with this WeCom userid, as an actor (a copy at most STAFF_IDENTITY_TTL_MS old); null when unknown or inactive. */
export async function staffIdentity(services: Pick<Services, 'sql' | 'config'>, wecomUserId: string): Promise<StaffActor | null> {
  const ttl = services.config.STAFF_IDENTITY_TTL_MS;
  if (ttl === 0) return activeStaffActor(services, wecomUserId);
  const cache = cacheOf(services);
  const now = Date.now(); // a wall-clock lifetime, not the injected business clock (tests move that one)
  const hit = cache.entries.get(wecomUserId);
  if (hit && hit.until > now) return hit.actor && { ...hit.actor, storeIds: [...hit.actor.storeIds] };
  const generation = cache.generation;
  const actor = await activeStaffActor(services, wecomUserId);
  // A change made while this read was under way may not be in it: then it is not kept.
  if (generation === cache.generation) {
    if (cache.entries.size >= MAX_ENTRIES) cache.entries.clear();
    cache.entries.set(wecomUserId, { actor, until: now + ttl });
  }
  return actor && { ...actor, storeIds: [...actor.storeIds] };
}

/** Drops this process's copies (a staff row or its stores changed here). */
export function forgetStaffIdentities(services: Pick<Services, 'sql'>): void {
  const cache = cacheOf(services);
  cache.generation++;
  cache.entries.clear();
}
