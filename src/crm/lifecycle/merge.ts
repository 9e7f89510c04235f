import type { ResultSetHeader } from 'mysql2/promise';
import { AppError, audit, badRequest, requirePermission, withTransaction, type StaffAccess } from '../kernel/index.ts';
import { lockMembers, memberInScope, mergeMemberRows } from '../customers/index.ts';
import { leaveCohorts, moveOrders, resyncMembers } from '../sales/index.ts';
import { appendLedger, moveLoyaltyRecords } from '../loyalty/index.ts';
import { moveMemberEvents, reevaluateMemberRuleTags, writeMemberTags } from '../engagement/index.ts';
import { moveServiceRecords } from '../service/index.ts';
import { moveWeComContacts } from '../contacts/index.ts';

export interface MergeResult {
  mergeId: number;
  survivorId: number;
  mergedId: number;
  moved: { orders: number; interactions: number; tickets: number; tags: number; coupons: number; referrals: number; events: number; points: number };
}

/**
 * Merges a duplicate member into a survivor (member.merge), in one transaction with both member
 * rows locked (in id order, so two opposite merges cannot deadlock): orders, interactions,
 * tickets, tags, behaviour events, coupons, KOC referrals and points move to the survivor; growth value adds up;
 * the higher level stays; WeChat identities move when the survivor has none. The duplicate
 * remains as a deleted row pointing at the survivor (merged_into_id), so old references resolve.
 * Each context moves its own records, on this transaction's connection: sales the orders,
 * service the interactions and tickets, engagement the tags and events, loyalty the coupons, referrals,
 * KOC profile and points (through the ledger), customers the member rows.
 *
 * The transaction runs on one mysql2 connection so the order move goes through resyncMembers
 * in it: both members' member_stats rows, the store visit summary and the stored cohorts (the
 * duplicate leaves its cohort) change with the orders — the health dashboard counts the pair
 * as one member at once, not after the next rebuild. Any failure rolls everything back.
 */
export async function mergeMembers(access: StaffAccess, input: { survivorId: number; mergedId: number; reason?: string }): Promise<MergeResult> {
  requirePermission(access.actor, 'member.merge');
  const { survivorId: S, mergedId: M } = input;
  if (S === M) throw badRequest('same_member', '不能把会员合并到自己。');
  const { services, actor } = access;
  await memberInScope(services, actor, S);
  await memberInScope(services, actor, M);
  const now = services.now();

  const result = await withTransaction(services.sql, async (conn): Promise<MergeResult> => {
    const rows = await lockMembers(conn, [S, M]);
    const s = rows.find((r) => r.id === S);
    const m = rows.find((r) => r.id === M);
    if (!s || !m || s.status === 'deleted' || m.status === 'deleted') throw new AppError('member_gone', '其中一位会员已被注销或合并。');

    let moved!: Omit<MergeResult['moved'], 'points'>;
    await resyncMembers(conn, now, [S, M], async () => {
      const orders = await moveOrders(conn, M, S);
      const { interactions, tickets } = await moveServiceRecords(conn, M, S);
      const tags = await writeMemberTags(conn, { op: 'moveMember', from: M, to: S }, { partOf: 'member.merge' });
      const events = await moveMemberEvents(conn, M, S);
      const { coupons, referrals } = await moveLoyaltyRecords(conn, M, S);
      await moveWeComContacts(conn, M, S);
      moved = { orders, interactions, tickets, tags, coupons, referrals, events };
    });
    // After the resync (its cohort bits are now zero) and while still counted as a member.
    await leaveCohorts(conn, [M]);

    const points = m.points;
    if (points > 0) {
      const ref = `merge:${M}->${S}`;
      await appendLedger(conn, services, actor, { memberId: M, delta: -points, kind: 'merge', reason: `合并到会员 ${S}`, ref });
      await appendLedger(conn, services, actor, { memberId: S, delta: points, kind: 'merge', reason: `合并自会员 ${M}`, ref });
    }
    await mergeMemberRows(conn, s, m, now);
    const all = { ...moved, points };
    const [ins] = await conn.query<ResultSetHeader>('INSERT INTO member_merges (survivor_id, merged_id, moved, merged_by, created_at) VALUES (?, ?, ?, ?, ?)', [S, M, JSON.stringify(all), actor.wecomUserId, now]);
    return { mergeId: ins.insertId, survivorId: S, mergedId: M, moved: all };
  });

  await audit(services, { actor, action: 'member.merge', targetType: 'member', targetId: String(S), channel: access.channel, requestId: access.requestId, detail: { mergedId: M, mergeId: result.mergeId, moved: result.moved, reason: input.reason ?? null } });
  await audit(services, { actor, action: 'member.merged_into', targetType: 'member', targetId: String(M), channel: access.channel, requestId: access.requestId, detail: { survivorId: S, mergeId: result.mergeId } });
  await reevaluateMemberRuleTags(services, S);
  return result;
}
