/**
 * Work that survives Redis (docs/operations.md, "When Redis goes away"). MySQL holds what must
 * happen (journey enrollments and their next steps, recalls, pushes in the outbox, acked messages
 * owed an answer in the inbox); Redis holds only the jobs that make
 * it happen, and an emptied or restarted Redis loses them — delayed ones and the repeatable
 * schedules included. A marker key tells this process that Redis lost its data: it is written at
 * start and looked for every few seconds and on every reconnect. When it is gone, the schedules are
 * registered again and the due work is put back from the database (src/crm/automation,
 * requeueEnrollments / requeueRecallFollowUps; the kernel's requeueOutbound; requeueInboxAnswers), under deterministic job ids so that nothing runs
 * twice, whichever process (or how many) does it.
 */
import { randomBytes } from 'node:crypto';
import { requeueEnrollments, requeueRecallFollowUps, resumeOrphans, type JourneyDeps } from '../crm/automation/index.ts';
import { requeueOutbound } from '../crm/kernel/index.ts';
import { requeueInboxAnswers } from './inbox-answer.ts';
import type { Services } from '../services.ts';

/** How often the marker is looked for: FLUSHALL drops no connection, so only a look notices it. */
const POLL_MS = 2000;
/**
 * A step row `pending`/`sending` (or any step row) younger than this may belong to a job a
 * worker is still running — a send with its timeouts ends well within it — so the first sweep
 * leaves that enrollment to its worker and a second sweep, this much later, looks again.
 */
export const BUSY_GRACE_MS = 30_000;

export interface JobRecovery {
  /** null when the jobs run as they should; otherwise what is wrong (for /readyz). */
  problem(): string | null;
  close(): void;
}

export interface RecoveryOptions {
  deps: JourneyDeps;
  /** Registers every repeatable schedule of this process again (idempotent upserts). */
  reschedule: () => Promise<void>;
  /** Enrollments whose step a worker of this process is running now. */
  running: ReadonlySet<number>;
  pollMs?: number;
}

export function startJobRecovery(services: Services, opts: RecoveryOptions): JobRecovery {
  const { redis, logger } = services;
  const marker = services.key('jobs', 'generation');
  let problem: string | null = 'jobs not checked yet';
  let busy: Promise<void> | undefined;
  let again: string | undefined;
  let closed = false;

  /** The sweep of a Redis that lost its data: schedules, every active enrollment, recall follow-ups, and a second look later. */
  const recover = async (generation: string) => {
    problem = 'Redis lost its jobs: putting them back from the database';
    const t0 = Date.now();
    await opts.reschedule();
    const steps = await requeueEnrollments(opts.deps, { busyGraceMs: BUSY_GRACE_MS, skip: opts.running });
    const recalls = await requeueRecallFollowUps(services);
    // Pushes not yet delivered (the outbox) and acked messages still owed an answer (the inbox).
    const pushes = await requeueOutbound(services);
    const answers = await requeueInboxAnswers(services);
    // What the first sweep left to a live worker is looked at again once that worker is surely done.
    await services.queues.journeyControl.add('requeue', { kind: 'requeue', busyGraceMs: BUSY_GRACE_MS }, { jobId: `requeue-${generation}`, delay: BUSY_GRACE_MS + POLL_MS });
    logger.warn({ generation, steps, recalls, pushes, answers, ms: Date.now() - t0 }, 'Redis had lost its jobs (emptied or restarted): schedules registered again and due work put back from the database');
  };

  const check = async (why: 'start' | 'poll' | 'reconnect') => {
    if (redis.status !== 'ready') return;
    const seen = await redis.get(marker);
    if (seen === null) {
      const mine = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
      // Every process may notice at once: one generation wins, and each one's sweep adds the same ids.
      const won = (await redis.set(marker, mine, 'NX')) === 'OK';
      await recover(won ? mine : ((await redis.get(marker)) ?? mine));
    } else if (why !== 'poll') {
      // Redis kept its data (a restart with persistence, a dropped connection): the schedules
      // are made sure of and the orphan sweep runs now rather than in up to ten minutes.
      await opts.reschedule();
      await resumeOrphans(opts.deps);
    }
    problem = null;
  };

  const run = (why: 'start' | 'poll' | 'reconnect') => {
    if (closed) return;
    if (busy) {
      if (why !== 'poll') again = why;
      return;
    }
    busy = check(why)
      .catch((err) => {
        // Redis or MySQL went away mid-sweep: the next look tries again.
        problem = `jobs not recovered yet: ${(err as Error).message}`;
        logger.warn({ err: (err as Error).message }, 'job recovery did not finish; trying again');
      })
      .finally(() => {
        busy = undefined;
        const next = again;
        again = undefined;
        if (next) run(next as 'reconnect');
      });
  };

  const onReady = () => run('reconnect');
  // Until the marker has been looked at again, nobody can say the jobs are there.
  const onClose = () => (problem ??= 'Redis connection lost: jobs are checked when it is back');
  redis.on('ready', onReady);
  redis.on('close', onClose);
  const timer = setInterval(() => run(problem ? 'reconnect' : 'poll'), opts.pollMs ?? POLL_MS);
  timer.unref();
  run('start');
  return {
    problem: () => problem,
    close() {
      closed = true;
      clearInterval(timer);
      redis.off('ready', onReady);
      redis.off('close', onClose);
    },
  };
}
