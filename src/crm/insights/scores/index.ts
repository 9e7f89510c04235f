import type { RowDataPacket } from 'mysql2/promise';
import { auditStoresRead, requirePermission, startOfChinaDay, storeScope, storeScopeSql, type StaffAccess } from '../../kernel/index.ts';
import { RFM_CELLS, VALUE_QUADRANTS, type RfmCell, type ValueQuadrant } from '../rfm/rfm.ts';
import { refreshSmartTags } from '../../engagement/index.ts';
import { refreshStoreCohorts } from '../../sales/index.ts';
import { scoringSettings } from '../settings.ts';
import { recomputeScores, type RecomputeResult } from './recompute.ts';
import { latestScoringRun, snapshotCounts } from './snapshot.ts';
import { chooseStoreModels, type StoreModelChoice } from './store-models.ts';

export { recomputeScores, type RecomputeResult } from './recompute.ts';
export { chooseStoreModels, latestStoreModels, STORE_MODELS_KIND, type StoreModelChoice } from './store-models.ts';

/** Members above this are never scored inside a chat request (the scoring run takes ~1 min per million). */
const INLINE_SCORING_LIMIT = 50_000;

/**
 * The scoring run: rollup, scores (RFM, churn, BG/NBD, CLV) under the stored RFM and churn
 * settings, the smart tags, the dashboard's cohorts. It also runs inside requests (a settings
 * change on a small chain) and before the first start listens, so the per-store model race —
 * minutes of fitting on a few thousand buyers per store — is not part of it: the nightly job runs
 * it after (`runNightlyScoring`).
 */
export async function runScoring(access: Pick<StaffAccess, 'services'>, now = access.services.now()): Promise<ScoringRun> {
  // tagScores (a million members' figures) is not part of the answer: the nightly job's answer is stored in Redis.
  const { tagScores, ...r } = await recomputeScores(access.services.sql, { now, ...(await scoringSettings(access.services)) });
  // The smart tags' rules on the run's own figures (the rows it just wrote), not read back from member_scores.
  const tags = await refreshSmartTags(access.services.sql, now, tagScores);
  // The health dashboard's stored cohorts of this month, recomputed (deletions, merges, home-store changes).
  await refreshStoreCohorts(access.services.sql, startOfChinaDay(now));
  return { ...r, tags };
}

/** What a scoring run answers: the recompute's figures and the members per smart tag. */
export type ScoringRun = Omit<RecomputeResult, 'tagScores'> & { tags: Record<string, number> };

/** The nightly job's run: the scoring run, then each store's customer-base model chosen by holdout likelihood (store-models.ts). */
export async function runNightlyScoring(access: Pick<StaffAccess, 'services'>, now = access.services.now()): Promise<ScoringRun & { storeModels: StoreModelChoice[] }> {
  const r = await runScoring(access, now);
  return { ...r, storeModels: await chooseStoreModels(access.services.sql, now) };
}

export type Rescore = { status: 'done'; members: number; ms: number } | { status: 'deferred'; members: number };

/**
 * After a settings change (settings.manage): the scoring run now, inside the request, when the
 * chain is small enough to score in seconds (≤ 50,000 members; the nightly run takes under a
 * minute per million, docs/benchmarks.md); otherwise `deferred`, and
 * the caller queues the run (the API puts a one-off job on the scoring queue).
 */
export async function rescoreNow(access: StaffAccess, opts: { inlineLimit?: number } = {}): Promise<Rescore> {
  requirePermission(access.actor, 'settings.manage');
  const [[m]] = await access.services.sql.query<any[]>("SELECT COUNT(*) AS n FROM members WHERE status <> 'deleted'");
  const members = Number(m.n);
  if (members > (opts.inlineLimit ?? INLINE_SCORING_LIMIT)) return { status: 'deferred', members };
  const r = await runScoring(access);
  return { status: 'done', members: r.members, ms: r.ms.total };
}

/**
 * When the scores were last computed; null before the first run. The scoring run records itself
 * in model_runs (indexed by kind and time); scores written without a run record (none in the
 * application; hand-made test data) are found in member_scores itself.
 */
export async function lastScoredAt(access: Pick<StaffAccess, 'services'>): Promise<Date | null> {
  const run = await latestScoringRun(access.services.sql);
  if (run) return run.asOf;
  const [rows] = await access.services.sql.query<RowDataPacket[]>('SELECT MAX(scored_at) AS at FROM member_scores');
  return (rows[0]?.at as Date | null) ?? null;
}

/** Scores now if none exist and the database is small (demo data); returns when the scores are from. */
export async function ensureScores(access: Pick<StaffAccess, 'services'>): Promise<Date | null> {
  const at = await lastScoredAt(access);
  if (at) return at;
  const [[m]] = await access.services.sql.query<any[]>('SELECT COUNT(*) AS n FROM members');
  const n = Number(m.n);
  if (n === 0 || n > INLINE_SCORING_LIMIT) return null;
  await runScoring(access);
  return lastScoredAt(access);
}

export interface RfmOverview {
  scoredAt: Date | null;
  members: number;
  cells: { cell: RfmCell; label: string; members: number; avgSpend: string | null }[];
  quadrants: { quadrant: ValueQuadrant; label: string; members: number }[];
  churnLevels: Record<'high' | 'medium' | 'low', number>;
}

/**
 * RFM cell, value-quadrant and churn-level counts of the actor's stores' members (not deleted),
 * as of the latest scoring run: read from the run's per-store counts (snapshot.ts) — a few dozen
 * rows whatever the number of members — or, for a run recorded without them, counted over
 * member_scores.
 */
export async function rfmOverview(access: StaffAccess, opts: { storeId?: number } = {}): Promise<RfmOverview> {
  requirePermission(access.actor, 'churn.read');
  const scope = storeScope(access.actor);
  const stores = opts.storeId === undefined ? scope : scope === null || scope.includes(opts.storeId) ? [opts.storeId] : [];
  // Analytics reads go to the read replica (READ_DATABASE_URL); the run and its counts are read from
  // the same server, so a replica a little behind answers consistently with its own (older) run and
  // its as-of time. A first run made just now is read back from the primary.
  const replicaRun = await latestScoringRun(access.services.readSql);
  const run = replicaRun ?? ((await ensureScores(access)) && (await latestScoringRun(access.services.sql)));
  const counts = run ? await snapshotCounts(replicaRun ? access.services.readSql : access.services.sql, run.id, stores, ['cell', 'quadrant', 'level']) : null;
  if (run && counts) {
    const of = (dim: string, key: string) => counts.find((c) => c.dim === dim && c.key === key);
    const out: RfmOverview = {
      scoredAt: run.asOf,
      members: counts.filter((c) => c.dim === 'cell').reduce((a, c) => a + c.members, 0),
      cells: (Object.keys(RFM_CELLS) as RfmCell[]).map((cell) => {
        const c = of('cell', cell);
        return { cell, label: RFM_CELLS[cell], members: c?.members ?? 0, avgSpend: c?.avgSpend == null ? null : Number(c.avgSpend).toFixed(2) };
      }),
      quadrants: (Object.keys(VALUE_QUADRANTS) as ValueQuadrant[]).map((q) => ({ quadrant: q, label: VALUE_QUADRANTS[q], members: of('quadrant', q)?.members ?? 0 })),
      churnLevels: { high: of('level', 'high')?.members ?? 0, medium: of('level', 'medium')?.members ?? 0, low: of('level', 'low')?.members ?? 0 },
    };
    await auditStoresRead(access, 'insights.rfm', stores, { members: out.members, asOf: run.asOf.toISOString() });
    return out;
  }
  return countedRfmOverview(access, stores);
}

/** The overview counted over member_scores (scores without a recorded snapshot). */
async function countedRfmOverview(access: StaffAccess, stores: number[] | null): Promise<RfmOverview> {
  const before = await lastScoredAt(access);
  const scoredAt = before ?? (await ensureScores(access));
  // Scores this request has just computed are read where they were written; older ones from the read pool.
  const sql = before ? access.services.readSql : access.services.sql;
  const { sql: filter, params } = storeScopeSql(stores);
  const [cells] = await sql.query<RowDataPacket[]>(
    `SELECT s.rfm_cell AS k, COUNT(*) AS n, AVG(ms.total_spend) AS spend FROM member_scores s JOIN members m ON m.id = s.member_id
     JOIN member_stats ms ON ms.member_id = s.member_id WHERE m.status <> 'deleted' ${filter} GROUP BY s.rfm_cell`,
    params,
  );
  const [quads] = await sql.query<RowDataPacket[]>(
    `SELECT s.value_quadrant AS k, COUNT(*) AS n FROM member_scores s JOIN members m ON m.id = s.member_id WHERE m.status <> 'deleted' ${filter} GROUP BY s.value_quadrant`,
    params,
  );
  const [levels] = await sql.query<RowDataPacket[]>(
    `SELECT s.churn_level AS k, COUNT(*) AS n FROM member_scores s JOIN members m ON m.id = s.member_id WHERE m.status <> 'deleted' ${filter} GROUP BY s.churn_level`,
    params,
  );
  const cellBy = new Map(cells.map((r) => [String(r.k), r]));
  const quadBy = new Map(quads.map((r) => [String(r.k), Number(r.n)]));
  const levelBy = new Map(levels.map((r) => [String(r.k), Number(r.n)]));
  const out: RfmOverview = {
    scoredAt,
    members: cells.reduce((a, r) => a + Number(r.n), 0),
    cells: (Object.keys(RFM_CELLS) as RfmCell[]).map((cell) => {
      const r = cellBy.get(cell);
      return { cell, label: RFM_CELLS[cell], members: r ? Number(r.n) : 0, avgSpend: r ? Number(r.spend).toFixed(2) : null };
    }),
    quadrants: (Object.keys(VALUE_QUADRANTS) as ValueQuadrant[]).map((q) => ({ quadrant: q, label: VALUE_QUADRANTS[q], members: quadBy.get(q) ?? 0 })),
    churnLevels: { high: levelBy.get('high') ?? 0, medium: levelBy.get('medium') ?? 0, low: levelBy.get('low') ?? 0 },
  };
  await auditStoresRead(access, 'insights.rfm', stores, { members: out.members });
  return out;
}

export interface SnapshotMemberCount {
  /** Members matching (not deleted; at the level, when one was asked). */
  count: number;
  /** Every member not deleted in the same stores: the share's denominator. */
  total: number;
  /** The scoring run the counts are of. */
  asOf: Date;
}

/**
 * How many members the actor's stores (narrowed to `storeId`) have, optionally at one membership
 * level, as of the latest scoring run: its per-store counts by membership level (snapshot.ts), a
 * few rows whatever the number of members, where counting them live passed over every member of
 * the stores on each turn (3 s at a million). Null before a run recorded with these counts — the
 * caller then counts live. `storeId` outside the actor's stores counts nobody.
 */
export async function snapshotMemberCount(access: StaffAccess, opts: { storeId?: number; level?: number } = {}): Promise<SnapshotMemberCount | null> {
  requirePermission(access.actor, 'segment.read');
  const scope = storeScope(access.actor);
  const stores = opts.storeId === undefined ? scope : scope === null || scope.includes(opts.storeId) ? [opts.storeId] : [];
  const run = await latestScoringRun(access.services.readSql);
  const counts = run ? await snapshotCounts(access.services.readSql, run.id, stores, ['grade']) : null;
  // A run recorded before the membership-level counts existed has the others but no grade rows.
  if (!run || !counts || (counts.length === 0 && stores?.length !== 0 && !(await hasGradeCounts(access, run.id)))) return null;
  const total = counts.reduce((a, c) => a + c.members, 0);
  const count = opts.level === undefined ? total : (counts.find((c) => c.key === String(opts.level))?.members ?? 0);
  await auditStoresRead(access, 'members.count', stores, { level: opts.level ?? null, count, total, asOf: run.asOf.toISOString() });
  return { count, total, asOf: run.asOf };
}

async function hasGradeCounts(access: StaffAccess, runId: number): Promise<boolean> {
  const [[r]] = await access.services.readSql.query<RowDataPacket[]>("SELECT EXISTS (SELECT 1 FROM store_score_counts WHERE run_id = ? AND dim = 'grade') AS has", [runId]);
  return Number(r!.has) === 1;
}
