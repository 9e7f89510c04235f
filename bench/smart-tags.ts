/**
 * `npm run bench:smart-tags -- [--members N | --database NAME] [--runs R]`: the smart-tag refresh
 * statement by statement — wall time, rows read and written (the session's InnoDB handler
 * counters around each statement, which do not depend on the machine's load) — beside a same-run
 * baseline: a `SELECT COUNT(*)` and a full-row pass over member_scores, the table the rules read.
 * `--database NAME`: a copy on the local server (member_scores, member_tags, tags and what the
 * rules read), used as it is, never seeded; else the bench database of `--members` (default 100k).
 * Each of the R runs (default 2) refreshes on the same scores, so the runs after the first show
 * a night on which no member's tags change. Writes member_tags' model rows, as the nightly run does.
 */
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { loadavg } from 'node:os';
import { refreshSmartTagsRun } from '../src/crm/engagement/index.ts';
import { createSqlPool } from '../src/db/sql.ts';
import { BENCH_NOW, benchDatabase, membersArg, numberArg, time } from './support.ts';

const dbArg = process.argv.includes('--database') ? process.argv[process.argv.indexOf('--database') + 1]! : null;
const sql = dbArg ? createSqlPool(`mysql://root@127.0.0.1:3306/${dbArg}`) : await benchDatabase(membersArg());
const runs = numberArg('runs', 2);

/** Handler counters of the session: rows read (by key, next in range, scan) and rows written. */
async function handlers(conn: PoolConnection): Promise<{ read: number; written: number }> {
  const [rows] = await conn.query<RowDataPacket[]>("SHOW SESSION STATUS WHERE Variable_name LIKE 'Handler\\_%'");
  const v = (name: string) => Number(rows.find((r) => r.Variable_name === name)?.Value ?? 0);
  return {
    read: v('Handler_read_key') + v('Handler_read_next') + v('Handler_read_prev') + v('Handler_read_rnd') + v('Handler_read_rnd_next') + v('Handler_read_first'),
    written: v('Handler_write') + v('Handler_update') + v('Handler_delete'),
  };
}

type Step = { sql: string; ms: number; read: number; written: number; rows: number };

/** The pool, with every statement of the connections it hands out timed and counted into `steps`. */
function profiled(pool: Pool, steps: Step[]): Pool {
  const wrap = (conn: PoolConnection): PoolConnection =>
    new Proxy(conn, {
      get(target, prop) {
        if (prop !== 'query') {
          const value = Reflect.get(target, prop);
          return typeof value === 'function' ? value.bind(target) : value;
        }
        return async (...args: unknown[]) => {
          const before = await handlers(target);
          const t = performance.now();
          const result = await (target.query as (...a: unknown[]) => Promise<[unknown, unknown]>)(...args);
          const ms = performance.now() - t;
          const after = await handlers(target);
          const out = result[0] as { affectedRows?: number } | unknown[];
          const rows = Array.isArray(out) ? out.length : Number(out.affectedRows ?? 0);
          // The counter statement itself reads its status rows: a constant few, left in.
          steps.push({ sql: String(args[0]).replace(/\s+/g, ' ').slice(0, 110), ms, read: after.read - before.read, written: after.written - before.written, rows });
          return result;
        };
      },
    });
  return new Proxy(pool, {
    get(target, prop) {
      if (prop === 'getConnection') return async () => wrap(await target.getConnection());
      const value = Reflect.get(target, prop);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

try {
  const [[n]] = await sql.query<any[]>("SELECT (SELECT COUNT(*) FROM member_scores) AS scores, (SELECT COUNT(*) FROM member_tags WHERE source = 'model') AS model, (SELECT COUNT(*) FROM member_tags) AS tags");
  console.log(`${dbArg ?? 'bench database'}: ${n.scores} member_scores rows; member_tags ${n.tags} rows, ${n.model} of them model`);
  const count = await time(() => sql.query('SELECT COUNT(*) FROM member_scores'), 3);
  const pass = await time(() => sql.query('SELECT SUM(churn_risk), MAX(last_order_at), SUM(total_spend) FROM member_scores'), 3);
  console.log(`baseline: SELECT COUNT(*) FROM member_scores ${count.ms.toFixed(0)} ms; full-row pass ${pass.ms.toFixed(0)} ms; load ${loadavg()[0]!.toFixed(1)}`);
  for (let r = 1; r <= runs; r++) {
    const steps: Step[] = [];
    const run = await time(() => refreshSmartTagsRun(profiled(sql, steps), BENCH_NOW));
    console.log(`\nrun ${r}: ${run.ms.toFixed(0)} ms (${(run.ms / pass.ms).toFixed(1)}× the full-row pass), load ${loadavg()[0]!.toFixed(1)}`);
    console.log(`  ${Object.entries(run.result.held).map(([k, v]) => `${k} ${v} (${run.result.writes[k as keyof typeof run.result.writes]})`).join(' · ')}`);
    console.log(`  ${'ms'.padStart(7)} ${'read'.padStart(9)} ${'written'.padStart(9)} ${'rows'.padStart(8)}  statement`);
    for (const s of steps) console.log(`  ${s.ms.toFixed(0).padStart(7)} ${String(s.read).padStart(9)} ${String(s.written).padStart(9)} ${String(s.rows).padStart(8)}  ${s.sql}`);
    const sum = steps.reduce((a, s) => ({ read: a.read + s.read, written: a.written + s.written }), { read: 0, written: 0 });
    console.log(`  total rows read ${sum.read}, written ${sum.written} (temporary tables included)`);
  }
} finally {
  await sql.end();
}
