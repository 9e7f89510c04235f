import { audit, requirePermission, type StaffAccess } from '../../kernel/index.ts';
import { memberInScope } from '../../customers/index.ts';
import type { LedgerEntry } from './ledger.ts';

/** The newest ledger entries of one member in scope (audited as a member read). */
export async function pointsHistory(access: StaffAccess, memberId: number, limit = 20): Promise<{ balance: number; entries: LedgerEntry[] }> {
  requirePermission(access.actor, 'member.read');
  const { db } = access.services;
  await memberInScope(access.services, access.actor, memberId);
  const [member, rows] = await Promise.all([
    db.member.findUniqueOrThrow({ where: { id: memberId }, select: { points: true } }),
    db.pointsLedger.findMany({ where: { memberId }, orderBy: { id: 'desc' }, take: Math.min(Math.max(limit, 1), 200) }),
  ]);
  await audit(access.services, { actor: access.actor, action: 'points.history', targetType: 'member', targetId: String(memberId), channel: access.channel, requestId: access.requestId });
  return { balance: member.points, entries: rows.map((e) => ({ ...e, id: e.id.toString() })) };
}
