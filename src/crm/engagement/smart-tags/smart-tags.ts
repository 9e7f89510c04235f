import type { Pool } from 'mysql2/promise';
import { readTagRows, writeMemberTags, type HeldTagRows, type MemberSelect, type ReplaceWrite, type SelectedMembers } from '../tags/write.ts';
import { CHURNING_RISK, DORMANT_RISK, selectFromScores, type KocFacts, type SmartTagFacts, type SmartTagScores } from './from-scores.ts';

/**
 * Smart tags (CRM07): model tags written to member_tags with source `model` and a confidence
 * 0..1, recomputed in bulk SQL from member_scores (run after the scores; see selects below).
 * A member who already carries the tag by hand or by rule keeps that row untouched; only
 * `model` rows change (a member who keeps a tag keeps the day it was first given; a confidence
 * that moved by more than CONFIDENCE_TOLERANCE is rewritten): writeMemberTags' `replaceSelected`,
 * which writes the difference in short transactions.
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

export { CHURNING_RISK, DORMANT_RISK, type SmartTagFacts, type SmartTagScores } from './from-scores.ts';

/** KOC潜力's social activity: each member's activity / praise / KOC-promotion interactions in 180 days (parameter: now). */
const KOC_INTERACTIONS = `SELECT member_id, COUNT(*) AS n FROM interactions
                       WHERE type IN ('activity', 'praise', 'koc_promotion') AND created_at > ? - INTERVAL 180 DAY GROUP BY member_id`;

/**
 * Each tag's rule as a query over the score table the run just wrote: member_scores holds the
 * member's last order and lifetime spend as of the run (the same figures the churn risk and RFM
 * were computed from), so the churn tags and 高消费 read one table by its primary key order
 * instead of joining member_stats (1M members: 4–5 s of joins per tag before).
 */
function selects(now: Date): Record<SmartTag, { sql: string; params: unknown[] }> {
  return {
    高消费: {
      sql: `SELECT member_id, ROUND(pr, 3) AS confidence FROM (
              SELECT member_id, PERCENT_RANK() OVER (ORDER BY total_spend) AS pr, rfm_m FROM member_scores WHERE rfm_m IS NOT NULL) t
            WHERE rfm_m = 5`,
      params: [],
    },
    易流失: {
      sql: `SELECT member_id, churn_risk AS confidence FROM member_scores WHERE churn_risk >= ${CHURNING_RISK} AND last_order_at > ? - INTERVAL 180 DAY`,
      params: [now],
    },
    沉睡会员: {
      sql: `SELECT member_id, churn_risk AS confidence FROM member_scores WHERE last_order_at <= ? - INTERVAL 90 DAY AND churn_risk >= ${DORMANT_RISK}`,
      params: [now],
    },
    KOC潜力: {
      sql: `SELECT s.member_id, LEAST(0.95, 0.5 + 0.1 * COALESCE(i.n, 0)) AS confidence
            FROM member_scores s
            LEFT JOIN (${KOC_INTERACTIONS}) i
              ON i.member_id = s.member_id
            WHERE s.rfm_r >= 4 AND s.rfm_f >= 4 AND NOT EXISTS (SELECT 1 FROM koc_profiles k WHERE k.member_id = s.member_id)`,
      params: [now],
    },
    营销敏感: {
      sql: `SELECT member_id, ROUND(SUM(status = 'used') / COUNT(*), 3) AS confidence FROM member_coupons
            GROUP BY member_id HAVING COUNT(*) >= 2 AND SUM(status = 'used') / COUNT(*) >= 0.5`,
      params: [],
    },
  };
}

/**
 * How far a kept member's stored confidence may lag the model's value of the night before it is
 * rewritten (docs/models.md "Smart tags"): the stored confidence is the model's value (3 places)
 * of the night it was last written, and always within 0.01 of tonight's. The churn risk moves a
 * little for many members every night (1M members, session 12: 389,349 of 754,534 model rows
 * had a moved 3-place value), and rewriting them was most of that night's write. The cost: a
 * segment condition on the confidence (minConfidence) may see a value up to 0.01 off tonight's,
 * and calibration, a mean over many members, moves by as much at most (bench:churn measures
 * it on the stored values). Membership is exact every night.
 */
export const CONFIDENCE_TOLERANCE = 0.01;

/** Each tag's query as replaceSelected reads it (tests compare it with the rules in memory). */
export function smartTagQueries(now: Date): Record<SmartTag, MemberSelect> {
  const q = selects(now);
  return Object.fromEntries((Object.keys(q) as SmartTag[]).map((name) => [name, smartTagQuery(q, name)])) as Record<SmartTag, MemberSelect>;
}

function smartTagQuery(q: Record<SmartTag, MemberSelect>, name: SmartTag): MemberSelect {
  // Members deleted since the run (their scores stay until the next one): the few deleted
  // ids, read once from members(status), instead of a lookup of every selected member.
  return { sql: `SELECT t.member_id, t.confidence FROM (${q[name].sql}) t WHERE t.member_id NOT IN (SELECT id FROM members WHERE status = 'deleted')`, params: q[name].params };
}

export interface SmartTagRun {
  /** Members holding each tag from the model after the run. */
  held: Record<SmartTag, number>;
  /** What each tag's write did: "−removed +added ~confidences rewritten" (writeMemberTags replaceSelected). */
  writes: Record<SmartTag, string>;
}

/**
 * Recomputes every smart tag; returns the members tagged per tag. Deleted members are skipped.
 * `scores`: the scoring run's own figures of the rows it just wrote to member_scores (insights'
 * runScoring hands them over): the rules are then evaluated on them in memory (from-scores.ts),
 * the same selections as the queries over member_scores without reading that table back.
 */
export async function refreshSmartTags(sql: Pool, now: Date, scores?: SmartTagScores | null): Promise<Record<SmartTag, number>> {
  return (await refreshSmartTagsRun(sql, now, scores)).held;
}

/** What KOC潜力 reads besides the scores (the same tables its query joins). */
async function kocFacts(sql: Pool, now: Date): Promise<KocFacts> {
  const [kocs] = await sql.query<any[]>({ sql: 'SELECT member_id FROM koc_profiles', rowsAsArray: true });
  const [counts] = await sql.query<any[]>({ sql: KOC_INTERACTIONS, rowsAsArray: true }, [now]);
  return { kocs: new Set(kocs.map((r) => Number(r[0]))), interactions: new Map(counts.filter((r) => r[0] !== null).map((r) => [Number(r[0]), Number(r[1])])) };
}

/** Members deleted (their rows stay in member_scores until the next run; the rules leave them out as the queries do). */
async function deletedMembers(sql: Pool): Promise<Set<number>> {
  const [deleted] = await sql.query<any[]>({ sql: "SELECT id FROM members WHERE status = 'deleted'", rowsAsArray: true });
  return new Set(deleted.map((r) => Number(r[0])));
}

/** The tags whose rules run in memory on a run's figures (selectFromScores); 营销敏感 stays a query. */
const LISTED: readonly SmartTag[] = ['高消费', '易流失', '沉睡会员', 'KOC潜力'];

/**
 * What a refresh on a run's figures reads before it writes (SmartTagFacts): the KOC facts and
 * each listed tag's rows (the members deleted are read by the refresh itself, a few ids, so
 * that one deleted after the run is left out). The scoring run starts this as soon as its rows are
 * loaded (insights' recompute), so these reads — at 1M members the grouped scan of `interactions`
 * and 750,000 tag rows — run on the second core while the server builds member_scores' indexes
 * on the first, instead of after the swap. The rows are read without locks, as replaceSelected
 * reads them itself; its write re-checks every row it touches, so a row a staff member changed
 * since is left as they wrote it (replaceSelected).
 */
export async function readSmartTagFacts(sql: Pool, now: Date): Promise<SmartTagFacts> {
  const tagRows = async () => {
    const rows = new Map<string, HeldTagRows>();
    for (const name of LISTED) {
      const [[tag]] = await sql.query<any[]>('SELECT id FROM tags WHERE name = ?', [name]);
      if (tag) rows.set(name, await readTagRows(sql, Number(tag.id), 'model'));
    }
    return rows;
  };
  const [koc, rows] = await Promise.all([kocFacts(sql, now), tagRows()]);
  return { now, koc, rows };
}

/** The tags whose rules run in memory when the scores are given, and what they select. */
async function inMemory(sql: Pool, now: Date, scores: SmartTagScores, facts: SmartTagFacts | null): Promise<Partial<Record<SmartTag, SelectedMembers>>> {
  return selectFromScores(scores, now, await deletedMembers(sql), facts?.koc ?? (await kocFacts(sql, now)));
}

/** refreshSmartTags with what each tag's write did. */
export async function refreshSmartTagsRun(sql: Pool, now: Date, scores?: SmartTagScores | null): Promise<SmartTagRun> {
  const held = {} as Record<SmartTag, number>;
  const writes = {} as Record<SmartTag, string>;
  for (const [name, def] of Object.entries(SMART_TAGS) as [SmartTag, (typeof SMART_TAGS)[SmartTag]][]) {
    await sql.query('INSERT IGNORE INTO tags (name, category, description, created_at) VALUES (?, ?, ?, ?)', [name, def.category, def.description, now]);
  }
  const q = smartTagQueries(now);
  // Read by the scoring run beside its index builds (readSmartTagFacts), when it read them for this day.
  const read = scores?.facts ? await scores.facts : null;
  const facts = read && read.now.getTime() === now.getTime() ? read : null;
  const listed = scores ? await inMemory(sql, now, scores, facts) : {};
  const conn = await sql.getConnection();
  try {
    // Each tag: its selection and difference read without locks, then written in short
    // transactions in member order (replaceSelected), so a staff member's hand tag written
    // meanwhile waits for one of them at most. Readers see each member's tag old or new, never
    // missing: a member who keeps a tag keeps the row and the day it was first given.
    for (const name of Object.keys(SMART_TAGS) as SmartTag[]) {
      const [[tag]] = await conn.query<any[]>('SELECT id FROM tags WHERE name = ?', [name]);
      const select = listed[name] ?? q[name];
      const known = listed[name] ? facts?.rows.get(name) : undefined;
      let wrote: ReplaceWrite | undefined;
      const chose = (w: ReplaceWrite) => {
        wrote = w;
        writes[name] = `−${w.removed} +${w.added} ~${w.updated}`;
      };
      const rows = known && known.tagId === Number(tag.id) ? { rows: known } : {};
      await writeMemberTags(conn, { op: 'replaceSelected', tagId: tag.id, select, source: 'model', createdBy: 'model', at: now, tolerance: CONFIDENCE_TOLERANCE, ...rows, chose }, { system: 'model' });
      if (wrote?.held !== undefined) {
        // A list's run read the tag's model rows whole: counted from them (a second pass over
        // 432,139 rows' source column was ~3 s of 1M members' refresh under load, session 16).
        held[name] = wrote.held;
        continue;
      }
      // By the tag's index: without it the count scanned every member_tags row, once per tag.
      const [[count]] = await conn.query<any[]>("SELECT COUNT(*) AS n FROM member_tags FORCE INDEX (member_tags_tag_id_idx) WHERE tag_id = ? AND source = 'model'", [tag.id]);
      held[name] = Number(count.n);
    }
  } finally {
    conn.release();
  }
  return { held, writes };
}
