/**
 * `npm run bench:journeys -- [--members N] [--concurrency C]`: messages per second through the
 * journey pipeline (enrolment → one BullMQ job per batch of members (src/crm/automation/journeys/batch.ts)
 * → claim rows → coupons → messages over the SMS HTTP adapter to a local fake provider → mark →
 * exit) for an N-member recall (default 100,000), beside a same-run baseline: raw BullMQ add +
 * process of N empty jobs with the same concurrency. Duplicates: provider resends collapsed by
 * key, and members the provider delivered to more than once (both must be 0).
 * Uses its own database (crm_bench_journeys, recreated) and a fresh Redis prefix.
 */
import { numberArg } from './support.ts';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { Queue, Worker } from 'bullmq';
import { loadConfig } from '../src/config.ts';
import { journeyDeps } from '../src/jobs/journey-deps.ts';
import { BATCH_MEMBERS, createJourney, enrollMembers, recallDefinition } from '../src/crm/automation/index.ts';
import { phoneColumns } from '../src/crm/customers/index.ts';
import { migrate } from '../src/db/migrate.ts';
import { dropDatabase } from '../src/db/sql.ts';
import { startJourneyWorker } from '../src/jobs/journey-worker.ts';
import { createServices } from '../src/services.ts';
import { startFakeTextProvider } from '../test/fakes/text-provider.ts';
import { waitFor } from '../test/support/wait-for.ts';

/** A bench waits as long as its work takes. */
const until = (cond: () => Promise<boolean>) => waitFor(cond, 3_600_000);

const N = numberArg('--members', 100_000);
const CONCURRENCY = numberArg('--concurrency', 32);
const DB = process.env.BENCH_JOURNEYS_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/crm_bench_journeys';
const prefix = `bench_j_${randomBytes(3).toString('hex')}`;

const sms = await startFakeTextProvider();
await dropDatabase(DB).catch(() => undefined);
await migrate(DB, { log: () => {} });
const config = loadConfig({ ...process.env, DATABASE_URL: DB, REDIS_PREFIX: prefix, LOG_LEVEL: 'silent', SMS_PROVIDER_URL: sms.url, JOURNEY_QUIET_HOURS: 'off', JOURNEY_CONCURRENCY: String(CONCURRENCY) });
const services = createServices(config);

/**
 * SQL statements this process sends (every mysql2 Query/Execute command, BEGIN and COMMIT
 * included), counted where mysql2 queues them: no relay in the way of the measured pipeline.
 */
let statements = 0;
const byText = new Map<string, number>();
{
  const held = await services.sql.getConnection();
  let proto = Object.getPrototypeOf((held as unknown as { connection: object }).connection) as { addCommand?(cmd: object): unknown } | null;
  while (proto && !Object.prototype.hasOwnProperty.call(proto, 'addCommand')) proto = Object.getPrototypeOf(proto);
  held.release();
  const base = proto as { addCommand(cmd: object): unknown };
  const addCommand = base.addCommand;
  base.addCommand = function (this: unknown, cmd: object) {
    const kind = cmd.constructor.name;
    if (kind === 'Query' || kind === 'Execute') {
      statements++;
      const text = String((cmd as { sql?: string }).sql ?? kind).replace(/\s+/g, ' ').slice(0, 70);
      byText.set(text, (byText.get(text) ?? 0) + 1);
    }
    return addCommand.call(this, cmd);
  };
}


try {
  // ---- baseline: raw BullMQ add + process of N empty jobs ----
  const q = new Queue('bench-empty', { connection: services.bullRedis, prefix });
  let done = 0;
  const tb = performance.now();
  const w = new Worker('bench-empty', async () => {
    done++;
  }, { connection: services.bullRedis, prefix, concurrency: CONCURRENCY });
  for (let i = 0; i < N; i += 1000) await q.addBulk(Array.from({ length: Math.min(1000, N - i) }, (_, k) => ({ name: 'e', data: { i: i + k }, opts: { removeOnComplete: true } })));
  await until(async () => done >= N);
  const baseS = (performance.now() - tb) / 1000;
  const baseLoad = loadavg()[0]!.toFixed(1);
  await w.close();
  await q.obliterate({ force: true });
  await q.close();

  // ---- the journey pipeline ----
  const sql = services.sql;
  const [st] = await sql.query<import('mysql2').ResultSetHeader>("INSERT INTO stores (code, name, city) VALUES ('B1', '基准店', '上海')");
  for (let i = 0; i < N; i += 5000) {
    const rows = Array.from({ length: Math.min(5000, N - i) }, (_, k) => {
      const n = i + k;
      const p = phoneColumns(`13${String(n).padStart(9, '0')}`);
      return [`B${String(n).padStart(8, '0')}`, `会员${n}`, p.phone_enc, p.phone_hash, p.phone_tail, new Date('2026-01-01T00:00:00Z'), 'store', st.insertId];
    });
    await sql.query('INSERT INTO members (member_no, name, phone_enc, phone_hash, phone_tail, registered_at, source_channel, home_store_id) VALUES ?', [rows]);
  }
  const [ids] = await sql.query<import('mysql2').RowDataPacket[]>('SELECT id FROM members ORDER BY id');
  const def = recallDefinition(20);
  def.channels = ['sms'];
  const j = await createJourney(services, 'bench', { name: 'bench recall', definition: def, status: 'active' });
  const deps = journeyDeps(services);
  const tp = performance.now();
  const s0 = statements;
  byText.clear();
  const worker = startJourneyWorker(services, { deps, concurrency: CONCURRENCY });
  let failed = 0;
  worker.on('failed', () => failed++);
  const e = await enrollMembers(deps, j.id, ids.map((r) => Number(r.id)), { occurrence: 'bench' });
  const enrolS = (performance.now() - tp) / 1000;
  await until(async () => sms.delivered.length >= N);
  const pipeS = (performance.now() - tp) / 1000;
  const pipeStatements = statements - s0; // enrolment's included (2 a 1,000 members); the bench's own polling starts after
  const pipeLoad = loadavg()[0]!.toFixed(1);
  await until(async () => {
    const [r] = await sql.query<import('mysql2').RowDataPacket[]>("SELECT COUNT(*) AS n FROM journey_enrollments WHERE state = 'completed'");
    return Number(r[0]!.n) >= N;
  });
  await worker.close();
  const [log] = await sql.query<import('mysql2').RowDataPacket[]>("SELECT result, COUNT(*) AS n FROM journey_step_executions WHERE step_id = 'message' GROUP BY result");

  const baseRate = N / baseS;
  const pipeRate = sms.delivered.length / pipeS;
  console.log(`journeys bench: ${N} members, worker concurrency ${CONCURRENCY}, one process`);
  console.log(`baseline  raw BullMQ add+process of ${N} empty jobs: ${baseS.toFixed(1)} s → ${baseRate.toFixed(0)} jobs/s (load ${baseLoad})`);
  console.log(`pipeline  recall (enrol ${e.enrolled} in ${enrolS.toFixed(1)} s; coupon → SMS over HTTP → exit): ${sms.delivered.length} messages in ${pipeS.toFixed(1)} s → ${pipeRate.toFixed(0)} messages/s (load ${pipeLoad})`);
  const perMember = new Map<string, number>();
  for (const d of sms.delivered) perMember.set(d.to, (perMember.get(d.to) ?? 0) + 1);
  const twice = [...perMember.values()].filter((n) => n > 1).length;
  console.log(`ratio     pipeline / baseline = ${(pipeRate / baseRate).toFixed(3)} (one job per ${BATCH_MEMBERS} members: each step a few statements for the whole batch, 1 HTTP call per member)`);
  console.log(`sql       ${pipeStatements} statements from enrolment to the last delivery → ${(pipeStatements / sms.delivered.length).toFixed(3)} a message`);
  for (const [t, n] of [...byText].sort((a, b) => b[1] - a[1]).slice(0, 6)) console.log(`          ${(n / sms.delivered.length).toFixed(3)} a message: ${t}`);
  console.log(`jobs      ${failed} failed attempts (retried by BullMQ; a retried batch hands its members to the per-member engine)`);
  console.log(`execution log: ${log.map((r) => `${r.result} ${r.n}`).join(', ')}; duplicates: ${sms.duplicates} provider resends collapsed, ${twice} members delivered more than once`);
} finally {
  const keys = await services.redis.keys(`${prefix}:*`);
  for (let i = 0; i < keys.length; i += 1000) await services.redis.del(...keys.slice(i, i + 1000));
  await services.close();
  await sms.close();
}
