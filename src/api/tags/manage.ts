import type { StaffAccess } from '../../crm/access.ts';
import { requirePermission } from '../../crm/access.ts';
import { audit } from '../../crm/audit.ts';
import { normalizeText } from '../../crm/members/identifiers.ts';
import { invalidateTagDictionary } from '../../crm/tags/dictionary.ts';
import type { TagCategory } from '../../crm/tags/manage.ts';
import { AppError, notFound } from '../../errors.ts';

/**
 * Rename / recategorize / delete a dictionary tag. src/crm/tags/manage.ts has list, create,
 * merge and batch apply but no update or delete yet; these two follow its rules (tag.manage,
 * NFKC names unique case-insensitively by the column's collation, audited) and should move
 * there when the domain grows them.
 */

export interface TagRow {
  id: number;
  name: string;
  category: TagCategory;
  description: string | null;
  createdAt: Date;
}

const tagSelect = { id: true, name: true, category: true, description: true, createdAt: true } as const;

const isUniqueViolation = (e: unknown) => typeof e === 'object' && e !== null && (e as { code?: string }).code === 'P2002';

export async function updateTag(access: StaffAccess, id: number, patch: { name?: string; category?: TagCategory; description?: string | null }): Promise<TagRow> {
  requirePermission(access.actor, 'tag.manage');
  const { db } = access.services;
  const before = await db.tag.findUnique({ where: { id }, select: tagSelect });
  if (!before) throw notFound('tag_not_found', `no tag ${id}`);
  const data = {
    ...(patch.name !== undefined ? { name: normalizeText(patch.name).trim() } : {}),
    ...(patch.category ? { category: patch.category } : {}),
    ...(patch.description !== undefined ? { description: patch.description } : {}),
  };
  try {
    const tag = await db.tag.update({ where: { id }, data, select: tagSelect });
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
    return tag as TagRow;
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('tag_exists', `a tag named "${data.name}" already exists`, 409);
    throw e;
  }
}

/** Deletes a tag, its rule and its member assignments (FK cascade); the audit row keeps the count. */
export async function deleteTag(access: StaffAccess, id: number): Promise<{ id: number; name: string; removedFromMembers: number }> {
  requirePermission(access.actor, 'tag.manage');
  const { db } = access.services;
  const tag = await db.tag.findUnique({ where: { id }, select: { id: true, name: true, _count: { select: { members: true } } } });
  if (!tag) throw notFound('tag_not_found', `no tag ${id}`);
  await db.tag.delete({ where: { id } });
  invalidateTagDictionary(access.services);
  const removedFromMembers = tag._count.members;
  await audit(access.services, { actor: access.actor, action: 'tag.delete', targetType: 'tag', targetId: String(id), channel: access.channel, requestId: access.requestId, detail: { name: tag.name, removedFromMembers } });
  return { id, name: tag.name, removedFromMembers };
}
