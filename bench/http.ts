/**
 * `npm run bench:http -- [--connections 50] [--seconds 10] [--members 2000] [--log info]
 * [--server tsx|dist] [--dist DIR] [--processes N] [--view-clients 100] [--cpu-prof DIR]` — the fixed cost of a
 * chat turn over HTTP, and the 360 view under concurrent clients (docs/benchmarks.md).
 *
 * `--server dist` runs the compiled build (`--dist DIR`: another build's directory, to compare two builds) (`node dist/main.js`, as `npm run start:prod` and the
 * Dockerfile do; `npm run build` first) instead of `node --import tsx src/main.ts`. `--processes N`
 * starts the server with WEB_PROCESSES=N (N HTTP processes on one port: docs/scale-out.md).
 * `--cpu-prof DIR` writes the server's V8 CPU profile(s) into DIR when it stops (node --cpu-prof).
 * `--node-args "…"`: flags for the server's node (e.g. `--max-semi-space-size=64`, to compare GC settings).
 * `--heap-after-gc DIR`: after each phase the server writes a heap snapshot into DIR (SIGUSR2,
 * node --heapsnapshot-signal), which runs a full GC first — the heap then reported is what the
 * phase left retained, not garbage not yet collected (compare two snapshots in Chrome DevTools).
 *
 * One closed-loop load tool (bench/http-load.ts: C keep-alive connections, each sending its next
 * request when the last answer arrived) against, in one run:
 *   bare Hono     GET / on Hono + @hono/node-server and nothing else (bench/bare-hono.ts) — the baseline
 *   /healthz      the real server (src/main.ts, started by test/support/processes.ts `startApp`)
 *   callback      POST /wecom/callback: a signed, encrypted text "查一下 <phone>" from one staff
 *                 member per connection (test/support/wecom-traffic.ts `signedCallback`), each
 *                 with a new MsgId, answered passively within WeCom's window
 *   360 view      GET /api/crm/customers/{id} (the customer 360 view, audited) with ADMIN_TOKEN,
 *                 members of store 1 in turn, at `--view-clients` connections (default 100)
 * printing req/s, p50/p99 and each figure's ratio to bare Hono, with the server's RSS at idle and
 * after the load. The server runs as ROLE=web (no queue workers in it: see the start below). Its own database (a test database with the demo data, dropped at the end), the
 * machine's Redis under its own prefix, a fake qyapi. Goal: callback ≥ 3,000 req/s and
 * ≥ 5 % of bare Hono, p99 ≤ 50 ms at 50 connections.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { RowDataPacket } from 'mysql2/promise';
import type { Config } from '../src/config.ts';
import { openPhone } from '../src/crm/customers/index.ts';
import { seedDemo } from '../src/demo/index.ts';
import { startFakeQyapi } from '../test/fakes/qyapi.ts';
import { childEnv, ROOT, spawnTsx, stopChildren } from '../test/support/child.ts';
import { createTestEnv } from '../test/support/env.ts';
import { freePort, startApp, watch } from '../test/support/processes.ts';
import { startTcpRelay } from '../test/support/tcp-relay.ts';
import { readPassiveReply } from '../test/support/wecom-callback-builder.ts';
import { AGENT_ID, keys, SECRET, weComEnv } from '../test/support/wecom-app.ts';
import { signedCallback } from '../test/support/wecom-traffic.ts';
import { closedLoop, type LoadResult, type LoadRequest } from './http-load.ts';
import { webNodeArgs } from '../src/http/web-heap.ts';

const { values: args } = parseArgs({
  options: {
    connections: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '10' },
    members: { type: 'string', default: '2000' },
    log: { type: 'string', default: 'info' },
    server: { type: 'string', default: 'tsx' },
    dist: { type: 'string', default: 'dist' },
    processes: { type: 'string', default: '1' },
    'view-clients': { type: 'string', default: '100' },
    'cpu-prof': { type: 'string' },
    only: { type: 'string', default: 'bare,healthz,callback,view' },
    'no-count': { type: 'boolean', default: false },
    'heap-after-gc': { type: 'string' },
    'node-args': { type: 'string', default: '' },
  },
});
if (args.server !== 'tsx' && args.server !== 'dist') throw new Error('--server tsx|dist');
if (args.server === 'dist' && !existsSync(join(ROOT, args.dist!, 'main.js'))) throw new Error(`--server dist: run \`npm run build\` first (no ${args.dist}/main.js)`);
const DIST = args.dist!;
const ENTRY = args.server;
/** Which targets run (`--only callback` for a profile of the callback phase alone); bare Hono always, as the baseline. */
const ONLY = new Set(['bare', ...args.only!.split(',').map((t) => t.trim())]);
const PROCESSES = Number(args.processes);
const VIEW_CLIENTS = Number(args['view-clients']);
const ADMIN_TOKEN = 'bench-http-admin-token-0123456789abcdef';
const C = Number(args.connections);
const SECONDS = Number(args.seconds);
const MEMBERS = Number(args.members);
const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();
/** The process and its children (a WEB_PROCESSES server's cluster workers). */
const tree = (pid: number): number[] => {
  let kids: number[] = [];
  try {
    kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    /* gone */
  }
  return [pid, ...kids.flatMap(tree)];
};
/** CPU seconds (user + system) the process and its children have used so far (cluster workers included). */
const cpuS = (pid: number) =>
  tree(pid).reduce((sum, p) => {
    try {
      const f = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return sum + (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
    } catch {
      return sum;
    }
  }, 0);
/** A process's own resident memory, MB (0 once it is gone). */
const ownRss = (p: number) => {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : 0;
  } catch {
    return 0;
  }
};
/** Each process's own RSS: the server and its children (a WEB_PROCESSES server's cluster workers). */
const rssEach = (pid: number) => tree(pid).map(ownRss);
/** Resident memory of the process and its children, MB (each process's own RSS, summed). */
const rssMb = (pid: number) => rssEach(pid).reduce((a, b) => a + b, 0);

async function main() {
  console.log(`bench:http — ${C} connections (360 view: ${VIEW_CLIENTS}), ${SECONDS} s per target after a ${Math.min(3, SECONDS)} s warm-up; server ${ENTRY === 'dist' ? 'node dist/main.js' : 'node --import tsx src/main.ts'}, WEB_PROCESSES=${PROCESSES}, LOG_LEVEL=${args.log}`);
  console.log(`load at start: ${uptime()}`);
  const qy = await startFakeQyapi({ corpId: keys.corpId, corpSecret: SECRET, agentId: AGENT_ID });
  const env = await createTestEnv('bench_http', { ...weComEnv(qy.url), WECOM_REPLY_BUDGET_MS: '4000', ADMIN_TOKEN });
  const { sql } = env.services;
  try {
    await seedDemo(sql, { members: MEMBERS, seed: 11, now: new Date('2026-11-01T00:00:00Z') });
    // One staff member per connection (a turn's memory and inbox are per sender), managing store 1.
    const [staff] = await sql.query<any>('INSERT INTO staff (wecom_user_id, name, role) VALUES ?', [Array.from({ length: C }, (_, i) => [`bh_u${i}`, `店长${i}`, 'store_manager'])]);
    await sql.query('INSERT INTO staff_stores (staff_id, store_id) VALUES ?', [Array.from({ length: C }, (_, i) => [staff.insertId + i, 1])]);
    const [rows] = await sql.query<RowDataPacket[]>("SELECT id, phone_enc FROM members WHERE home_store_id = 1 AND status = 'active' ORDER BY id LIMIT 200");
    const phones = rows.map((r) => openPhone(String(r.phone_enc)));
    const memberIds = rows.map((r) => Number(r.id));

    // The baseline server.
    const barePort = await freePort();
    const bare = spawnTsx(['bench/bare-hono.ts'], childEnv(env.config, { PORT: String(barePort) }));
    await watch(bare).waitFor(/listening on/, 60_000);
    // ROLE=web: the HTTP edge alone. With the workers in the same process (ROLE=all) the scoring job's
    // first run starts with the process, and its per-store model race holds the event loop for
    // minutes on this machine (a CPU profile of the server: clv/pareto-nbd.ts logA0), which this
    // bench would measure instead of the callback (docs/benchmarks.md).
    const serverEnv: Record<string, string> = { LOG_LEVEL: args.log!, ROLE: 'web', WEB_PROCESSES: String(PROCESSES) };
    const nodeArgs = args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${resolve(args['cpu-prof'])}`] : [];
    // The server runs as a web process is deployed: with the web heap bound unless --node-args sets one.
    nodeArgs.splice(0, nodeArgs.length, ...webNodeArgs([...nodeArgs, ...args['node-args']!.split(/\s+/).filter(Boolean)]));
    if (args['heap-after-gc']) nodeArgs.push('--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${resolve(args['heap-after-gc'])}`);
    const app = await startApp(env.config, serverEnv, { wait: 'ready', timeoutMs: 300_000, entry: ENTRY, distDir: DIST, nodeArgs });
    // Every web process is up: each logs "listening on" at info (the shared port answers as soon as the first does).
    const logsListening = ['trace', 'debug', 'info'].includes(args.log!);
    for (let i = 0; logsListening && i < 3000 && (app.out.text.match(/listening on/g) ?? []).length < PROCESSES; i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1000));
    const idleRss = rssMb(app.child.pid!);
    const idleEach = rssEach(app.child.pid!);

    let msgNo = 0;
    const callback = (conn: number): LoadRequest => {
      const phone = phones[msgNo % phones.length]!;
      const r = signedCallback(keys, { from: `bh_u${conn}`, text: `查一下 ${phone}`, msgId: String(7_000_000_000 + msgNo++) });
      return { method: 'POST', path: r.path, body: r.body, headers: r.headers };
    };
    // What the callback answers: a passive reply naming the member, not an error text.
    // The first turns of a fresh process load the router's model: probed until one is answered in time.
    let res: Response | undefined;
    let text = '';
    for (let i = 0; i < 5 && !text; i++) {
      const probe = callback(0);
      res = await fetch(`http://127.0.0.1:${app.port}${probe.path}`, { method: 'POST', body: probe.body, headers: probe.headers });
      text = await res.text();
    }
    if (!res || res.status !== 200 || !text) throw new Error(`the probe callback was not answered passively (${res?.status}): ${text}\n${app.out.text.slice(-2000)}`);
    const reply = readPassiveReply(keys, { status: res.status, contentType: '', body: text });
    console.log(`probe answer (${res.status}): ${String(reply.Content ?? '').split('\n')[0]}`);

    let viewNo = 0;
    const view = (): LoadRequest => ({ method: 'GET', path: `/api/crm/customers/${memberIds[viewNo++ % memberIds.length]}`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const probe360 = await fetch(`http://127.0.0.1:${app.port}${view().path}`, { headers: view().headers });
    const body360 = (await probe360.json()) as { profile?: { memberNo?: string } };
    if (probe360.status !== 200 || !body360.profile?.memberNo) throw new Error(`the 360 view probe failed (${probe360.status}): ${JSON.stringify(body360).slice(0, 500)}`);

    // Round trips of one turn and of one 360 view: the same requests one at a time through a second
    // server whose MariaDB and Redis lines pass a counting relay — MySQL commands (packets with
    // sequence id 0) and Redis writes (one per command or pipeline) — less what the idle server sends in as long.
    if (!args['no-count']) {
      const counted = await countRoundTrips(env.config, [
        { label: 'one turn', make: callback },
        { label: 'one 360 view', make: view },
      ], ENTRY);
      for (const c of counted) {
        if (c.label === 'one turn') console.log(`Redis commands per turn: ${c.perCommand.map(([name, n]) => `${name} ${n.toFixed(1)}`).join(', ')}`);
        console.log(`${c.label}, sequential (${c.turns} requests): ${c.mysql.toFixed(1)} MySQL commands, ≈ ${c.redis.toFixed(1)} Redis round trips, ${c.cpuMs.toFixed(2)} ms server CPU, ${c.ms.toFixed(1)} ms p50 (idle server in as long: ${c.idleMysql} MySQL, ${c.idleRedis} Redis)`);
      }
    }

    const targets: { id: string; name: string; port: number; make: (conn: number) => LoadRequest; connections: number }[] = [
      { id: 'bare', name: 'bare Hono GET /', port: barePort, make: (): LoadRequest => ({ method: 'GET', path: '/' }), connections: C },
      { id: 'healthz', name: 'server GET /healthz', port: app.port, make: (): LoadRequest => ({ method: 'GET', path: '/healthz' }), connections: C },
      { id: 'callback', name: 'POST /wecom/callback (lookup)', port: app.port, make: callback, connections: C },
      { id: 'view', name: `GET 360 view (${VIEW_CLIENTS} clients)`, port: app.port, make: view, connections: VIEW_CLIENTS },
    ].filter((t) => ONLY.has(t.id));
    const results = new Map<string, LoadResult & { cpuMs: number }>();
    // The server's memory after each phase (its own /metrics: V8 heap, external buffers, RSS), to see what grows.
    const memory: [string, string][] = [['idle', await serverMemory(app.port)]];
    if (args['heap-after-gc']) memory.push(['idle + full GC', await memoryAfterGc(app.child.pid!, app.port, resolve(args['heap-after-gc']))]);
    for (const { id, name, port, make, connections } of targets) {
      await closedLoop({ port, connections, seconds: Math.min(3, SECONDS), make });
      const pid = port === app.port ? app.child.pid! : bare.pid!;
      const before = cpuS(pid);
      const r = await closedLoop({ port, connections, seconds: SECONDS, make });
      results.set(id, { ...r, cpuMs: ((cpuS(pid) - before) * 1000) / r.requests });
      if (port === app.port) memory.push([`after ${id}`, await serverMemory(app.port)]);
      if (port === app.port && args['heap-after-gc']) memory.push([`after ${id} + full GC`, await memoryAfterGc(app.child.pid!, app.port, resolve(args['heap-after-gc']))]);
      console.log(`  ${name}: done (load ${uptime().replace(/.*load average: /, '')})`);
    }
    const loadRss = rssMb(app.child.pid!);
    const base = results.get('bare')!.rps;
    console.log(`\n${'target'.padEnd(32)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p95 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'failed'.padStart(8)}${'acked'.padStart(7)}${'CPU ms/req'.padStart(11)}${'÷ bare'.padStart(9)}`);
    for (const { id, name } of targets) {
      const r = results.get(id)!;
      console.log(`${name.padEnd(32)}${r.rps.toFixed(0).padStart(9)}${r.p50.toFixed(1).padStart(9)}${r.p95.toFixed(1).padStart(9)}${r.p99.toFixed(1).padStart(9)}${String(r.errors).padStart(8)}${String(r.empty).padStart(7)}${r.cpuMs.toFixed(3).padStart(11)}${`${((r.rps / base) * 100).toFixed(2)} %`.padStart(9)}`);
    }
    console.log('failed: not 2xx or no answer; acked: 200 with an empty body (past the reply budget, the answer pushed later)');
    const cb = results.get('callback');
    if (cb) console.log(`\ncallback goal (≥ 3,000 req/s, ≥ 5 % of bare Hono, p99 ≤ 50 ms): ${cb.rps >= 3000 && cb.rps / base >= 0.05 && cb.p99 <= 50 ? 'met' : 'not met'}`);
    const v = results.get('view');
    if (v) console.log(`360 view goal (p95 ≤ 200 ms at ${VIEW_CLIENTS} clients): ${v.p95 <= 200 && v.errors === 0 ? 'met' : 'not met'} (p95 ${v.p95.toFixed(1)} ms)`);
    const each = (mb: number[]) => (mb.length > 1 ? ` (each process: ${mb.join(' + ')})` : '');
    console.log(`server RSS: ${idleRss} MB at idle${each(idleEach)}, ${loadRss} MB after the load${each(rssEach(app.child.pid!))} — goal ≤ 200 / ≤ 400 MB`);
    console.log(`server memory by phase (one process's /metrics): ${memory.map(([phase, m]) => `${phase}: ${m}`).join('; ')}`);
    console.log(`load at end: ${uptime()}`);
    await app.stop();
    bare.kill('SIGTERM');
  } finally {
    await stopChildren();
    await env.cleanup();
    await qy.close();
  }
}

/** The answering process's memory as its /metrics reports it, MB: RSS, V8 heap used / total, external (Buffers). */
async function serverMemory(port: number): Promise<string> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const mb = (name: string) => {
    const m = new RegExp(`^crm_${name} (\\S+)`, 'm').exec(text);
    return m ? Math.round(Number(m[1]) / 2 ** 20) : NaN;
  };
  return `RSS ${mb('process_resident_memory_bytes')}, heap ${mb('nodejs_heap_size_used_bytes')}/${mb('nodejs_heap_size_total_bytes')}, external ${mb('nodejs_external_memory_bytes')}`;
}

/** The server's memory after a full GC: SIGUSR2 makes it write a heap snapshot (a full GC first), awaited until the file is complete. */
async function memoryAfterGc(pid: number, port: number, dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const before = new Set(readdirSync(dir));
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 1200; i++) {
    await new Promise((r) => setTimeout(r, 250));
    const file = readdirSync(dir).find((f) => !before.has(f) && f.endsWith('.heapsnapshot'));
    if (!file) continue;
    // Written when its size stops changing.
    const size = statSync(join(dir, file)).size;
    await new Promise((r) => setTimeout(r, 1000));
    if (size > 0 && statSync(join(dir, file)).size === size) return `${await serverMemory(port)} (snapshot ${file}, ${Math.round(size / 2 ** 20)} MB)`;
  }
  return 'no heap snapshot written';
}

/** See the call: one server behind counting relays, `turns` requests of each kind one after the other. */
async function countRoundTrips(config: Config, kinds: { label: string; make: (conn: number) => LoadRequest }[], entry: 'tsx' | 'dist', turns = 100) {
  const db = new URL(config.DATABASE_URL);
  const rd = new URL(config.REDIS_URL);
  let mysql = 0;
  let redis = 0;
  const pending = new Map<number, Buffer>();
  const mysqlRelay = await startTcpRelay({ host: db.hostname, port: Number(db.port || 3306) }, {
    onClientData(conn, d) {
      let buf = pending.has(conn) ? Buffer.concat([pending.get(conn)!, d]) : d;
      while (buf.length >= 4) {
        const len = buf[0]! | (buf[1]! << 8) | (buf[2]! << 16);
        if (buf.length < 4 + len) break;
        if (buf[3] === 0) mysql++;
        buf = buf.subarray(4 + len);
      }
      pending.set(conn, buf);
    },
  });
  // Redis: one write is one round trip (a command or a pipeline); its commands are named by name.
  const commands = new Map<string, number>();
  const redisRelay = await startTcpRelay({ host: rd.hostname, port: Number(rd.port || 6379) }, {
    onClientData(_conn, d) {
      redis++;
      for (const name of respCommandNames(d)) commands.set(name, (commands.get(name) ?? 0) + 1);
    },
  });
  db.host = `127.0.0.1:${mysqlRelay.port}`;
  rd.host = `127.0.0.1:${redisRelay.port}`;
  const app = await startApp(config, { DATABASE_URL: db.toString(), REDIS_URL: rd.toString(), LOG_LEVEL: 'info', ROLE: 'web' }, { wait: 'ready', timeoutMs: 300_000, entry, distDir: DIST });
  try {
    const out = [];
    for (const { label, make } of kinds) {
      const one = async () => {
        const r = make(0);
        const t = performance.now();
        const res = await fetch(`http://127.0.0.1:${app.port}${r.path}`, { method: r.method, body: r.body, headers: r.headers });
        await res.text();
        return performance.now() - t;
      };
      for (let i = 0; i < 10; i++) await one(); // warm
      const m0 = mysql;
      const r0 = redis;
      const k0 = new Map(commands);
      const c0 = cpuS(app.child.pid!);
      const t0 = performance.now();
      const times: number[] = [];
      for (let i = 0; i < turns; i++) times.push(await one());
      const elapsed = performance.now() - t0;
      const cpuMs = ((cpuS(app.child.pid!) - c0) * 1000) / turns;
      const [m1, r1] = [mysql, redis];
      const k1 = new Map(commands);
      await new Promise((r) => setTimeout(r, elapsed));
      const idleMysql = mysql - m1;
      const idleRedis = redis - r1;
      const perCommand = [...k1].map(([name, n]) => [name, (n - (k0.get(name) ?? 0) - ((commands.get(name) ?? 0) - n)) / turns] as const).filter(([, n]) => n >= 0.05);
      times.sort((a, b) => a - b);
      out.push({ label, turns, mysql: (m1 - m0 - idleMysql) / turns, redis: (r1 - r0 - idleRedis) / turns, perCommand, cpuMs, ms: times[Math.floor(turns / 2)]!, idleMysql, idleRedis });
    }
    return out;
  } finally {
    await app.stop();
    await mysqlRelay.close();
    await redisRelay.close();
  }
}

/** The command names in a chunk of RESP sent to Redis (arrays of bulk strings; a chunk split mid-command is rare at these sizes and only loses a name). */
function respCommandNames(d: Buffer): string[] {
  const names: string[] = [];
  const s = d.toString('latin1');
  let i = 0;
  while (i < s.length && s[i] === '*') {
    const eol = s.indexOf('\r\n', i);
    const n = Number(s.slice(i + 1, eol));
    i = eol + 2;
    for (let k = 0; k < n && i < s.length; k++) {
      const e = s.indexOf('\r\n', i);
      const len = Number(s.slice(i + 1, e));
      if (k === 0) names.push(s.slice(e + 2, e + 2 + len).toUpperCase());
      i = e + 2 + len + 2;
    }
  }
  return names;
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
