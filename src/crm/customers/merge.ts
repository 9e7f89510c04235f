import type { PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { AppError, badRequest } from '../kernel/index.ts';
import type { StaffAccess } from '../kernel/index.ts';
import { requirePermission } from '../kernel/index.ts';
import { audit } from '../kernel/index.ts';
import { appendLedger } from '../loyalty/index.ts';
import { leaveCohorts } from '../sales/index.ts';
import { resyncMembers } from '../sales/index.ts';
import { reevaluateMemberRuleTags } from '../engagement/index.ts';
import { memberInScope } from './in-scope.ts';

export interface MergeResult {
  mergeId: number;
  survivorId: number;
  mergedId: number;
  moved: { orders: number; interactions: number; tickets: number; tags: number; coupons: number; referrals: number; points: number };
}

type Moved = Omit<MergeResult['moved'], 'points'>;

const affected = async (conn: PoolConnection, query: string, params: unknown[]) => (await conn.query<ResultSetHeader>(query, params))[0].affectedRows;

/** Moves everything M owns except points and identities to S (inside the merge's transaction). */
async function moveRecords(conn: PoolConnection, S: number, M: number): Promise<Moved> {
  const orders = await affected(conn, 'UPDATE orders SET member_id = ? WHERE member_id = ?', [S, M]);
  const interactions = await affected(conn, 'UPDATE interactions SET member_id = ? WHERE member_id = ?', [S, M]);
  const tickets = await affected(conn, 'UPDATE tickets SET member_id = ? WHERE member_id = ?', [S, M]);
  const tags = await affected(
    conn,
    'INSERT IGNORE INTO member_tags (member_id, tag_id, source, confidence, created_by, created_at) SELECT ?, tag_id, source, confidence, created_by, created_at FROM member_tags WHERE member_id = ?',
    [S, M],
  );
  await conn.query('DELETE FROM member_tags WHERE member_id = ?', [M]);
  const coupons = await affected(conn, 'UPDATE member_coupons SET member_id = ? WHERE member_id = ?', [S, M]);
  const referrals = await affected(conn, 'UPDATE koc_referrals SET koc_member_id = ? WHERE koc_member_id = ?', [S, M]);
  await conn.query('UPDATE koc_referrals SET referred_member_id = ? WHERE referred_member_id = ?', [S, M]);
  const [koc] = await conn.query<RowDataPacket[]>('SELECT 1 FROM koc_profiles WHERE member_id = ?', [S]);
  if (koc.length) await conn.query('DELETE FROM koc_profiles WHERE member_id = ?', [M]);
  else await conn.query('UPDATE koc_profiles SET member_id = ? WHERE member_id = ?', [S, M]);
  return { orders, interactions, tickets, tags, coupons, referrals };
}

/**
 * Merges a duplicate member into a survivor (member.merge), in one transaction with both member
 * rows locked (in id order, so two opposite merges cannot deadlock): orders, interactions,
 * tickets, tags, coupons, KOC referrals and points move to the survivor; growth value adds up;
 * the higher level stays; WeChat identities move when the survivor has none. The duplicate
 * remains as a deleted row pointing at the survivor (merged_into_id), so old references resolve.
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

  const conn = await services.sql.getConnection();
  let result: MergeResult;
  try {
    await conn.beginTransaction();
    const [rows] = await conn.query<RowDataPacket[]>('SELECT id, points, growth_value, level, openid, external_user_id, status FROM members WHERE id IN (?) ORDER BY id FOR UPDATE', [[S, M]]);
    const s = rows.find((r) => Number(r.id) === S);
    const m = rows.find((r) => Number(r.id) === M);
    if (!s || !m || s.status === 'deleted' || m.status === 'deleted') throw new AppError('member_gone', '其中一位会员已被注销或合并。');

    let moved!: Moved;
    await resyncMembers(conn, now, [S, M], async () => {
      moved = await moveRecords(conn, S, M);
    });
    // After the resync (its cohort bits are now zero) and while still counted as a member.
    await leaveCohorts(conn, [M]);

    const points = Number(m.points);
    if (points > 0) {
      const ref = `merge:${M}->${S}`;
      await appendLedger(conn, services, actor, { memberId: M, delta: -points, kind: 'merge', reason: `合并到会员 ${S}`, ref });
      await appendLedger(conn, services, actor, { memberId: S, delta: points, kind: 'merge', reason: `合并自会员 ${M}`, ref });
    }
    // Identities are unique: clear them on the duplicate before the survivor takes them.
    await conn.query("UPDATE members SET status = 'deleted', merged_into_id = ?, openid = NULL, external_user_id = NULL, growth_value = 0, updated_at = ? WHERE id = ?", [S, now, M]);
    await conn.query('UPDATE members SET growth_value = ?, level = ?, openid = COALESCE(openid, ?), external_user_id = COALESCE(external_user_id, ?), updated_at = ? WHERE id = ?', [
      Number(s.growth_value) + Number(m.growth_value),
      Math.max(Number(s.level), Number(m.level)),
      m.openid,
      m.external_user_id,
      now,
      S,
    ]);
    const all = { ...moved, points };
    const [ins] = await conn.query<ResultSetHeader>('INSERT INTO member_merges (survivor_id, merged_id, moved, merged_by, created_at) VALUES (?, ?, ?, ?, ?)', [S, M, JSON.stringify(all), actor.wecomUserId, now]);
    await conn.commit();
    result = { mergeId: ins.insertId, survivorId: S, mergedId: M, moved: all };
  } catch (e) {
    await conn.rollback().catch(() => {});
    throw e;
  } finally {
    conn.release();
  }

  await audit(services, { actor, action: 'member.merge', targetType: 'member', targetId: String(S), channel: access.channel, requestId: access.requestId, detail: { mergedId: M, mergeId: result.mergeId, moved: result.moved, reason: input.reason ?? null } });
  await audit(services, { actor, action: 'member.merged_into', targetType: 'member', targetId: String(M), channel: access.channel, requestId: access.requestId, detail: { survivorId: S, mergeId: result.mergeId } });
  await reevaluateMemberRuleTags(services, S);
  return result;
}
