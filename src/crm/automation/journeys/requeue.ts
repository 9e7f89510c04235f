/**
 * MySQL says what must happen; Redis only carries the jobs that make it happen. After Redis lost
 * its data (emptied, or restarted without persistence) — or a job went missing any other way —
 * this puts back a job for every active enrollment's next step, due when `next_run_at` says (a
 * step due later keeps its remaining delay), under the id the engine itself gives that job.
 *
 * Nothing runs twice: ids are deterministic (BullMQ holds one job per id, so a second sweep or a
 * second process adds nothing), and a step that already ran replays from its
 * journey_step_executions row (engine.ts) — run one after the other. Run side by side with a job
 * a live worker still holds (Redis lost that job, not the worker), two runs of one message step
 * could both find its row `pending` and both send. So an enrollment with a step row younger than
 * `busyGraceMs` (a job is working through it, or just was: steps due at once run in one job) is
 * left to its worker, which finishes the job and queues the next step itself; a later sweep
 * takes it back if it is still stuck.
 */
import type { Queue } from 'bullmq';
import type { RowDataPacket } from 'mysql2/promise';
import type { Services } from '../../../services.ts';
import type { JourneyDeps } from './deps.ts';
import type { JourneyJob } from './job.ts';
import { jobOptions, liveBatchesKey } from './schedule.ts';

const BATCH = 1000;
const LIVE = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children', 'paused']);

export interface RequeueOptions {
  /** Only enrollments due before this (the orphan sweep: long overdue); every active one when absent. */
  dueBefore?: Date;
  /** An enrollment with a step row younger than this may be in a worker's hands right now. */
  busyGraceMs: number;
  /** Enrollments whose step a worker of the calling process is running now. */
  skip?: ReadonlySet<number>;
}

export interface RequeueResult {
  /** Active enrollments looked at. */
  checked: number;
  /** Jobs put back. */
  requeued: number;
  /** Left alone: a step of theirs may be running right now (a later sweep looks again). */
  busy: number;
}

interface Row {
  id: number;
  step: string;
  dueMs: number;
  deferred: boolean;
}

export async function requeueEnrollments(deps: JourneyDeps, opts: RequeueOptions): Promise<RequeueResult> {
  const { services } = deps;
  const queue = services.queues.journey as Queue<JourneyJob>;
  const now = services.now();
  const busySince = new Date(now.getTime() - opts.busyGraceMs);
  const out: RequeueResult = { checked: 0, requeued: 0, busy: 0 };
  const batched = await inLiveBatches(services, queue);
  for (let after = 0; ; ) {
    const [rows] = await services.sql.query<RowDataPacket[]>(
      `SELECT e.id, e.current_step, e.next_run_at,
         (SELECT x.result FROM journey_step_executions x WHERE x.enrollment_id = e.id AND x.step_id = e.current_step LIMIT 1) AS cur_result,
         EXISTS (SELECT 1 FROM journey_step_executions y WHERE y.enrollment_id = e.id AND y.created_at > ?) AS busy
       FROM journey_enrollments e
       WHERE e.state = 'active' AND e.id > ? AND e.current_step IS NOT NULL${opts.dueBefore ? ' AND e.next_run_at < ?' : ''}
       ORDER BY e.id LIMIT ${BATCH}`,
      opts.dueBefore ? [busySince, after, opts.dueBefore] : [busySince, after],
    );
    if (rows.length === 0) break;
    after = Number(rows[rows.length - 1]!.id);
    out.checked += rows.length;
    const candidates: Row[] = [];
    for (const r of rows) {
      if (Number(r.busy) || opts.skip?.has(Number(r.id)) || batched.has(Number(r.id))) {
        out.busy++;
        continue;
      }
      const dueMs = r.next_run_at ? (r.next_run_at as Date).getTime() : now.getTime();
      candidates.push({ id: Number(r.id), step: String(r.current_step), dueMs, deferred: r.cur_result === 'deferred' });
    }
    const adds = await missingJobs(services.redis, queue, candidates, now.getTime());
    if (adds.length) {
      await queue.addBulk(adds.map(({ row, jobId }) => ({ name: 'step', data: { enrollmentId: row.id, stepId: row.step, dueAt: row.dueMs }, opts: jobOptions(deps, jobId, row.dueMs) })));
      out.requeued += adds.length;
    }
    if (rows.length < BATCH) break;
  }
  if (out.requeued || out.busy) services.logger.info({ ...out, dueBefore: opts.dueBefore?.toISOString() }, 'journey steps put back from the database');
  return out;
}

/**
 * The enrollments whose step a batch job that may still run carries (./batch.ts): they have a
 * job, though not under their own id. Batches that ended (completed, failed) are dropped from the set on the way.
 */
async function inLiveBatches(services: Services, queue: Queue<JourneyJob>): Promise<Set<number>> {
  const key = liveBatchesKey(services);
  const ids = await services.redis.smembers(key);
  const out = new Set<number>();
  const ended: string[] = [];
  for (let i = 0; i < ids.length; i += 200) {
    await Promise.all(
      ids.slice(i, i + 200).map(async (id) => {
        const job = await queue.getJob(id);
        const state = job ? await job.getState() : 'unknown';
        if (job && LIVE.has(state)) for (const e of job.data.enrollmentIds ?? [job.data.enrollmentId]) out.add(e);
        // Only a batch seen ended is dropped: one not found may be being queued right now (its id is recorded first).
        else if (job) ended.push(id);
      }),
    );
  }
  if (ended.length) await services.redis.srem(key, ...ended);
  return out;
}

/**
 * The enrollments without a live job, each with the id to add: the engine's own id for that
 * step (`<enrollment>.<step>`, or `.t<due>` for a deferral: schedule.ts, applyOutcome) when no job
 * has it, else — that job finished or failed, yet the enrollment still waits on the step — a new one.
 */
async function missingJobs(redis: Services['redis'], queue: Queue<JourneyJob>, rows: Row[], nowMs: number): Promise<{ row: Row; jobId: string }[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => ({ first: `${r.id}.${r.step}`, deferral: `${r.id}.${r.step}.t${r.dueMs}` }));
  // One round trip for the common case (after an emptied Redis nothing exists).
  const pipe = redis.pipeline();
  for (const id of ids) pipe.exists(queue.toKey(id.first)).exists(queue.toKey(id.deferral));
  const exists = ((await pipe.exec()) ?? []).map(([, n]) => Number(n) === 1);
  const out: { row: Row; jobId: string }[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const { first, deferral } = ids[i]!;
    const has = { first: exists[2 * i]!, deferral: exists[2 * i + 1]! };
    if (!has.first && !has.deferral) {
      out.push({ row, jobId: row.deferred ? deferral : first });
      continue;
    }
    const states = await Promise.all([has.first ? queue.getJobState(first) : 'unknown', has.deferral ? queue.getJobState(deferral) : 'unknown']);
    if (states.some((s) => LIVE.has(s))) continue;
    out.push({ row, jobId: `${row.id}.${row.step}.r${nowMs}` });
  }
  return out;
}

/**
 * The periodic orphan sweep: an active enrollment whose step was due long ago but has no live
 * job (a crash between the database write and the enqueue, a job that failed for good) gets one.
 */
export async function resumeOrphans(deps: JourneyDeps, graceMs = 10 * 60_000): Promise<number> {
  const before = new Date(deps.services.now().getTime() - graceMs);
  return (await requeueEnrollments(deps, { dueBefore: before, busyGraceMs: graceMs })).requeued;
}
