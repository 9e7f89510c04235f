import type { StaffAccess } from '../../crm/access.ts';
import { requirePermission } from '../../crm/access.ts';
import { audit } from '../../crm/audit.ts';
import { storeScope } from '../../crm/auth/permissions.ts';
import { normalizeText } from '../../crm/members/identifiers.ts';
import { addTag, removeTag } from '../../crm/tags/change.ts';
import { invalidateTagDictionary } from '../../crm/tags/dictionary.ts';
import type { TagCategory } from '../../generated/prisma/enums.ts';
import { AppError, forbidden, notFound } from '../../errors.ts';

/**
 * Tag dictionary maintenance for the admin API. The CRM has no dictionary-write function yet
 * (chat only applies existing tags), so these are thin Prisma writes with the CRM's rules:
 * the taxonomy is HQ's (tags/change.ts), names are NFKC-normalized and unique
 * case-insensitively (the column's collation), and every change is audited.
 */

export interface TagRow {
  id: number;
  name: string;
  category: TagCategory;
  description: string | null;
  createdAt: Date;
}

/** Taxonomy belongs to headquarters: tag.write plus an all-stores role. */
function requireTaxonomy(access: StaffAccess): void {
  requirePermission(access.actor, 'tag.write');
  if (storeScope(access.actor) !== null) throw forbidden('permission_denied', 'only headquarters roles may change the tag dictionary');
}

const cleanName = (name: string) => normalizeText(name).trim();

const tagSelect = { id: true, name: true, category: true, description: true, createdAt: true } as const;

function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: string }).code === 'P2002';
}

async function auditTag(access: StaffAccess, action: string, tagId: number, detail: Record<string, unknown>) {
  await audit(access.services, { actor: access.actor, action, targetType: 'tag', targetId: String(tagId), channel: access.channel, requestId: access.requestId, detail });
}

export async function listTags(access: StaffAccess, category?: TagCategory): Promise<(TagRow & { memberCount: number })[]> {
  requirePermission(access.actor, 'member.read');
  const { db } = access.services;
  const tags = await db.tag.findMany({ where: category ? { category } : {}, orderBy: [{ category: 'asc' }, { name: 'asc' }], select: { ...tagSelect, _count: { select: { members: true } } } });
  return tags.map(({ _count, ...t }) => ({ ...t, memberCount: _count.members }));
}

export async function createTag(access: StaffAccess, input: { name: string; category: TagCategory; description?: string | null }): Promise<TagRow> {
  requireTaxonomy(access);
  const name = cleanName(input.name);
  try {
    const tag = await access.services.db.tag.create({ data: { name, category: input.category, description: input.description ?? null, createdAt: access.services.now() }, select: tagSelect });
    invalidateTagDictionary(access.services);
    await auditTag(access, 'tag.create', tag.id, { name, category: input.category });
    return tag;
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('tag_exists', `a tag named "${name}" already exists`, 409);
    throw e;
  }
}

export async function updateTag(access: StaffAccess, id: number, patch: { name?: string; category?: TagCategory; description?: string | null }): Promise<TagRow> {
  requireTaxonomy(access);
  const { db } = access.services;
  const before = await db.tag.findUnique({ where: { id }, select: tagSelect });
  if (!before) throw notFound('tag_not_found', `no tag ${id}`);
  const data = { ...(patch.name !== undefined ? { name: cleanName(patch.name) } : {}), ...(patch.category ? { category: patch.category } : {}), ...(patch.description !== undefined ? { description: patch.description } : {}) };
  try {
    const tag = await db.tag.update({ where: { id }, data, select: tagSelect });
    invalidateTagDictionary(access.services);
    await auditTag(access, 'tag.update', id, { before: { name: before.name, category: before.category, description: before.description }, after: data });
    return tag;
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('tag_exists', `a tag named "${data.name}" already exists`, 409);
    throw e;
  }
}

/** Deletes a tag and its member assignments (FK cascade); the audit row keeps the count. */
export async function deleteTag(access: StaffAccess, id: number): Promise<{ id: number; name: string; removedFromMembers: number }> {
  requireTaxonomy(access);
  const { db } = access.services;
  const tag = await db.tag.findUnique({ where: { id }, select: { id: true, name: true, _count: { select: { members: true } } } });
  if (!tag) throw notFound('tag_not_found', `no tag ${id}`);
  await db.tag.delete({ where: { id } });
  invalidateTagDictionary(access.services);
  await auditTag(access, 'tag.delete', id, { name: tag.name, removedFromMembers: tag._count.members });
  return { id, name: tag.name, removedFromMembers: tag._count.members };
}

export type ApplyStatus = 'added' | 'already_tagged' | 'removed' | 'not_tagged' | 'not_found';

/**
 * Adds or removes one dictionary tag on many members through the CRM's own addTag/removeTag
 * (store scope, idempotence, one audit row per member). A member outside the caller's scope
 * or unknown is reported `not_found`, exactly like an id that does not exist.
 */
export async function applyTag(access: StaffAccess, op: 'add' | 'remove', tagName: string, memberIds: number[]): Promise<{ tag: { id: number; name: string }; results: { memberId: number; status: ApplyStatus }[] }> {
  requirePermission(access.actor, 'tag.write');
  const { db } = access.services;
  const name = cleanName(tagName);
  const tag = await db.tag.findUnique({ where: { name }, select: { id: true, name: true } });
  if (!tag) throw notFound('tag_not_found', `no tag named "${name}" in the dictionary`);
  const ids = [...new Set(memberIds)];
  const known = new Map((await db.member.findMany({ where: { id: { in: ids } }, select: { id: true, memberNo: true } })).map((m) => [m.id, m.memberNo]));
  const results: { memberId: number; status: ApplyStatus }[] = [];
  for (const memberId of ids) {
    const memberNo = known.get(memberId);
    if (!memberNo) {
      results.push({ memberId, status: 'not_found' });
      continue;
    }
    const r = await (op === 'add' ? addTag : removeTag)(access, { memberNo }, tag.name);
    if (r.kind === 'done') results.push({ memberId, status: op === 'add' ? (r.changed ? 'added' : 'already_tagged') : r.changed ? 'removed' : 'not_tagged' });
    else results.push({ memberId, status: 'not_found' });
  }
  return { tag, results };
}
