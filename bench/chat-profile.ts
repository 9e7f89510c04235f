/**
 * `npx tsx bench/chat-profile.ts --members N [--runs R] [--as USERID] [--explain] "<what staff types>" …`:
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
import { createServices, type Services } from '../src/services.ts';
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

interface Stat {
  n: number;
  ms: number;
  sample: { sql: string; params: unknown };
}
const stats = new Map<string, Stat>();
let counting = false;
const note = (key: string, ms: number, sample: Stat['sample']) => {
  if (!counting) return;
  const s = stats.get(key) ?? { n: 0, ms: 0, sample };
  s.n++;
  s.ms += ms;
  stats.set(key, s);
};
const shape = (sql: string) => sql.replace(/\s+/g, ' ').replace(/\(\?(, \?)*\)/g, '(…)').slice(0, 160);

/** Times every query of a mysql2 pool, and of the connections it lends. */
function watchPool(pool: Services['sql'], label: string) {
  const wrap = (target: any) => {
    for (const fn of ['query', 'execute'] as const) {
      const orig = target[fn].bind(target);
      target[fn] = async (sql: any, params?: any) => {
        const text = typeof sql === 'string' ? sql : sql.sql;
        const t = performance.now();
        try {
          return await orig(sql, params);
        } finally {
          note(`${label} ${shape(text)}`, performance.now() - t, { sql: text, params });
        }
      };
    }
  };
  wrap(pool);
  const get = pool.getConnection.bind(pool);
  (pool as any).getConnection = async () => {
    const c = await get();
    if (!(c as any).__watched) {
      wrap(c);
      (c as any).__watched = true;
    }
    return c;
  };
}

const services = createServices(loadConfig({ DATABASE_URL: benchUrl(members), LOG_LEVEL: 'silent', REDIS_PREFIX: `crm_bench_chat_${members}`, STAFF_ACTION_LIMIT: '1000000' }));
watchPool(services.sql, 'sql');
if (services.readSql !== services.sql) watchPool(services.readSql, 'readSql');
(services as any).db = services.db.$extends({
  query: {
    async $allOperations({ model, operation, args, query }: any) {
      const t = performance.now();
      try {
        return await query(args);
      } finally {
        note(`prisma ${model ?? ''}.${operation}`, performance.now() - t, { sql: `${model}.${operation}`, params: args });
      }
    },
  },
});
const redisCalls = { n: 0 };
const sendCommand = services.redis.sendCommand.bind(services.redis);
(services.redis as any).sendCommand = (...a: any[]) => {
  if (counting) redisCalls.n++;
  return sendCommand(...(a as [any]));
};

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
    stats.clear();
    redisCalls.n = 0;
    const times: number[] = [];
    const cpu0 = process.cpuUsage();
    counting = true;
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await say(text);
      times.push(performance.now() - t);
    }
    counting = false;
    const cpu = process.cpuUsage(cpu0);
    times.sort((a, b) => a - b);
    const total = times.reduce((a, b) => a + b, 0);
    console.log(`\n«${text}» → ${warm.intent}: p50 ${times[Math.floor(runs / 2)]!.toFixed(1)} ms, max ${times[runs - 1]!.toFixed(1)} ms; Node CPU ${((cpu.user + cpu.system) / 1000 / runs).toFixed(1)} ms/turn; Redis commands ${(redisCalls.n / runs).toFixed(1)}/turn; load ${loadavg()[0]!.toFixed(1)}`);
    const rows = [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms);
    const stmts = rows.reduce((a, [, s]) => a + s.n, 0);
    console.log(`  ${(stmts / runs).toFixed(1)} statements/turn, ${(rows.reduce((a, [, s]) => a + s.ms, 0) / runs).toFixed(1)} ms/turn waiting on them (of ${(total / runs).toFixed(1)})`);
    for (const [key, s] of rows.slice(0, 12)) console.log(`  ${(s.ms / runs).toFixed(1).padStart(8)} ms ${(s.n / runs).toFixed(1).padStart(5)}×  ${key}`);
    if (argv.includes('--explain')) {
      for (const [key, s] of rows.filter(([k]) => !k.startsWith('prisma')).slice(0, 3)) {
        if (!/^\s*(SELECT|WITH)/i.test(s.sample.sql)) continue;
        const [plan] = await services.sql.query<any[]>(`EXPLAIN ${s.sample.sql}`, s.sample.params as any).catch(() => [[]] as any);
        console.log(`  EXPLAIN ${key.slice(0, 80)}`);
        for (const p of plan) console.log(`    ${[p.table, p.type, p.key, p.rows, p.Extra].join(' | ')}`);
      }
    }
  }
} finally {
  counting = false;
  const done = await undo(services.sql, services.redis, `crm_bench_chat_${members}`, scope, mark);
  console.log(`put back: ${Object.entries(done).map(([k, n]) => `${k} ${n}`).join(', ') || 'nothing'}`);
  await services.close();
}
