import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { AppError, audit, forbidden, requirePermission, withTransaction, type CrmAccess, type StaffAccess } from '../kernel/index.ts';
import { eraseMemberRow, lockMemberStatus, memberInScope } from '../customers/index.ts';
import { leaveCohorts, orderTotals } from '../sales/index.ts';
import { eraseLoyaltyRecords } from '../loyalty/index.ts';
import { eraseMemberEvents, writeMemberTags } from '../engagement/index.ts';
import { eraseServiceText } from '../service/index.ts';
import { eraseWeComContacts } from '../contacts/index.ts';

export { ERASED_NAME, erasedPhone } from '../customers/index.ts';

const ERASED_TEXT = '[已按用户请求删除]';

/**
 * Carries out a member's deletion request (PIPL art. 47 / GDPR art. 17) in one transaction
 * (member.delete): name, phone, birthday, gender and WeChat identities are erased; free text
 * written about the member (interactions, tickets, profile change values) is blanked; tags,
 * behaviour events and the KOC profile are deleted. Orders stay with their amounts, stores and times (and the
 * points ledger) so sales and store figures do not change; the member row stays as an
 * anonymous "deleted" member that no search finds. The request and its outcome are recorded.
 * Each context erases its own part on this transaction's connection.
 */
export async function eraseMember(access: StaffAccess, input: { memberId: number; reason?: string }): Promise<{ requestId: number; kept: { orders: number; totalSpend: string } }> {
  requirePermission(access.actor, 'member.delete');
  const { services, actor } = access;
  const { memberId } = input;
  await memberInScope(services, actor, memberId);
  const now = services.now();
  const { requestRow, kept } = await withTransaction(services.sql, async (conn) => {
    const status = await lockMemberStatus(conn, memberId);
    if (status === null || status === 'deleted') throw new AppError('member_gone', '这位会员已被注销。');
    // Complete the member's own open request when there is one; otherwise record staff's.
    let requestRow: number;
    const [[open]] = await conn.query<RowDataPacket[]>("SELECT id FROM deletion_requests WHERE member_id = ? AND status = 'requested' ORDER BY id LIMIT 1 FOR UPDATE", [memberId]);
    if (open) requestRow = Number(open.id);
    else {
      const [req] = await conn.query<ResultSetHeader>('INSERT INTO deletion_requests (member_id, status, reason, requested_by, requested_at) VALUES (?, ?, ?, ?, ?)', [memberId, 'requested', input.reason ?? null, actor.wecomUserId, now]);
      requestRow = req.insertId;
    }
    // The stored registration cohorts count members not deleted: leave them in this transaction.
    await leaveCohorts(conn, [memberId]);
    await eraseMemberRow(conn, memberId, now);
    await eraseServiceText(conn, memberId, ERASED_TEXT);
    await eraseWeComContacts(conn, memberId);
    await writeMemberTags(conn, { op: 'clearMember', memberId }, { partOf: 'member.erase' });
    await eraseMemberEvents(conn, memberId);
    await eraseLoyaltyRecords(conn, memberId);
    const kept = await orderTotals(conn, memberId);
    await conn.query("UPDATE deletion_requests SET status = 'completed', completed_at = ?, detail = ? WHERE id = ?", [now, JSON.stringify({ kept }), requestRow]);
    return { requestRow, kept };
  });
  await audit(services, { actor, action: 'member.erase', targetType: 'member', targetId: String(memberId), channel: access.channel, requestId: access.requestId, detail: { deletionRequestId: requestRow, kept } });
  return { requestId: requestRow, kept };
}

/**
 * A deletion request as the member makes it (mini-program, or staff on the member's behalf):
 * recorded as `requested` for HQ to carry out with eraseMember, which completes it. One open
 * request per member: asking twice returns the first.
 */
export async function requestDeletion(access: CrmAccess, input: { memberId: number; reason?: string }): Promise<{ requestId: number; created: boolean }> {
  const { services, actor } = access;
  if (actor.kind === 'member') {
    if (actor.memberId !== input.memberId) throw forbidden('not_your_member', '只能为自己申请注销。');
  } else {
    requirePermission(actor, 'member.read');
    await memberInScope(services, actor, input.memberId);
  }
  const open = await services.db.deletionRequest.findFirst({ where: { memberId: input.memberId, status: 'requested' }, orderBy: { id: 'asc' } });
  if (open) return { requestId: open.id, created: false };
  const row = await services.db.deletionRequest.create({
    data: { memberId: input.memberId, status: 'requested', reason: input.reason?.slice(0, 255) ?? null, requestedBy: actor.kind === 'member' ? `member:${actor.memberId}` : actor.wecomUserId, requestedAt: services.now() },
  });
  await audit(services, { actor, action: 'member.deletion_request', targetType: 'member', targetId: String(input.memberId), channel: access.channel, requestId: access.requestId, detail: { deletionRequestId: row.id } });
  return { requestId: row.id, created: true };
}

/** Open deletion requests, oldest first (HQ's to-do list). */
export async function pendingDeletionRequests(access: StaffAccess) {
  requirePermission(access.actor, 'member.delete');
  return access.services.db.deletionRequest.findMany({ where: { status: 'requested' }, orderBy: { id: 'asc' }, take: 200 });
}
