/**
 * Shared bench plumbing: `--members N` and a dedicated database per size (`crm_bench_100k`,
 * `crm_bench_1m`, …) seeded with the deterministic demo seeder (fixed date) when it doesn't hold
 * that data — so benches at different sizes never re-seed each other's data. Benches print,
 * never assert.
 */
import { migrate } from '../src/db/migrate.ts';
import { createSqlPool, type SqlPool } from '../src/db/sql.ts';
import { seedDemo } from '../src/demo/index.ts';

/** `crm_bench_1m`, `crm_bench_100k`, `crm_bench_2500`: the database a bench of that size uses. */
export function benchDbName(members: number): string {
  const label = members % 1_000_000 === 0 ? `${members / 1_000_000}m` : members % 1000 === 0 ? `${members / 1000}k` : String(members);
  return `crm_bench_${label}`;
}

/** BENCH_DATABASE_URL when set, else the per-size database on the local server. */
export function benchUrl(members: number): string {
  return process.env.BENCH_DATABASE_URL ?? `mysql://root@127.0.0.1:3306/${benchDbName(members)}`;
}

/**
 * MariaDB's packaged defaults are sized for a laptop: a 128 MiB buffer pool, which a 10M-order
 * table cannot live in, and a 96 MiB redo log, which a million-row UPDATE overruns many times
 * (forcing checkpoint flushes mid-statement). Production servers size both to the machine.
 * Benches raise them online (buffer pool: MariaDB ≥ 10.2; redo log: ≥ 10.9) to
 * `BENCH_BUFFER_POOL_GB` (default 8) and `BENCH_REDO_LOG_GB` (default 2) when smaller, print
 * what they ran with, and put the old sizes back when they end (restoreServerSettings).
 */
export async function ensureBufferPool(sql: SqlPool): Promise<string> {
  const [[was]] = await sql.query<any[]>('SELECT @@innodb_buffer_pool_size AS b, @@innodb_log_file_size AS l');

  const wantGb = Number(process.env.BENCH_BUFFER_POOL_GB ?? 8);
  const [[row]] = await sql.query<any[]>('SELECT @@innodb_buffer_pool_size AS b');
  const before = Number(row.b);
  if (wantGb > 0 && before < wantGb * 2 ** 30) {
    await sql.query('SET GLOBAL innodb_buffer_pool_size = ?', [wantGb * 2 ** 30]).catch((e: Error) => process.stderr.write(`could not raise innodb_buffer_pool_size: ${e.message}\n`));
    // The resize runs in the background; wait until it reports done.
    for (let i = 0; i < 120; i++) {
      const [[st]] = await sql.query<any[]>("SHOW STATUS LIKE 'Innodb_buffer_pool_resize_status'");
      if (!st || !String(st.Value).trim() || /complete|Completed/i.test(String(st.Value))) break;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  const [[after]] = await sql.query<any[]>('SELECT @@innodb_buffer_pool_size AS b, @@innodb_log_file_size AS l');
  const gib = (n: number) => `${(n / 2 ** 30).toFixed(n < 2 ** 30 ? 3 : 0)} GiB`;
  const pool = Number(after.b) === before ? `innodb_buffer_pool_size ${gib(before)}` : `innodb_buffer_pool_size raised ${gib(before)} → ${gib(Number(after.b))} for the bench`;
  const wantLog = Number(process.env.BENCH_REDO_LOG_GB ?? 2) * 2 ** 30;
  const logBefore = Number(after.l);
  if (wantLog > 0 && logBefore < wantLog) {
    await sql.query('SET GLOBAL innodb_log_file_size = ?', [wantLog]).catch((e: Error) => process.stderr.write(`could not raise innodb_log_file_size: ${e.message}\n`));
  }
  const [[log]] = await sql.query<any[]>('SELECT @@innodb_log_file_size AS l');
  const [[now]] = await sql.query<any[]>('SELECT @@innodb_buffer_pool_size AS b');
  if (Number(now.b) !== Number(was.b) || Number(log.l) !== Number(was.l)) rememberServerSettings({ pool: Number(was.b), log: Number(was.l) });
  const redo = Number(log.l) === logBefore ? `innodb_log_file_size ${gib(logBefore)}` : `innodb_log_file_size raised ${gib(logBefore)} → ${gib(Number(log.l))}`;
  return `${pool}; ${redo}`;
}
/** The shared server's settings before a bench raised them, restored when the bench ends. */
let saved: { pool: number; log: number } | null = null;
let savedUrl = '';

function rememberServerSettings(settings: { pool: number; log: number }): void {
  if (saved) return;
  saved = settings;
  // Restored on a normal end even when a bench forgets to: the shared server is never left changed.
  process.once('beforeExit', () => void restoreServerSettings());
}

/** Puts the server's buffer pool and redo log sizes back to what they were before the bench. */
export async function restoreServerSettings(): Promise<void> {
  if (!saved) return;
  const { pool, log } = saved;
  saved = null;
  const sql = createSqlPool(savedUrl);
  try {
    await sql.query('SET GLOBAL innodb_buffer_pool_size = ?', [pool]);
    await sql.query('SET GLOBAL innodb_log_file_size = ?', [log]);
    process.stderr.write(`server settings restored: innodb_buffer_pool_size ${pool / 2 ** 20} MiB, innodb_log_file_size ${log / 2 ** 20} MiB\n`);
  } catch (e) {
    process.stderr.write(`could not restore the server settings (buffer pool ${pool}, redo log ${log}): ${(e as Error).message}\n`);
  } finally {
    await sql.end();
  }
}

/** The seed's generation date: fixed, so every bench run on the same size sees the same data. */
export const BENCH_NOW = new Date('2026-11-21T16:00:00.000Z'); // 2026-11-22 00:00 China time

/** `--name N` from the command line, or `fallback` when absent. */
export function numberArg(name: string, fallback: number, argv = process.argv.slice(2)): number {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
}

export function membersArg(argv = process.argv.slice(2), fallback = 100_000): number {
  const i = argv.indexOf('--members');
  const v = i >= 0 ? Number(argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 5) throw new Error('--members N: an integer ≥ 5');
  return v;
}

/** Migrates the bench database of this size and (re)seeds it when it does not hold exactly `members` demo members. */
export async function benchDatabase(members: number): Promise<SqlPool> {
  const url = benchUrl(members);
  await migrate(url, { log: () => {} });
  const sql = createSqlPool(url);
  savedUrl = url;
  process.stderr.write(`${await ensureBufferPool(sql)}\n`);
  const seeded = async () => {
    const [[row]] = await sql.query<any[]>('SELECT (SELECT COUNT(*) FROM members) AS m, (SELECT COUNT(*) FROM demo_member_truth) AS t, (SELECT MAX(as_of) FROM demo_member_truth) AS asof');
    const asOf = row.asof as Date | null;
    return { ok: Number(row.m) === members && Number(row.t) === members && asOf?.getTime() === BENCH_NOW.getTime(), had: Number(row.m) };
  };
  // The bench databases are shared by everyone on the server: a second bench started while one
  // seeds must wait for that seed and use it, not start a second one over it (the counts it reads
  // meanwhile are the first seed's half-way state). One seeder per database, by a named lock.
  const conn = await sql.getConnection();
  try {
    const lock = `wecom_crm_bench_seed:${url.replace(/.*\//, '')}`.slice(0, 64);
    // Taken even when the counts look right: a seed half-way may already show them.
    const [[got]] = await conn.query<any[]>('SELECT GET_LOCK(?, 7200) AS got', [lock]);
    if (Number(got.got) !== 1) throw new Error(`could not take the bench seed lock ${lock} within 2 hours`);
    try {
      const now = await seeded(); // another bench may have seeded it while this one waited
      if (!now.ok) {
        process.stderr.write(`seeding ${url.replace(/.*\//, '')} with ${members} members (had ${now.had}) …\n`);
        const t = Date.now();
        await seedDemo(sql, { members, now: BENCH_NOW, reset: true });
        process.stderr.write(`seeded in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
      }
    } finally {
      await conn.query('SELECT RELEASE_LOCK(?)', [lock]);
    }
  } finally {
    conn.release();
  }
  return sql;
}

/** Median wall time of `runs` runs of fn, in ms (and its last result). */
export async function time<T>(fn: () => Promise<T>, runs = 1): Promise<{ ms: number; result: T }> {
  const times: number[] = [];
  let result!: T;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    result = await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, result };
}

/** The one AUC and confusion implementation (insights churn/metrics.ts). */
export { auc, confusion } from '../src/crm/insights/index.ts';

/**
 * Counts the statements this process sends to the server (every connection of `sql`'s pool:
 * queries, prepared executions, LOAD DATA, streamed reads), from now on. On a shared machine a
 * stage's wall time is mostly the load; its statement count and this process's CPU time are not.
 */
export async function countStatements(sql: SqlPool): Promise<(() => number) & { ms: () => number }> {
  const conn = await sql.getConnection();
  const proto = Object.getPrototypeOf((conn as unknown as { connection: object }).connection) as Record<string, (...a: unknown[]) => unknown>;
  conn.release();
  let n = 0;
  // The statements' time from sent to their last row, summed (statements in flight side by side
  // are each counted): the time this process waited on the server, beside its own CPU time.
  let ms = 0;
  for (const name of ['query', 'execute'] as const) {
    const original = proto[name]!;
    proto[name] = function (this: unknown, ...args: unknown[]) {
      n++;
      const t = performance.now();
      const cmd = original.apply(this, args) as { once?: (event: string, fn: () => void) => void } | undefined;
      let done = false;
      const end = () => {
        if (!done) ms += performance.now() - t;
        done = true;
      };
      cmd?.once?.('end', end);
      return cmd;
    };
  }
  return Object.assign(() => n, { ms: () => ms });
}

/** This process's CPU time so far in ms (user + system). */
export const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
