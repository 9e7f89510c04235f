import cluster, { type Worker } from 'node:cluster';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { webNodeArgs } from './web-heap.ts';

/**
 * `WEB_PROCESSES=N` (N > 1, a process that serves HTTP): this process becomes a small supervisor
 * that runs N copies of the server on one port (node:cluster; the supervisor accepts connections
 * and hands each to a process in turn). One Node thread answers about one turn per 2 ms of CPU,
 * so on a machine with several cores several processes answer more (docs/scale-out.md, "Several
 * web processes on one machine").
 *
 * - Process 0 starts first and alone — it migrates, and with ROLE=all seeds an empty database and
 *   runs the queue workers; the others start once it listens, as ROLE=web, so nothing is seeded
 *   or scheduled twice. What keeps a callback answered once across processes is the same as
 *   across machines (the inbox claim in MySQL, the confirmation's GETDEL in Redis).
 * - A process that dies is started again (after a second); one that dies before it ever listened
 *   ends the supervisor with its exit code (a start-up failure, a failed migration).
 * - SIGTERM or SIGINT: every process is sent SIGTERM and stops gracefully (src/main.ts); the
 *   supervisor exits once they all have, with the worst exit code. A second signal, or a stop
 *   past its deadline, ends them at once. Killed (SIGKILL), the supervisor takes the processes
 *   with it: a cluster worker exits when its channel to the supervisor closes.
 * - The processes ignore SIGINT themselves: Ctrl-C in a terminal signals the whole process
 *   group, and the supervisor's SIGTERM is then the one signal each process gets.
 */
export async function runWebProcesses(config: Config, logger: Logger, o: { stopDeadlineMs: number }): Promise<void> {
  const n = config.WEB_PROCESSES;
  const roleOf = (i: number) => (i === 0 ? config.ROLE : 'web');
  const workers = new Map<number, Worker>();
  let stopping = false;
  let everListened = false;

  const start = (i: number): Promise<void> =>
    new Promise((resolve, reject) => {
      // A process that serves HTTP alone runs with the web heap bound (web-heap.ts); process 0 keeps
      // the supervisor's flags, as it may run the workers (ROLE=all). setupPrimary applies to the next fork.
      cluster.setupPrimary({ execArgv: roleOf(i) === 'web' ? webNodeArgs(process.execArgv) : process.execArgv });
      const w = cluster.fork({ ROLE: roleOf(i), WEB_PROCESS_INDEX: String(i) });
      workers.set(i, w);
      w.once('listening', () => {
        if (i === 0) everListened = true;
        resolve();
      });
      w.once('exit', (code, signal) => {
        if (workers.get(i) === w) workers.delete(i);
        if (stopping) {
          if (workers.size === 0) done();
          return;
        }
        if (!everListened) return reject(Object.assign(new Error(`web process ${i} exited before it listened (${code ?? signal})`), { code }));
        logger.error({ process: i, pid: w.process.pid, code, signal }, 'web process exited: starting it again');
        setTimeout(() => void start(i).catch(() => undefined), 1000).unref();
        resolve();
      });
    });

  let exitCode = 0;
  const done = () => {
    logger.info({ processes: n }, 'web processes stopped');
    process.exit(exitCode);
  };
  cluster.on('exit', (_w, code, signal) => {
    if (stopping && (code !== 0 || signal)) exitCode = 1;
  });
  const stop = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: ending the web processes at once');
      for (const w of workers.values()) w.process.kill('SIGKILL');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal, processes: workers.size }, 'shutting down the web processes');
    if (workers.size === 0) done();
    for (const w of workers.values()) w.process.kill('SIGTERM');
    setTimeout(() => {
      logger.error('web processes did not stop in time: ending them');
      for (const w of workers.values()) w.process.kill('SIGKILL');
      process.exit(1);
    }, o.stopDeadlineMs + 1000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  logger.info({ processes: n, role: config.ROLE }, `starting ${n} web processes on one port`);
  try {
    await start(0);
    if (stopping) return;
    await Promise.all(Array.from({ length: n - 1 }, (_, k) => start(k + 1)));
  } catch (e) {
    logger.error({ err: String(e) }, 'web processes not started');
    for (const w of workers.values()) w.process.kill('SIGKILL');
    process.exit(typeof (e as { code?: unknown }).code === 'number' && (e as { code: number }).code !== 0 ? (e as { code: number }).code : 1);
  }
}

/** Whether this process is the WEB_PROCESSES supervisor (not one of its processes, not a single server). */
export const superviseWebProcesses = (config: Pick<Config, 'WEB_PROCESSES' | 'ROLE'>): boolean => cluster.isPrimary && config.WEB_PROCESSES > 1 && config.ROLE !== 'worker';

/** Whether this process is one of a WEB_PROCESSES supervisor's processes. */
export const isWebProcess = (): boolean => cluster.isWorker;
