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
    const due = now.getTime();
    await services.queues.journey.addBulk(
      enrollmentIds.map((id) => ({ name: 'step', data: { enrollmentId: id, stepId: cj.entry, dueAt: due } satisfies JourneyJob, opts: jobOptions(deps, `${id}.${cj.entry}`, due) })),
    );
  }
  return out;
}

/** Acts on a step's outcome: the next step (or the same one, deferred) becomes a delayed job. */
export async function applyOutcome(deps: JourneyDeps, job: { enrollmentId: number; stepId: string }, out: StepOutcome): Promise<void> {
  if (out.kind !== 'next' && out.kind !== 'defer') return;
  const stepId = out.kind === 'next' ? out.stepId : job.stepId;
  const due = out.at.getTime();
  // A deferral gets its own id (a re-run of the same step); the first run of a step is `<enrollment>.<step>`.
  const jobId = out.kind === 'next' ? `${job.enrollmentId}.${stepId}` : `${job.enrollmentId}.${stepId}.t${due}`;
  await deps.services.queues.journey.add('step', { enrollmentId: job.enrollmentId, stepId, dueAt: due }, jobOptions(deps, jobId, due));
  await deps.services.sql.query("UPDATE journey_enrollments SET current_step = ?, next_run_at = ?, updated_at = ? WHERE id = ? AND state = 'active'", [
    stepId,
    out.at,
    deps.services.now(),
    job.enrollmentId,
  ]);
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
