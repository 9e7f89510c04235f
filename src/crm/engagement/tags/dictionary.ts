import type { Services } from '../../../services.ts';

export interface TagEntry {
  id: number;
  name: string;
  category: string;
}

/**
 * The tag dictionary, cached briefly per Services instance: the rule router scans every
 * message for tag names, and tags change rarely (a new tag shows up within TTL_MS).
 * CRM writes read the table itself, so a stale cache never decides what is stored.
 */
const TTL_MS = 30_000;
const cache = new WeakMap<Services, { at: number; tags: Promise<TagEntry[]> }>();

export function tagDictionary(services: Services): Promise<TagEntry[]> {
  const hit = cache.get(services);
  // Wall-clock, not services.now(): this is cache freshness, not a business decision.
  if (hit && Date.now() - hit.at < TTL_MS) return hit.tags;
  const tags = services.db.tag.findMany({ select: { id: true, name: true, category: true }, orderBy: { name: 'asc' } });
  cache.set(services, { at: Date.now(), tags });
  tags.catch(() => cache.delete(services));
  return tags;
}

/** Forget the cached dictionary (after creating or renaming tags). */
export function invalidateTagDictionary(services: Services): void {
  cache.delete(services);
}
