import type { StaffAccess } from '../../kernel/index.ts';
import { requirePermission } from '../../kernel/index.ts';
import { audit } from '../../kernel/index.ts';
import { churnList } from '../../insights/index.ts';
import { normalizeText } from '../../customers/index.ts';
import { similarTags } from './similar.ts';

/** The member lists a tag can be put on in one go ("给流失名单打标签 X"). */
export type MemberList = 'churn';

export type BatchTagPlan =
  | { kind: 'ready'; tag: { id: number; name: string }; memberIds: number[] }
  | { kind: 'unknown_tag'; name: string; suggestions: string[] };

/**
 * Who a batch tagging would touch: the churn list of the actor's stores (whole list, not the
 * top 10 shown in chat). The preview and the confirmed run both call this, so the run tags
 * the list as it is at confirmation time.
 */
export async function planBatchTag(access: StaffAccess, list: MemberList, tagName: string): Promise<BatchTagPlan> {
  requirePermission(access.actor, 'tag.write');
  const name = normalizeText(tagName).trim();
  const tag = await access.services.db.tag.findUnique({ where: { name }, select: { id: true, name: true } });
  if (!tag) {
    const existing = (await access.services.db.tag.findMany({ select: { name: true } })).map((t) => t.name);
    return { kind: 'unknown_tag', name, suggestions: similarTags(name, existing) };
  }
  const churn = await churnList(access, { limit: 100_000, all: true });
  return { kind: 'ready', tag, memberIds: churn.entries.map((e) => e.memberId) };
}

/** Puts the tag on every member of the plan (INSERT IGNORE: idempotent), one audit row for the batch. */
export async function applyBatchTag(access: StaffAccess, list: MemberList, plan: Extract<BatchTagPlan, { kind: 'ready' }>): Promise<{ added: number; total: number }> {
  const { db } = access.services;
  const now = access.services.now();
  const res = plan.memberIds.length
    ? await db.memberTag.createMany({
        data: plan.memberIds.map((memberId) => ({ memberId, tagId: plan.tag.id, source: 'manual' as const, createdBy: access.actor.wecomUserId, createdAt: now })),
        skipDuplicates: true,
      })
    : { count: 0 };
  await audit(access.services, {
    actor: access.actor,
    action: 'tag.batch',
    targetType: 'tag',
    targetId: String(plan.tag.id),
    channel: access.channel,
    requestId: access.requestId,
    detail: { list, tag: plan.tag.name, total: plan.memberIds.length, added: res.count, memberIds: plan.memberIds.slice(0, 1000) },
  });
  return { added: res.count, total: plan.memberIds.length };
}
