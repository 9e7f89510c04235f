/**
 * `npx tsx bench/http-pairs.ts -- --builds dist-test-base,dist [--rounds 6] [--turns 1500] [--concurrency 50]
 * [--views 0] [--profile] [--detail phase,…] [--view-detail phase,…]` — two (or more) compiled builds measured in ONE process, alternately, so
 * that both are sampled under the same machine load (docs/benchmarks.md, bench:http, session 15:
 * on the shared 2-core machine wall-clock figures and two separate bench runs differ by more than
 * the changes being judged). Each build gets its own services (pools, Redis connections, logger at
 * LOG_LEVEL=info writing to this process's stdout: run with `>/dev/null`, the figures go to stderr)
 * and runtime, and its `app.fetch` is given `--turns` signed callbacks "查一下 <phone>" (a new MsgId
 * each, one staff sender per concurrent slot, answered passively) at `--concurrency` at a time;
 * the figure is the process's CPU per callback (process.cpuUsage: the harness's own signing and
 * Request objects included, the same for every build). `--views N` adds N 360 views a round at
 * 100 concurrent (CPU per view, MariaDB's CPU per view, and the time a view's statements waited for a pool connection vs
 * ran). `--profile`: each round is also sampled (node:inspector), and the samples are attributed
 * to the nearest frame of our own code on their stack (else to the package they run in), as µs
 * of CPU samples per callback — where a callback's CPU goes, by phase.
 * No HTTP socket: the server's HTTP parser is the same code for every build and is left out.
 */
import { Session } from 'node:inspector/promises';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { RowDataPacket } from 'mysql2/promise';
import { openPhone } from '../src/crm/customers/index.ts';
import { seedDemo } from '../src/demo/index.ts';
import { startFakeQyapi } from '../test/fakes/qyapi.ts';
import { createTestEnv } from '../test/support/env.ts';
import { AGENT_ID, keys, SECRET, weComEnv } from '../test/support/wecom-app.ts';
import { signedCallback } from '../test/support/wecom-traffic.ts';

const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    builds: { type: 'string', default: 'dist-test-base,dist' },
    rounds: { type: 'string', default: '6' },
    turns: { type: 'string', default: '1500' },
    concurrency: { type: 'string', default: '50' },
    views: { type: 'string', default: '0' },
    members: { type: 'string', default: '2000' },
    profile: { type: 'boolean', default: false },
    /** With --profile: the leaf functions inside these phases (comma-separated), for the first build. */
    detail: { type: 'string', default: '' },
    /** With --profile and --views: the same for the views' phases. */
    'view-detail': { type: 'string', default: '' },
    env: { type: 'string', multiple: true, default: [] },
  },
});
const out = (s: string) => process.stderr.write(`${s}\n`);
const load = () => execFileSync('uptime', { encoding: 'utf8' }).replace(/.*load average: /, '').trim();
const ADMIN_TOKEN = 'bench-http-admin-token-0123456789abcdef';
const C = Number(args.concurrency);

interface Build {
  dir: string;
  label: string;
  fetch: (req: Request) => Response | Promise<Response>;
  close: () => Promise<void>;
  /** Pool wait vs statement time of the last views (only when the build's pool is instrumented below). */
  poolStats: () => Map<string, { n: number; waitMs: number; holdMs: number }>;
}

async function main() {
  const qy = await startFakeQyapi({ corpId: keys.corpId, corpSecret: SECRET, agentId: AGENT_ID });
  const extra = Object.fromEntries(args.env!.map((kv) => kv.split('=', 2) as [string, string]));
  const envVars = { ...weComEnv(qy.url), WECOM_REPLY_BUDGET_MS: '4000', ADMIN_TOKEN, ROLE: 'web', ...extra };
  const env = await createTestEnv('bench_pairs', envVars);
  const { sql } = env.services;
  const builds: Build[] = [];
  try {
    await seedDemo(sql, { members: Number(args.members), seed: 11, now: new Date('2026-11-01T00:00:00Z') });
    const [staff] = await sql.query<any>('INSERT INTO staff (wecom_user_id, name, role) VALUES ?', [Array.from({ length: C }, (_, i) => [`bh_u${i}`, `店长${i}`, 'store_manager'])]);
    await sql.query('INSERT INTO staff_stores (staff_id, store_id) VALUES ?', [Array.from({ length: C }, (_, i) => [staff.insertId + i, 1])]);
    const [rows] = await sql.query<RowDataPacket[]>("SELECT id, phone_enc FROM members WHERE home_store_id = 1 AND status = 'active' ORDER BY id LIMIT 200");
    const phones = rows.map((r) => openPhone(String(r.phone_enc)));
    const memberIds = rows.map((r) => Number(r.id));

    for (const spec of args.builds!.split(',')) {
      // "dir" or "label=dir:KEY=V;KEY=V" (the same build under other settings).
      const [label, rest] = spec.includes('=') ? (spec.split(/=(.*)/s, 2) as [string, string]) : [spec, spec];
      const [dir, settings] = rest.split(':', 2) as [string, string | undefined];
      const own = Object.fromEntries((settings ?? '').split(';').filter(Boolean).map((kv) => kv.split('=', 2) as [string, string]));
      const at = (m: string) => pathToFileURL(resolve(dir, m)).href;
      const { loadConfig } = await import(at('config.js'));
      const { createServices } = await import(at('services.js'));
      const { createRuntime } = await import(at('runtime.js'));
      const config = { ...env.config, ...loadConfig({ ...env.config, ...envVars, ...own, LOG_LEVEL: 'info', NODE_ENV: 'test', DATABASE_URL: env.databaseUrl }) };
      const services = createServices(config);
      if (services.redis.status !== 'ready') await new Promise((r) => services.redis.once('ready', r));
      const stats = instrumentPool(services.sql);
      const rt = createRuntime(services);
      builds.push({ dir, label, fetch: rt.app.fetch, poolStats: stats, close: async () => { await rt.stop?.(); await services.close(); } });
    }

    let msgNo = 0;
    const callbackReq = (slot: number) => {
      const phone = phones[msgNo % phones.length]!;
      const r = signedCallback(keys, { from: `bh_u${slot}`, text: `查一下 ${phone}`, msgId: String(8_000_000_000 + Math.floor(Math.random() * 1e6) * 1000 + (msgNo++ % 1000)) });
      return new Request(`http://127.0.0.1${r.path}`, { method: 'POST', body: r.body, headers: { ...r.headers, 'content-length': String(Buffer.byteLength(r.body)) } });
    };
    let viewNo = 0;
    const viewReq = () => new Request(`http://127.0.0.1/api/crm/customers/${memberIds[viewNo++ % memberIds.length]}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });

    /** n requests through fetch, `conc` at a time; returns CPU µs per request, wall ms, answered count. */
    const drive = async (b: Build, n: number, conc: number, make: (slot: number) => Request, check: (res: Response, body: string) => boolean) => {
      let next = 0;
      let ok = 0;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: conc }, async (_, slot) => {
          while (next < n) {
            next++;
            const res = await b.fetch(make(slot));
            if (check(res, await res.text())) ok++;
          }
        }),
      );
      const c = process.cpuUsage(c0);
      return { cpuUs: (c.user + c.system) / n, ms: performance.now() - t0, ok };
    };
    const passive = (res: Response, body: string) => res.status === 200 && body.includes('<Encrypt>');
    const viewed = (res: Response) => res.status === 200;

    // Warm-up: the router's model, JIT, pools.
    for (const b of builds) {
      await drive(b, 300, C, callbackReq, passive);
      if (Number(args.views)) await drive(b, 200, 100, viewReq, viewed);
    }
    const session = args.profile ? new Session() : undefined;
    if (session) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
    }
    const phases = new Map<string, Map<string, number>>(); // build → phase → sample µs
    const details = new Map<string, Map<string, number>>(); // phase → leaf function → sample µs (first build)
    for (const d of args.detail!.split(',').filter(Boolean)) details.set(d, new Map());
    const viewDetails = new Map<string, Map<string, number>>(); // the same for the views (--view-detail)
    for (const d of args['view-detail']!.split(',').filter(Boolean)) viewDetails.set(d, new Map());
    const turns = Number(args.turns);
    out(`http-pairs: ${builds.map((b) => `${b.label} (${b.dir})`).join(' vs ')}, ${turns} callbacks a round at ${C} concurrent${Number(args.views) ? `, ${args.views} views at 100` : ''}; load at start ${load()}`);
    const rows2: string[][] = [];
    for (let round = 0; round < Number(args.rounds); round++) {
      // Alternate the order each round (ABAB, then BABA) so neither build always goes first.
      const order = round % 2 ? [...builds].reverse() : builds;
      for (const b of order) {
        if (session) await session.post('Profiler.start');
        const r = turns ? await drive(b, turns, C, callbackReq, passive) : { cpuUs: 0, ms: 1, ok: 0 };
        let profiled: any;
        if (session) profiled = (await session.post('Profiler.stop')).profile;
        let view = '';
        if (Number(args.views)) {
          b.poolStats();
          if (session) await session.post('Profiler.start');
          const db0 = mariadbCpuMs();
          const v = await drive(b, Number(args.views), 100, viewReq, viewed);
          const dbUs = ((mariadbCpuMs() - db0) * 1000) / Number(args.views);
          // The views' samples apart ("<label> view"), as µs a view.
          if (session) attribute((await session.post('Profiler.stop')).profile as any, Number(args.views), phases, `${b.label} view`, b === builds[0] && args['view-detail'] ? viewDetails : undefined);
          const s = b.poolStats();
          const kinds = [...s].map(([kind, k]) => `${kind} ${(k.n / Number(args.views)).toFixed(2)}/view waited ${(k.waitMs / k.n).toFixed(1)} held ${(k.holdMs / k.n).toFixed(1)} ms`).join(', ');
          view = ` | view ${v.cpuUs.toFixed(0)} µs CPU (MariaDB ${dbUs.toFixed(0)}), ${((Number(args.views) / v.ms) * 1000).toFixed(0)}/s, ${(v.ms / Number(args.views) * 100).toFixed(0)} ms mean at 100; pool: ${kinds}`;
        }
        if (profiled) attribute(profiled, turns, phases, b.label, b === builds[0] ? details : undefined);
        const line = `round ${round + 1} ${b.label.padEnd(10)} ${r.cpuUs.toFixed(0).padStart(5)} µs CPU/callback, ${((turns / r.ms) * 1000).toFixed(0).padStart(4)}/s, ${r.ok}/${turns} passive${view}  (rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB, load ${load()})`;
        out(line);
        rows2.push([b.label, String(r.cpuUs)]);
      }
    }
    const byBuild = new Map<string, number[]>();
    for (const [label, v] of rows2 as [string, string][]) byBuild.set(label, [...(byBuild.get(label) ?? []), Number(v)]);
    for (const [label, v] of byBuild) out(`${label}: mean ${(v.reduce((a, b) => a + b, 0) / v.length).toFixed(0)} µs CPU/callback over ${v.length} rounds (${v.map((x) => x.toFixed(0)).join(' · ')})`);
    if (session) {
      const labels = [...phases.keys()];
      const all = new Set(labels.flatMap((l) => [...phases.get(l)!.keys()]));
      const total = (l: string) => [...phases.get(l)!.values()].reduce((a, b) => a + b, 0);
      const rounds = Number(args.rounds);
      out(`\nsampled µs a callback (columns "<build> view": a view) by phase (nearest own-code frame, else the package), mean of ${rounds} rounds:`);
      out(`${'phase'.padEnd(44)}${labels.map((l) => l.padStart(12)).join('')}`);
      for (const k of [...all].sort((a, b) => (phases.get(labels[0]!)!.get(b) ?? 0) - (phases.get(labels[0]!)!.get(a) ?? 0))) {
        const vals = labels.map((l) => (phases.get(l)!.get(k) ?? 0) / rounds);
        if (Math.max(...vals) < 5) continue;
        out(`${k.slice(0, 43).padEnd(44)}${vals.map((v) => v.toFixed(0).padStart(12)).join('')}`);
      }
      for (const [what, detailed] of [['callback', details], ['view', viewDetails]] as const) {
        for (const [phase, leaves] of detailed) {
          out(`\n${phase}, ${labels[0]}: leaf functions, µs a ${what}`);
          for (const [leaf, us] of [...leaves].sort((a, b) => b[1] - a[1]).slice(0, 25)) if (us / rounds >= 3) out(`  ${(us / rounds).toFixed(0).padStart(6)}  ${leaf}`);
        }
      }
      out(`${'total sampled (idle excluded)'.padEnd(44)}${labels.map((l) => (total(l) / rounds).toFixed(0).padStart(12)).join('')}`);
    }
    out(`load at end ${load()}`);
  } finally {
    for (const b of builds) await b.close().catch(() => undefined);
    await env.cleanup();
    await qy.close();
  }
}

/**
 * MariaDB's own CPU time so far (utime + stime of the local mariadbd, ms), for its share of a view;
 * NaN when it is not a process here. Other clients of the shared server count too: compare in pairs.
 */
function mariadbCpuMs(): number {
  try {
    const pid = execFileSync('pidof', ['mariadbd'], { encoding: 'utf8' }).trim().split(/\s+/)[0];
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // fields 14, 15 (clock ticks of 1/100 s)
  } catch {
    return NaN;
  }
}

/** Samples of one profile by phase: µs per callback, added into phases[label]. */
function attribute(profile: { nodes: { id: number; callFrame: { url: string; functionName: string; lineNumber: number }; children?: number[] }[]; samples: number[]; timeDeltas: number[] }, turns: number, phases: Map<string, Map<string, number>>, label: string, details?: Map<string, Map<string, number>>) {
  const parent = new Map<number, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const phaseOf = new Map<number, string>();
  // Our code in a build (dist*/…); the harness's own (src/ and test/ under tsx: the signing of the callbacks it sends) apart.
  const own = (url: string) => (url.includes('node_modules') ? undefined : /\/(dist[^/]*)\/(?!generated)(.*)\.js$/.exec(url)?.[2]);
  const harness = (url: string) => !url.includes('node_modules') && /\/(src|test|bench)\/.*\.ts$/.test(url);
  const pkg = (url: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  const classify = (id: number): string => {
    const hit = phaseOf.get(id);
    if (hit) return hit;
    const leaf = byId.get(id)!.callFrame;
    let phase: string | undefined;
    if (leaf.functionName === '(garbage collector)' || leaf.functionName === '(idle)' || leaf.functionName === '(program)') phase = leaf.functionName;
    let firstPkg: string | undefined;
    for (let at: number | undefined = id; !phase && at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)!.callFrame;
      const o = own(f.url);
      firstPkg ??= pkg(f.url);
      if (o) phase = o;
      // The harness calls app.fetch synchronously: a package's frames under it are the app's (hono's dispatch).
      else if (harness(f.url)) phase = firstPkg ? `pkg ${firstPkg}` : 'harness (signing, Requests)';
    }
    phase ??= pkg(leaf.url) ? `pkg ${pkg(leaf.url)}` : leaf.url.startsWith('node:') ? leaf.url : leaf.url ? leaf.url : `(native) ${leaf.functionName}`;
    phaseOf.set(id, phase);
    return phase;
  };
  const m = phases.get(label) ?? new Map<string, number>();
  phases.set(label, m);
  for (let i = 0; i < profile.samples.length; i++) {
    const p = classify(profile.samples[i]!);
    if (p === '(idle)') continue;
    const us = (profile.timeDeltas[i + 1] ?? 0) / turns;
    m.set(p, (m.get(p) ?? 0) + us);
    const d = details?.get(p);
    if (d) {
      const f = byId.get(profile.samples[i]!)!.callFrame;
      const leaf = `${f.functionName || '(anonymous)'} ${f.url.replace(/.*node_modules\//, '').replace(/.*\/(dist[^/]*)\//, '')}:${f.lineNumber + 1}`;
      d.set(leaf, (d.get(leaf) ?? 0) + us);
    }
  }
}

/**
 * The time a statement waited for a free connection of the pool (getConnection's queue) vs held it
 * (acquired → released: the statement on the wire, MariaDB's work and the reply's parse), by kind
 * (the audit INSERT apart from the reads), for the 360 view's question. Wraps mysql2's callback
 * pool under the promise wrapper: its query/execute take the connection synchronously, so the kind
 * of the statement asking is known when getConnection is called.
 */
function instrumentPool(pool: any) {
  type Kind = { n: number; waitMs: number; holdMs: number };
  let kinds = new Map<string, Kind>();
  let asking = 'other';
  const core = pool.pool;
  for (const name of ['query', 'execute'] as const) {
    const orig = core[name].bind(core);
    core[name] = (sql: any, ...rest: unknown[]) => {
      const text = typeof sql === 'string' ? sql : String(sql?.sql ?? '');
      asking = /^\s*INSERT INTO audit_logs/i.test(text) ? 'audit INSERT' : 'read';
      try {
        return orig(sql, ...rest);
      } finally {
        asking = 'other';
      }
    };
  }
  const get = core.getConnection.bind(core);
  core.getConnection = (cb: (err: unknown, conn: any) => void) => {
    const kind = asking;
    const t = performance.now();
    get((err: unknown, conn: any) => {
      const k = kinds.get(kind) ?? { n: 0, waitMs: 0, holdMs: 0 };
      kinds.set(kind, k);
      k.n++;
      k.waitMs += performance.now() - t;
      if (conn) {
        conn.__acquired = { at: performance.now(), k };
        if (!conn.__timed) {
          conn.__timed = true;
          const release = conn.release.bind(conn);
          conn.release = () => {
            conn.__acquired.k.holdMs += performance.now() - conn.__acquired.at;
            return release();
          };
        }
      }
      cb(err, conn);
    });
  };
  return () => {
    const s = kinds;
    kinds = new Map();
    return s;
  };
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
