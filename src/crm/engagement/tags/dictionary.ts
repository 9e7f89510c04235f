import type { RowDataPacket } from 'mysql2/promise';
import { processCache } from '../../kernel/index.ts';
import type { Services } from '../../../services.ts';

export interface TagEntry {
  id: number;
  name: string;
  category: string;
}

/**
 * The tag dictionary, kept per process for TTL_MS (the kernel's process cache): the rule router
 * scans every message for tag names, and tags change rarely. This process's writers of `tags`
 * drop it at once (`invalidateTagDictionary`); another process's new tag shows up within TTL_MS.
 * CRM writes read the table itself, so a stale copy never decides what is stored.
 */
const TTL_MS = 30_000;
const dictionary = processCache<TagEntry[]>();

export function tagDictionary(services: Services): Promise<TagEntry[]> {
  return dictionary.get(services.sql, 'tags', TTL_MS, async () => {
    const [rows] = await services.sql.query<RowDataPacket[]>('SELECT id, name, category FROM tags ORDER BY name');
    return rows.map((r) => ({ id: Number(r.id), name: String(r.name), category: String(r.category) }));
  });
}

/** Forget the cached dictionary (after creating or renaming tags). */
export function invalidateTagDictionary(services: Services): void {
  dictionary.forget(services.sql);
}
