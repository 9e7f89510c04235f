import { audit, type SelfAccess } from '../kernel/index.ts';

/**
 * Marketing opt-out (unsubscribe): idempotent; the first opt-out time is kept. Journeys and
 * recalls skip members with `marketing_opt_out_at` set; service messages (replies, tickets) still go.
 */
export async function optOutOfMarketing(access: SelfAccess): Promise<{ changed: boolean; since: Date }> {
  const { services, actor } = access;
  const now = services.now();
  const res = await services.db.member.updateMany({ where: { id: actor.memberId, marketingOptOutAt: null }, data: { marketingOptOutAt: now } });
  const row = await services.db.member.findUniqueOrThrow({ where: { id: actor.memberId }, select: { marketingOptOutAt: true } });
  if (res.count > 0) {
    await audit(services, { actor, action: 'unsubscribe', targetType: 'member', targetId: String(actor.memberId), channel: access.channel, requestId: access.requestId });
  }
  return { changed: res.count > 0, since: row.marketingOptOutAt ?? now };
}
