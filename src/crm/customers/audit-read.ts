import { audit, type StaffAccess } from '../kernel/index.ts';
import type { MemberSearch } from './find.ts';

/**
 * The audit row of a member read (lookup, summary): the member when exactly one matched,
 * otherwise the search itself, so misses and store-scope probes are on record too.
 */
export async function auditMemberRead(access: StaffAccess, action: string, search: MemberSearch, detail: Record<string, unknown> = {}): Promise<void> {
  const single = search.total === 1 ? search.members[0] : undefined;
  await audit(access.services, {
    actor: access.actor,
    action,
    ...(single ? { targetType: 'member' as const, targetId: String(single.id) } : { targetType: 'member_search' as const, targetId: `${search.by}:${search.query}` }),
    channel: access.channel,
    requestId: access.requestId,
    detail: { by: search.by, total: search.total, memberIds: search.members.map((m) => m.id), ...detail },
  });
}
