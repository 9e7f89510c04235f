import type { Pool, RowDataPacket } from 'mysql2/promise';
import { withTransaction } from '../../kernel/index.ts';
import { writeMemberTags, type ReplaceWrite } from '../tags/write.ts';

/**
 * Smart tags (CRM07): model tags written to member_tags with source `model` and a confidence
 * 0..1, recomputed in bulk SQL from member_scores (run after the scores; see selects below).
 * A member who already carries the tag by hand or by rule keeps that row untouched; only
 * `model` rows change (a member who keeps a tag keeps the day it was first given; a changed
 * confidence is updated): writeMemberTags' `replaceSelected`, which writes the difference or
 * swaps the tag's rows, chosen by a count.
 *
 * Each tag states what it claims; the two churn tags claim "this member is gone" and are
 * measured against the demo generator's latent truth by `bench:churn` (precision ≥ 90 %, the
 * confidence beside the observed rate; docs/models.md):
 * - 高消费: monetary score 5 (top 20 % of lifetime spend); confidence = spend percentile. A fact
 *   of the recorded orders, true by construction.
 * - 易流失: still ordered in the last 180 days (worth a recall) and the churn risk — the
 *   supervised layer's P(no purchase in the next 90 days), calibrated out of time — is at least
 *   0.9; confidence = that risk.
 * - 沉睡会员: no order in 90 days (the documents' dormant rule) and a churn risk of at least
 *   0.8: a member whose own rhythm makes a 90-day pause normal is not asleep (the plain
 *   90-day rule was right for 81 % of the members it tagged; docs/models.md); confidence = the risk.
 * - KOC潜力: not a KOC yet, frequent and recent (R ≥ 4, F ≥ 4); confidence 0.5 plus 0.1 per
 *   activity / praise / KOC-promotion interaction in 180 days and per referral it brought
 *   (koc_referrals.referred_member_id of members it introduced is not tracked for non-KOCs,
 *   so social activity comes from interactions), capped at 0.95.
 * - 营销敏感: responds to campaigns, measured as coupon redemption (member_coupons): at
 *   least 2 coupons issued and half or more used; confidence = redemption rate. No campaign
 *   table exists yet; until journeys/recalls issue coupons this tags nobody.
 */
export const SMART_TAGS = {
  高消费: { category: 'value', description: '模型标签：累计消费前 20%' },
  易流失: { category: 'risk', description: '模型标签：近 180 天仍有消费，且模型估计未来 90 天不再消费的概率 ≥ 90%' },
  沉睡会员: { category: 'behaviour', description: '模型标签：90 天未消费，且模型估计未来 90 天不再消费的概率 ≥ 80%' },
  KOC潜力: { category: 'behaviour', description: '模型标签：高频近期活跃且有社交/活动互动' },
  营销敏感: { category: 'behaviour', description: '模型标签：优惠券核销率 ≥ 50%' },
} as const;
export type SmartTag = keyof typeof SMART_TAGS;

/** The churn-risk floors of 易流失 and 沉睡会员 (see above; constants, never user text, in the SQL). */
export const CHURNING_RISK = 0.9;
export const DORMANT_RISK = 0.8;

/**
 * Every tag's rule in one query (member_id, tag_id, confidence) over the score table the run just
 * wrote: member_scores holds the member's last order and lifetime spend as of the run (the same
 * figures the churn risk and RFM were computed from). 高消费, 易流失 and 沉睡会员 come from one pass
 * over it (each row joined to the three tags, kept where the tag's rule holds), KOC潜力 from a
 * second pass reading only its candidates' interactions, 营销敏感 from the coupons. Members deleted
 * since the run (their scores stay until the next one) are left out by the few deleted ids, read
 * from members(status). Tag ids are integers read from `tags`, written into the SQL as numbers.
 */
function selection(now: Date, id: Record<SmartTag, number>): { sql: string; params: unknown[] } {
  const live = "member_id NOT IN (SELECT id FROM members WHERE status = 'deleted')";
  return {
    sql: `SELECT s.member_id, k.tag_id, IF(k.tag_id = ${id.高消费}, ROUND(s.pr, 3), s.churn_risk) AS confidence
          FROM (SELECT member_id, rfm_m, churn_risk, last_order_at, PERCENT_RANK() OVER (PARTITION BY rfm_m IS NULL ORDER BY total_spend) AS pr FROM member_scores) s
          JOIN (SELECT ${id.高消费} AS tag_id UNION ALL SELECT ${id.易流失} UNION ALL SELECT ${id.沉睡会员}) k
            ON CASE k.tag_id
                 WHEN ${id.高消费} THEN s.rfm_m = 5
                 WHEN ${id.易流失} THEN s.churn_risk >= ${CHURNING_RISK} AND s.last_order_at > ? - INTERVAL 180 DAY
                 ELSE s.last_order_at <= ? - INTERVAL 90 DAY AND s.churn_risk >= ${DORMANT_RISK} END
          WHERE s.${live}
          UNION ALL
          SELECT s.member_id, ${id.KOC潜力}, LEAST(0.95, 0.5 + 0.1 * COALESCE(i.n, 0))
          FROM member_scores s
          LEFT JOIN (SELECT member_id, COUNT(*) AS n FROM interactions
                     WHERE type IN ('activity', 'praise', 'koc_promotion') AND created_at > ? - INTERVAL 180 DAY GROUP BY member_id) i
            ON i.member_id = s.member_id
          WHERE s.rfm_r >= 4 AND s.rfm_f >= 4 AND NOT EXISTS (SELECT 1 FROM koc_profiles k WHERE k.member_id = s.member_id) AND s.${live}
          UNION ALL
          SELECT member_id, ${id.营销敏感}, ROUND(SUM(status = 'used') / COUNT(*), 3) FROM member_coupons
          WHERE ${live} GROUP BY member_id HAVING COUNT(*) >= 2 AND SUM(status = 'used') / COUNT(*) >= 0.5`,
    params: [now, now, now],
  };
}

export interface SmartTagRun {
  /** Members holding each tag from the model after the run. */
  held: Record<SmartTag, number>;
  /** How each tag was written (writeMemberTags replaceSelected: insert, difference or swap). */
  writes: Record<SmartTag, ReplaceWrite>;
}

/** Recomputes every smart tag; returns the members tagged per tag. Deleted members are skipped. */
export async function refreshSmartTags(sql: Pool, now: Date): Promise<Record<SmartTag, number>> {
  return (await refreshSmartTagsRun(sql, now)).held;
}

/** refreshSmartTags with how each tag was written. */
export async function refreshSmartTagsRun(sql: Pool, now: Date): Promise<SmartTagRun> {
  const names = Object.keys(SMART_TAGS) as SmartTag[];
  await sql.query('INSERT IGNORE INTO tags (name, category, description, created_at) VALUES ?', [names.map((name) => [name, SMART_TAGS[name].category, SMART_TAGS[name].description, now])]);
  const [tags] = await sql.query<RowDataPacket[]>('SELECT id, name FROM tags WHERE name IN (?)', [names]);
  const id = Object.fromEntries(names.map((name) => [name, Number(tags.find((t) => t.name === name)!.id)])) as Record<SmartTag, number>;
  const nameOf = new Map(names.map((name) => [id[name], name]));
  const writes = {} as Record<SmartTag, ReplaceWrite>;
  // One transaction for every tag: readers see the old tags or the new ones. replaceSelected
  // reads the selection once and writes each tag as the difference or a swap, whichever its count
  // says is less work; members who keep a tag keep the day they first got it either way.
  const held = await withTransaction(
    sql,
    async (conn) => {
      const chose = (tagId: number, w: ReplaceWrite) => (writes[nameOf.get(tagId)!] = w);
      await writeMemberTags(conn, { op: 'replaceSelected', tagIds: names.map((n) => id[n]), select: selection(now, id), source: 'model', createdBy: 'model', at: now, chose }, { system: 'model' });
      const [counts] = await conn.query<RowDataPacket[]>("SELECT tag_id, COUNT(*) AS n FROM member_tags WHERE tag_id IN (?) AND source = 'model' GROUP BY tag_id", [names.map((n) => id[n])]);
      return Object.fromEntries(names.map((name) => [name, Number(counts.find((r) => Number(r.tag_id) === id[name])?.n ?? 0)])) as Record<SmartTag, number>;
    },
    // A staff member's tag write on a row of this run waits for it; should InnoDB still pick this
    // run as a deadlock's victim, it runs again from scratch.
    { retryDeadlocks: 3 },
  );
  return { held, writes };
}
