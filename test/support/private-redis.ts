/**
 * A redis-server of the test's own, on a free port, for tests that stop, restart or empty Redis
 * (never the machine's shared server on 6379: other test files use it). No persistence, so a
 * restart comes back empty, as a Redis without RDB/AOF does. Started through test/support/child.ts,
 * so `stopChildren()` in `afterAll` kills it if the test did not.
 *
 * `startPrivateRedisCluster()`: three such servers with cluster mode on, joined into one Redis
 * Cluster (three masters, no replicas) by `redis-cli --cluster create`.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { runCommand, spawnCommand } from './child.ts';
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

/**
 * Starts it now; `port` to choose it (e.g. one a process already waits on), `password` for
 * requirepass, `args` for more redis-server options (cluster mode).
 */
export async function startPrivateRedis(opts: { port?: number; password?: string; args?: string[] } = {}): Promise<PrivateRedis> {
  const port = opts.port ?? (await freePort());
  const auth = opts.password ? ['--requirepass', opts.password] : [];
  let child: ChildProcess | undefined;
  const start = () =>
    new Promise<void>((resolve, reject) => {
      const c = spawnCommand('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...auth, ...(opts.args ?? [])], { PATH: process.env.PATH ?? '' });
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

export interface PrivateRedisCluster {
  /** The masters, each a PrivateRedis (stop one to see a node fail). */
  nodes: PrivateRedis[];
  /** REDIS_CLUSTER_NODES for the app: `127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3`. */
  seeds: string;
  /** Stops every node and removes their cluster state files. */
  stop(): Promise<void>;
}

/**
 * A Redis Cluster of the test's own: `size` (≥ 3) redis-servers with `--cluster-enabled yes`,
 * joined by `redis-cli --cluster create … --cluster-yes`, ready once every node says
 * `cluster_state:ok`. Their nodes.conf files live in a temporary folder removed by stop().
 */
export async function startPrivateRedisCluster(size = 3): Promise<PrivateRedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'crm-redis-cluster-'));
  const nodes: PrivateRedis[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < size; i++) {
      const port = await freePort();
      const args = ['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--cluster-node-timeout', '5000', '--dir', dir];
      nodes.push(await startPrivateRedis({ port, args }));
    }
    const seeds = nodes.map((n) => `127.0.0.1:${n.port}`);
    const made = await runCommand('redis-cli', ['--cluster', 'create', ...seeds, '--cluster-replicas', '0', '--cluster-yes'], { PATH: process.env.PATH ?? '' }, 30_000);
    if (made.code !== 0) throw new Error(`redis-cli --cluster create failed (${made.code}):\n${made.stdout}${made.stderr}`);
    for (const n of nodes) await clusterOk(n.url);
    return { nodes, seeds: seeds.join(','), stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Waits until the node reports `cluster_state:ok` (slots assigned and agreed on). */
async function clusterOk(url: string, ms = 20_000): Promise<void> {
  const r = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    const end = Date.now() + ms;
    for (;;) {
      const info = await r.cluster('INFO');
      if (/cluster_state:ok/.test(String(info))) return;
      if (Date.now() > end) throw new Error(`cluster not ok after ${ms} ms:\n${info}`);
      await new Promise((res) => setTimeout(res, 100));
    }
  } finally {
    r.disconnect();
  }
}
