/**
 * A redis-server of the test's own, on a free port, for tests that stop, restart or empty Redis
 * (never the machine's shared server on 6379: other test files use it). No persistence, so a
 * restart comes back empty, as a Redis without RDB/AOF does. Started through test/support/child.ts,
 * so `stopChildren()` in `afterAll` kills it if the test did not.
 */
import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { spawnCommand } from './child.ts';
import { freePort } from './processes.ts';

export interface PrivateRedis {
  port: number;
  url: string;
  /** Stops the server (SIGKILL: what a crash or an OOM kill does) and waits until it has exited. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
  /** FLUSHALL: every key gone, connections kept. */
  flushAll(): Promise<void>;
}

/** Starts it now; `port` to choose it (e.g. one a process already waits on), `password` for requirepass. */
export async function startPrivateRedis(opts: { port?: number; password?: string } = {}): Promise<PrivateRedis> {
  const port = opts.port ?? (await freePort());
  const auth = opts.password ? ['--requirepass', opts.password] : [];
  let child: ChildProcess | undefined;
  const start = () =>
    new Promise<void>((resolve, reject) => {
      const c = spawnCommand('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...auth], { PATH: process.env.PATH ?? '' });
      child = c;
      let out = '';
      const t = setTimeout(() => reject(new Error(`redis-server did not start:\n${out}`)), 10_000);
      c.stdout!.on('data', (d) => {
        out += d;
        if (/Ready to accept connections/.test(out)) {
          clearTimeout(t);
          resolve();
        }
      });
      c.once('exit', (code) => {
        clearTimeout(t);
        reject(new Error(`redis-server exited (${code}):\n${out}`));
      });
    });
  await start();
  const url = opts.password ? `redis://:${opts.password}@127.0.0.1:${port}` : `redis://127.0.0.1:${port}`;
  return {
    port,
    url,
    start,
    async stop() {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const gone = new Promise((r) => c.once('exit', r));
      c.kill('SIGKILL');
      await gone;
    },
    async flushAll() {
      const r = new Redis(url, { maxRetriesPerRequest: 1 });
      try {
        await r.flushall();
      } finally {
        r.disconnect();
      }
    },
  };
}
