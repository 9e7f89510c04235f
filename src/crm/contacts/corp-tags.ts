import type { RowDataPacket } from 'mysql2/promise';
import type { Services } from '../../services.ts';
import { AppError, audit, notFound, requirePermission, type StaffAccess } from '../kernel/index.ts';
import { ensureTag, renameSyncedTag } from '../engagement/index.ts';
import type { ContactEvent } from './events.ts';
import type { ContactsPort, CorpTagGroup } from './port.ts';

/**
 * The corp tag dictionary both ways (Tencent: 客户标签管理). WeCom's tags are mirrored into
 * wecom_corp_tags, each linked to the CRM tag of the same name (created in the CRM dictionary
 * when missing); change_external_tag events keep it current. This app may edit and delete only
 * the tags it created (`owned`, Tencent: 应用仅能编辑和删除本应用创建的标签); tags staff
 * created in the WeCom console are mirrored and used, never changed.
 */

/** 企业标签 and 规则组标签 together, per company (Tencent: 管理企业标签). */
export const CORP_TAG_LIMIT = 10_000;

async function upsertGroup(services: Services, g: CorpTagGroup, owned: boolean): Promise<number> {
  let n = 0;
  for (const t of g.tag) {
    if (t.deleted || g.deleted) {
      await services.sql.query('UPDATE wecom_corp_tags SET deleted_at = COALESCE(deleted_at, ?) WHERE wecom_tag_id = ?', [services.now(), t.id]);
      continue;
    }
    const [rows] = await services.sql.query<RowDataPacket[]>('SELECT tag_id, name FROM wecom_corp_tags WHERE wecom_tag_id = ?', [t.id]);
    const linked = rows[0]?.tag_id ? Number(rows[0].tag_id) : null;
    // Renamed in WeCom: the linked CRM tag follows (unless the new name is another CRM tag's).
    if (linked !== null && rows[0]!.name !== t.name) await renameSyncedTag(services, linked, t.name);
    const tagId = linked ?? (await ensureTag(services, t.name, `企业微信标签（${g.group_name}）`));
    await services.sql.query(
      `INSERT INTO wecom_corp_tags (wecom_tag_id, group_id, group_name, name, tag_id, owned, deleted_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)
       ON DUPLICATE KEY UPDATE group_id = VALUES(group_id), group_name = VALUES(group_name), name = VALUES(name), tag_id = VALUES(tag_id),
         owned = owned OR VALUES(owned), deleted_at = NULL, updated_at = VALUES(updated_at)`,
      [t.id, g.group_id, g.group_name.slice(0, 64), t.name.slice(0, 64), tagId, owned, services.now()],
    );
    n++;
  }
  return n;
}

/** Reads WeCom's whole corp tag list (get_corp_tag_list without filter) into the dictionary; tags gone from it are marked deleted. */
export async function syncCorpTags(services: Services, port: ContactsPort): Promise<{ tags: number; deleted: number }> {
  const groups = await port.corpTagList();
  let tags = 0;
  for (const g of groups) tags += await upsertGroup(services, g, false);
  const live = groups.flatMap((g) => (g.deleted ? [] : g.tag.filter((t) => !t.deleted).map((t) => t.id)));
  const [res] = await services.sql.query<import('mysql2/promise').ResultSetHeader>(
    `UPDATE wecom_corp_tags SET deleted_at = ? WHERE deleted_at IS NULL${live.length ? ' AND wecom_tag_id NOT IN (?)' : ''}`,
    live.length ? [services.now(), live] : [services.now()],
  );
  return { tags, deleted: res.affectedRows };
}

/**
 * change_external_tag: a tag or group was created, renamed, deleted or reordered in WeCom (by
 * anyone, this app included — an event for our own change finds the dictionary already so).
 * Deleting a WeCom tag unlinks it; the CRM tag and who holds it stay (the CRM's own history).
 */
export async function onTagEvent(services: Services, port: ContactsPort, e: Extract<ContactEvent, { kind: 'tag' }>): Promise<void> {
  if (e.changeType === 'shuffle' || !e.id) {
    await syncCorpTags(services, port);
    return;
  }
  if (e.changeType === 'delete') {
    const column = e.tagType === 'tag_group' ? 'group_id' : 'wecom_tag_id';
    await services.sql.query(`UPDATE wecom_corp_tags SET deleted_at = COALESCE(deleted_at, ?) WHERE ${column} = ?`, [services.now(), e.id]);
    return;
  }
  const groups = await port.corpTagList(e.tagType === 'tag_group' ? { groupIds: [e.id] } : { tagIds: [e.id] });
  for (const g of groups) await upsertGroup(services, g, false);
}

async function liveCount(services: Services): Promise<number> {
  const [rows] = await services.sql.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM wecom_corp_tags WHERE deleted_at IS NULL');
  return Number(rows[0]!.n);
}

/** add_corp_tag: new tags (in a group, created when the name is new) owned by this app, linked to CRM tags of the same names. */
export async function createCorpTags(access: StaffAccess, port: ContactsPort, input: { group: string; names: string[] }): Promise<{ groupId: string; tags: { id: string; name: string }[] }> {
  requirePermission(access.actor, 'contacts.manage');
  const { services } = access;
  const count = await liveCount(services);
  if (count + input.names.length > CORP_TAG_LIMIT) throw new AppError('wecom_tag_limit', `企业微信企业标签最多 ${CORP_TAG_LIMIT} 个，现有 ${count} 个。`, { details: { count, adding: input.names.length } });
  const g = await port.addCorpTag(input.group, input.names);
  // WeCom answers the group with the new tags only; mark exactly those as ours.
  await upsertGroup(services, g, true);
  await audit(services, { actor: access.actor, action: 'wecom.tag.create', targetType: 'wecom_tag_group', targetId: g.group_id, channel: access.channel, requestId: access.requestId, detail: { group: g.group_name, tags: g.tag.map((t) => t.name) } });
  return { groupId: g.group_id, tags: g.tag.map((t) => ({ id: t.id, name: t.name })) };
}

async function ownedTag(services: Services, id: string): Promise<{ tagId: number | null }> {
  const [rows] = await services.sql.query<RowDataPacket[]>('SELECT tag_id, owned FROM wecom_corp_tags WHERE wecom_tag_id = ? AND deleted_at IS NULL', [id]);
  if (!rows[0]) throw notFound('wecom_tag_not_found', `没有企业微信标签 ${id}。`);
  if (!rows[0].owned) throw new AppError('wecom_tag_not_owned', '这个企业微信标签不是本应用创建的，只能在企业微信管理后台修改或删除。');
  return { tagId: rows[0].tag_id ? Number(rows[0].tag_id) : null };
}

/** edit_corp_tag on a tag this app created; the linked CRM tag is renamed with it. */
export async function renameCorpTag(access: StaffAccess, port: ContactsPort, id: string, name: string): Promise<void> {
  requirePermission(access.actor, 'contacts.manage');
  const { tagId } = await ownedTag(access.services, id);
  await port.editCorpTag(id, name);
  await access.services.sql.query('UPDATE wecom_corp_tags SET name = ?, updated_at = ? WHERE wecom_tag_id = ?', [name.slice(0, 64), access.services.now(), id]);
  if (tagId !== null) await renameSyncedTag(access.services, tagId, name);
  await audit(access.services, { actor: access.actor, action: 'wecom.tag.rename', targetType: 'wecom_tag', targetId: id, channel: access.channel, requestId: access.requestId, detail: { name } });
}

/** del_corp_tag on a tag this app created; the CRM tag stays (unlinked). */
export async function deleteCorpTag(access: StaffAccess, port: ContactsPort, id: string): Promise<void> {
  requirePermission(access.actor, 'contacts.manage');
  await ownedTag(access.services, id);
  await port.delCorpTag([id]);
  await access.services.sql.query('UPDATE wecom_corp_tags SET deleted_at = ? WHERE wecom_tag_id = ?', [access.services.now(), id]);
  await audit(access.services, { actor: access.actor, action: 'wecom.tag.delete', targetType: 'wecom_tag', targetId: id, channel: access.channel, requestId: access.requestId });
}

/** The mirrored dictionary (for the API). */
export async function listCorpTags(access: StaffAccess): Promise<{ id: string; group: string; name: string; tagId: number | null; owned: boolean }[]> {
  requirePermission(access.actor, 'member.read');
  const [rows] = await access.services.sql.query<RowDataPacket[]>('SELECT wecom_tag_id, group_name, name, tag_id, owned FROM wecom_corp_tags WHERE deleted_at IS NULL ORDER BY group_name, name');
  return rows.map((r) => ({ id: String(r.wecom_tag_id), group: String(r.group_name), name: String(r.name), tagId: r.tag_id === null ? null : Number(r.tag_id), owned: Boolean(r.owned) }));
}
