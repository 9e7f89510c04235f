import type { PoolConnection } from 'mysql2/promise';
import type { Services } from '../../../services.ts';
import { withTransaction } from '../../kernel/index.ts';
import { copyMembersTable, dropMembersTable, materializeMembers } from './evaluate.ts';
import type { SegmentTree } from './tree.ts';

/** One evaluation of a saved segment. */
export interface RunResult {
  runId: number;
  segmentId: number;
  ranAt: Date;
  trigger: string;
  count: number;
  joined: number;
  left: number;
  /** Who joined / left in this run (at most DIFF_IDS each; the counts are exact). */
  joinedIds: number[];
  leftIds: number[];
  durationMs: number;
}

/** Ids returned with a diff; a journey reacting to "joined" pages through segment_members instead. */
export const DIFF_IDS = 10_000;

interface RunTarget {
  id: number;
  tree: SegmentTree;
  storeId: number | null;
}

/**
 * Re-evaluates a dynamic segment: the tree is evaluated into a temporary table (evaluate.ts) —
 * on the read pool (READ_DATABASE_URL's replica, when set; its ids are then copied into the same
 * temporary table on the primary, the cheap part of a run) — then one
 * transaction (holding the segment row's lock, so two refreshes never interleave) diffs it
 * against segment_members, deletes who left, inserts who joined (keeping the added_at of
 * those who stay), and records the run.
 */
export async function refreshSegment(services: Services, seg: RunTarget, trigger: string): Promise<RunResult>;
export async function refreshSegment(services: Services, seg: RunTarget, trigger: string, opts: FirstOnly): Promise<RunResult | null>;
export async function refreshSegment(services: Services, seg: RunTarget, trigger: string, opts: Partial<FirstOnly> = {}): Promise<RunResult | null> {
  return evaluate(services, seg, trigger, false, opts.firstOnly === true);
}

/** A static segment's list, frozen once (at creation): everyone joins, nobody ever leaves. */
export async function freezeSegment(services: Services, seg: RunTarget, trigger: string): Promise<RunResult>;
export async function freezeSegment(services: Services, seg: RunTarget, trigger: string, opts: FirstOnly): Promise<RunResult | null>;
export async function freezeSegment(services: Services, seg: RunTarget, trigger: string, opts: Partial<FirstOnly> = {}): Promise<RunResult | null> {
  return evaluate(services, seg, trigger, true, opts.firstOnly === true);
}

/**
 * Only the segment's first run: when, under the segment row's lock, it has a run already (two
 * first runs at once — the count job and the scheduled refresh), nothing is recorded and the
 * result is null, so a segment is never counted twice for its creation.
 */
export interface FirstOnly {
  firstOnly: true;
}

async function evaluate(services: Services, seg: RunTarget, trigger: string, freeze: boolean, firstOnly = false): Promise<RunResult | null> {
  const started = Date.now();
  const now = services.now();
  const conn: PoolConnection = await services.sql.getConnection();
  try {
    const evalOpts = { now, stores: seg.storeId === null ? null : [seg.storeId] };
    const count = services.readSql === services.sql ? await materializeMembers(conn, 'seg_eval', seg.tree, evalOpts) : await selectOnReplica(services, conn, seg.tree, evalOpts);
    return await withTransaction(conn, async () => {
      const [lock] = await conn.query<any[]>('SELECT kind, last_run_at FROM segments WHERE id = ? FOR UPDATE', [seg.id]);
      if (!lock.length) throw new Error(`segment ${seg.id} vanished during its run`);
      if (firstOnly && lock[0].last_run_at !== null) return null;
      if (freeze) {
        const [existing] = await conn.query<any[]>('SELECT COUNT(*) AS n FROM segment_members WHERE segment_id = ?', [seg.id]);
        if (Number(existing[0].n) > 0) throw new Error(`segment ${seg.id} is already frozen`);
      }
      // A frozen list starts empty: everyone joins, nobody leaves, no diff to compute.
      const joinedFrom = freeze ? 'FROM seg_eval e' : `FROM seg_eval e LEFT JOIN segment_members sm ON sm.segment_id = ? AND sm.member_id = e.id WHERE sm.member_id IS NULL`;
      const leftFrom = `FROM segment_members sm LEFT JOIN seg_eval e ON e.id = sm.member_id WHERE sm.segment_id = ? AND e.id IS NULL`;
      const segParam = freeze ? [] : [seg.id];
      const joined = freeze ? count : Number((await conn.query<any[]>(`SELECT COUNT(*) AS n ${joinedFrom}`, segParam))[0][0].n);
      const left = freeze ? 0 : Number((await conn.query<any[]>(`SELECT COUNT(*) AS n ${leftFrom}`, [seg.id]))[0][0].n);
      const [joinedRows] = await conn.query<any[]>(`SELECT e.id AS member_id ${joinedFrom} ORDER BY e.id LIMIT ?`, [...segParam, DIFF_IDS]);
      const [leftRows] = left ? await conn.query<any[]>(`SELECT sm.member_id ${leftFrom} ORDER BY sm.member_id LIMIT ?`, [seg.id, DIFF_IDS]) : [[]];
      if (left) await conn.query(`DELETE sm FROM segment_members sm LEFT JOIN seg_eval e ON e.id = sm.member_id WHERE sm.segment_id = ? AND e.id IS NULL`, [seg.id]);
      await conn.query(`INSERT ${freeze ? '' : 'IGNORE '}INTO segment_members (segment_id, member_id, added_at) SELECT ?, id, ? FROM seg_eval ORDER BY id`, [seg.id, now]);
      const durationMs = Date.now() - started;
      const [ins] = await conn.query<any>(
        'INSERT INTO segment_runs (segment_id, ran_at, `trigger`, count, joined, `left`, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [seg.id, now, trigger, count, joined, left, durationMs],
      );
      await conn.query('UPDATE segments SET last_run_at = ?, last_count = ? WHERE id = ?', [now, count, seg.id]);
      const ids = (rows: any[]) => rows.map((r) => Number(r.member_id));
      return { runId: Number(ins.insertId), segmentId: seg.id, ranAt: now, trigger, count, joined, left, joinedIds: ids(joinedRows), leftIds: ids(leftRows), durationMs };
    });
  } finally {
    await dropMembersTable(conn, 'seg_eval').catch(() => {});
    conn.release();
  }
}

/** The selection evaluated on the read pool, its ids copied into `seg_eval` on the primary connection `into`. */
async function selectOnReplica(services: Services, into: PoolConnection, tree: SegmentTree, evalOpts: Parameters<typeof materializeMembers>[3]): Promise<number> {
  const from = await services.readSql.getConnection();
  try {
    await materializeMembers(from, 'seg_eval', tree, evalOpts);
    return await copyMembersTable(from, into, 'seg_eval');
  } finally {
    await dropMembersTable(from, 'seg_eval').catch(() => {});
    from.release();
  }
}
