import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { Services } from '../../../services.ts';
import { normalizeText } from '../../customers/index.ts';
import { invalidateTagDictionary } from './dictionary.ts';

/**
 * The tag dictionary as another system changes it (the WeCom corp tags, src/crm/contacts): a
 * run of the system, not a staff change, so no permission and no audit row here — the caller
 * records where the change came from. Names are the dictionary's (1–32 characters, unique
 * case-insensitively).
 */
const clip = (name: string) => normalizeText(name).trim().slice(0, 32);

/** The id of the tag with this name, created (category behaviour) when there is none. */
export async function ensureTag(services: Services, name: string, description: string): Promise<number> {
  const n = clip(name);
  await services.sql.query('INSERT IGNORE INTO tags (name, category, description, created_at) VALUES (?, ?, ?, ?)', [n, 'behaviour', description.slice(0, 255), services.now()]);
  invalidateTagDictionary(services);
  const [rows] = await services.sql.query<RowDataPacket[]>('SELECT id FROM tags WHERE name = ?', [n]);
  return Number(rows[0]!.id);
}

/** Renames a tag; false when the new name is taken by another tag (then both stay as they are). */
export async function renameSyncedTag(services: Services, id: number, name: string): Promise<boolean> {
  try {
    const [res] = await services.sql.query<ResultSetHeader>('UPDATE tags SET name = ? WHERE id = ?', [clip(name), id]);
    invalidateTagDictionary(services);
    return res.affectedRows === 1;
  } catch (e) {
    if ((e as { errno?: number }).errno === 1062) return false;
    throw e;
  }
}

/** Tag names by id (for the mirror: which CRM tags a member holds). */
export async function memberTagIds(services: Services, memberId: number): Promise<number[]> {
  const [rows] = await services.sql.query<RowDataPacket[]>('SELECT tag_id FROM member_tags WHERE member_id = ?', [memberId]);
  return rows.map((r) => Number(r.tag_id));
}
