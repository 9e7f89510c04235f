import { AppError, audit, badRequest, notFound, requirePermission, withTransaction, type StaffAccess } from '../../kernel/index.ts';
import { normalizeText, visibleMembers } from '../../customers/index.ts';
import { invalidateTagDictionary } from './dictionary.ts';
import { writeMemberTags, type MemberTagChange } from './write.ts';

export type TagCategory = 'demographic' | 'behaviour' | 'value' | 'risk';
export const TAG_CATEGORIES: readonly TagCategory[] = ['demographic', 'behaviour', 'value', 'risk'];
export const CATEGORY_LABEL: Record<TagCategory, string> = { demographic: '人口属性', behaviour: '行为', value: '价值', risk: '风险' };

/** The dictionary grouped by category, with member counts and the rule (if any). */
export async function listTags(access: StaffAccess) {
  requirePermission(access.actor, 'member.read');
  const tags = await access.services.db.tag.findMany({
    orderBy: [{ category: 'asc' }, { name: 'asc' }],
    include: { _count: { select: { members: true } }, rule: { select: { rule: true, enabled: true, lastEvaluatedAt: true, lastMatched: true } } },
  });
  return tags.map((t) => ({ id: t.id, name: t.name, category: t.category as TagCategory, description: t.description, members: t._count.members, rule: t.rule }));
}

/** Adds a tag to the dictionary (tag.manage); 409 when the name exists (names are case-insensitive). */
export async function createTag(access: StaffAccess, input: { name: string; category: TagCategory; description?: string }) {
  requirePermission(access.actor, 'tag.manage');
  const name = normalizeText(input.name).trim();
  if (!name || name.length > 32) throw badRequest('invalid_tag', '标签名须为 1–32 个字符。');
  if (!TAG_CATEGORIES.includes(input.category)) throw badRequest('invalid_category', `分类须为 ${TAG_CATEGORIES.join(' / ')}。`);
  const { db } = access.services;
  if (await db.tag.findUnique({ where: { name } })) throw new AppError('tag_exists', `标签「${name}」已存在。`);
  const tag = await db.tag.create({ data: { name, category: input.category, description: input.description ?? null, createdAt: access.services.now() } });
  invalidateTagDictionary(access.services);
  await audit(access.services, { actor: access.actor, action: 'tag.create', targetType: 'tag', targetId: String(tag.id), channel: access.channel, requestId: access.requestId, detail: { name, category: input.category } });
  return tag;
}

export interface TagRow {
  id: number;
  name: string;
  category: TagCategory;
  description: string | null;
  createdAt: Date;
}

const tagSelect = { id: true, name: true, category: true, description: true, createdAt: true } as const;

const isUniqueViolation = (e: unknown) => typeof e === 'object' && e !== null && (e as { code?: string }).code === 'P2002';

/** Renames, recategorizes or describes a tag (tag.manage); 404 for no such tag, 409 when the new name is taken. */
export async function updateTag(access: StaffAccess, id: number, patch: { name?: string; category?: TagCategory; description?: string | null }): Promise<TagRow> {
  requirePermission(access.actor, 'tag.manage');
  const { db } = access.services;
  const before = await db.tag.findUnique({ where: { id }, select: tagSelect });
  if (!before) throw notFound('tag_not_found', `没有编号为 ${id} 的标签。`);
  const name = patch.name === undefined ? undefined : normalizeText(patch.name).trim();
  if (name !== undefined && (!name || name.length > 32)) throw badRequest('invalid_tag', '标签名须为 1–32 个字符。');
  if (patch.category !== undefined && !TAG_CATEGORIES.includes(patch.category)) throw badRequest('invalid_category', `分类须为 ${TAG_CATEGORIES.join(' / ')}。`);
  const data = {
    ...(name !== undefined ? { name } : {}),
    ...(patch.category ? { category: patch.category } : {}),
    ...(patch.description !== undefined ? { description: patch.description } : {}),
  };
  let tag: TagRow;
  try {
    tag = (await db.tag.update({ where: { id }, data, select: tagSelect })) as TagRow;
  } catch (e) {
    // Names are unique case-insensitively (the column's collation), so "vip" collides with "VIP".
    if (isUniqueViolation(e)) throw new AppError('tag_exists', `标签「${name}」已存在。`);
    throw e;
  }
  invalidateTagDictionary(access.services);
  await audit(access.services, {
    actor: access.actor,
    action: 'tag.update',
    targetType: 'tag',
    targetId: String(id),
    channel: access.channel,
    requestId: access.requestId,
    detail: { before: { name: before.name, category: before.category, description: before.description }, after: data },
  });
  return tag;
}

/** Deletes a tag, its rule and its member assignments (FK cascade, tag.manage); the audit row keeps the count. */
export async function deleteTag(access: StaffAccess, id: number): Promise<{ id: number; name: string; removedFromMembers: number }> {
  requirePermission(access.actor, 'tag.manage');
  const { db } = access.services;
  const tag = await db.tag.findUnique({ where: { id }, select: { id: true, name: true, _count: { select: { members: true } } } });
  if (!tag) throw notFound('tag_not_found', `没有编号为 ${id} 的标签。`);
  await db.tag.delete({ where: { id } });
  invalidateTagDictionary(access.services);
  const removedFromMembers = tag._count.members;
  await audit(access.services, { actor: access.actor, action: 'tag.delete', targetType: 'tag', targetId: String(id), channel: access.channel, requestId: access.requestId, detail: { name: tag.name, removedFromMembers } });
  return { id, name: tag.name, removedFromMembers };
}

async function tagByName(access: StaffAccess, name: string) {
  const tag = await access.services.db.tag.findUnique({ where: { name: normalizeText(name).trim() } });
  if (!tag) throw notFound('tag_not_found', `没有标签「${name}」。`);
  return tag;
}

/**
 * Merges tag `from` into tag `into` in one transaction: every member holding `from` ends up
 * holding `into` (an existing `into` keeps its own source), then `from` and its rule are
 * deleted. For duplicates such as "高价值" / "高价值客户".
 */
export async function mergeTags(access: StaffAccess, from: string, into: string): Promise<{ moved: number; alreadyHad: number; into: string }> {
  requirePermission(access.actor, 'tag.manage');
  const a = await tagByName(access, from);
  const b = await tagByName(access, into);
  if (a.id === b.id) throw badRequest('same_tag', '不能把标签合并到它自己。');
  const { moved, total } = await withTransaction(access.services.sql, async (conn) => {
    const [[cnt]] = (await conn.query('SELECT COUNT(*) AS n FROM member_tags WHERE tag_id = ?', [a.id])) as unknown as [[{ n: number }]];
    const copied = await writeMemberTags(conn, { op: 'copyTag', from: a.id, to: b.id }, { partOf: 'tag.merge' });
    await conn.query('DELETE FROM tags WHERE id = ?', [a.id]);
    return { moved: copied, total: Number(cnt.n) };
  });
  invalidateTagDictionary(access.services);
  await audit(access.services, { actor: access.actor, action: 'tag.merge', targetType: 'tag', targetId: String(b.id), channel: access.channel, requestId: access.requestId, detail: { from: a.name, fromId: a.id, into: b.name, moved } });
  return { moved, alreadyHad: total - moved, into: b.name };
}

/**
 * Applies or removes one tag on many members at once (tag.write), only those in the actor's
 * store scope; ids outside it are reported as skipped, never touched.
 */
export async function batchTag(access: StaffAccess, input: { tag: string; memberIds: number[]; op: 'apply' | 'remove' }): Promise<{ changed: number; skipped: number[] }> {
  requirePermission(access.actor, 'tag.write');
  if (!input.memberIds.length || input.memberIds.length > 10_000) throw badRequest('invalid_member_ids', '一次须指定 1–10000 位会员。');
  const tag = await tagByName(access, input.tag);
  const { db } = access.services;
  const ids = [...new Set(input.memberIds)];
  const visible = (await db.member.findMany({ where: { AND: [visibleMembers(access.actor), { id: { in: ids } }] }, select: { id: true } })).map((m) => m.id);
  const set = new Set(visible);
  const skipped = ids.filter((id) => !set.has(id));
  const change: MemberTagChange =
    input.op === 'apply'
      ? { op: 'add', tagId: tag.id, memberIds: visible, source: 'manual', createdBy: access.actor.wecomUserId, at: access.services.now() }
      : { op: 'remove', tagId: tag.id, memberIds: visible };
  const changed = await writeMemberTags(access.services.sql, change, {
    access,
    action: `tag.batch_${input.op}`,
    target: { type: 'tag', id: tag.id },
    detail: (n) => ({ tag: tag.name, members: visible.length, changed: n, skipped: skipped.length }),
  });
  return { changed, skipped };
}
