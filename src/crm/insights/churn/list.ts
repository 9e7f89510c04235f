import type { RowDataPacket } from 'mysql2/promise';
import { auditStoresRead, forbidden, phoneFor, requirePermission, storeScope, type StaffAccess } from '../../kernel/index.ts';
import { openPhone } from '../../customers/index.ts';
import { countedOrder, netAmount } from '../../sales/index.ts';
import { churnSettings } from '../settings.ts';
import { CHURN_WINDOW_DAYS, latestScoringRun, snapshotCounts, type ScoringRun } from '../scores/snapshot.ts';

export interface ChurnOptions {
  /** Floor on days since the last order (default: the high-risk silence of the churn settings, 90 unless configured). */
  minDays?: number;
  /** A member is late once the silence exceeds this many times their usual gap (default 3). */
  gapFactor?: number;
  /** Only members whose past spend is at least this decimal amount ("500.00"). */
  minSpend?: string;
  /** How many to return (default 10). */
  limit?: number;
  /** Internal callers acting on the whole list (batch tagging): lifts the 100-row cap of chat answers. */
  all?: boolean;
  /** Model list: the churn levels to include (default ['high']). */
  levels?: ('high' | 'medium' | 'low')[];
  /** Only members whose home store is this one; it must be within the actor's scope (403 otherwise). */
  storeId?: number;
}

/** The actor's store scope, narrowed to `storeId` when given (null = all stores). */
function scopeFor(access: StaffAccess, storeId: number | undefined): number[] | null {
  const scope = storeScope(access.actor);
  if (storeId === undefined) return scope;
  if (scope !== null && !scope.includes(storeId)) throw forbidden('store_out_of_scope', '这个门店不在你的权限范围内。');
  return [storeId];
}

export interface ChurnEntry {
  memberId: number;
  memberNo: string;
  name: string;
  /** Masked unless the actor has member.phone.view. */
  phone: string;
  homeStore: string | null;
  daysSinceLastOrder: number;
  /** Median gap between the member's consecutive orders, in days. */
  usualGapDays: number;
  /** SUM(amount − refunded) from the database, a decimal string (fully refunded orders left out). */
  totalSpend: string;
  orderCount: number;
  /** Model list only: churn risk 0..1, its level and the readable reasons (src/crm/insights/churn/assess.ts). */
  risk?: number;
  level?: 'high' | 'medium' | 'low';
  reasons?: string[];
  /** Model list only: 12-month CLV (BG/NBD × Gamma-Gamma), a decimal string, when computable. */
  clv?: string | null;
}

export interface ChurnList {
  /** Members matching the rule in scope; `entries` holds the top `limit` by past spend. */
  total: number;
  entries: ChurnEntry[];
  rule: Required<Pick<ChurnOptions, 'minDays' | 'gapFactor'>>;
  /** 'model': ranked by the scoring run's churn risk (member_scores); 'rule': first version, used until a scoring run exists. */
  source: 'model' | 'rule';
  /** Model list: when the scores were computed. */
  scoredAt?: Date;
}

/**
 * The churn list: the model's ranking (member_scores, written by the scoring run in
 * src/crm/insights/scores) once one exists, else the first-version rule below. Model list: active
 * members of the actor's stores at the given churn levels (default high) whose last order is
 * within 365 days (longer silences are lost, not at risk) — or longer than `minDays` when it
 * is given — ranked by churn risk to the percent (what staff see), then past spend, each with
 * its reasons.
 *
 * As of the latest scoring run (its time is `scoredAt`): the run stores each candidate's place in
 * that order (churn_rank; those within the window ranked before the lost ones), home store, last
 * order and past spend (snapshot.ts), so the top N is a walk of the (level, rank) index that stops
 * after N rows (topEntries), and the total is the run's per-store count (default ask) or a count
 * inside one index (a days or spend floor). Members no longer active
 * or no longer in the actor's stores are left out of the entries at read time.
 */
export async function churnList(access: StaffAccess, options: ChurnOptions = {}): Promise<ChurnList> {
  requirePermission(access.actor, 'churn.read');
  const run = await latestScoringRun(access.services.sql);
  if (!run) {
    const [probe] = await access.services.readSql.query<RowDataPacket[]>('SELECT 1 FROM member_scores LIMIT 1');
    return probe.length ? countedChurnList(access, options) : ruleChurnList(access, options);
  }
  // A range of the (level, rank) index: the first ranked row, wherever it is.
  const [[ranked]] = await access.services.sql.query<RowDataPacket[]>("SELECT EXISTS (SELECT 1 FROM member_scores WHERE churn_level IN ('high', 'medium', 'low') AND churn_rank IS NOT NULL) AS has");
  if (!Number(ranked!.has)) return countedChurnList(access, options);
  const scoredAt = run.asOf;
  const { rule, limit, stores, now, levels } = await listFrame(access, options);
  let total = 0;
  let entries: ChurnEntry[] = [];
  if (stores === null || stores.length > 0) {
    // Who is on the list, as of the run (the snapshot columns of member_scores).
    const where: string[] = [];
    const params: unknown[] = [];
    if (stores !== null) {
      where.push('s.churn_store IN (?)');
      params.push(stores);
    }
    if (options.minDays !== undefined) {
      // TIMESTAMPDIFF(DAY, last, at) > d, i.e. at least d + 1 whole days, as a range on the index.
      where.push('s.last_order_at <= ? - INTERVAL ? DAY');
      params.push(scoredAt, options.minDays + 1);
    } else {
      where.push(`s.last_order_at > ? - INTERVAL ${CHURN_WINDOW_DAYS} DAY`);
      params.push(scoredAt);
    }
    if (options.minSpend !== undefined) {
      where.push('s.total_spend >= CAST(? AS DECIMAL(14,2))');
      params.push(options.minSpend);
    }
    const defaultAsk = options.minDays === undefined && options.minSpend === undefined;
    total = defaultAsk ? await snapshotTotal(access, run.id, stores, levels) : await indexTotal(access, ['s.churn_level IN (?)', ...where], [levels, ...params]);
    entries = limit <= 100 ? await topEntries(access, run, levels, where, params, limit, stores, now) : await wholeList(access, levels, where, params, limit, stores, now, options.minDays !== undefined);
  }
  await auditStoresRead(access, 'churn.list', stores, { source: 'model', levels, minDays: options.minDays ?? null, minSpend: options.minSpend ?? null, total, asOf: scoredAt.toISOString(), memberIds: entries.map((e) => e.memberId) });
  return { total, entries, rule, source: 'model', scoredAt };
}

/**
 * The whole default churn list (levels high, within the window, the actor's stores) as a derived
 * table of `member_id` and `ord` (its place in the list) — exactly the members and order
 * `churnList(access, { all: true, limit: 100_000 })` returns, for a caller that only counts or
 * aggregates them in SQL (a recall's preview) instead of reading ~every row into Node. Null when
 * the list is not the ranked model list (no scoring run or no ranks yet: the caller reads
 * churnList). `first` keeps only the list's first rows (a sample). The caller audits what it shows.
 */
export async function churnAudienceSql(access: StaffAccess, first = 100_000): Promise<{ sql: string; params: unknown[]; asOf: Date } | null> {
  requirePermission(access.actor, 'churn.read');
  const run = await latestScoringRun(access.services.sql);
  if (!run) return null;
  const [[ranked]] = await access.services.sql.query<RowDataPacket[]>("SELECT EXISTS (SELECT 1 FROM member_scores WHERE churn_level IN ('high', 'medium', 'low') AND churn_rank IS NOT NULL) AS has");
  if (!Number(ranked!.has)) return null;
  const stores = scopeFor(access, undefined);
  if (stores !== null && stores.length === 0) return { sql: 'SELECT 0 AS member_id, 0 AS ord FROM DUAL WHERE FALSE', params: [], asOf: run.asOf };
  // wholeList's WHERE for the default ask, member_stats joined as there (an entry needs its row), capped as churnList caps it.
  const sql = `SELECT s.member_id, s.churn_rank AS ord
     FROM member_scores s JOIN members m ON m.id = s.member_id JOIN member_stats ms ON ms.member_id = s.member_id
     WHERE s.churn_rank IS NOT NULL AND s.churn_level = 'high'${stores === null ? '' : ' AND s.churn_store IN (?)'}
       AND s.last_order_at > ? - INTERVAL ${CHURN_WINDOW_DAYS} DAY AND ${liveFilter(stores)}
     ORDER BY s.churn_rank LIMIT ${Math.min(Math.max(Math.trunc(first), 1), 100_000)}`;
  return { sql, params: [...(stores === null ? [] : [stores]), run.asOf, ...(stores === null ? [] : [stores])], asOf: run.asOf };
}

/** The columns a model-list entry shows, and the members still active and in the actor's stores now. */
const ENTRY_COLUMNS = `m.id, m.member_no, m.name, m.phone_enc, st.name AS store_name, ms.total_spend, ms.order_count, ms.median_gap_days,
              TIMESTAMPDIFF(DAY, ms.last_order_at, ?) AS days_since, s.churn_risk, s.churn_level, s.churn_reasons, s.clv, s.churn_rank, s.total_spend AS ranked_spend`;
const liveFilter = (stores: number[] | null) => (stores === null ? "m.status = 'active'" : "m.status = 'active' AND m.home_store_id IN (?)");

/**
 * A chat list (≤ 100): the run ranked its candidates within the window first, then the lost ones,
 * each by risk to the percent, past spend and id (recompute.ts). Each risk level and part is a
 * walk of member_scores(churn_level, churn_rank, …) that checks the store, days and spend in
 * the index and stops after `limit` live rows; the walks are merged in the list's order. The
 * default list is one part: the level's first entries. A days floor also reaches the lost part,
 * which starts after the run's in-window candidates (their count is the run's per-store counts).
 */
async function topEntries(access: StaffAccess, run: ScoringRun, levels: string[], where: string[], params: unknown[], limit: number, stores: number[] | null, now: Date): Promise<ChurnEntry[]> {
  const parts: { rank: string; params: unknown[] }[] = [{ rank: 's.churn_rank IS NOT NULL', params: [] }];
  if (where.some((w) => w.startsWith('s.last_order_at <='))) {
    const inWindow = (await snapshotCounts(access.services.sql, run.id, null, ['churn']))?.reduce((a, c) => a + c.members, 0);
    // Without the run's counts the two parts are one walk in rank order, sorted below.
    if (inWindow !== undefined) parts.splice(0, 1, { rank: 's.churn_rank BETWEEN 1 AND ?', params: [inWindow] }, { rank: 's.churn_rank > ?', params: [inWindow] });
  }
  const walks = await Promise.all(
    levels.flatMap((level) =>
      parts.map(async (part) => {
        const [rows] = await access.services.readSql.query<RowDataPacket[]>(
          `SELECT ${ENTRY_COLUMNS}
           FROM member_scores s FORCE INDEX (member_scores_level_rank_idx) STRAIGHT_JOIN members m ON m.id = s.member_id JOIN member_stats ms ON ms.member_id = s.member_id
           LEFT JOIN stores st ON st.id = m.home_store_id
           WHERE s.churn_level = ? AND ${part.rank} AND ${where.join(' AND ')} AND ${liveFilter(stores)}
           ORDER BY s.churn_rank
           LIMIT ?`,
          [now, level, ...part.params, ...params, ...(stores === null ? [] : [stores]), limit],
        );
        return rows;
      }),
    ),
  );
  return walks
    .flat()
    .sort(listOrder)
    .slice(0, limit)
    .map((r) => modelEntry(access, r));
}

/**
 * The list's order (the run's rank order within a part): risk to the percent as the run rounded
 * it (ROUND(churn_risk, 2), half away from zero), past spend as of the run, member id.
 */
function listOrder(a: RowDataPacket, b: RowDataPacket): number {
  const pct = (r: RowDataPacket) => Math.floor((Math.round(Number(r.churn_risk) * 10_000) + 50) / 100);
  const cents = (r: RowDataPacket) => Math.round(Number(r.ranked_spend) * 100);
  return pct(b) - pct(a) || cents(b) - cents(a) || Number(a.id) - Number(b.id);
}

/**
 * A whole list (batch tagging, a recall's audience, the digest): read by level and sorted — on
 * the one rank integer within the window; with a days floor, which reaches past the window, in
 * the list's order (risk to the percent, past spend as of the run, id).
 */
async function wholeList(access: StaffAccess, levels: string[], where: string[], params: unknown[], limit: number, stores: number[] | null, now: Date, floored: boolean): Promise<ChurnEntry[]> {
  const [rows] = await access.services.readSql.query<RowDataPacket[]>(
    `SELECT ${ENTRY_COLUMNS}
     FROM member_scores s JOIN members m ON m.id = s.member_id JOIN member_stats ms ON ms.member_id = s.member_id
     LEFT JOIN stores st ON st.id = m.home_store_id
     WHERE s.churn_rank IS NOT NULL AND s.churn_level IN (?) AND ${where.join(' AND ')} AND ${liveFilter(stores)}
     ORDER BY ${floored ? 'ROUND(s.churn_risk, 2) DESC, s.total_spend DESC, s.member_id' : 's.churn_rank'}
     LIMIT ?`,
    [now, levels, ...params, ...(stores === null ? [] : [stores]), limit],
  );
  return rows.map((r) => modelEntry(access, r));
}

/** The default list's total: the run's per-store count of candidates at these levels. */
async function snapshotTotal(access: StaffAccess, runId: number, stores: number[] | null, levels: string[]): Promise<number> {
  const counts = await snapshotCounts(access.services.sql, runId, stores, ['churn']);
  return (counts ?? []).filter((c) => levels.includes(c.key)).reduce((a, c) => a + c.members, 0);
}

/** A floored list's total, counted inside member_scores_churn_count_idx (level, store, last order, spend). */
async function indexTotal(access: StaffAccess, where: string[], params: unknown[]): Promise<number> {
  const [[row]] = await access.services.readSql.query<RowDataPacket[]>(
    `SELECT COUNT(*) AS n FROM member_scores s FORCE INDEX (member_scores_churn_count_idx) WHERE ${where.join(' AND ')} AND s.churn_store IS NOT NULL`,
    params,
  );
  return Number(row!.n);
}

/** One list row as both lists show it (the rule list's and the model's), the phone masked by role. */
function entryOf(access: StaffAccess, r: RowDataPacket, usualGap: unknown): ChurnEntry {
  return {
    memberId: Number(r.id),
    memberNo: String(r.member_no),
    name: String(r.name),
    phone: phoneFor(access.actor, openPhone(String(r.phone_enc))),
    homeStore: r.store_name == null ? null : String(r.store_name),
    daysSinceLastOrder: Number(r.days_since),
    usualGapDays: usualGap == null ? 0 : Math.round(Number(usualGap)),
    totalSpend: String(r.total_spend),
    orderCount: Number(r.order_count),
  };
}

function modelEntry(access: StaffAccess, r: RowDataPacket): ChurnEntry {
  const reasons = (typeof r.churn_reasons === 'string' ? JSON.parse(r.churn_reasons) : r.churn_reasons) as { text: string }[];
  return {
    ...entryOf(access, r, r.median_gap_days),
    risk: Number(r.churn_risk),
    level: r.churn_level,
    reasons: reasons.map((x) => x.text),
    clv: r.clv == null ? null : String(r.clv),
  };
}

/** What both model-list plans start from: the silence rule, the page size, the stores in scope, the clock, the risk levels asked. */
async function listFrame(access: StaffAccess, options: ChurnOptions) {
  const rule = { minDays: options.minDays ?? (await churnSettings.read(access.services)).silenceDays.high, gapFactor: options.gapFactor ?? 3 };
  const limit = Math.max(1, Math.min(options.limit ?? 10, options.all ? 100_000 : 100));
  const levels: NonNullable<ChurnOptions['levels']> = options.levels?.length ? options.levels : ['high'];
  return { rule, limit, stores: scopeFor(access, options.storeId), now: access.services.now(), levels };
}

/**
 * The model list counted over every scored row: scores without the run's rank columns (none
 * written by the application since the snapshot exists; hand-made test data).
 */
async function countedChurnList(access: StaffAccess, options: ChurnOptions): Promise<ChurnList> {
  const [probe] = await access.services.readSql.query<RowDataPacket[]>('SELECT scored_at FROM member_scores ORDER BY scored_at DESC LIMIT 1');
  const scoredAt = probe[0]!.scored_at as Date;
  const { rule, limit, stores, now, levels } = await listFrame(access, options);
  let total = 0;
  let entries: ChurnEntry[] = [];
  if (stores === null || stores.length > 0) {
    const where = ["m.status = 'active'", 's.churn_level IN (?)', 'ms.order_count > 0'];
    const params: unknown[] = [now, levels];
    if (stores !== null) {
      where.push('m.home_store_id IN (?)');
      params.push(stores);
    }
    if (options.minDays !== undefined) {
      where.push('TIMESTAMPDIFF(DAY, ms.last_order_at, ?) > ?');
      params.push(now, options.minDays);
    } else {
      where.push('ms.last_order_at > ? - INTERVAL 365 DAY');
      params.push(now);
    }
    if (options.minSpend !== undefined) {
      where.push('ms.total_spend >= CAST(? AS DECIMAL(14,2))');
      params.push(options.minSpend);
    }
    params.push(limit);
    const [rows] = await access.services.readSql.query<RowDataPacket[]>(
      `SELECT m.id, m.member_no, m.name, m.phone_enc, st.name AS store_name, ms.total_spend, ms.order_count, ms.median_gap_days,
              TIMESTAMPDIFF(DAY, ms.last_order_at, ?) AS days_since, s.churn_risk, s.churn_level, s.churn_reasons, s.clv,
              COUNT(*) OVER () AS total
       FROM member_scores s JOIN members m ON m.id = s.member_id JOIN member_stats ms ON ms.member_id = s.member_id
       LEFT JOIN stores st ON st.id = m.home_store_id
       WHERE ${where.join(' AND ')}
       ORDER BY ROUND(s.churn_risk, 2) DESC, ms.total_spend DESC, m.id ASC
       LIMIT ?`,
      params,
    );
    total = Number(rows[0]?.total ?? 0);
    entries = rows.map((r) => modelEntry(access, r));
  }
  await auditStoresRead(access, 'churn.list', stores, { source: 'model', levels, minDays: options.minDays ?? null, minSpend: options.minSpend ?? null, total, memberIds: entries.map((e) => e.memberId) });
  return { total, entries, rule, source: 'model', scoredAt };
}

/**
 * Churn warning by rule, used until the first scoring run (docs/models.md): active members of
 * the actor's stores whose whole days since their last order exceed both `minDays` and
 * `gapFactor` × their own median gap between orders, ranked by past spend. Members with fewer than two orders have no rhythm
 * yet and are left out (they belong to a "one-time buyer" list, not this one).
 *
 * All in one SQL statement with window functions (MySQL 8 / MariaDB 10.2+): LAG gives each
 * order's gap, ROW_NUMBER/COUNT pick the middle one or two for the median. It reads the
 * (member_id, paid_at) index once for the stores' members: a few thousand members with two
 * years of orders take milliseconds. At hundreds of thousands of members per scope, the
 * per-member rhythm (median gap, last order, spend) should be kept in a member_stats table
 * refreshed by the scoring job, and this query becomes a ranged index scan over it.
 */
export async function ruleChurnList(access: StaffAccess, options: ChurnOptions = {}): Promise<ChurnList> {
  requirePermission(access.actor, 'churn.read');
  const rule = { minDays: options.minDays ?? (await churnSettings.read(access.services)).silenceDays.high, gapFactor: options.gapFactor ?? 3 };
  const limit = Math.max(1, Math.min(options.limit ?? 10, options.all ? 100_000 : 100));
  const stores = scopeFor(access, options.storeId);
  const now = access.services.now();

  let total = 0;
  let entries: ChurnEntry[] = [];
  if (stores === null || stores.length > 0) {
    const params: unknown[] = [];
    const storeFilter = stores === null ? '' : 'AND m.home_store_id IN (?)';
    if (stores !== null) params.push(stores);
    params.push(now, now, rule.minDays, rule.gapFactor);
    const spendFilter = options.minSpend !== undefined ? 'AND l.total_spend >= CAST(? AS DECIMAL(14,2))' : '';
    if (options.minSpend !== undefined) params.push(options.minSpend);
    params.push(limit);
    const [rows] = await access.services.readSql.query<RowDataPacket[]>(
      `WITH hist AS (
         SELECT o.member_id, o.paid_at, ${netAmount('o')} AS amount,
                LAG(o.paid_at) OVER (PARTITION BY o.member_id ORDER BY o.paid_at, o.id) AS prev_paid
         FROM orders o JOIN members m ON m.id = o.member_id
         WHERE m.status = 'active' ${storeFilter} AND o.paid_at <= ? AND ${countedOrder('o')}
       ),
       gaps AS (
         SELECT member_id, TIMESTAMPDIFF(SECOND, prev_paid, paid_at) / 86400 AS gap_days,
                ROW_NUMBER() OVER (PARTITION BY member_id ORDER BY TIMESTAMPDIFF(SECOND, prev_paid, paid_at)) AS rn,
                COUNT(*) OVER (PARTITION BY member_id) AS n
         FROM hist WHERE prev_paid IS NOT NULL
       ),
       rhythm AS (
         SELECT member_id, AVG(gap_days) AS median_gap
         FROM gaps WHERE rn IN (FLOOR((n + 1) / 2), FLOOR(n / 2) + 1)
         GROUP BY member_id
       ),
       spend AS (
         SELECT member_id, SUM(amount) AS total_spend, COUNT(*) AS order_count, MAX(paid_at) AS last_paid
         FROM hist GROUP BY member_id
       ),
       late AS (
         SELECT sp.member_id, sp.total_spend, sp.order_count, r.median_gap,
                TIMESTAMPDIFF(DAY, sp.last_paid, ?) AS days_since
         FROM spend sp JOIN rhythm r ON r.member_id = sp.member_id
       )
       SELECT m.id, m.member_no, m.name, m.phone_enc, st.name AS store_name,
              l.total_spend, l.order_count, l.median_gap, l.days_since,
              COUNT(*) OVER () AS total
       FROM late l JOIN members m ON m.id = l.member_id LEFT JOIN stores st ON st.id = m.home_store_id
       WHERE l.days_since > ? AND l.days_since > ? * l.median_gap ${spendFilter}
       ORDER BY l.total_spend DESC, m.id ASC
       LIMIT ?`,
      params,
    );
    total = Number(rows[0]?.total ?? 0);
    // The rule list only holds members with a gap (its WHERE compares against it).
    entries = rows.map((r) => entryOf(access, r, r.median_gap));
  }
  await auditStoresRead(access, 'churn.list', stores, { ...rule, minSpend: options.minSpend ?? null, total, memberIds: entries.map((e) => e.memberId) });
  return { total, entries, rule, source: 'rule' };
}
