import type { Pool, RowDataPacket } from 'mysql2/promise';
import { chinaDay, chinaDayStartMs, chinaMidnightDay, withTransaction } from '../../kernel/index.ts';

/**
 * The nightly snapshot store-wide chat answers read (RFM overview, churn-list totals, member
 * counts): per scoring run and home store, members and their summed past spend by RFM cell,
 * value quadrant, churn level, churn level among the churn list's candidates, and membership level. The scores change only when
 * the scoring run writes them, so these figures are exact for the run's time — the as-of time
 * every such answer states — and a turn reads a few dozen rows instead of every member.
 */

/**
 * RFM cell, value quadrant, churn level, churn-list candidates' churn level, membership level
 * (`grade`) and registration day (`reg`: the China day number, `old` before REGISTRATION_DAYS),
 * each over every member not deleted.
 */
export type SnapshotDim = 'cell' | 'quadrant' | 'level' | 'churn' | 'grade' | 'reg';

/**
 * Registration days counted one by one, back from the run's day: the health dashboard's member
 * totals and new members up to two years back (a period and the same one a year earlier);
 * earlier registrations are one `old` count per store, so a run writes at most this many rows
 * per store for them.
 */
export const REGISTRATION_DAYS = 800;

/** The `reg` key of a member registered at `at`, in a run on China day `runDay`. */
export function registrationKey(at: Date | number, runDay: number): string {
  const day = chinaDay(at);
  return day < runDay - REGISTRATION_DAYS ? 'old' : String(day);
}

/**
 * Members not deleted registered before each of `boundaries`, per home store of `stores`, as of
 * the run: its day-by-day counts up to the boundary's China day, plus a live count of the rest —
 * the members registered since the run for a boundary after it, or since 00:00 of the boundary's
 * day for one before it that is not a midnight (a comparison cut to a running period's length).
 * Members registered before the run count as of it (one deleted since still counts until the
 * next run). Null when a boundary reaches before the day-by-day counts, or the run has none.
 */
export async function registrationsBefore(sql: Pool, run: ScoringRun, stores: number[], boundaries: Date[]): Promise<Map<number, number[]> | null> {
  const runMs = run.asOf.getTime();
  const runDay = chinaDay(run.asOf);
  // Per boundary: the day whose counts are summed below (null: all of them) and the live range.
  const parts = boundaries.map((b) => {
    if (b.getTime() > runMs) return { day: null as number | null, live: [run.asOf, b] as [Date, Date], fromRun: true };
    const day = chinaDay(b);
    return { day, live: chinaMidnightDay(b) === null ? ([new Date(chinaDayStartMs(day)), b] as [Date, Date]) : null, fromRun: false };
  });
  if (parts.some((p) => p.day !== null && p.day < runDay - REGISTRATION_DAYS)) return null;
  const [[has]] = await sql.query<RowDataPacket[]>("SELECT EXISTS (SELECT 1 FROM store_score_counts WHERE run_id = ? AND dim = 'reg') AS has", [run.id]);
  if (!Number(has!.has)) return null;
  const [rows] = await sql.query<RowDataPacket[]>("SELECT store_id, k, members FROM store_score_counts WHERE run_id = ? AND dim = 'reg' AND store_id IN (?)", [run.id, stores]);
  const ranges = parts.flatMap((p, i) => (p.live ? [{ i, from: p.live[0], to: p.live[1], open: p.fromRun }] : []));
  // The live ranges, each a short range of members(home_store_id, registered_at, status); since
  // the run is after it (the run counted a member registered at its very time).
  const [live] = ranges.length
    ? await sql.query<RowDataPacket[]>(
        `SELECT home_store_id AS store, ${ranges.map((r, j) => `SUM(registered_at ${r.open ? '>' : '>='} ? AND registered_at < ?) AS b${j}`).join(', ')} FROM members
          WHERE home_store_id IN (?) AND (${ranges.map((r) => `(registered_at ${r.open ? '>' : '>='} ? AND registered_at < ?)`).join(' OR ')}) AND status <> 'deleted' GROUP BY home_store_id`,
        [...ranges.flatMap((r) => [r.from, r.to]), stores, ...ranges.flatMap((r) => [r.from, r.to])],
      )
    : [[] as RowDataPacket[]];
  const out = new Map<number, number[]>(stores.map((s) => [s, boundaries.map(() => 0)]));
  for (const r of rows) {
    const key = String(r.k);
    const day = key === 'old' ? -Infinity : Number(key);
    const n = out.get(Number(r.store_id))!;
    parts.forEach((p, i) => {
      if (p.day === null || day < p.day) n[i]! += Number(r.members);
    });
  }
  for (const r of live) {
    const n = out.get(Number(r.store))!;
    ranges.forEach((range, j) => (n[range.i]! += Number(r[`b${j}`] ?? 0)));
  }
  return out;
}

/** Days of silence after which a member is lost rather than at risk (the churn list's default window). */
export const CHURN_WINDOW_DAYS = 365;

/** Runs whose counts are kept (the newest ones); older counts are deleted when a run is recorded. */
const KEEP_RUNS = 3;

const DIMS: readonly SnapshotDim[] = ['cell', 'quadrant', 'level', 'churn', 'grade', 'reg'];
const DIM_INDEX: Record<SnapshotDim, number> = { cell: 0, quadrant: 1, level: 2, churn: 3, grade: 4, reg: 5 };
type Cell = { members: number; cents: number };

/** One home store's cells, by dimension then key: a member's adds find their store once. */
export class StoreCells {
  readonly dims: Map<string, Cell>[] = DIMS.map(() => new Map());

  add(dim: SnapshotDim, key: string, cents: number): void {
    const keys = this.dims[DIM_INDEX[dim]]!;
    const c = keys.get(key);
    if (c) {
      c.members++;
      c.cents += cents;
    } else keys.set(key, { members: 1, cents });
  }
}

/**
 * Counts the scoring pass adds each member to, in integer cents (exact sums). Six adds per
 * member (a million members a run): the member's store is looked up once (`store`), then each
 * add is one lookup of its key in the dimension's map — no joined string keys (a joined
 * "store\tdim\tkey" key per add was 0.2 s of CPU and its garbage per 100,000 members, and a
 * map per dimension then per store 2.4 s per million, 2026-12-06).
 */
export class SnapshotCounter {
  private readonly stores = new Map<number, StoreCells>();

  /** The cells of a home store (null: none, counted as store 0). */
  store(storeId: number | null): StoreCells {
    const id = storeId ?? 0;
    let cells = this.stores.get(id);
    if (!cells) this.stores.set(id, (cells = new StoreCells()));
    return cells;
  }

  add(storeId: number | null, dim: SnapshotDim, key: string, cents: number): void {
    this.store(storeId).add(dim, key, cents);
  }

  rows(runId: number): unknown[][] {
    const out: unknown[][] = [];
    DIMS.forEach((dim, d) => {
      for (const [store, cells] of this.stores) for (const [key, c] of cells.dims[d]!) out.push([runId, store, dim, key, c.members, (c.cents / 100).toFixed(2)]);
    });
    return out;
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
