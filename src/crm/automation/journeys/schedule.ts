/**
 * Enrolment and scheduling: members enter a journey once per trigger occurrence (the UNIQUE
 * dedupe key journey:member:occurrence makes duplicate triggers a no-op) and each step is one
 * BullMQ job with a deterministic id, delayed until it is due on the injected clock.
 */
import type { JobsOptions } from 'bullmq';
import type { RowDataPacket } from 'mysql2/promise';
import { AppError } from '../../kernel/index.ts';
import type { JourneyJob } from './job.ts';
import type { Services } from '../../../services.ts';
import type { JourneyDeps } from './deps.ts';
import type { StepOutcome } from './engine.ts';
import { loadVersion } from './store.ts';
import { BATCH_MEMBERS } from './batch.ts';

const CHUNK = 1000;

export interface EnrollOptions {
  /** What makes this entry distinct (order id, birthday year, "launch"…); the same one twice enrols once. */
  occurrence: string;
  recallId?: number;
  context?: Record<string, unknown>;
  /** Enrol into a draft/paused journey too (test on one member, recalls). */
  force?: boolean;
}

export interface EnrollResult {
  enrolled: number;
  duplicates: number;
  enrollmentIds: number[];
}

export function jobOptions(deps: Pick<JourneyDeps, 'attempts' | 'backoffMs' | 'services'>, jobId: string, dueAt: number): JobsOptions {
  return { jobId, delay: Math.max(0, dueAt - deps.services.now().getTime()), attempts: deps.attempts, backoff: { type: 'exponential', delay: deps.backoffMs } };
}

export async function enrollMembers(deps: JourneyDeps, journeyId: number, memberIds: readonly number[], opts: EnrollOptions): Promise<EnrollResult> {
  const { services } = deps;
  const [js] = await services.sql.query<RowDataPacket[]>('SELECT status, current_version FROM journeys WHERE id = ?', [journeyId]);
  const j = js[0];
  if (!j) throw new AppError('journey_not_found', `旅程 ${journeyId} 不存在。`);
  if (j.status !== 'active' && !opts.force) return { enrolled: 0, duplicates: 0, enrollmentIds: [] };
  const cj = await loadVersion(services, journeyId, j.current_version);
  const now = services.now();
  const out: EnrollResult = { enrolled: 0, duplicates: 0, enrollmentIds: [] };
  const context = opts.context ? JSON.stringify(opts.context) : null;
  for (let i = 0; i < memberIds.length; i += CHUNK) {
    const ids = [...new Set(memberIds.slice(i, i + CHUNK))];
    const keys = ids.map((m) => `${journeyId}:${m}:${opts.occurrence}`.slice(0, 160));
    const rows = ids.map((m, k) => [journeyId, j.current_version, m, keys[k], 'active', cj.entry, opts.recallId ?? null, context, now, now, now]);
    const [res] = await services.sql.query<import('mysql2').ResultSetHeader>(
      'INSERT IGNORE INTO journey_enrollments (journey_id, version, member_id, dedupe_key, state, current_step, recall_id, context, entered_at, next_run_at, updated_at) VALUES ?',
      [rows],
    );
    out.enrolled += res.affectedRows;
    out.duplicates += ids.length - res.affectedRows;
    // Rows of this call carry its entered_at; a duplicate key of an earlier call keeps its own.
    const [fresh] = await services.sql.query<RowDataPacket[]>('SELECT id FROM journey_enrollments WHERE dedupe_key IN (?) AND entered_at = ?', [keys, now]);
    const enrollmentIds = fresh.map((r) => Number(r.id));
    out.enrollmentIds.push(...enrollmentIds);
    await queueEntry(deps, enrollmentIds, cj.entry, now.getTime());
  }
  return out;
}

/**
 * The entry step of newly enrolled members: one job per BATCH_MEMBERS of them (./batch.ts), a
 * member alone in its own job. A batch job is recorded in the set of live batches before it
 * is queued, so that requeueEnrollments (./requeue.ts) does not queue its members a second time.
 */
async function queueEntry(deps: JourneyDeps, ids: readonly number[], stepId: string, due: number): Promise<void> {
  const { services } = deps;
  const jobs: { name: string; data: JourneyJob; opts: JobsOptions }[] = [];
  for (let i = 0; i < ids.length; i += BATCH_MEMBERS) {
    const part = ids.slice(i, i + BATCH_MEMBERS);
    const first = part[0]!;
    if (part.length === 1) jobs.push({ name: 'step', data: { enrollmentId: first, stepId, dueAt: due }, opts: jobOptions(deps, `${first}.${stepId}`, due) });
    else jobs.push({ name: 'batch', data: { enrollmentId: first, enrollmentIds: [...part], stepId, dueAt: due }, opts: jobOptions(deps, `b${first}-${part[part.length - 1]}.${stepId}`, due) });
  }
  const batches = jobs.filter((j) => j.name === 'batch').map((j) => j.opts.jobId!);
  if (batches.length) await services.redis.sadd(liveBatchesKey(services), ...batches);
  if (jobs.length) await services.queues.journey.addBulk(jobs);
}

/** The Redis set of batch job ids that may still run (emptied with Redis, like the jobs themselves). */
export function liveBatchesKey(services: Services): string {
  return services.key('journey', 'batches');
}

/** Acts on a step's outcome: the next step (or the same one, deferred) becomes a delayed job. */
export async function applyOutcome(deps: JourneyDeps, job: { enrollmentId: number; stepId: string }, out: StepOutcome): Promise<void> {
  await applyOutcomes(deps, [{ enrollmentId: job.enrollmentId, stepId: job.stepId, out }]);
}

/** The outcomes of many members (a batch job, ./batch.ts): their jobs in one call, their enrolments in one statement per (step, due time). */
export async function applyOutcomes(deps: JourneyDeps, outs: readonly { enrollmentId: number; stepId: string; out: StepOutcome }[]): Promise<void> {
  const jobs: { name: string; data: JourneyJob; opts: JobsOptions }[] = [];
  const moves = new Map<string, { stepId: string; at: Date; ids: number[] }>();
  for (const { enrollmentId, stepId: cur, out } of outs) {
    if (out.kind !== 'next' && out.kind !== 'defer') continue;
    const stepId = out.kind === 'next' ? out.stepId : cur;
    const due = out.at.getTime();
    // A deferral gets its own id (a re-run of the same step); the first run of a step is `<enrollment>.<step>`.
    const jobId = out.kind === 'next' ? `${enrollmentId}.${stepId}` : `${enrollmentId}.${stepId}.t${due}`;
    jobs.push({ name: 'step', data: { enrollmentId, stepId, dueAt: due }, opts: jobOptions(deps, jobId, due) });
    const k = `${stepId}|${due}`;
    const m = moves.get(k) ?? { stepId, at: out.at, ids: [] };
    m.ids.push(enrollmentId);
    moves.set(k, m);
  }
  if (jobs.length === 0) return;
  await deps.services.queues.journey.addBulk(jobs);
  for (const m of moves.values()) {
    await deps.services.sql.query("UPDATE journey_enrollments SET current_step = ?, next_run_at = ?, updated_at = ? WHERE id IN (?) AND state = 'active'", [m.stepId, m.at, deps.services.now(), m.ids]);
  }
}

/**
 * Accelerated time: delayed jobs whose due time (on the injected clock) has come are promoted
 * to run now. Production needs none of this (BullMQ's own delay matches the real clock); tests
 * move services.now and call it; it is also a safety net after a clock jump.
 */
export async function promoteDue(services: Services): Promise<number> {
  const now = services.now().getTime();
  let promoted = 0;
  for (const queue of [services.queues.journey, services.queues.journeyControl] as import('bullmq').Queue[]) for (let start = 0; ; start += 1000) {
    const jobs = await queue.getDelayed(start, start + 999);
    if (jobs.length === 0) break;
    for (const job of jobs) {
      const dueAt = (job.data as { dueAt?: number }).dueAt;
      if (dueAt !== undefined && dueAt <= now) {
        await job.promote().catch(() => undefined);
        promoted++;
      }
    }
    if (jobs.length < 1000) break;
  }
  return promoted;
}
