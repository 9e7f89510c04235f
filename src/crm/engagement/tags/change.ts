import { requirePermission, type StaffAccess } from '../../kernel/index.ts';
import { auditMemberRead, normalizeText, resolveMember, resolveMemberWith, type MemberBrief, type MemberRef, type MemberSearch } from '../../customers/index.ts';
import { similarTags } from './similar.ts';
import { writeMemberTags, type MemberTagChange } from './write.ts';

export type TagChangeResult =
  /** `changed` is false when the member already had (add) or lacked (remove) the tag: both are idempotent. */
  | { kind: 'done'; changed: boolean; member: MemberBrief; tag: { id: number; name: string } }
  /** Only tags of the dictionary can be set by hand (taxonomy is HQ's); `suggestions` are the nearest names. */
  | { kind: 'unknown_tag'; name: string; suggestions: string[]; existing: string[] }
  | { kind: 'none' | 'many'; search: MemberSearch };

type Op = 'add' | 'remove';

/** Adds a dictionary tag to one member in scope (source manual, created_by the staff userid). */
export const addTag = (access: StaffAccess, ref: MemberRef, tagName: string) => changeTag(access, ref, tagName, 'add');

/** Removes a tag from one member in scope, whatever set it (rule-set tags may come back on the next scoring run). */
export const removeTag = (access: StaffAccess, ref: MemberRef, tagName: string) => changeTag(access, ref, tagName, 'remove');

async function changeTag(access: StaffAccess, ref: MemberRef, tagName: string, op: Op): Promise<TagChangeResult> {
  requirePermission(access.actor, 'tag.write');
  const { db } = access.services;
  const name = normalizeText(tagName).trim();
  // The column's collation (utf8mb4_unicode_ci) makes this case-insensitive: "vip" finds "VIP".
  const byName = () => db.tag.findUnique({ where: { name }, select: { id: true, name: true } });
  const unknown = async (): Promise<TagChangeResult> => {
    const existing = (await db.tag.findMany({ select: { name: true }, orderBy: { name: 'asc' } })).map((t) => t.name);
    return { kind: 'unknown_tag', name, suggestions: similarTags(name, existing), existing };
  };
  // By a unique member key the member and the tag are read in one statement; the tag alone only
  // when no member was found (an unknown tag is said first, whoever the member).
  const withTag = await resolveMemberWith(access, ref, {
    columns: '(SELECT t.id FROM tags t WHERE t.name = ?) AS tag_id, (SELECT t.name FROM tags t WHERE t.name = ?) AS tag_name',
    params: [name, name],
  });
  const tag = withTag?.raw ? (withTag.raw.tag_id === null ? null : { id: Number(withTag.raw.tag_id), name: String(withTag.raw.tag_name) }) : await byName();
  if (!tag) return unknown();

  const action = `tag.${op}`;
  const resolved = withTag?.resolved ?? (await resolveMember(access, ref));
  if (resolved.kind !== 'one') {
    await auditMemberRead(access, action, resolved.search, { tag: tag.name });
    return { kind: resolved.kind, search: resolved.search };
  }
  const memberId = resolved.member.id;
  // Single statements, so concurrent identical requests stay idempotent: INSERT IGNORE / DELETE.
  const change: MemberTagChange =
    op === 'add'
      ? { op: 'add', tagId: tag.id, memberIds: [memberId], source: 'manual', createdBy: access.actor.wecomUserId, at: access.services.now() }
      : { op: 'remove', tagId: tag.id, memberIds: [memberId] };
  const changed = (await writeMemberTags(access.services.sql, change, { access, action, target: { type: 'member', id: memberId }, detail: (n) => ({ tag: tag.name, tagId: tag.id, changed: n > 0 }) })) > 0;
  return { kind: 'done', changed, member: resolved.member, tag };
}
