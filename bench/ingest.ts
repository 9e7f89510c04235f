/**
 * `npm run bench:ingest -- [--members N] [--orders K] [--concurrency C] [--singles S]`: sustained
 * orders/s through the order writer — POST /api/crm/orders/batch (1,000 per request, real HTTP
 * to the app on a local port) and `import-orders` (a CSV file) — beside a baseline measured in
 * the same run: plain multi-row INSERTs (1,000 rows a statement) of the same rows into the
 * orders table, no rollups (deleted again). Then the single-order API p50/p95, and the rollups
 * checked against a rebuild (member_stats of every touched member, the store visit summary and
 * day sales). Beside the baseline, the rows alone: every row the writer's one transaction writes per order,
 * no logic, rolled back — the ceiling of a writer that keeps everything exact in the order's transaction.
 * Prints, never asserts. Does NOT change server settings (BENCH_BUFFER_POOL_GB and
 * BENCH_REDO_LOG_GB default to 0 here: the shared server keeps its 128 MiB buffer pool).
 *
 * The services run on a fixed clock (the bench's start), so the writer and the rebuild window
 * the rollups alike.
 *
 * Leaves the bench database as it found it (the data is shared by every run and every bench):
 * at the end the orders it wrote are deleted inside resyncMembers (so member_stats, the visit
 * summary, day sales and cohorts move back exactly), and their points-ledger rows, level
 * history, audit rows, recall attribution, the touched members' points and levels, and its API
 * token are put back. `--keep` leaves them (to look at).
 */
process.env.BENCH_BUFFER_POOL_GB ??= '0';
process.env.BENCH_REDO_LOG_GB ??= '0';
import { writeFileSync, rmSync, mkdtempSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { RowDataPacket } from 'mysql2/promise';
import { createApiToken } from '../src/api/tokens.ts';
import { loadConfig } from '../src/config.ts';
import { consoleAccess } from '../src/crm/customers/index.ts';
import { reattributeRecalls } from '../src/crm/automation/index.ts';
import { withTransaction } from '../src/crm/kernel/index.ts';
import { importOrders } from '../src/crm/lifecycle/index.ts';
import { countedOrder, rebuildMemberStats, resyncMembers } from '../src/crm/sales/index.ts';
import { createRuntime } from '../src/runtime.ts';
import { createServices } from '../src/services.ts';
import { benchDatabase, benchUrl, membersArg, restoreServerSettings, numberArg } from './support.ts';

const argv = process.argv.slice(2);
const members = membersArg(argv);
const ordersPerPath = numberArg('--orders', 20_000);
const concurrency = numberArg('--concurrency', 1);
const singles = numberArg('--singles', 300);
const BATCH = 1000;
const load = () => execSync('uptime').toString().trim().replace(/.*load average: /, 'load ');

const sql = await benchDatabase(members);
const clock = new Date(Math.floor(Date.now() / 1000) * 1000);
const services = createServices(loadConfig({ ...process.env, DATABASE_URL: benchUrl(members), LOG_LEVEL: 'silent', REDIS_PREFIX: 'crm_bench_ingest' }), { now: () => clock });
// Profile (--profile): wall time of every statement the app runs, by its first words, to show where a batch's time goes;
// on a transaction's connection also the server's own time for it (session profiling, SHOW PROFILES), so
// wall − server is the time spent waiting for the event loop, the network and a CPU on either side.
const profile = new Map<string, { n: number; ms: number; server: number }>();
if (argv.includes('--profile')) {
  const pool = services.sql as unknown as { getConnection: () => Promise<any>; query: (...a: any[]) => Promise<any> };
  const note = (key: string, ms: number, server: number) => {
    const e = profile.get(key) ?? { n: 0, ms: 0, server: 0 };
    e.n++;
    e.ms += ms;
    e.server += server;
    profile.set(key, e);
  };
  const timed = (target: any, conn: boolean) => {
    const orig = target.query.bind(target);
    // The server's duration of the statement just run on this connection (not counted in its wall time).
    const serverMs = async () => {
      if (!conn) return 0;
      const [rows] = await orig('SHOW PROFILES');
      const last = (rows as any[]).at(-1);
      return last ? Number(last.Duration) * 1000 : 0;
    };
    target.query = async (...a: any[]) => {
      const key = String(typeof a[0] === 'string' ? a[0] : a[0]?.sql).replace(/\s+/g, ' ').slice(0, 70);
      const t = performance.now();
      let ms = 0;
      try {
        const r = await orig(...a);
        ms = performance.now() - t;
        return r;
      } finally {
        ms ||= performance.now() - t;
        note(key, ms, await serverMs().catch(() => 0));
      }
    };
    if (conn) {
      for (const m of ['beginTransaction', 'commit'] as const) {
        const o = target[m].bind(target);
        target[m] = async () => {
          const t = performance.now();
          try {
            return await o();
          } finally {
            const ms = performance.now() - t;
            note(m.toUpperCase(), ms, await serverMs().catch(() => 0));
          }
        };
      }
    }
  };
  timed(pool, false);
  const get = pool.getConnection.bind(pool);
  pool.getConnection = async () => {
    const c = await get();
    if (!c.__timed) {
      await c.query('SET profiling = 1, profiling_history_size = 1');
      timed(c, true);
      c.__timed = true;
    }
    return c;
  };
}
/** The statement profile of each path, printed at the end (then cleared for the next path). */
const profiles: string[] = [];
const takeProfile = (title: string, ms: number) => {
  if (!profile.size) return;
  // The path's window on the monotonic clock (µs), as a --cpu-prof profile's startTime counts it, to cut the CPU profile by path.
  const end = process.hrtime.bigint() / 1000n;
  process.stderr.write(`profile window ${title}: ${end - BigInt(Math.round(ms * 1000))}..${end} µs\n`);
  const lines = [`statement profile, ${title} (${(ms / 1000).toFixed(1)} s wall): wall ms, server ms (on a transaction's connection; - on the pool), count:`];
  for (const [k, v] of [...profile].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) lines.push(`  ${v.ms.toFixed(0).padStart(8)} ${(v.server ? v.server.toFixed(0) : '-').padStart(8)} ${String(v.n).padStart(6)}×  ${k}`);
  const all = [...profile.values()];
  lines.push(`  total: wall ${all.reduce((a, v) => a + v.ms, 0).toFixed(0)} ms, server ${all.reduce((a, v) => a + v.server, 0).toFixed(0)} ms, ${all.reduce((a, v) => a + v.n, 0)} statements`);
  profiles.push(lines.join('\n'));
  profile.clear();
};
/** CPU time of this process (the bench's client and the app: one process) since `from`, in ms. */
const cpuMs = (from: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(from);
  return (c.user + c.system) / 1000;
};
const rt = createRuntime(services);
const server = serve({ fetch: rt.app.fetch, port: 0, hostname: '127.0.0.1' });
await new Promise((r) => server.once('listening', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const { token } = await createApiToken(services, { staff: 'admin_01', name: `bench-ingest-${clock.getTime()}` });

// The rollups check below compares against a full rebuild, so it needs a starting point that
// equals one: a fresh seed leaves the visit summary and day sales to the first scoring run
// (npm run scores rebuilds them). When the day sales over all stores do not count the counted
// orders, they are rebuilt first (printed), and the check then speaks of this run's writes only.
if (!argv.includes('--no-check')) {
  const [[c]] = await sql.query<RowDataPacket[]>(`SELECT (SELECT COUNT(*) FROM orders WHERE ${countedOrder()}) AS counted, (SELECT COALESCE(SUM(orders), 0) FROM store_day_sales WHERE store_key = 0) AS summed`);
  if (Number(c!.counted) !== Number(c!.summed)) {
    const t = performance.now();
    await rebuildMemberStats(sql, clock);
    process.stderr.write(`the rollups did not match the orders (${c!.summed} orders in day sales, ${c!.counted} counted): rebuilt first (${((performance.now() - t) / 1000).toFixed(0)} s)\n`);
  }
}
const [memberRows] = await sql.query<RowDataPacket[]>("SELECT id, member_no FROM members WHERE status <> 'deleted'");
const [storeRows] = await sql.query<RowDataPacket[]>('SELECT id, code FROM stores ORDER BY id');
process.stderr.write(`${memberRows.length} members, ${storeRows.length} stores; ${load()}\n`);

// Deterministic pseudo-random orders: members spread over the whole table, paid in the last 6 hours.
let seed = 12345;
const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const run = `B${clock.getTime().toString(36)}`;
interface Gen {
  orderNo: string;
  memberId: number;
  memberNo: string;
  storeId: number;
  storeCode: string;
  amount: string;
  paidAt: Date;
  item: { name: string; qty: number; price: string; category: string };
}
const gen = (prefix: string, n: number): Gen[] =>
  Array.from({ length: n }, (_, i) => {
    const m = memberRows[Math.floor(rnd() * memberRows.length)]!;
    const s = storeRows[Math.floor(rnd() * storeRows.length)]!;
    const cents = 1000 + Math.floor(rnd() * 30000);
    const amount = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
    return {
      orderNo: `${run}${prefix}${i}`,
      memberId: Number(m.id),
      memberNo: String(m.member_no),
      storeId: Number(s.id),
      storeCode: String(s.code),
      amount,
      paidAt: new Date(clock.getTime() - 60_000 - Math.floor(rnd() * 6 * 3600_000)),
      item: { name: '套餐', qty: 1, price: amount, category: '主食' },
    };
  });
const apiOrders = gen('A', ordersPerPath);
const fileOrders = gen('F', ordersPerPath);
const singleOrders = gen('S', singles);
const touched = new Set([...apiOrders, ...fileOrders, ...singleOrders].map((o) => o.memberId));

// The writer folds a member's rollups from their digest (sales' member_order_digests), written by
// every rollup write; a database from before the digests has none until a member's first order
// or a rebuild writes it. The steady state has them: touched members without one get it first
// (a rebuild of just those members, printed), so the run measures the writer, not the catch-up.
{
  const ids = [...touched];
  const missing: number[] = [];
  for (let i = 0; i < ids.length; i += 5000) {
    const chunk = ids.slice(i, i + 5000);
    const [rows] = await sql.query<RowDataPacket[]>('SELECT member_id FROM member_order_digests WHERE member_id IN (?)', [chunk]);
    const have = new Set(rows.map((r) => Number(r.member_id)));
    missing.push(...chunk.filter((id) => !have.has(id)));
  }
  if (missing.length) {
    const t = performance.now();
    for (let i = 0; i < missing.length; i += 5000) await rebuildMemberStats(sql, clock, missing.slice(i, i + 5000));
    process.stderr.write(`${missing.length} touched members had no order digest yet: written first (${((performance.now() - t) / 1000).toFixed(0)} s)\n`);
  }
}

// What the writes will change on the touched members, to put back at the end.
const [memberSnapshot] = await sql.query<RowDataPacket[]>('SELECT id, points, level, level_expires_at, updated_at FROM members WHERE id IN (?)', [[...touched]]);

const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
/** CPU ms of this process per 1,000 orders. */
const perK = (ms: number, n: number) => `${((ms / n) * 1000).toFixed(0)} ms/1,000`;
const figures: Record<string, string> = {};

// Baseline: the same rows (API + file orders), plain multi-row INSERTs into orders, then removed.
{
  const rows = [...apiOrders, ...fileOrders];
  const t = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < rows.length; i += BATCH) {
    await sql.query('INSERT INTO orders (order_no, member_id, store_id, amount, items, payment_method, paid_at, channel, created_at) VALUES ?', [
      rows.slice(i, i + BATCH).map((o) => [`${o.orderNo}X`, o.memberId, o.storeId, o.amount, JSON.stringify([o.item]), 'wechat', o.paidAt, 'dine-in', clock]),
    ]);
  }
  const ms = performance.now() - t;
  figures.baseline = `${rate(rows.length, ms)} rows/s (${rows.length} rows, ${(ms / 1000).toFixed(1)} s, CPU ${perK(cpuMs(c0), rows.length)}; ${load()})`;
  await sql.query("DELETE FROM orders WHERE order_no LIKE ?", [`${run}%X`]);
}
const baselineRate = Number(figures.baseline.split(' ')[0]);

// The rows alone: what the one transaction writes per 1,000 orders, with no logic and no
// reads — the order rows, a ledger row, an audit row and two change-feed rows per order, and the
// members' balance, member_stats and digest rows and the day sales touched — one transaction per
// 1,000, rolled back (its commit not timed; nothing stays). The ceiling of any writer that keeps
// the rollups and the loyalty and legal records exact in the order's transaction, as the same
// run's fraction of the baseline.
{
  const rows = [...apiOrders, ...fileOrders];
  const t = performance.now();
  let written = 0;
  for (let i = 0; i < rows.length; i += BATCH) {
    const chunk = rows.slice(i, i + BATCH);
    const ids = [...new Set(chunk.map((o) => o.memberId))];
    const conn = await sql.getConnection();
    try {
      await conn.beginTransaction();
      const t0 = performance.now();
      await conn.query('INSERT INTO orders (order_no, member_id, store_id, amount, items, payment_method, paid_at, channel, request_hash, intake, created_at) VALUES ?', [
        chunk.map((o) => [`${o.orderNo}Y`, o.memberId, o.storeId, o.amount, JSON.stringify([o.item]), 'wechat', o.paidAt, 'dine-in', 'f'.repeat(64), JSON.stringify({ memberId: o.memberId, memberNo: o.memberNo, memberCreated: false, storeId: o.storeId, pointsEarned: 10, levelUp: null }), clock]),
      ]);
      await conn.query('INSERT INTO points_ledger (member_id, delta, balance_after, kind, reason, ref, expires_at, idempotency_key, created_by, created_at) VALUES ?', [
        chunk.map((o) => [o.memberId, 10, 10, 'earn', '消费积分', `${o.orderNo}Y`, clock, `floor:${o.orderNo}`, 'api', clock]),
      ]);
      await conn.query('INSERT INTO audit_logs (actor_type, actor_id, action, target_type, target_id, channel, request_id, detail, created_at) VALUES ?', [
        chunk.map((o) => ['staff', 'admin_01', 'order.record', 'member', String(o.memberId), 'api', 'bench', JSON.stringify({ orderNo: o.orderNo, amount: o.amount }), clock]),
      ]);
      await conn.query('INSERT INTO change_feed (object_type, object_id, member_id, op, changed_at) VALUES ?', [
        chunk.flatMap((o) => [['order', `${o.orderNo}Y`, o.memberId, 'upsert', clock], ['member', String(o.memberId), o.memberId, 'upsert', clock]]),
      ]);
      await conn.query('UPDATE member_stats SET order_count = order_count + 1, total_spend = total_spend + 1 WHERE member_id IN (?)', [ids]);
      await conn.query("UPDATE member_order_digests SET orders = CONCAT(orders, ' 0.0.0') WHERE member_id IN (?)", [ids]);
      await conn.query('UPDATE store_day_sales SET orders = orders + 1 WHERE store_key IN (?) AND day = ?', [[0, ...new Set(chunk.map((o) => o.storeId))], clock.toISOString().slice(0, 10)]);
      await conn.query('UPDATE members SET points = points + 10 WHERE id IN (?)', [ids]);
      written += performance.now() - t0;
    } finally {
      await conn.rollback();
      conn.release();
    }
  }
  const r = rate(rows.length, written);
  figures.rows = `${r} orders/s = ${((r / baselineRate) * 100).toFixed(0)} % of the baseline — the rows alone, ~8 an order, one transaction per 1,000, rolled back (${((performance.now() - t) / 1000).toFixed(1)} s with the rollbacks; ${load()})`;
}

const post = async (path: string, body: unknown) => {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as any;
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
  return json;
};
const apiBody = (o: Gen) => ({ orderNo: o.orderNo, memberNo: o.memberNo, storeCode: o.storeCode, amount: o.amount, paidAt: o.paidAt.toISOString(), paymentMethod: 'wechat', channel: 'dine-in', items: [o.item] });

// API: POST /api/crm/orders/batch, BATCH orders a request, `concurrency` requests in flight.
{
  const batches: Gen[][] = [];
  for (let i = 0; i < apiOrders.length; i += BATCH) batches.push(apiOrders.slice(i, i + BATCH));
  let next = 0;
  let failed = 0;
  const t = performance.now();
  const c0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < batches.length) {
        const b = batches[next++]!;
        const r = await post('/api/crm/orders/batch', { orders: b.map(apiBody) });
        failed += r.failed;
        if (r.failed) process.stderr.write(`batch failures: ${JSON.stringify(r.results.find((x: any) => x.error))}\n`);
      }
    }),
  );
  const ms = performance.now() - t;
  const r = rate(apiOrders.length, ms);
  takeProfile('API batches', ms);
  figures.api = `${r} orders/s = ${((r / baselineRate) * 100).toFixed(0)} % of the baseline (${apiOrders.length} orders, ${batches.length} requests, concurrency ${concurrency}, ${failed} failed, ${(ms / 1000).toFixed(1)} s, CPU ${perK(cpuMs(c0), apiOrders.length)} with the client's; ${load()})`;
}

// File: import-orders of a CSV (one row per order), batches of BATCH.
{
  const dir = mkdtempSync(join(tmpdir(), 'bench-ingest-'));
  const file = join(dir, 'orders.csv');
  const lines = ['订单号,会员号,门店,实付金额,支付时间,支付方式,渠道,商品,数量,单价,分类'];
  for (const o of fileOrders) lines.push([o.orderNo, o.memberNo, o.storeCode, o.amount, o.paidAt.toISOString(), 'wechat', 'dine-in', o.item.name, 1, o.item.price, o.item.category].join(','));
  writeFileSync(file, `${lines.join('\n')}\n`);
  const access = await consoleAccess(services, 'admin_01');
  const t = performance.now();
  const c0 = process.cpuUsage();
  const res = await importOrders(access, file, { batchSize: BATCH });
  const ms = performance.now() - t;
  const r = rate(fileOrders.length, ms);
  takeProfile('import-orders', ms);
  figures.file = `${r} orders/s = ${((r / baselineRate) * 100).toFixed(0)} % of the baseline (${res.recorded} recorded, ${res.rejected} rejected, ${(ms / 1000).toFixed(1)} s, CPU ${perK(cpuMs(c0), fileOrders.length)}; ${load()})`;
  if (res.errors.length) process.stderr.write(`import errors: ${JSON.stringify(res.errors.slice(0, 3))}\n`);
  rmSync(dir, { recursive: true, force: true });
}

// Single orders, one request at a time.
{
  const times: number[] = [];
  const c0 = process.cpuUsage();
  for (const o of singleOrders) {
    const t = performance.now();
    await post('/api/crm/orders', apiBody(o));
    times.push(performance.now() - t);
  }
  takeProfile('singles', times.reduce((a, b) => a + b, 0));
  times.sort((a, b) => a - b);
  const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1);
  figures.single = `p50 ${p(0.5)} ms, p95 ${p(0.95)} ms, max ${times.at(-1)!.toFixed(0)} ms (${times.length} orders, CPU ${(cpuMs(c0) / times.length).toFixed(1)} ms an order with the client's; ${load()})`;
}

if (argv.includes('--no-check')) figures.rollups = 'not checked (--no-check)';
// Rollups against a rebuild: the touched members' member_stats, then the whole visit summary and day sales.
if (!argv.includes('--no-check')) {
  const ids = [...touched];
  const snap = async () => {
    const [stats] = await sql.query<RowDataPacket[]>(
      'SELECT member_id, first_order_at, last_order_at, order_count, order_days, total_spend, first_day_spend, median_gap_days, orders_90d, spend_90d, spend_prev_90d, orders_365d, spend_365d, complaints_60d, cohort_orders FROM member_stats WHERE member_id IN (?) ORDER BY member_id',
      [ids],
    );
    const [gaps] = await sql.query<RowDataPacket[]>('SELECT store_key, dir, day, gap, members FROM store_visit_gaps WHERE members <> 0 ORDER BY store_key, dir, day, gap');
    const [days] = await sql.query<RowDataPacket[]>('SELECT store_key, day, orders, sales FROM store_day_sales WHERE orders <> 0 OR sales <> 0 ORDER BY store_key, day');
    return { rows: stats, stats: JSON.stringify(stats), gaps: JSON.stringify(gaps), days: JSON.stringify(days), n: [stats.length, gaps.length, days.length] };
  };
  const before = await snap();
  const t = performance.now();
  await rebuildMemberStats(sql, clock);
  const after = await snap();
  const same = (k: 'stats' | 'gaps' | 'days') => (before[k] === after[k] ? 'exact' : 'DIFFERENT');
  if (before.stats !== after.stats) {
    const k = before.rows.findIndex((r, i) => JSON.stringify(r) !== JSON.stringify(after.rows[i]));
    process.stderr.write(`first member_stats row that differs — written: ${JSON.stringify(before.rows[k])}\nrebuilt: ${JSON.stringify(after.rows[k])}\n`);
  }
  figures.rollups = `member_stats of ${ids.length} touched members ${same('stats')}, store visit summary (${after.n[1]} rows) ${same('gaps')}, day sales (${after.n[2]} rows) ${same('days')} — against a full rebuild (${((performance.now() - t) / 1000).toFixed(0)} s)`;
}

// Put the database back as it was (see the header), in one transaction.
if (!argv.includes('--keep')) {
  const t = performance.now();
  const ids = [...touched];
  await withTransaction(sql, async (conn) => {
    await resyncMembers(conn, clock, ids, async () => {
      await conn.query('DELETE FROM orders WHERE order_no LIKE ?', [`${run}%`]);
    });
    await conn.query('DELETE FROM points_ledger WHERE idempotency_key LIKE ?', [`order:${run}%`]);
    await conn.query('DELETE FROM member_level_history WHERE member_id IN (?) AND created_at = ?', [ids, clock]);
    await conn.query('DELETE FROM audit_logs WHERE created_at = ?', [clock]);
    for (let i = 0; i < memberSnapshot.length; i += BATCH) {
      const chunk = memberSnapshot.slice(i, i + BATCH);
      const values = chunk.map(() => 'SELECT ? AS id, ? AS points, ? AS level, ? AS expires, ? AS updated').join(' UNION ALL ');
      await conn.query(`UPDATE members m JOIN (${values}) v ON v.id = m.id SET m.points = v.points, m.level = v.level, m.level_expires_at = v.expires, m.updated_at = v.updated`, chunk.flatMap((m) => [m.id, m.points, m.level, m.level_expires_at, m.updated_at]));
    }
    await reattributeRecalls(conn, ids);
  });
  await sql.query('DELETE FROM api_tokens WHERE name = ?', [`bench-ingest-${clock.getTime()}`]);
  figures.restored = `the ${ids.length} touched members' orders, points, levels, rollups and the bench's audit rows and token put back (${((performance.now() - t) / 1000).toFixed(0)} s)`;
}

for (const p of profiles) console.log(p);
console.log(`bench:ingest — ${members} members, ${ordersPerPath} orders per path, ${new Date().toISOString()}`);
for (const [k, v] of Object.entries(figures)) console.log(`${k.padEnd(9)} ${v}`);
server.close();
await rt.stop();
await services.close();
await sql.end();
await restoreServerSettings();
process.exit(0);
