/**
 * `npx tsx bench/chat-profile.ts --members N [--runs R] [--as USERID] [--explain] "<what staff types>" … [--timeline]`:
 * where one chat turn's time goes, for the intents bench:chat finds over their goal
 * (docs/benchmarks.md, "Chat turns"). Each message is said once untimed, then R times; the
 * script prints the turn's p50, and per statement (mysql2 pools and Prisma operations, counted
 * on this process's own clients) how often it ran per turn and its share of the time, slowest
 * first — with `--explain`, MariaDB's EXPLAIN of the slowest mysql2 statements. For the Node
 * CPU profile run it under `node --cpu-prof --import tsx`. Meant for reads and previews (writes
 * belong in bench:chat); the rows its turns append (inbox, audit, the bench segment's runs) are
 * put back by bench:chat's undo (chat-undo.ts) when it ends.
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { createBot } from '../src/bot/pipeline.ts';
import { loadConfig } from '../src/config.ts';
import { getIntent, intents } from '../src/intents/catalogue.ts';
import { createRouter } from '../src/intents/router/index.ts';
import { createServices } from '../src/services.ts';
import { countTurns, type TurnEvent } from './turn-counters.ts';
import { benchUrl, membersArg } from './support.ts';
import { takeMark, undo, type BenchScope } from './chat-undo.ts';

const argv = process.argv.slice(2);
const arg = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const members = membersArg(argv, 2000);
const runs = Number(arg('--runs') ?? 10);
const who = arg('--as') ?? 'admin_01';
const valued = new Set(['--members', '--runs', '--as', '--segments']);
const texts = argv.filter((a, i) => !a.startsWith('--') && !valued.has(argv[i - 1] ?? ''));

const services = createServices(loadConfig({ DATABASE_URL: benchUrl(members), LOG_LEVEL: 'silent', REDIS_PREFIX: `crm_bench_chat_${members}`, STAFF_ACTION_LIMIT: '1000000' }));
const counters = countTurns(services);

/** The median of each column. */
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : 0;
};

/**
 * The turn laid out in time (`--timeline`): each statement and Redis round trip of the turn, in
 * the order they started, with its median start (ms after the turn began) and duration, and how
 * much of the turn had nothing in flight (the process's own work — routing, rendering, Prisma,
 * the driver — and waiting for the CPU on a loaded machine).
 */
function timeline(turns: { t0: number; t1: number; events: TurnEvent[] }[]): void {
  const shapes = new Map<string, number>();
  for (const turn of turns) {
    const sig = turn.events.map((e) => e.key).join('\n');
    shapes.set(sig, (shapes.get(sig) ?? 0) + 1);
  }
  const common = [...shapes.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const same = turns.filter((t) => t.events.map((e) => e.key).join('\n') === common);
  console.log(`  timeline (${same.length} of ${turns.length} turns in this order; ms from the turn's start, p50):`);
  if (!same.length) return;
  same[0]!.events.forEach((e, i) => {
    const at = median(same.map((t) => t.events[i]!.start - t.t0));
    const took = median(same.map((t) => t.events[i]!.end - t.events[i]!.start));
    console.log(`  ${at.toFixed(1).padStart(8)} +${took.toFixed(1).padStart(6)}  ${e.key}`);
  });
  const idle = same.map((t) => {
    // Time with no statement or round trip in flight.
    const spans = t.events.map((e) => [e.start, e.end] as const).sort((a, b) => a[0] - b[0]);
    let covered = 0;
    let upTo = t.t0;
    for (const [s, e] of spans) {
      if (e <= upTo) continue;
      covered += e - Math.max(s, upTo);
      upTo = e;
    }
    return t.t1 - t.t0 - covered;
  });
  console.log(`  ${median(same.map((t) => t.t1 - t.t0)).toFixed(1).padStart(8)} ms the turn, of which ${median(idle).toFixed(1)} ms with nothing in flight (the process's own work)`);
}

const scope: BenchScope = { members: [0], ticketNo: null, segmentPrefix: arg('--segments') ?? 'bench', tag: 'bench', requestIds: new Set(), messageIds: new Set() };
const mark = await takeMark(services.sql, scope);
try {
  const bot = createBot({ services, router: createRouter(intents), getIntent });
  const say = async (text: string) => {
    const [messageId, requestId] = [randomUUID(), randomUUID()];
    scope.messageIds.add(messageId);
    scope.requestIds.add(requestId);
    const out = await bot({ channel: 'wecom', messageId, from: who, text, receivedAt: services.now(), requestId });
    if (out.kind !== 'answer') throw new Error(`no answer to ${text}: ${out.kind}`);
    return out.answer;
  };
  for (const text of texts) {
    const warm = await say(text);
    counters.reset();
    const times: number[] = [];
    const turns: { t0: number; t1: number; events: TurnEvent[] }[] = [];
    const cpu0 = process.cpuUsage();
    counters.on();
    for (let i = 0; i < runs; i++) {
      const from = counters.events.length;
      const t = performance.now();
      await say(text);
      const t1 = performance.now();
      times.push(t1 - t);
      turns.push({ t0: t, t1, events: counters.events.slice(from) });
    }
    counters.off();
    const cpu = process.cpuUsage(cpu0);
    times.sort((a, b) => a - b);
    const total = times.reduce((a, b) => a + b, 0);
    console.log(`\n«${text}» → ${warm.intent}: p50 ${times[Math.floor(runs / 2)]!.toFixed(1)} ms, max ${times[runs - 1]!.toFixed(1)} ms; Node CPU ${((cpu.user + cpu.system) / 1000 / runs).toFixed(1)} ms/turn (every thread); load ${loadavg()[0]!.toFixed(1)}`);
    const stats = new Map<string, { n: number; ms: number; sample: TurnEvent['sample'] }>();
    for (const e of counters.events) {
      const s = stats.get(e.key) ?? { n: 0, ms: 0, sample: e.sample };
      s.n++;
      s.ms += e.end - e.start;
      stats.set(e.key, s);
    }
    const rows = [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms);
    console.log(`  per turn: ${(counters.statements / runs).toFixed(1)} SQL statements (${(counters.prisma / runs).toFixed(1)} through Prisma), ${(counters.redisRoundTrips / runs).toFixed(1)} Redis round trips (${(counters.redisCommands / runs).toFixed(1)} commands); ${(rows.filter(([k]) => !/^(redis|bullmq) /.test(k)).reduce((a, [, s]) => a + s.ms, 0) / runs).toFixed(1)} ms/turn waiting on statements (of ${(total / runs).toFixed(1)})`);
    for (const [key, s] of rows.slice(0, 14)) console.log(`  ${(s.ms / runs).toFixed(1).padStart(8)} ms ${(s.n / runs).toFixed(1).padStart(5)}×  ${key}`);
    if (argv.includes('--timeline')) timeline(turns);
    if (argv.includes('--explain')) {
      for (const [key, s] of rows.filter(([k]) => /^(sql|readSql) /.test(k)).slice(0, 3)) {
        if (!/^\s*(SELECT|WITH)/i.test(s.sample.sql)) continue;
        const [plan] = await services.sql.query<any[]>(`EXPLAIN ${s.sample.sql}`, s.sample.params as any).catch(() => [[]] as any);
        console.log(`  EXPLAIN ${key.slice(0, 80)}`);
        for (const p of plan) console.log(`    ${[p.table, p.type, p.key, p.rows, p.Extra].join(' | ')}`);
      }
    }
  }
} finally {
  counters.off();
  const done = await undo(services.sql, services.redis, `crm_bench_chat_${members}`, scope, mark);
  console.log(`put back: ${Object.entries(done).map(([k, n]) => `${k} ${n}`).join(', ') || 'nothing'}`);
  await services.close();
}
