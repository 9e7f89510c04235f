import { audit, notFound, recordChanges, requirePermission, type StaffAccess } from '../../kernel/index.ts';
import type { Prisma } from '../../../db/prisma.ts';
import type { RowDataPacket } from 'mysql2/promise';
import { memberInScope, visibleMembers, visibleMembersSql } from '../../customers/index.ts';
import { interactionInclude, toInteractionView, type InteractionType, type InteractionView } from './types.ts';

/** One member's interactions, newest first (an audited member read). */
export async function listInteractions(access: StaffAccess, memberId: number, opts: { type?: InteractionType; limit?: number; offset?: number } = {}): Promise<{ total: number; interactions: InteractionView[] }> {
  requirePermission(access.actor, 'member.read');
  const { services } = access;
  await memberInScope(services, access.actor, memberId);
  const where: Prisma.InteractionWhereInput = { memberId, ...(opts.type ? { type: opts.type } : {}) };
  const [total, rows] = await Promise.all([
    services.db.interaction.count({ where }),
    services.db.interaction.findMany({ where, include: interactionInclude, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: Math.min(Math.max(opts.limit ?? 20, 1), 200), skip: opts.offset ?? 0 }),
  ]);
  await audit(services, { actor: access.actor, action: 'interaction.list', targetType: 'member', targetId: String(memberId), channel: access.channel, requestId: access.requestId, detail: { total } });
  return { total, interactions: rows.map(toInteractionView) };
}

/**
 * Follow-ups due (follow_up_at ≤ now + withinDays, or before `before` when given; not done) for
 * members in the actor's scope, earliest first, one page of `limit` (1–200) after `offset`: the
 * agent's to-do list (the API's `pending_follow_up`, the chat's 今天要回访谁 with `before` the
 * end of today). Ties on follow_up_at are broken by id so pages never overlap. `overdue`: how many
 * of them are due before `overdueBefore` (0 without it).
 */
export async function pendingFollowUps(
  access: StaffAccess,
  opts: { withinDays?: number; before?: Date; mineOnly?: boolean; limit?: number; offset?: number; overdueBefore?: Date } = {},
): Promise<{ total: number; overdue: number; interactions: InteractionView[] }> {
  requirePermission(access.actor, 'member.read');
  const { services, actor } = access;
  const until = opts.before ?? new Date(services.now().getTime() + (opts.withinDays ?? 0) * 86_400_000);
  const where: Prisma.InteractionWhereInput = {
    followUpAt: opts.before ? { not: null, lt: until } : { not: null, lte: until },
    followUpDoneAt: null,
    member: visibleMembers(actor),
    ...(opts.mineOnly ? { staffId: actor.staffId } : {}),
  };
  // The total (and those due before `overdueBefore`) in one statement over the pending range of
  // interactions(follow_up_done_at, follow_up_at, member_id), each member checked by primary key.
  const visible = visibleMembersSql(actor);
  const [[counts], rows] = await Promise.all([
    services.sql
      .query<RowDataPacket[]>(
        `SELECT COUNT(*) AS total, COALESCE(SUM(i.follow_up_at < ?), 0) AS overdue
         FROM interactions i FORCE INDEX (interactions_follow_up_pending_idx) JOIN members m ON m.id = i.member_id
         WHERE i.follow_up_done_at IS NULL AND i.follow_up_at IS NOT NULL AND i.follow_up_at ${opts.before ? '<' : '<='} ?${opts.mineOnly ? ' AND i.staff_id = ?' : ''} AND ${visible.sql}`,
        [opts.overdueBefore ?? new Date(0), until, ...(opts.mineOnly ? [actor.staffId] : []), ...visible.params],
      )
      .then(([r]) => r),
    services.db.interaction.findMany({ where, include: interactionInclude, orderBy: [{ followUpAt: 'asc' }, { id: 'asc' }], skip: Math.max(opts.offset ?? 0, 0), take: Math.min(Math.max(opts.limit ?? 20, 1), 200) }),
  ]);
  return { total: Number(counts!.total), overdue: Number(counts!.overdue), interactions: rows.map(toInteractionView) };
}

/** Marks a follow-up done (idempotent), with an optional outcome. */
export async function completeFollowUp(access: StaffAccess, interactionId: number, outcome?: string): Promise<InteractionView> {
  requirePermission(access.actor, 'interaction.write');
  const { services, actor } = access;
  const row = await services.db.interaction.findFirst({ where: { id: interactionId, member: visibleMembers(actor) }, select: { id: true, memberId: true, followUpDoneAt: true } });
  if (!row) throw notFound('interaction_not_found', `没有找到互动记录 ${interactionId}。`);
  const now = services.now();
  // The change feed row commits with the update (docs/sync.md): the completion is synced.
  const updated = await services.db.$transaction(async (tx) => {
    const u = await tx.interaction.update({
      where: { id: row.id },
      data: { followUpDoneAt: row.followUpDoneAt ?? now, ...(outcome ? { outcome: outcome.slice(0, 255) } : {}) },
      include: interactionInclude,
    });
    await recordChanges(tx, now, [{ object: 'follow_up', id: row.id, memberId: row.memberId }]);
    return u;
  });
  await audit(services, { actor, action: 'interaction.follow_up_done', targetType: 'interaction', targetId: String(row.id), channel: access.channel, requestId: access.requestId, detail: { memberId: row.memberId } });
  return toInteractionView(updated);
}
