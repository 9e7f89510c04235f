import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { Services } from '../../services.ts';

/**
 * The outbox of the outbound queue (docs/operations.md, "When Redis goes away"): MySQL, not
 * Redis, is the record of a push that must go out. `queueOutbound` writes the push here, then
 * adds its BullMQ job under the caller's deterministic id; the outbound worker deletes the row
 * once the job is done (delivered, or refused for good). When Redis loses its data,
 * `requeueOutbound` (the recovery sweep, src/jobs/recovery.ts) adds every row still here again
 * under the same id: a job that survived makes it a no-op, so nothing is sent twice.
 * Every `services.queues.outbound.add` goes through here.
 */
type OutboundData = Parameters<Services['queues']['outbound']['add']>[1];
/**
 * A job of the outbound queue that is not a text to push, told apart by its job name and `kind`
 * (the worker dispatches on the name): today `member-tags-changed`, the WeCom tag mirror.
 */
type OutboundTask = { kind: string; [k: string]: unknown };

export async function queueOutbound(services: Services, name: string, data: OutboundData | OutboundTask, opts: { jobId: string; delay?: number }): Promise<void> {
  const due = new Date(services.now().getTime() + (opts.delay ?? 0));
  // INSERT IGNORE: queueing the same push twice (two processes, a retry) keeps the first row.
  await services.sql.execute('INSERT IGNORE INTO outbound_jobs (job_id, name, data, due_at) VALUES (?, ?, ?, ?)', [opts.jobId, name.slice(0, 64), JSON.stringify(data), due]);
  // The queue is typed for texts; a task rides it under its own name (see OutboundTask).
  await services.queues.outbound.add(name, data as OutboundData, { jobId: opts.jobId, ...(opts.delay && opts.delay > 0 ? { delay: opts.delay } : {}) });
}

/** The job is done (delivered, or failed for good): nothing to put back any more. */
export async function outboundDone(services: Services, jobId: string): Promise<void> {
  await services.sql.execute<ResultSetHeader>('DELETE FROM outbound_jobs WHERE job_id = ?', [jobId]);
}

/** A push older than this is past any use (and past BullMQ's retries): dropped, not sent late. */
const MAX_AGE_MS = 24 * 3600_000;

/**
 * Drops the rows of pushes past any use: left behind only when a worker died between sending
 * and `outboundDone`, or a job vanished with Redis and no sweep ran since. Run hourly
 * (src/jobs/inbox-prune.ts) and before every requeue; returns how many rows went.
 */
export async function pruneOutbound(services: Services): Promise<number> {
  const [res] = await services.sql.execute<ResultSetHeader>('DELETE FROM outbound_jobs WHERE created_at < ?', [new Date(services.now().getTime() - MAX_AGE_MS)]);
  return res.affectedRows;
}

/** Adds the job of every push not yet done (Redis lost them); returns how many rows were looked at. */
export async function requeueOutbound(services: Services): Promise<number> {
  const now = services.now().getTime();
  await pruneOutbound(services);
  const [rows] = await services.sql.query<RowDataPacket[]>('SELECT job_id, name, data, due_at FROM outbound_jobs ORDER BY created_at');
  for (const r of rows) {
    const delay = new Date(r.due_at).getTime() - now;
    await services.queues.outbound.add(String(r.name), JSON.parse(String(r.data)) as OutboundData, { jobId: String(r.job_id), ...(delay > 0 ? { delay } : {}) });
  }
  return rows.length;
}
