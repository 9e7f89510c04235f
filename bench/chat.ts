/**
 * `npm run bench:chat -- [--members N] [--runs R] [--as USERID] [--budget S] [--rescore] [--only a,b]`:
 * p50/p95 of every staff intent of the catalogue through the real bot pipeline (inbox claim,
 * identify, route with the shipped router, gates, confirmation, execute, render — no HTTP), each
 * beside a primary-key lookup of one member timed alternately with it in the same run
 * (docs/benchmarks.md). Seeds crm_bench_<size> (or BENCH_DATABASE_URL) when its size differs,
 * and runs the scoring once when the database has no scoring run (or with --rescore).
 * Goals at 1M members: every intent p95 ≤ 300 ms; lookups, summary, orders and tag
 * turns ≤ 15 ms. The bench's writes (tags added then removed, tickets and interactions
 * logged, ±1 point, a ticket's status, its segments, inbox and audit rows) are put back when it
 * ends (chat-undo.ts), so it runs on the shared bench databases; it prints whether the rows in
 * its scope are as it found them. Sends (recall, export, batch tags, transfers) are only previewed.
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { createBot } from '../src/bot/pipeline.ts';
import type { BotAnswer, HandleMessage } from '../src/bot/types.ts';
import { loadConfig } from '../src/config.ts';
import { openPhone } from '../src/crm/customers/index.ts';
import { createSegment, listSegments, runScoring } from '../src/crm/insights/index.ts';
import { parsePhrase } from '../src/intents/parse/segment-phrase.ts';
import { activeStaffActor, type StaffAccess } from '../src/crm/kernel/index.ts';
import { getIntent, intents } from '../src/intents/catalogue.ts';
import { createRouter } from '../src/intents/router/index.ts';
import { createServices } from '../src/services.ts';
import { benchDatabase, benchUrl, membersArg } from './support.ts';
import { fingerprint, takeMark, undo, type BenchScope, type Mark } from './chat-undo.ts';
import { countTurns } from './turn-counters.ts';

const argv = process.argv.slice(2);
const arg = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const members = membersArg(argv, 2000);
const runs = Number(arg('--runs') ?? 30);
if (!Number.isInteger(runs) || runs < 5) throw new Error('--runs R: an integer ≥ 5');
/** Seconds of timed turns an intent may take at most: a slow intent gets fewer runs (at least 5). */
const budgetMs = Number(arg('--budget') ?? 20) * 1000;
const who = arg('--as') ?? 'admin_01';
const only = arg('--only')?.split(',');

const sql = await benchDatabase(members);
await sql.end();
const REDIS_PREFIX = `crm_bench_chat_${members}`;
const services = createServices(loadConfig({ DATABASE_URL: benchUrl(members), LOG_LEVEL: 'silent', REDIS_PREFIX, STAFF_ACTION_LIMIT: '1000000' }));
// Statements (SQL, Prisma) and Redis round trips of the timed turns, per intent (bench/turn-counters.ts).
const counters = countTurns(services);
let scope: BenchScope | null = null;
let mark: Mark | null = null;
let before = '';
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
try {
  const actor = await activeStaffActor(services, who);
  if (!actor) throw new Error(`no active staff member ${who}`);
  const access: StaffAccess = { actor, services, channel: 'console', requestId: 'bench-chat' };

  const [[scored]] = await services.sql.query<any[]>("SELECT COUNT(*) AS n FROM model_runs WHERE kind = 'scores'");
  if (Number(scored.n) === 0 || argv.includes('--rescore')) {
    const t = performance.now();
    await runScoring(access);
    process.stderr.write(`scoring run: ${((performance.now() - t) / 1000).toFixed(1)} s (load ${load()})\n`);
  }

  // A deterministic spread of the actor's members; an open ticket; a saved dynamic segment.
  const [sampled] = await services.sql.query<any[]>(
    `SELECT id, phone_enc, member_no FROM members WHERE status = 'active' AND MOD(id, ?) = 0 ${actor.storeIds.length < 3 ? 'AND home_store_id IN (?)' : ''} ORDER BY id LIMIT ?`,
    [Math.max(Math.floor(members / (runs * 4)), 1), ...(actor.storeIds.length < 3 ? [actor.storeIds] : []), runs * 2],
  );
  const sample = sampled.map((m) => ({ id: Number(m.id), phone: openPhone(m.phone_enc), memberNo: String(m.member_no) }));
  const [[ticket]] = await services.sql.query<any[]>("SELECT ticket_no, member_id FROM tickets WHERE status IN ('open', 'in_progress') ORDER BY id LIMIT 1");
  const SEGMENT = 'bench高价值沉睡会员';
  // Everything the bench writes from here on is in this scope, and put back in the finally below.
  scope = {
    members: [...new Set([...sample.map((m) => m.id), ...(ticket ? [Number(ticket.member_id)] : [])])],
    ticketNo: ticket ? String(ticket.ticket_no) : null,
    segmentPrefix: 'bench',
    tag: 'bench',
    requestIds: new Set([access.requestId]),
    messageIds: new Set(),
  };
  before = await fingerprint(services.sql, scope);
  mark = await takeMark(services.sql, scope);
  if (!(await listSegments(access)).some((s) => s.name === SEGMENT)) {
    const t = performance.now();
    await createSegment(access, { name: SEGMENT, kind: 'dynamic', visibility: 'global', tree: parsePhrase('最近90天没消费 且 累计消费大于2000', services.now()).tree });
    process.stderr.write(`segment ${SEGMENT} created in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  }

  const bot: HandleMessage = createBot({ services, router: createRouter(intents), getIntent });
  const say = async (text: string): Promise<BotAnswer> => {
    const [messageId, requestId] = [randomUUID(), randomUUID()];
    scope!.messageIds.add(messageId);
    scope!.requestIds.add(requestId);
    const out = await bot({ channel: 'wecom', messageId, from: who, text, receivedAt: services.now(), requestId });
    if (out.kind !== 'answer') throw new Error(`no answer to ${text}: ${out.kind}`);
    return out.answer;
  };
  const pick = (i: number) => sample[i % sample.length]!;
  const pk = (i: number) => services.db.member.findUnique({ where: { id: pick(i).id } });
  let made = 0;

  /** One staff request per intent: [intent, what staff types (i = run), untimed turn before it, goal p95 ms]. */
  const cases: [string, (i: number) => string, ((i: number) => string) | null, number][] = [
    ['help', () => '帮助', null, 300],
    ['member.lookup', (i) => `查一下 ${pick(i).phone}`, null, 15],
    ['member.summary', (i) => `${pick(i).memberNo} 详情`, null, 15],
    ['member.orders', (i) => `${pick(i).phone} 最近买了什么`, null, 15],
    ['member.level', (i) => `${pick(i).phone} 是什么等级`, null, 15],
    ['member.tickets', (i) => `${pick(i).phone} 的工单`, null, 15],
    ['member.interactions', (i) => `${pick(i).phone} 的互动记录`, null, 15],
    ['tag.add', (i) => `给 ${pick(i).phone} 打标签 bench`, null, 15],
    ['tag.remove', (i) => `去掉 ${pick(i).phone} 的 bench 标签`, null, 15],
    ['churn.list', () => '本店流失预警名单', null, 300],
    ['insights.rfm', () => '本店RFM分布', null, 300],
    ['insights.health', () => '本店会员健康度', null, 300],
    ['segment.count', () => `人群包 ${SEGMENT} 有多少人`, null, 300],
    ['segment.create', () => `创建人群包 bench建包${Date.now()}x${made++}：等级=5 且 最近30天消费>500元`, null, 300],
    ['segment.export', () => `导出人群包 ${SEGMENT}`, null, 300],
    ['members.query', () => '本店有多少会员', null, 300],
    ['tag.batch', () => '给流失名单打标签 流失风险', null, 300],
    ['recall.launch', () => '给本店高风险流失会员发召回券', null, 300],
    ['recall.status', () => '召回做得怎么样了', null, 300],
    ['recall.list', () => '召回列表', null, 300],
    ['recall.stop', () => '停止召回 1', null, 300],
    ['points.adjust', (i) => `给 ${pick(i).phone} 加 1 积分 原因 消费奖励`, null, 300],
    ['action.confirm', () => '确认', (i) => `${pick(i).phone} 扣 1 积分 原因 bench`, 300],
    ['action.cancel', () => '取消', (i) => `给 ${pick(i).phone} 加 1 积分 原因 bench`, 300],
    ['interaction.log', (i) => `记录 ${pick(i).phone} 来电咨询包间预订`, null, 300],
    ['ticket.create', (i) => `给 ${pick(i).phone} 建工单 包间空调坏了`, null, 300],
    ['ticket.update', () => `把 ${ticket?.ticket_no ?? 'T20261121000001'} 改为处理中`, null, 300],
    ['koc.stats', () => '本店KOC排行 前10', null, 300],
    ['work.today', () => '今天要回访谁', null, 300],
    ['smalltalk', () => '谢谢', null, 300],
    ['insights.models', () => '模型效果', null, 300],
    ['sync.status', () => '同步状态', null, 300],
    ['contacts.transfer', () => '把黄丽的客户转给李娜', null, 300],
  ];
  const staffIntents = intents.filter((i) => i.audience === 'staff').map((i) => i.name);
  const missing = staffIntents.filter((n) => !cases.some(([c]) => c === n));
  if (missing.length) process.stderr.write(`staff intents without a bench case: ${missing.join(', ')}\n`);
  // The bench tag, so tag.add/remove never touch the demo's own tags.
  await services.sql.query("INSERT IGNORE INTO tags (name, category, description, created_at) VALUES ('bench', 'value', 'bench:chat', NOW(3))");

  const q = (t: number[], p: number) => t[Math.min(t.length - 1, Math.ceil(p * t.length) - 1)]!;
  const ms = (v: number) => `${v >= 100 ? v.toFixed(0) : v.toFixed(1)}`.padStart(8);
  console.log(`\nbench:chat — ${members.toLocaleString('en-US')} members, as ${who} (${actor.role}, ${actor.storeIds.length} stores), up to ${runs} runs per intent after one warm-up turn`);
  console.log('baseline: a primary-key lookup of one member (prisma findUnique), timed alternately with each turn; load = 1-minute load average after the intent');
  console.log('sql/turn = SQL statements (transaction control and Prisma operations included), commits/turn (explicit COMMITs and autocommitted writes), redis/turn = Redis round trips, cpu = Node CPU ms (user+system of this process) — all per timed turn');
  console.log(`${'intent'.padEnd(20)}${'n'.padStart(4)}${'p50'.padStart(8)}${'p95'.padStart(8)}${'base50'.padStart(8)}${'base95'.padStart(8)}${'×p95'.padStart(8)}  goal       load sql/turn commits redis/turn  cpu50  cpu95  routed`);
  const summary: string[] = [];
  for (const [name, say_, before, goal] of cases) {
    if (only && !only.includes(name)) continue;
    if (before) await say(before(runs));
    const warm = await say(say_(runs + 1)); // warm-up: connections, plans, caches
    const t: number[] = [];
    const b: number[] = [];
    const cpu: number[] = [];
    counters.reset();
    const routed = new Set<string>([warm.intent]);
    const start = performance.now();
    for (let i = 0; i < runs; i++) {
      if (i >= 5 && performance.now() - start > budgetMs) break;
      let s = performance.now();
      await pk(runs - 1 - i);
      b.push(performance.now() - s);
      if (before) await say(before(i));
      const text = say_(i);
      counters.on();
      const c0 = process.cpuUsage();
      s = performance.now();
      const a = await say(text);
      t.push(performance.now() - s);
      const c1 = process.cpuUsage(c0);
      cpu.push((c1.user + c1.system) / 1000);
      counters.off();
      routed.add(a.intent);
    }
    t.sort((x, y) => x - y);
    b.sort((x, y) => x - y);
    cpu.sort((x, y) => x - y);
    const p95 = q(t, 0.95);
    const ok = p95 <= goal ? 'ok  ' : 'OVER';
    const route = routed.size === 1 && routed.has(name) ? '' : `→ ${[...routed].join(',')}`;
    const line = `${name.padEnd(20)}${String(t.length).padStart(4)}${ms(q(t, 0.5))}${ms(p95)}${ms(q(b, 0.5))}${ms(q(b, 0.95))}${(p95 / q(b, 0.95)).toFixed(1).padStart(8)}  ≤${String(goal).padEnd(4)}${ok} ${load().split(' ')[0]!.padStart(5)}${(counters.statements / t.length).toFixed(1).padStart(9)}${(counters.commits / t.length).toFixed(1).padStart(8)}${(counters.redisRoundTrips / t.length).toFixed(1).padStart(11)}${q(cpu, 0.5).toFixed(1).padStart(7)}${q(cpu, 0.95).toFixed(1).padStart(7)}  ${route}`;
    console.log(line);
    summary.push(line);
  }
  console.log(`load average at the end: ${load()}`);
  // Any action still held is cancelled (its rows are the bench's too, put back below).
  await say('取消').catch(() => {});
} finally {
  if (scope && mark) {
    const t = performance.now();
    const done = await undo(services.sql, services.redis, REDIS_PREFIX, scope, mark);
    const after = await fingerprint(services.sql, scope);
    console.log(`put back in ${((performance.now() - t) / 1000).toFixed(1)} s: ${Object.entries(done).map(([k, n]) => `${k} ${n}`).join(', ') || 'nothing'}`);
    console.log(after === before ? 'database left as found: every row in the bench\'s scope equals what it was before the first turn' : `database NOT as found:\n  before ${before}\n  after  ${after}`);
    if (after !== before) process.exitCode = 1;
  }
  await services.close();
}
