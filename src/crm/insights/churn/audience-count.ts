import { createHash } from 'node:crypto';
import type { RowDataPacket } from 'mysql2/promise';
import { requirePermission, storeScope, type StaffAccess } from '../../kernel/index.ts';
import { cachedJson } from '../cache.ts';
import { CHURN_WINDOW_DAYS, latestScoringRun, snapshotCounts } from '../scores/snapshot.ts';

/** The churn audience's cap: churnList({ all: true }) and churnAudienceSql stop there. */
export const CHURN_AUDIENCE_CAP = 100_000;

/**
 * The size of the whole default churn list (churnAudienceSql: high risk, within the window, the
 * actor's stores, still active and still in them) without reading it: the scoring run's
 * per-store count of its candidates, less the members of that count no longer on the list now.
 * A member leaves it between runs only by leaving `active` (deleted, merged: members' status
 * index) or by a home-store change (customers' updateMemberProfile, the one writer of
 * home_store_id, records it in member_profile_changes: its (field, created_at) index), so only
 * those members are looked at — a few rows instead of the list's ~100,000 at a million members.
 * `member` is a condition on member_scores `s` and members `m` (no other alias) that holds
 * exactly for the list's members (capped as churnAudienceSql caps it), for a caller counting a
 * subset of them (a recall's exclusions) through the primary key. Null when the run has no
 * counts or member_scores is not the latest run's (a swap in progress): count the list itself.
 */
export async function churnAudienceCount(access: StaffAccess): Promise<{ count: number; asOf: Date; member: { sql: string; params: unknown[] } } | null> {
  requirePermission(access.actor, 'churn.read');
  const sql = access.services.readSql;
  const run = await latestScoringRun(sql);
  if (!run) return null;
  const [scored] = await sql.query<RowDataPacket[]>('SELECT scored_at FROM member_scores WHERE churn_rank IS NOT NULL LIMIT 1');
  if (!scored.length || (scored[0]!.scored_at as Date).getTime() !== run.asOf.getTime()) return null;
  const stores = storeScope(access.actor);
  if (stores !== null && stores.length === 0) return { count: 0, asOf: run.asOf, member: { sql: 'FALSE', params: [] } };
  const counts = await snapshotCounts(sql, run.id, stores, ['churn']);
  if (!counts) return null;
  const ofRun = counts.filter((c) => c.key === 'high').reduce((a, c) => a + c.members, 0);
  // On the run's list (as churnAudienceSql selects it, member_stats included), and live now.
  const listed = {
    sql: `s.churn_rank IS NOT NULL AND s.churn_level = 'high'${stores === null ? '' : ' AND s.churn_store IN (?)'} AND s.last_order_at > ? - INTERVAL ${CHURN_WINDOW_DAYS} DAY
          AND EXISTS (SELECT 1 FROM member_stats ms WHERE ms.member_id = s.member_id)`,
    params: [...(stores === null ? [] : [stores]), run.asOf],
  };
  const live = { sql: `m.status = 'active'${stores === null ? '' : ' AND m.home_store_id IN (?)'}`, params: stores === null ? [] : [stores] };
  const [gone] = await sql.query<RowDataPacket[]>(
    `SELECT s.churn_rank FROM (
       SELECT id FROM members WHERE status IN ('frozen', 'deleted')
       UNION SELECT member_id FROM member_profile_changes WHERE field = 'homeStoreId' AND created_at >= ?
     ) c JOIN member_scores s ON s.member_id = c.id JOIN members m ON m.id = c.id
     WHERE ${listed.sql} AND NOT (${live.sql}) ORDER BY s.churn_rank`,
    [run.asOf, ...listed.params, ...live.params],
  );
  const goneRanks = gone.map((r) => Number(r.churn_rank));
  const count = ofRun - goneRanks.length;
  let cap = '';
  const capParams: unknown[] = [];
  if (count > CHURN_AUDIENCE_CAP) {
    // The list stops at its CAP-th live member: the rank of the CAP-th row of the (level, rank)
    // index walk, moved on past the members gone before it (each walk only goes further).
    // The walk (~100,000 index entries) depends only on the run, the stores and who is gone: kept in Redis under those.
    const rank = await cachedJson(access.services, access.services.key('churn', 'cap', run.id, stores === null ? 'all' : stores.join(','), createHash('sha1').update(goneRanks.join(',')).digest('hex')), 26 * 3600, () => capRank(access, run.asOf, stores, goneRanks));
    cap = ' AND s.churn_rank <= ?';
    capParams.push(rank);
  }
  return {
    count: Math.min(count, CHURN_AUDIENCE_CAP),
    asOf: run.asOf,
    member: { sql: `${listed.sql} AND ${live.sql}${cap}`, params: [...listed.params, ...live.params, ...capParams] },
  };
}

/** The rank of the list's CAP-th live member (see churnAudienceCount). */
async function capRank(access: StaffAccess, asOf: Date, stores: number[] | null, goneRanks: number[]): Promise<number> {
  const sql = access.services.readSql;
  {
    let offset = CHURN_AUDIENCE_CAP - 1;
    let rank = 0;
    for (;;) {
      const [[row]] = await sql.query<RowDataPacket[]>(
        `SELECT s.churn_rank FROM member_scores s FORCE INDEX (member_scores_level_rank_idx)
          WHERE s.churn_level = 'high' AND s.churn_rank IS NOT NULL${stores === null ? '' : ' AND s.churn_store IN (?)'} AND s.last_order_at > ? - INTERVAL ${CHURN_WINDOW_DAYS} DAY
          ORDER BY s.churn_rank LIMIT 1 OFFSET ?`,
        [...(stores === null ? [] : [stores]), asOf, offset],
      );
      rank = Number(row!.churn_rank);
      const before = goneRanks.filter((r) => r <= rank).length;
      if (offset === CHURN_AUDIENCE_CAP - 1 + before) return rank;
      offset = CHURN_AUDIENCE_CAP - 1 + before;
    }
  }
}
