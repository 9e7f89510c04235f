/**
 * The queue watchdog (docs/operations.md, "When Redis goes away"): a worker that stopped — closed
 * by an error, or alive but no longer taking jobs while jobs wait — is replaced by a fresh one,
 * and /readyz says so until jobs move again. BullMQ already redelivers a job whose worker died
 * mid-run (its lock expires); this covers the worker that no longer asks for jobs at all.
 */
import type { Queue, Worker } from 'bullmq';
import type { Services } from '../services.ts';

export interface WatchedWorker {
  queue: Queue;
  /** Starts a worker on the queue (the one running now, and its replacement). */
  start(): Worker;
}

export interface Watchdog {
  /** The workers running now (a replaced one is swapped in place). */
  readonly workers: Worker[];
  /** null when every queue moves; otherwise what is wrong (for /readyz). */
  problem(): string | null;
  close(): Promise<void>;
}

interface Watch {
  spec: WatchedWorker;
  worker: Worker;
  /** Last time this queue was seen moving: a job started or ended, or nothing waited. */
  movedAt: number;
  stuck?: string;
}

export function startWatchdog(services: Services, specs: WatchedWorker[], opts: { stallMs: number; everyMs?: number }): Watchdog {
  const { logger } = services;
  const workers: Worker[] = [];
  const watches: Watch[] = [];
  const follow = (w: Watch) => {
    const moved = () => (w.movedAt = Date.now());
    w.worker.on('active', moved);
    w.worker.on('completed', moved);
    w.worker.on('failed', moved);
  };
  for (const spec of specs) {
    const w: Watch = { spec, worker: spec.start(), movedAt: Date.now() };
    follow(w);
    watches.push(w);
    workers.push(w.worker);
  }
  let closed = false;

  const replace = async (w: Watch, why: string) => {
    logger.warn({ queue: w.spec.queue.name, why }, `queue ${w.spec.queue.name}: ${why}; starting a new worker`);
    w.stuck = why;
    const old = w.worker;
    // A worker that stopped asking for jobs may never finish closing: do not wait on it.
    void old.close(true).catch(() => undefined);
    w.worker = w.spec.start();
    w.movedAt = Date.now();
    follow(w);
    workers[watches.indexOf(w)] = w.worker;
  };

  const look = async (w: Watch) => {
    if (!w.worker.isRunning()) return replace(w, 'its worker is not running');
    const counts = await w.spec.queue.getJobCounts('waiting', 'prioritized', 'active');
    const waiting = (counts.waiting ?? 0) + (counts.prioritized ?? 0);
    if (waiting === 0 || (counts.active ?? 0) > 0) {
      // Nothing to take, or something being worked on (a long job is BullMQ's lock's business).
      w.movedAt = Date.now();
      w.stuck = undefined;
      return;
    }
    if (Date.now() - w.movedAt > opts.stallMs) return replace(w, `${waiting} jobs waiting and none taken for ${Math.round(opts.stallMs / 1000)} s`);
  };

  let busy = false;
  const timer = setInterval(() => {
    // While Redis is away every queue looks stopped; /readyz names Redis itself then.
    if (closed || busy || services.bullRedis.status !== 'ready') return;
    busy = true;
    void Promise.allSettled(watches.map(look)).finally(() => (busy = false));
  }, opts.everyMs ?? Math.max(1000, Math.floor(opts.stallMs / 4)));
  timer.unref();

  return {
    workers,
    problem() {
      const bad = watches.filter((w) => w.stuck || !w.worker.isRunning());
      return bad.length ? bad.map((w) => `${w.spec.queue.name}: ${w.stuck ?? 'worker not running'}`).join('; ') : null;
    },
    async close() {
      closed = true;
      clearInterval(timer);
      await Promise.allSettled(watches.map((w) => w.worker.close()));
    },
  };
}
