import type { RowDataPacket } from 'mysql2/promise';
import type { Services } from '../../services.ts';
import { ensureTag, writeMemberTags } from '../engagement/index.ts';
import type { FollowUser } from './port.ts';

/** The corp tag ids (type 1, 企业标签) WeCom reports on one staff–customer pair. */
export const corpTagIdsOf = (f: FollowUser): string[] => [...new Set(f.tags.filter((t) => t.type === 1 && t.tag_id).map((t) => t.tag_id!))];

/** The CRM tag linked to a WeCom corp tag, linking (and creating) it by name when first seen. */
export async function linkedTagId(services: Services, wecomTagId: string, seen?: { name?: string; groupName?: string }): Promise<number | null> {
  const [rows] = await services.sql.query<RowDataPacket[]>('SELECT tag_id FROM wecom_corp_tags WHERE wecom_tag_id = ? AND deleted_at IS NULL', [wecomTagId]);
  if (rows[0]?.tag_id) return Number(rows[0].tag_id);
  if (rows[0] || !seen?.name) return null; // a known tag without a link, or one we know nothing about
  const tagId = await ensureTag(services, seen.name, `企业微信标签（${seen.groupName ?? ''}）`);
  await services.sql.query(
    `INSERT INTO wecom_corp_tags (wecom_tag_id, group_id, group_name, name, tag_id, owned, updated_at) VALUES (?, '', ?, ?, ?, false, ?)
     ON DUPLICATE KEY UPDATE tag_id = COALESCE(tag_id, VALUES(tag_id)), updated_at = VALUES(updated_at)`,
    [wecomTagId, (seen.groupName ?? '').slice(0, 64), seen.name.slice(0, 64), tagId, services.now()],
  );
  return tagId;
}

/**
 * WeCom → CRM: the corp tags added or removed on this pair since we last saw (or set) it are
 * applied to the bound member through engagement's writeMemberTags as `system: 'wecom'` — a
 * writer that queues no mirror job, so a change that came from WeCom never goes back.
 * An event caused by our own mark_tag finds nothing new: the mirror records the pair's tags
 * before it calls mark_tag (src/crm/contacts/mirror.ts), so the diff here is empty.
 */
export async function applyWeComTagChanges(services: Services, externalUserId: string, f: FollowUser, memberId: number | null): Promise<{ added: number; removed: number }> {
  const current = corpTagIdsOf(f);
  const [rows] = await services.sql.query<RowDataPacket[]>('SELECT wecom_tags FROM wecom_follows WHERE external_userid = ? AND staff_userid = ?', [externalUserId, f.userid]);
  const raw = rows[0]?.wecom_tags;
  const before: string[] = Array.isArray(raw) ? raw : typeof raw === 'string' ? (JSON.parse(raw) as string[]) : [];
  const added = current.filter((t) => !before.includes(t));
  const removed = before.filter((t) => !current.includes(t));
  if (!added.length && !removed.length) return { added: 0, removed: 0 };
  await services.sql.query('UPDATE wecom_follows SET wecom_tags = ?, updated_at = ? WHERE external_userid = ? AND staff_userid = ?', [JSON.stringify(current), services.now(), externalUserId, f.userid]);
  if (memberId === null) return { added: 0, removed: 0 };
  const at = services.now();
  let a = 0;
  let r = 0;
  for (const id of added) {
    const t = f.tags.find((x) => x.tag_id === id);
    const tagId = await linkedTagId(services, id, { name: t?.tag_name, groupName: t?.group_name });
    if (tagId !== null) a += await writeMemberTags(services.sql, { op: 'add', tagId, memberIds: [memberId], source: 'manual', createdBy: `wecom:${f.userid}`.slice(0, 64), at }, { system: 'wecom' });
  }
  for (const id of removed) {
    const tagId = await linkedTagId(services, id);
    if (tagId !== null) r += await writeMemberTags(services.sql, { op: 'remove', tagId, memberIds: [memberId] }, { system: 'wecom' });
  }
  return { added: a, removed: r };
}
