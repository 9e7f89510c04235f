import { requirePermission, type StaffAccess } from '../../kernel/index.ts';
import { normalizeText } from '../../customers/index.ts';
import { similarTags } from './similar.ts';
import { writeMemberTags } from './write.ts';

/** The member lists a tag can be put on in one go ("给流失名单打标签 X"). */
export type MemberList = 'churn';

export type BatchTagPlan =
  | { kind: 'ready'; tag: { id: number; name: string }; memberIds: number[] }
  | { kind: 'unknown_tag'; name: string; suggestions: string[] };

/**
 * Who a batch tagging would touch: the members of the list, whole (not the top 10 shown in
 * chat), as `members` reads them — the caller knows the list (the churn list is insights').
 * It is read only once the tag is known. The preview and the confirmed run both call this, so
 * the run tags the list as it is at confirmation time.
 */
export async function planBatchTag(access: StaffAccess, list: MemberList, tagName: string, members: () => Promise<number[]>): Promise<BatchTagPlan> {
  requirePermission(access.actor, 'tag.write');
  const name = normalizeText(tagName).trim();
  const tag = await access.services.db.tag.findUnique({ where: { name }, select: { id: true, name: true } });
  if (!tag) {
    const existing = (await access.services.db.tag.findMany({ select: { name: true } })).map((t) => t.name);
    return { kind: 'unknown_tag', name, suggestions: similarTags(name, existing) };
  }
  return { kind: 'ready', tag, memberIds: await members() };
}

/** Puts the tag on every member of the plan (INSERT IGNORE: idempotent), one audit row for the batch. */
export async function applyBatchTag(access: StaffAccess, list: MemberList, plan: Extract<BatchTagPlan, { kind: 'ready' }>): Promise<{ added: number; total: number }> {
  const added = await writeMemberTags(
    access.services.sql,
    { op: 'add', tagId: plan.tag.id, memberIds: plan.memberIds, source: 'manual', createdBy: access.actor.wecomUserId, at: access.services.now() },
    {
      access,
      action: 'tag.batch',
      target: { type: 'tag', id: plan.tag.id },
      detail: (n) => ({ list, tag: plan.tag.name, total: plan.memberIds.length, added: n, memberIds: plan.memberIds.slice(0, 1000) }),
    },
  );
  return { added, total: plan.memberIds.length };
}
