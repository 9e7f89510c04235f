/**
 * `npm run bench:sync -- [--members N] [--changes C] [--rate R] [--p5xx P] [--ptimeout P] [--timeout-ms T]
 *   [--edit-lanes E] [--order-lanes O] [--max-produce-s S] [--backlog B]`: the
 * 卫瓴 sync end to end (docs/sync.md). C changes (default 100,000: half member edits through
 * customers' updateMemberProfile, half orders through lifecycle's recordOrderBatch, 250 a
 * batch) are committed at about R a second (default 600) while the sync worker runs as the job
 * does (runSyncTick in a loop, 500 ms apart — WEILING_SYNC_EVERY_MS's floor) against the fake
 * 卫瓴 (test/fakes/weiling.ts) with faults injected the whole time: random HTTP 500s and
 * timeouts (a timed-out call is applied but never answered), every token expired every 20 s,
 * and UI edits in 卫瓴 whose callbacks arrive twice and, after them, an older one (out of order).
 *
 * Prints: end-to-end lag p50/p95/max (change committed → applied on the fake: a member edit
 * counts as applied when the fake receives that name or a later one of the member — several
 * edits of a member collapse into one push by design —, an order when its timeline entry
 * arrives), changes lost (never applied: goal 0), duplicates on the other side (a timeline entry
 * twice, two contacts of one member: goal 0), the inbound events' fate, and throughput beside a
 * same-run baseline on equal terms: after the run, the worker stopped, B changes committed as a
 * backlog, the worker alone drains it flat out, and exactly the calls it made in that window are
 * replayed with plain fetch at the same concurrency against the same fake (faults off, no
 * database, no limiter). Producing stops at C or after S seconds (the figures say how many were
 * committed). Prints, never asserts; the load average beside every figure.
 *
 * Uses its own database (crm_bench_sync_<N>, or BENCH_DATABASE_URL), seeded with the demo
 * seeder when it does not hold N members; its sync tables and change feed are emptied at the
 * start (the fake starts empty). The orders and names it writes stay (the database is the
 * bench's own). Changes no server setting. The fake runs in this process (one event loop with
 * the worker and the producers): the figures are a floor of what a separate 卫瓴 would allow.
 */
process.env.BENCH_BUFFER_POOL_GB ??= '0';
process.env.BENCH_REDO_LOG_GB ??= '0';
import { execSync } from 'node:child_process';
import type { RowDataPacket } from 'mysql2/promise';
import { loadConfig } from '../src/config.ts';
import { consoleAccess, updateMemberProfile } from '../src/crm/customers/index.ts';
import { recordOrderBatch } from '../src/crm/lifecycle/index.ts';
import { backfillMembers, receiveEvents, runSyncTick } from '../src/crm/sync/index.ts';
import { createWeilingSync, parseWeilingCallback } from '../src/integrations/weiling/index.ts';
import { createServices } from '../src/services.ts';
import { startFakeWeiling } from '../test/fakes/weiling.ts';
import { benchDatabase, membersArg, numberArg } from './support.ts';

const argv = process.argv.slice(2);
const members = membersArg(argv, 5000);
const changes = numberArg('--changes', 100_000);
const rate = numberArg('--rate', 600);
const p5xx = numberArg('--p5xx', 0.005);
const pTimeout = numberArg('--ptimeout', 0.002);
const editLanes = numberArg('--edit-lanes', 8);
const orderLanes = numberArg('--order-lanes', 2);
/** Producing stops after this many seconds even short of C (0: never); the figures say how many were committed. */
const maxProduceS = numberArg('--max-produce-s', 0);
/** The client's per-call timeout (production: 10 s); short so the injected hangs resolve fast — on a loaded machine slow answers time out too. */
const TIMEOUT_MS = numberArg('--timeout-ms', 2000);
const ORDER_BATCH = 250;
const load = () => execSync('uptime').toString().trim().replace(/.*load average: /, 'load ');
const say = (s: string) => process.stderr.write(`${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A deadlock between the producers (edits and order batches lock the same member rows) is retried, as a client would. */
const retried = async <T>(fn: () => Promise<T>): Promise<T> => {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i >= 5 || !/deadlock|P2034|P2028|1213|write conflict|expired transaction/i.test(String((e as Error).message ?? e) + String((e as { code?: string }).code ?? ''))) throw e;
      await sleep(50 * (i + 1));
    }
  }
};

process.env.BENCH_DATABASE_URL ??= `mysql://root@127.0.0.1:3306/crm_bench_sync_${members}`;
const url = process.env.BENCH_DATABASE_URL;
const sql = await benchDatabase(members);
for (const t of ['sync_state', 'sync_ledger', 'sync_id_map', 'sync_inbound_events', 'sync_failures', 'sync_conflicts', 'change_feed']) await sql.query(`DELETE FROM ${t}`);

// What the fake applied, and when (the benchmark's clock of the other side).
const NAME = /^压测(\d+)$/;
const memberApplied = new Map<string, { seq: number; t: number }[]>(); // by contact id
const contactMember = new Map<string, string>(); // contact id → member number
const orderApplied = new Map<string, number>(); // order number → first arrival
const timelineCount = new Map<string, number>();
let measuring = true;
const fake = await startFakeWeiling({
  onApply(path, body) {
    if (!measuring) return;
    const t = Date.now();
    if (path === '/openapi/contact/create' || path === '/openapi/contact/edit') {
      const m = NAME.exec(String(body.user_name ?? ''));
      if (m) {
        const id = path === '/openapi/contact/edit' ? String(body.contact_id) : `@${body.contact_custom?.crm_member_no}`;
        memberApplied.set(id, [...(memberApplied.get(id) ?? []), { seq: Number(m[1]), t }]);
      }
    } else if (path === '/openapi/third/add_thirdid') contactMember.set(String(body.inner_user_id), String(body.third_id));
    else if (path === '/openapi/v2/event/create') {
      for (const e of body.event_list as { content: string }[]) {
        const key = /#crm:(\S+)$/.exec(e.content)?.[1] ?? '';
        timelineCount.set(key, (timelineCount.get(key) ?? 0) + 1);
        if (key.startsWith('order:') && !orderApplied.has(key.slice(6))) orderApplied.set(key.slice(6), t);
      }
    }
  },
});

const services = createServices(
  loadConfig({
    ...process.env,
    DATABASE_URL: url,
    LOG_LEVEL: 'silent',
    REDIS_PREFIX: `crm_bench_sync_${process.pid}`,
    WEILING_API_BASE: fake.url,
    WEILING_APP_ID: fake.appId,
    WEILING_APP_SECRET: fake.appSecret,
    // The fake has no limit of its own; the limiter still runs (one Redis call per HTTP call).
    WEILING_RATE_PER_MINUTE: '6000000',
    WEILING_RECONCILE_MINUTES: '0',
  }),
);
const sync = createWeilingSync(services, { timeoutMs: TIMEOUT_MS })!;
const admin = await consoleAccess(services, 'admin_01');
const [memberRows] = await sql.query<RowDataPacket[]>("SELECT id, member_no FROM members WHERE status <> 'deleted' ORDER BY id");
const [storeRows] = await sql.query<RowDataPacket[]>('SELECT code FROM stores ORDER BY id');
say(`${memberRows.length} members, ${storeRows.length} stores; worker concurrency ${sync.ctx.concurrency}; faults: ${(p5xx * 100).toFixed(1)} % HTTP 500, ${(pTimeout * 100).toFixed(1)} % timeouts (${TIMEOUT_MS} ms), tokens expired every 20 s, duplicated and out-of-order callbacks; ${load()}`);

// The worker, as the job runs it.
let workerOn = true;
let ticks = 0;
const worker = (async () => {
  while (workerOn) {
    await runSyncTick(sync.ctx, sync.parse, { reconcileEveryMs: 0 }).catch((e) => say(`tick failed: ${e}`));
    ticks++;
    await sleep(500);
  }
})();

// Set-up: the first sync (every member pushed), then the names the edits start from.
let t0 = Date.now();
const backfilled = await backfillMembers(services);
const drained = async (maxMs: number) => {
  const until = Date.now() + maxMs;
  for (;;) {
    const [[row]] = await sql.query<RowDataPacket[]>("SELECT (SELECT COUNT(*) FROM change_feed WHERE id > COALESCE((SELECT CAST(`cursor` AS UNSIGNED) FROM sync_state WHERE connection = 'weiling' AND stream = 'outbound'), 0)) AS pending, (SELECT COUNT(*) FROM sync_failures WHERE status <> 'resolved') AS failing");
    if (Number(row?.pending) === 0 && Number(row?.failing) === 0) return true;
    if (Date.now() > until) return false;
    await sleep(500);
  }
};
await drained(600_000);
say(`first sync: ${backfilled} members in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${load()}`);
fake.randomFaults({ p5xx, pTimeout });

// The producers: member edits (name 压测<seq>) and order batches, at `rate` changes/s together.
const committed: { kind: 'member' | 'order'; key: string; seq: number; t: number }[] = [];
let seq = 0;
let rnd = 42;
const random = () => ((rnd = (rnd * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const run = `SY${Date.now().toString(36)}`;
let orderSeq = 0;
/** Commits `count` changes (half member edits on `editLanes` lanes, half orders in batches of 250 on `orderLanes`), at `perSecond` (0: as fast as they go), for at most `maxS` seconds. */
const produce = async (count: number, perSecond: number, into: typeof committed, maxS = 0) => {
  const until = maxS > 0 ? Date.now() + maxS * 1000 : Infinity;
  const edits = Math.floor(count / 2);
  const orders = count - edits;
  const start = Date.now();
  const paced = async (done: number, share: number) => {
    if (!perSecond) return;
    const due = start + (done / (perSecond * share)) * 1000;
    if (due > Date.now()) await sleep(due - Date.now());
  };
  let editsDone = 0;
  let ordersDone = 0;
  const editLane = async () => {
    for (;;) {
      const i = editsDone++;
      if (i >= edits || Date.now() > until) return;
      await paced(i, edits / count);
      const m = memberRows[Math.floor(random() * memberRows.length)]!;
      const s = ++seq;
      await retried(() => updateMemberProfile(admin, Number(m.id), { name: `压测${s}` }));
      into.push({ kind: 'member', key: String(m.member_no), seq: s, t: Date.now() });
    }
  };
  const orderLane = async () => {
    while (ordersDone < orders && Date.now() <= until) {
      const n = Math.min(ORDER_BATCH, orders - ordersDone);
      const from = ordersDone;
      ordersDone += n;
      await paced(from, orders / count);
      const batch = Array.from({ length: n }, () => ({
        memberNo: String(memberRows[Math.floor(random() * memberRows.length)]!.member_no),
        orderNo: `${run}-${orderSeq++}`,
        storeCode: String(storeRows[Math.floor(random() * storeRows.length)]!.code),
        amount: (10 + Math.floor(random() * 9000) / 100).toFixed(2),
        paidAt: new Date(Date.now() - 60_000).toISOString(),
        paymentMethod: 'wechat',
        items: [{ name: '拿铁', qty: 1, price: '10.00' }],
      }));
      const out = await retried(() => recordOrderBatch(admin, batch));
      const t = Date.now();
      for (const r of out) if (r.status === 201) into.push({ kind: 'order', key: String(r.orderNo), seq: 0, t });
    }
  };
  await Promise.all([...Array.from({ length: editLanes }, editLane), ...Array.from({ length: orderLanes }, orderLane)]);
};
// Faults that are not per call: tokens expired; UI edits in 卫瓴 with duplicated and late callbacks.
const inbound = { sent: 0, envelopes: 0, stored: 0 };
let faultsOn = true;
const faultLane = async () => {
  let n = 0;
  while (faultsOn) {
    await sleep(1000);
    if (++n % 20 === 0) fake.expireTokens();
    const ids = [...fake.contacts.keys()];
    const id = ids[Math.floor(random() * ids.length)]!;
    const env = fake.editInUi(id, { gender: 1 + (n % 2) });
    const older = fake.envelope('contact_update', { contact_id: id }, Number(env.header.time_stamp) - 60_000);
    for (const e of [env, env, older]) {
      const p = parseWeilingCallback(JSON.stringify(e), fake.appId);
      if (!p.ok) continue;
      inbound.envelopes++;
      inbound.stored += (await receiveEvents(services, sync.ctx.connector.name, [p.event])).stored;
    }
    inbound.sent++;
  }
};

let progress = true;
const progressLane = (async () => {
  while (progress) {
    await sleep(15_000);
    if (!progress) break;
    say(`  ${((Date.now() - t0) / 1000).toFixed(0)} s: committed ${committed.length}, orders applied ${orderApplied.size}, calls ${fake.calls.length}; ${load()}`);
  }
})();
const faults = faultLane();
t0 = Date.now();
const callsBefore = fake.calls.length; // the first sync's calls are not the run's
await produce(changes, rate, committed, maxProduceS);
const produceS = (Date.now() - t0) / 1000;
say(`produced ${committed.length} changes in ${produceS.toFixed(1)} s (${(committed.length / produceS).toFixed(0)}/s); ${load()}`);

// Drain: until every change is applied over there (failures retry with backoff: 30 s, 60 s …).
const lastSeq = new Map<string, number>();
for (const c of committed) if (c.kind === 'member') lastSeq.set(c.key, Math.max(lastSeq.get(c.key) ?? 0, c.seq));
const memberOf = (contactId: string) => (contactId.startsWith('@') ? contactId.slice(1) : contactMember.get(contactId));
const appliedByMember = () => {
  const out = new Map<string, { seq: number; t: number }[]>();
  for (const [cid, list] of memberApplied) {
    const m = memberOf(cid);
    if (m) out.set(m, [...(out.get(m) ?? []), ...list]);
  }
  for (const l of out.values()) l.sort((a, b) => a.t - b.t);
  return out;
};
const allApplied = () => {
  const by = appliedByMember();
  for (const [m, s] of lastSeq) if (!(by.get(m) ?? []).some((a) => a.seq >= s)) return false;
  return committed.every((c) => c.kind !== 'order' || orderApplied.has(c.key));
};
const drainStart = Date.now();
while (!allApplied() && Date.now() - drainStart < 15 * 60_000) await sleep(1000);
const endT = Date.now();
faultsOn = false;
await faults;
fake.randomFaults({ p5xx: 0, pTimeout: 0 });
await drained(120_000);
workerOn = false;
progress = false;
await worker;
await progressLane;

// Lag per change: the first arrival over there of this value or a later one of the member.
const by = appliedByMember();
const lags: number[] = [];
let lost = 0;
const edits = new Map<string, { seq: number; t: number }[]>();
for (const c of committed) if (c.kind === 'member') edits.set(c.key, [...(edits.get(c.key) ?? []), c]);
for (const [m, list] of edits) {
  const applied = by.get(m) ?? [];
  list.sort((a, b) => a.seq - b.seq);
  let j = 0;
  let max = 0;
  for (const c of list) {
    while (max < c.seq && j < applied.length) max = Math.max(max, applied[j++]!.seq);
    if (max >= c.seq) lags.push(applied[j - 1]!.t - c.t);
    else lost++;
  }
}
for (const c of committed) {
  if (c.kind !== 'order') continue;
  const t = orderApplied.get(c.key);
  if (t === undefined) lost++;
  else lags.push(t - c.t);
}
lags.sort((a, b) => a - b);
const pct = (p: number) => (lags.length ? lags[Math.min(lags.length - 1, Math.floor((p / 100) * lags.length))]! / 1000 : NaN);
const dupTimeline = [...timelineCount.values()].filter((n) => n > 1).length;
const contactsPerMember = new Map<string, number>();
for (const c of fake.contacts.values()) if (!c.discarded) contactsPerMember.set(String(c.contact_custom.crm_member_no), (contactsPerMember.get(String(c.contact_custom.crm_member_no)) ?? 0) + 1);
const dupContacts = [...contactsPerMember.values()].filter((n) => n > 1).length;
const [evRows] = await sql.query<RowDataPacket[]>("SELECT status, COUNT(*) AS n FROM sync_inbound_events GROUP BY status");
const [[fails]] = await sql.query<RowDataPacket[]>('SELECT COUNT(*) AS n, SUM(attempts) AS attempts FROM sync_failures');
const faultCalls = fake.calls.filter((c) => c.status === 500).length;
const syncCalls = fake.calls.slice(callsBefore).filter((c) => c.path !== '/openapi/token' && c.status === 200 && c.body !== undefined); // answered and applied (an expired token's call is answered 42001 before its body is read)
const syncS = (endT - t0) / 1000;

const editsCommitted = committed.filter((c) => c.kind === 'member').length;
say(`\nchanges committed ${committed.length} of ${changes} asked (${editsCommitted} member edits, ${committed.length - editsCommitted} orders) at ${(committed.length / produceS).toFixed(0)}/s over ${produceS.toFixed(0)} s`);
say(`end-to-end lag (committed → applied on the fake): p50 ${pct(50).toFixed(2)} s, p95 ${pct(95).toFixed(2)} s, max ${pct(100).toFixed(2)} s (goal p95 ≤ 60 s)`);
say(`changes lost: ${lost} (goal 0); duplicates over there: ${dupTimeline} timeline entries, ${dupContacts} members with two contacts (goal 0)`);
say(`faults met: ${faultCalls} HTTP 500, ${fake.calls.length - faultCalls - syncCalls.length} other (timeouts are among the applied calls), ${fake.tokensIssued} tokens issued; sync_failures: ${fails?.n} objects, ${fails?.attempts ?? 0} failed attempts`);
say(`inbound: ${inbound.sent} UI edits, ${inbound.envelopes} callbacks delivered, ${inbound.stored} stored (duplicates dropped); ${evRows.map((r) => `${r.status} ${r.n}`).join(', ')}`);
say(`sync while producing: ${syncCalls.length} API calls in ${syncS.toFixed(1)} s (producing + draining, ${ticks} ticks; paced by the producers, so not a capacity) = ${(syncCalls.length / syncS).toFixed(0)} calls/s, ${(committed.length / syncS).toFixed(0)} changes/s; ${load()}`);

// Throughput of the worker beside the raw calls, on equal terms: the worker stopped, a backlog
// committed (faults off), then the worker alone drains it flat out (ticks back to back, no
// producers), and the very calls it made in that window are replayed raw (plain fetch, the same
// concurrency, one token, no database, no limiter) against the same fake in the same process.
const backlogN = numberArg('--backlog', Math.min(10_000, changes));
const backlog: typeof committed = [];
await produce(backlogN, 0, backlog);
const c0 = fake.calls.length;
const d0 = Date.now();
let drainTicks = 0;
for (;;) {
  const r = await runSyncTick(sync.ctx, sync.parse, { reconcileEveryMs: 0 });
  drainTicks++;
  if (!r.pushed?.changes && !r.retried) {
    const [[row]] = await sql.query<RowDataPacket[]>("SELECT (SELECT COUNT(*) FROM change_feed WHERE id > COALESCE((SELECT CAST(`cursor` AS UNSIGNED) FROM sync_state WHERE connection = 'weiling' AND stream = 'outbound'), 0)) AS pending");
    if (Number(row?.pending) === 0) break;
    await sleep(100); // a gap in the feed ids (a batch still committing): wait for it
  }
}
const drainS = (Date.now() - d0) / 1000;
const drainCalls = fake.calls.slice(c0).filter((c) => c.path !== '/openapi/token' && c.status === 200 && c.body !== undefined);
const backlogLost = backlog.filter((c) => c.kind === 'order' && !orderApplied.has(c.key)).length;
say(`worker alone, draining a backlog of ${backlog.length} changes: ${drainS.toFixed(1)} s (${drainTicks} ticks) = ${(backlog.length / drainS).toFixed(0)} changes/s, ${drainCalls.length} API calls = ${(drainCalls.length / drainS).toFixed(0)} calls/s (concurrency ${sync.ctx.concurrency}); backlog orders not applied: ${backlogLost}; ${load()}`);
measuring = false;
const token = ((await (await fetch(`${fake.url}/openapi/token?app_id=${fake.appId}&app_secret=${fake.appSecret}`)).json()) as { data: { access_token: string } }).data.access_token;
let next = 0;
const b0 = Date.now();
await Promise.all(
  Array.from({ length: sync.ctx.concurrency }, async () => {
    while (next < drainCalls.length) {
      const c = drainCalls[next++]!;
      const res = await fetch(`${fake.url}${c.path}?access_token=${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(c.body) });
      await res.json();
    }
  }),
);
const baseS = (Date.now() - b0) / 1000;
say(`baseline: the same ${drainCalls.length} calls raw (plain fetch, ${sync.ctx.concurrency} at a time, no faults, no database, no limiter) in ${baseS.toFixed(1)} s = ${(drainCalls.length / baseS).toFixed(0)} calls/s; worker/baseline ${(drainCalls.length / drainS / (drainCalls.length / baseS)).toFixed(3)}; ${load()}`);

await fake.close();
await services.close();
await sql.end();
process.exit(0);
