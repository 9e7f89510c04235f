/**
 * `npm run bench:faults` — nothing lost, nothing doubled, under faults (docs/benchmarks.md).
 *
 * Starts its own MariaDB and redis-server on free ports (test/support/private-mariadb.ts,
 * private-redis.ts — never the machine's shared servers), the fake WeCom (qyapi), SMS provider
 * and LLM, and the server as a child process (`node --import tsx src/main.ts`,
 * test/support/processes.ts). Then, one fault at a time: a fresh 500-member SMS recall is launched,
 * signed WeCom callbacks flow (a quarter on the slow path: a slow LLM with LLM_ROUTING=first) with
 * the platform's re-sends (test/support/wecom-traffic.ts), and mid-recall the fault is applied:
 *
 *   kill     the server SIGKILLed, then started again at once (what a supervisor does)
 *   term     the server sent SIGTERM, then started again once it has exited (a deploy)
 *   redis    redis-server killed and started again, empty (no persistence)
 *   flush    Redis emptied (FLUSHALL)
 *   mysql    MariaDB stopped (clean shutdown) and started again
 *
 * Per fault it prints messages answered once / never / twice (by what WeCom received: passive
 * replies within its 5 s, and pushes), recall members sent once / never / twice (by what the SMS
 * provider delivered; resends it collapsed by idempotency key are shown apart), what our records
 * say, and the time to recover: from the fault until /readyz answers 200 for good, the recall
 * delivers again and a new callback is answered. Goal: never 0, twice 0, recovery ≤ 10 s.
 *
 * Options: --faults kill,term,redis,flush,mysql  --members 500  --rate 4 (callbacks/s)
 *          --before 6 --after 15 (seconds of traffic around the fault)  --slow 0.25 (share on the slow path)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { launchRecall } from '../src/crm/automation/index.ts';
import { openPhone } from '../src/crm/customers/index.ts';
import { activeStaffActor } from '../src/crm/kernel/index.ts';
import { journeyDeps } from '../src/jobs/journey-deps.ts';
import { startFakeOpenAI } from '../test/fakes/openai.ts';
import { startFakeQyapi } from '../test/fakes/qyapi.ts';
import { startFakeTextProvider } from '../test/fakes/text-provider.ts';
import { insertMembers } from '../test/journeys/support.ts';
import { stopChildren } from '../test/support/child.ts';
import { createTestEnv } from '../test/support/env.ts';
import { startPrivateMariadb } from '../test/support/private-mariadb.ts';
import { startPrivateRedis } from '../test/support/private-redis.ts';
import { freePort, startApp, type AppChild } from '../test/support/processes.ts';
import { AGENT_ID, keys, SECRET, weComEnv } from '../test/support/wecom-app.ts';
import { answerCounts, startTraffic } from '../test/support/wecom-traffic.ts';

const ALL = ['kill', 'term', 'redis', 'flush', 'mysql'] as const;
type FaultName = (typeof ALL)[number];
const LABEL: Record<FaultName, string> = {
  kill: 'server SIGKILL + restart',
  term: 'server SIGTERM + restart',
  redis: 'Redis restart (empty)',
  flush: 'Redis emptied (FLUSHALL)',
  mysql: 'MySQL restart',
};

const { values: args } = parseArgs({
  options: {
    faults: { type: 'string', default: ALL.join(',') },
    members: { type: 'string', default: '500' },
    rate: { type: 'string', default: '4' },
    before: { type: 'string', default: '6' },
    after: { type: 'string', default: '15' },
    slow: { type: 'string', default: '0.25' },
  },
});
const faults = args.faults!.split(',').map((s) => s.trim()) as FaultName[];
for (const f of faults) if (!ALL.includes(f)) throw new Error(`unknown fault ${f} (one of ${ALL.join(', ')})`);
const MEMBERS = Number(args.members);
const RATE = Number(args.rate);
const BEFORE_S = Number(args.before);
const AFTER_S = Number(args.after);
const SLOW_SHARE = Number(args.slow);
const SLOW_MS = 5000; // the LLM's answer on the slow path: longer than the reply budget (3.5 s)
const SMS_DELAY_MS = 100; // the provider's time per send, so a 500-member recall lasts long enough to be hit
const RECOVERY_GOAL_MS = 10_000;
const USERS = Math.ceil(RATE * (BEFORE_S + 20 + AFTER_S + 130)) * faults.length + 10;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const logDir = mkdtempSync(join(tmpdir(), 'bench-faults-'));

interface Row {
  fault: FaultName;
  messages: number;
  slow: number;
  once: number;
  never: number;
  twice: number;
  members: number;
  sentOnce: number;
  sentNever: number;
  sentTwice: number;
  collapsed: number;
  records: string;
  recoveryMs: number | null;
  readyMs: number | null;
  recallMs: number | null;
  chatMs: number | null;
  logTrouble: number;
}

async function main() {
  const t0 = Date.now();
  console.log(`bench:faults — faults ${faults.join(', ')}; ${MEMBERS}-member recall each; ${RATE} callbacks/s (${Math.round(SLOW_SHARE * 100)}% slow path) for ${BEFORE_S} s before and ${AFTER_S} s after the fault`);
  console.log(`load at start: ${execFileSync('uptime', { encoding: 'utf8' }).trim()}`);
  const mariadb = await startPrivateMariadb();
  const redis = await startPrivateRedis();
  const sms = await startFakeTextProvider({ delayMs: SMS_DELAY_MS });
  const qy = await startFakeQyapi({ corpId: keys.corpId, corpSecret: SECRET, agentId: AGENT_ID });
  const llm = await startFakeOpenAI();
  llm.respond((body) => ({ kind: 'text', content: '好的', delayMs: JSON.stringify(body.messages).includes('一下') ? SLOW_MS : 0 }));
  const env = await createTestEnv(
    'bench_faults',
    {
      ...weComEnv(qy.url),
      LLM_BASE_URL: llm.baseURL,
      LLM_API_KEY: 'sk-bench',
      LLM_MODEL: 'deepseek-chat',
      LLM_ROUTING: 'first',
      LLM_TIMEOUT_MS: '20000',
      SMS_PROVIDER_URL: sms.url,
      REDIS_URL: redis.url,
      JOURNEY_QUIET_HOURS: 'off',
      JOURNEY_CONCURRENCY: '4',
    },
    { server: mariadb.url },
  );
  const { services } = env;
  const deps = journeyDeps(services);
  let app: AppChild | undefined;
  const logs: string[] = [];
  const rows: Row[] = [];
  try {
    // Staff: a manager who launches the recalls, and one user per callback (a push names its message).
    const [store] = await services.sql.query<ResultSetHeader>("INSERT INTO stores (code, name, city) VALUES ('F1', '故障店', '上海')");
    const [staff] = await services.sql.query<ResultSetHeader>('INSERT INTO staff (wecom_user_id, name, role) VALUES ?', [
      [['bench_mgr', '王店长', 'store_manager'], ...Array.from({ length: USERS }, (_, i) => [`bf_u${i}`, `店员${i}`, 'store_manager'])],
    ]);
    await services.sql.query('INSERT INTO staff_stores (staff_id, store_id) VALUES ?', [Array.from({ length: USERS + 1 }, (_, i) => [staff.insertId + i, store.insertId])]);

    const port = await freePort();
    const start = async () => {
      const a = await startApp(env.config, {}, { port, wait: 'ready', timeoutMs: 300_000 });
      logs.push('');
      const i = logs.length - 1;
      a.child.stdout?.on('data', () => (logs[i] = a.out.text));
      a.child.stderr?.on('data', () => (logs[i] = a.out.text));
      a.child.once('exit', () => (logs[i] = a.out.text));
      logs[i] = a.out.text;
      return a;
    };
    app = await start();
    console.log(`private MariaDB :${mariadb.port}, Redis :${redis.port}, server :${port} ready after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    // Warm: a process in service has answered before (models, intents, the LLM client).
    let userNo = 0;
    let idNo = 0;
    for (const text of ['帮助', '帮我看一下']) await startTraffic({ port: () => port, keys, from: () => `bf_u${userNo++}`, text: () => text, rate: 10, max: 1, idPrefix: `8${String(idNo++).padStart(3, '0')}` }).settled();

    for (const [k, fault] of faults.entries()) {
      console.log(`\n— ${LABEL[fault]} —`);
      // A fresh recall of MEMBERS SMS-only members.
      const ids = await insertMembers(env, Array.from({ length: MEMBERS }, () => ({})), k * MEMBERS);
      const [phoneRows] = await services.sql.query<RowDataPacket[]>('SELECT phone_enc FROM members WHERE id IN (?)', [ids]);
      const phones = new Set(phoneRows.map((r) => openPhone(String(r.phone_enc))));
      const actor = (await activeStaffActor(services, 'bench_mgr'))!;
      const smsBefore = sms.delivered.length;
      const dupBefore = sms.duplicates;
      const pushesBefore = qy.sent.length;
      const { recallId } = await launchRecall(deps, { services, actor, channel: 'console', requestId: `bench-${fault}` }, { audience: { kind: 'churn' }, memberIds: ids, couponAmount: 20 });
      const delivered = () => sms.delivered.slice(smsBefore).filter((d) => phones.has(d.to));

      const base = userNo;
      const total = Math.round(RATE * (BEFORE_S + 20 + AFTER_S + 130)); // users enough for the longest wait and a slow restart
      userNo += total;
      const traffic = startTraffic({
        port: () => port,
        keys,
        from: (n) => `bf_u${base + n}`,
        text: (n) => (Math.floor((n + 1) * SLOW_SHARE) > Math.floor(n * SLOW_SHARE) ? '帮我看一下' : '帮助'), // evenly spread
        rate: RATE,
        max: total, // stopped AFTER_S after the fault (below)
        idPrefix: `9${String(k)}${String(idNo++).padStart(2, '0')}`,
      });
      await sleep(BEFORE_S * 1000);
      const until = Date.now() + 20_000;
      while (delivered().length < Math.min(60, MEMBERS / 5) && Date.now() < until) await sleep(100);
      const atFault = delivered().length;

      // Readiness sampled from the fault on.
      const samples: { at: number; ok: boolean }[] = [];
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          const ok = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2000) }).then((r) => r.status === 200, () => false);
          samples.push({ at: Date.now(), ok });
          await sleep(200);
        }
      })();

      const logMarks = logs.map((l) => l.length);
      const faultAt = Date.now();
      let restarted: Promise<AppChild> | undefined;
      if (fault === 'kill') {
        await app.stop('SIGKILL');
        restarted = start();
      } else if (fault === 'term') {
        const code = await app.stop('SIGTERM', 15_000);
        console.log(`  SIGTERM: exit ${code} after ${((Date.now() - faultAt) / 1000).toFixed(1)} s`);
        restarted = start();
      } else if (fault === 'redis') {
        await redis.stop();
        await redis.start();
      } else if (fault === 'flush') {
        await redis.flushAll();
      } else {
        await mariadb.stop();
        await mariadb.start();
      }
      console.log(`  fault applied at ${atFault}/${MEMBERS} members sent${restarted ? '; server restarting' : ''} (${((Date.now() - faultAt) / 1000).toFixed(1)} s)`);
      if (restarted) app = await restarted.catch((e) => {
        console.log(`  the server did not come back: ${(e as Error).message}`);
        return undefined;
      });
      if (!app) break;

      // Traffic goes on for AFTER_S after the fault (after the restart: a process back up).
      await sleep(Math.max(0, faultAt + AFTER_S * 1000 - Date.now()));
      traffic.stop();
      // Wait: every message answered or out of re-sends; the recall done; slow answers pushed.
      await traffic.settled();
      const end = Date.now() + 60_000;
      const userSet = new Set(traffic.messages.map((m) => m.from));
      const pushes = () => qy.sent.slice(pushesBefore).filter((p) => userSet.has(p.touser));
      while (Date.now() < end && (delivered().length < MEMBERS || answerCounts(traffic.messages, pushes()).never.length > 0)) await sleep(500);
      await sleep(3000); // nothing more comes
      sampling = false;
      await sampler;

      // Recovery: the last time /readyz turned 200, the first delivery ≥ 1 s after the fault,
      // the first answer to a callback first sent after the fault.
      const lastBad = samples.reduce((t, s) => (s.ok ? t : s.at), faultAt);
      const readyAt = samples.find((s) => s.ok && s.at > lastBad)?.at ?? null;
      const recallAt = atFault >= MEMBERS ? faultAt : (delivered().find((d) => d.at.getTime() >= faultAt + 1000)?.at.getTime() ?? null);
      const fresh = traffic.messages.filter((m) => m.deliveries[0] && m.deliveries[0].at > faultAt);
      const chatAt = fresh.flatMap((m) => m.deliveries.filter((d) => d.outcome === 'passive' || d.outcome === 'ack').map((d) => d.end)).sort((a, b) => a - b)[0] ?? null;
      const since = (t: number | null) => (t === null ? null : Math.max(0, t - faultAt));
      const parts = [since(readyAt), since(recallAt), since(chatAt)];
      const recoveryMs = parts.includes(null) ? null : Math.max(...(parts as number[]));

      const counts = answerCounts(traffic.messages, pushes());
      const per = new Map<string, number>();
      for (const d of delivered()) per.set(d.to, (per.get(d.to) ?? 0) + 1);
      const [rec] = await services.sql.query<RowDataPacket[]>(
        "SELECT COALESCE(x.result, 'pending') AS result, COUNT(*) AS n FROM journey_enrollments e LEFT JOIN journey_step_executions x ON x.enrollment_id = e.id AND x.step_id = 'message' WHERE e.recall_id = ? GROUP BY 1 ORDER BY 1",
        [recallId],
      );
      const log = logs.map((l, i) => l.slice(logMarks[i] ?? 0)).join('\n'); // what the servers logged since the fault
      const row: Row = {
        fault,
        messages: counts.total,
        slow: traffic.messages.filter((m) => m.text !== '帮助').length,
        once: counts.once,
        never: counts.never.length,
        twice: counts.twice.length,
        members: MEMBERS,
        sentOnce: [...per.values()].filter((n) => n === 1).length,
        sentNever: MEMBERS - per.size,
        sentTwice: [...per.values()].filter((n) => n > 1).length,
        collapsed: sms.duplicates - dupBefore,
        records: rec.map((r) => `${r.result} ${r.n}`).join(', '),
        recoveryMs,
        readyMs: since(readyAt),
        recallMs: since(recallAt),
        chatMs: since(chatAt),
        logTrouble: log.split('\n').filter((l) => /Pool is closed|EPIPE/.test(l)).length,
      };
      rows.push(row);
      const show = (ids: string[]) => ids.slice(0, 5).map((id) => {
        const m = traffic.messages.find((x) => x.msgId === id)!;
        return `${id} ${m.text} [${m.deliveries.map((d) => `${d.outcome}@${((d.at - faultAt) / 1000).toFixed(1)}s`).join(' ')}]`;
      });
      console.log(`  messages ${row.messages} (${row.slow} slow): once ${row.once}, never ${row.never}, twice ${row.twice}`);
      if (counts.never.length) console.log(`    never: ${show(counts.never).join('; ')}`);
      if (counts.twice.length) console.log(`    twice: ${show(counts.twice).join('; ')}`);
      console.log(`  recall ${MEMBERS}: once ${row.sentOnce}, never ${row.sentNever}, twice ${row.sentTwice}; resends collapsed by key ${row.collapsed}; our records: ${row.records}`);
      console.log(`  recovery ${fmt(recoveryMs)} (ready ${fmt(row.readyMs)}, recall moving ${fmt(row.recallMs)}, callbacks answered ${fmt(row.chatMs)}); "Pool is closed"/EPIPE lines: ${row.logTrouble}`);
      // Quiet before the next fault: nothing of this one still running.
      await sleep(2000);
    }
  } finally {
    await app?.stop('SIGTERM').catch(() => undefined);
    logs.forEach((l, i) => writeFileSync(join(logDir, `server-${i + 1}.log`), l));
    await env.cleanup().catch((e) => console.log(`cleanup: ${(e as Error).message}`));
    await Promise.all([sms.close(), qy.close(), llm.close()]);
    await redis.stop();
    await mariadb.close();
    await stopChildren();
  }

  console.log(`\n## bench:faults — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; ${execFileSync('uptime', { encoding: 'utf8' }).trim()}\n`);
  console.log('| fault | messages (slow) | answered once | never | twice | recall members sent once | never | twice | SMS resends collapsed | our records | recovery (ready / recall / chat) |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    console.log(`| ${LABEL[r.fault]} | ${r.messages} (${r.slow}) | ${r.once} | ${r.never} | ${r.twice} | ${r.sentOnce} | ${r.sentNever} | ${r.sentTwice} | ${r.collapsed} | ${r.records} | ${fmt(r.recoveryMs)} (${fmt(r.readyMs)} / ${fmt(r.recallMs)} / ${fmt(r.chatMs)}) |`);
  }
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  const done = rows.length === faults.length;
  console.log('');
  console.log(`never 0 (messages and members): ${verdict(done && rows.every((r) => r.never === 0 && r.sentNever === 0))}`);
  console.log(`twice 0 (messages and members): ${verdict(done && rows.every((r) => r.twice === 0 && r.sentTwice === 0))}`);
  console.log(`recovery ≤ ${RECOVERY_GOAL_MS / 1000} s, no manual step: ${verdict(done && rows.every((r) => r.recoveryMs !== null && r.recoveryMs <= RECOVERY_GOAL_MS))}`);
  if (!done) console.log(`(only ${rows.length} of ${faults.length} faults ran)`);
  console.log(`server logs: ${logDir}; took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

const fmt = (ms: number | null) => (ms === null ? 'never' : `${(ms / 1000).toFixed(1)} s`);

main().then(
  () => process.exit(0),
  async (e) => {
    console.error(e);
    await stopChildren();
    process.exit(1);
  },
);
