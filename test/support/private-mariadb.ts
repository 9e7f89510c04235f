/**
 * A MariaDB primary and a replica of the test's own (never the machine's shared server on 3306):
 * two `mariadbd` on free ports, in a temporary folder, for tests of READ_DATABASE_URL. The data
 * folder is made once by `mariadb-install-db` and copied for the replica before either starts,
 * so the replica needs no snapshot: it replays the primary's binary log from its first event
 * (GTID, `MASTER_USE_GTID = slave_pos`). Started through test/support/child.ts, so
 * `stopChildren()` in `afterAll` kills them if the test did not; stop() also removes the folder.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { runCommand, spawnCommand } from './child.ts';
import { freePort } from './processes.ts';

const MARIADBD = '/usr/sbin/mariadbd';
const INSTALL_DB = '/usr/bin/mariadb-install-db';

/** Why the pair cannot start here (a binary missing), or null. */
export function mariadbUnavailable(): string | null {
  for (const bin of [MARIADBD, INSTALL_DB]) if (!existsSync(bin)) return `${bin} is not installed (Debian package mariadb-server)`;
  return null;
}

export interface PrivateMariadb {
  port: number;
  /** Server URL, root without password: append a database name. */
  url: string;
  /** One statement on a fresh connection (no database selected). */
  query<T = unknown>(sql: string, params?: unknown[]): Promise<T>;
}

export interface PrivateMariadbPair {
  primary: PrivateMariadb;
  replica: PrivateMariadb;
  /** Waits until the replica has applied everything the primary has logged so far. */
  caughtUp(timeoutS?: number): Promise<void>;
  stopReplication(): Promise<void>;
  startReplication(): Promise<void>;
  /** The replica's count of SELECT statements so far (SHOW GLOBAL STATUS Com_select). */
  replicaSelects(): Promise<number>;
  /** Stops the replica's server (a replica gone mid-run); the primary keeps running. */
  stopReplicaServer(): Promise<void>;
  /** Stops both servers and removes their data. */
  stop(): Promise<void>;
}

function connectTo(port: number): PrivateMariadb {
  const url = `mysql://root@127.0.0.1:${port}/`;
  return {
    port,
    url,
    async query<T>(sql: string, params: unknown[] = []) {
      const conn = await mysql.createConnection({ uri: url, multipleStatements: false });
      try {
        const [rows] = await conn.query(sql, params);
        return rows as T;
      } finally {
        await conn.end();
      }
    },
  };
}

/** Starts one server on `dir`; resolves when it accepts connections. */
function startServer(dir: string, port: number, extra: string[]): Promise<ChildProcess> {
  const args = [
    '--no-defaults',
    `--datadir=${dir}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    `--socket=${join(dir, 'mysqld.sock')}`,
    `--pid-file=${join(dir, 'mysqld.pid')}`,
    '--user=root',
    // Small and fast: a test database, thrown away afterwards.
    '--innodb-buffer-pool-size=64M',
    '--innodb-log-file-size=16M',
    '--innodb-flush-log-at-trx-commit=2',
    '--sync-binlog=0',
    '--performance-schema=OFF',
    '--character-set-server=utf8mb4',
    '--collation-server=utf8mb4_unicode_ci',
    ...extra,
  ];
  return new Promise((resolve, reject) => {
    const child = spawnCommand(MARIADBD, args, { PATH: process.env.PATH ?? '' });
    let out = '';
    const t = setTimeout(() => reject(new Error(`mariadbd did not start:\n${out.slice(-3000)}`)), 30_000);
    const on = (d: Buffer) => {
      out += d;
      if (/ready for connections/.test(out)) {
        clearTimeout(t);
        resolve(child);
      }
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', on);
    child.once('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`mariadbd exited (${code}):\n${out.slice(-3000)}`));
    });
  });
}

async function stopServer(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await gone;
  clearTimeout(t);
}

/** Starts a primary (server-id 1, binary log) and a replica (server-id 2, read-only) replicating from it. */
export async function startPrivateMariadbPair(): Promise<PrivateMariadbPair> {
  const why = mariadbUnavailable();
  if (why) throw new Error(why);
  const root = await mkdtemp(join(tmpdir(), 'crm-mariadb-'));
  const children: (ChildProcess | undefined)[] = [];
  const stop = async () => {
    await Promise.all(children.map(stopServer));
    await rm(root, { recursive: true, force: true });
  };
  try {
    const [pDir, rDir] = [join(root, 'primary'), join(root, 'replica')];
    const made = await runCommand(INSTALL_DB, ['--no-defaults', `--datadir=${pDir}`, '--user=root', '--auth-root-authentication-method=normal', '--skip-test-db'], { PATH: process.env.PATH ?? '' }, 60_000);
    if (made.code !== 0) throw new Error(`mariadb-install-db failed (${made.code}):\n${made.stdout}${made.stderr}`);
    await cp(pDir, rDir, { recursive: true });
    const [pPort, rPort] = [await freePort(), await freePort()];
    children.push(await startServer(pDir, pPort, ['--server-id=1', `--log-bin=${join(pDir, 'binlog')}`, '--binlog-format=ROW']));
    children.push(await startServer(rDir, rPort, ['--server-id=2', '--read-only=ON', '--skip-slave-start']));
    const primary = connectTo(pPort);
    const replica = connectTo(rPort);
    await replica.query(`CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = ${pPort}, MASTER_USER = 'root', MASTER_PASSWORD = '', MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1`);
    await replica.query('START SLAVE');
    const pair: PrivateMariadbPair = {
      primary,
      replica,
      async caughtUp(timeoutS = 20) {
        const pos = (await primary.query<{ pos: string }[]>('SELECT @@GLOBAL.gtid_binlog_pos AS pos'))[0]!.pos;
        const waited = (await replica.query<{ r: number }[]>('SELECT MASTER_GTID_WAIT(?, ?) AS r', [pos, timeoutS]))[0]!.r;
        if (Number(waited) !== 0) {
          const status = await replica.query('SHOW SLAVE STATUS');
          throw new Error(`replica did not reach ${pos} in ${timeoutS} s: ${JSON.stringify(status).slice(0, 2000)}`);
        }
        // MASTER_GTID_WAIT returns at once when the primary wrote nothing new, while a just
        // restarted IO thread may still be "Connecting" — Seconds_Behind_Master is NULL until both
        // threads run, which a replica check reads as "stopped". Caught up means running, too.
        const deadline = Date.now() + timeoutS * 1000;
        for (;;) {
          const row = (await replica.query<Record<string, unknown>[]>('SHOW SLAVE STATUS'))[0] ?? {};
          if (row.Slave_IO_Running === 'Yes' && row.Slave_SQL_Running === 'Yes' && row.Seconds_Behind_Master != null) return;
          if (Date.now() > deadline) throw new Error(`replica not running after ${timeoutS} s: ${JSON.stringify(row).slice(0, 2000)}`);
          await new Promise((res) => setTimeout(res, 100));
        }
      },
      stopReplication: () => replica.query('STOP SLAVE').then(() => undefined),
      startReplication: () => replica.query('START SLAVE').then(() => undefined),
      async replicaSelects() {
        const rows = await replica.query<{ Value: string }[]>("SHOW GLOBAL STATUS LIKE 'Com_select'");
        return Number(rows[0]!.Value);
      },
      stopReplicaServer: () => stopServer(children[1]),
      stop,
    };
    await pair.caughtUp();
    return pair;
  } catch (e) {
    await stop();
    throw e;
  }
}

export interface PrivateMariadbServer extends PrivateMariadb {
  /** Stops the server (SIGTERM: a clean shutdown, as `systemctl restart` does; SIGKILL after 10 s) and waits until it has exited. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data: what it had committed is still there. */
  start(): Promise<void>;
  /** Stops it and removes its data. */
  close(): Promise<void>;
}

/**
 * One MariaDB of the caller's own on a free port (for a bench or test that restarts MySQL under
 * the server; the machine's shared server is never touched), with binary logging off. Its data
 * folder lives until close(), so stop() + start() is a restart that keeps the data.
 */
export async function startPrivateMariadb(): Promise<PrivateMariadbServer> {
  const why = mariadbUnavailable();
  if (why) throw new Error(why);
  const root = await mkdtemp(join(tmpdir(), 'crm-mariadb-'));
  const dir = join(root, 'data');
  let child: ChildProcess | undefined;
  try {
    const made = await runCommand(INSTALL_DB, ['--no-defaults', `--datadir=${dir}`, '--user=root', '--auth-root-authentication-method=normal', '--skip-test-db'], { PATH: process.env.PATH ?? '' }, 60_000);
    if (made.code !== 0) throw new Error(`mariadb-install-db failed (${made.code}):\n${made.stdout}${made.stderr}`);
    const port = await freePort();
    const start = async () => {
      child = await startServer(dir, port, ['--max-connections=500']);
    };
    await start();
    return {
      ...connectTo(port),
      start,
      stop: () => stopServer(child),
      async close() {
        await stopServer(child);
        await rm(root, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await stopServer(child);
    await rm(root, { recursive: true, force: true });
    throw e;
  }
}
