import type { Pool, RowDataPacket } from 'mysql2/promise';
import { withTransaction } from '../../kernel/index.ts';

/**
 * The nightly snapshot store-wide chat answers read (RFM overview, churn-list totals, member
 * counts): per scoring run and home store, members and their summed past spend by RFM cell,
 * value quadrant, churn level, churn level among the churn list's candidates, and membership level. The scores change only when
 * the scoring run writes them, so these figures are exact for the run's time — the as-of time
 * every such answer states — and a turn reads a few dozen rows instead of every member.
 */

/** RFM cell, value quadrant, churn level, churn-list candidates' churn level, membership level (`grade`, every member not deleted). */
export type SnapshotDim = 'cell' | 'quadrant' | 'level' | 'churn' | 'grade';

/** Days of silence after which a member is lost rather than at risk (the churn list's default window). */
export const CHURN_WINDOW_DAYS = 365;

/** Runs whose counts are kept (the newest ones); older counts are deleted when a run is recorded. */
const KEEP_RUNS = 3;

/** Counts the scoring pass adds each member to, in integer cents (exact sums). */
export class SnapshotCounter {
  private readonly cells = new Map<string, { members: number; cents: number }>();

  add(storeId: number | null, dim: SnapshotDim, key: string, cents: number): void {
    const k = `${storeId ?? 0}\t${dim}\t${key}`;
    const c = this.cells.get(k);
    if (c) {
      c.members++;
      c.cents += cents;
    } else this.cells.set(k, { members: 1, cents });
  }

  rows(runId: number): unknown[][] {
    return [...this.cells].map(([k, c]) => {
      const [store, dim, key] = k.split('\t');
      return [runId, Number(store), dim, key, c.members, (c.cents / 100).toFixed(2)];
    });
  }
}

/**
 * Records a scoring run in model_runs and its counts in store_score_counts in one transaction
 * (a reader sees a run with its counts or not at all), then drops the counts of older runs.
 */
export async function recordScoringRun(sql: Pool, run: { now: Date; members: number; params: unknown; durationMs: number }, counts: SnapshotCounter): Promise<number> {
  const conn = await sql.getConnection();
  try {
    return await withTransaction(conn, async () => {
      const [res] = await conn.query<any>('INSERT INTO model_runs (kind, as_of, members, params, duration_ms) VALUES (?, ?, ?, ?, ?)', ['scores', run.now, run.members, JSON.stringify(run.params), run.durationMs]);
      const runId = Number(res.insertId);
      const rows = counts.rows(runId);
      for (let i = 0; i < rows.length; i += 1000) await conn.query('INSERT INTO store_score_counts (run_id, store_id, dim, k, members, spend) VALUES ?', [rows.slice(i, i + 1000)]);
      const [old] = await conn.query<RowDataPacket[]>("SELECT id FROM model_runs WHERE kind = 'scores' ORDER BY id DESC LIMIT 1 OFFSET ?", [KEEP_RUNS - 1]);
      if (old.length) await conn.query('DELETE FROM store_score_counts WHERE run_id < ?', [old[0]!.id]);
      return runId;
    });
  } finally {
    conn.release();
  }
}

export interface ScoringRun {
  id: number;
  /** The time the run scored as of (its `now`). */
  asOf: Date;
}

/** The latest scoring run (model_runs, indexed by kind and time); null before the first one. */
export async function latestScoringRun(sql: Pool): Promise<ScoringRun | null> {
  const [rows] = await sql.query<RowDataPacket[]>("SELECT id, as_of FROM model_runs WHERE kind = 'scores' ORDER BY created_at DESC, id DESC LIMIT 1");
  return rows.length ? { id: Number(rows[0]!.id), asOf: rows[0]!.as_of as Date } : null;
}

export interface SnapshotCount {
  dim: SnapshotDim;
  key: string;
  members: number;
  /** Summed past spend, a decimal string. */
  spend: string;
  /** Average past spend to 4 places as the database divides it, a decimal string (null when no member). */
  avgSpend: string | null;
}

/**
 * The run's counts over the given home stores (null = every store, members without one
 * included); null when the run has no counts (a run recorded before the snapshot existed).
 */
export async function snapshotCounts(sql: Pool, runId: number, stores: number[] | null, dims: SnapshotDim[]): Promise<SnapshotCount[] | null> {
  const [[has]] = await sql.query<RowDataPacket[]>('SELECT EXISTS (SELECT 1 FROM store_score_counts WHERE run_id = ?) AS has', [runId]);
  if (!Number(has!.has)) return null;
  if (stores !== null && stores.length === 0) return [];
  const [rows] = await sql.query<RowDataPacket[]>(
    `SELECT dim, k, SUM(members) AS n, SUM(spend) AS spend, SUM(spend) / NULLIF(SUM(members), 0) AS avg
       FROM store_score_counts WHERE run_id = ? AND dim IN (?)${stores === null ? '' : ' AND store_id IN (?)'} GROUP BY dim, k`,
    stores === null ? [runId, dims] : [runId, dims, stores],
  );
  return rows.map((r) => ({ dim: r.dim as SnapshotDim, key: String(r.k), members: Number(r.n), spend: String(r.spend), avgSpend: r.avg === null ? null : String(r.avg) }));
}
