/**
 * `npm run bench:crm -- [--members N] [--runs R]`: latency of the staff-facing member reads at
 * scale (docs/benchmarks.md), each beside the same run's baseline, a primary-key lookup
 * of one member. Seeds crm_bench_<size> (or BENCH_DATABASE_URL) with the demo seeder when its size differs.
 * Targets at 1M members: 360 view p95 ≤ 50 ms, searches p95 ≤ 100 ms, a list page p95 ≤ 200 ms.
 * Everything goes through the real functions (scope, masking and audit rows included).
 */
import type { StaffAccess } from '../src/crm/kernel/index.ts';
import { consoleAccess, listMembers, memberSummary, openPhone, searchMembers } from '../src/crm/customers/index.ts';
import { phoneFor } from '../src/crm/kernel/index.ts';
import { loadConfig } from '../src/config.ts';
import { createServices } from '../src/services.ts';
import { benchUrl, benchDatabase, membersArg } from './support.ts';

const members = membersArg();
const ri = process.argv.indexOf('--runs');
const runs = ri >= 0 ? Number(process.argv[ri + 1]) : 200;
if (!Number.isInteger(runs) || runs < 10) throw new Error('--runs R: an integer ≥ 10');

const sql = await benchDatabase(members);
await sql.end();
const services = createServices(loadConfig({ DATABASE_URL: benchUrl(members), LOG_LEVEL: 'silent', REDIS_PREFIX: 'crm_bench' }));
try {
  const access: StaffAccess = await consoleAccess(services, 'admin_01');
  // A deterministic spread of members: every k-th by id.
  const sampled = await services.db.$queryRawUnsafe<{ id: number; phone_enc: string; member_no: string; name: string; home_store_id: number | null }[]>(
    `SELECT id, phone_enc, member_no, name, home_store_id FROM members WHERE status <> 'deleted' AND MOD(id, ?) = 0 ORDER BY id LIMIT ?`,
    Math.max(Math.floor(members / runs), 1),
    runs,
  );
  const sample = sampled.map((m) => ({ ...m, phone: openPhone(m.phone_enc) }));
  // "Before" (the goal: phone search within 2× of before): the plaintext lookup the code did
  // before phones were sealed — the same statement on a unique VARCHAR(11) column, no opening —
  // on a scratch copy of the phones in this bench database, dropped at the end.
  await services.sql.query('ALTER TABLE members ADD COLUMN IF NOT EXISTS bench_plain_phone VARCHAR(11) NULL');
  const [[unfilled]] = await services.sql.query<any[]>('SELECT COUNT(*) AS n FROM members WHERE bench_plain_phone IS NULL');
  if (Number(unfilled.n) > 0) {
    const [all] = await services.sql.query<any[]>('SELECT id, phone_enc FROM members');
    for (let i = 0; i < all.length; i += 2000) {
      const part = all.slice(i, i + 2000);
      await services.sql.query(`UPDATE members SET bench_plain_phone = CASE id ${part.map(() => 'WHEN ? THEN ?').join(' ')} END WHERE id IN (?)`, [...part.flatMap((r) => [r.id, openPhone(r.phone_enc)]), part.map((r) => r.id)]);
    }
    await services.sql.query('CREATE UNIQUE INDEX IF NOT EXISTS members_bench_plain_phone_key ON members (bench_plain_phone)');
  }
  const plaintextSearch = async (phone: string) => {
    const [rows] = await services.sql.query<any[]>(
      `SELECT m.id, m.member_no, m.name, m.bench_plain_phone AS phone, m.level, m.points, m.status, m.registered_at, m.source_channel, m.home_store_id, s.name AS store_name
         FROM members m LEFT JOIN stores s ON s.id = m.home_store_id
        WHERE (m.status <> 'deleted') AND (m.bench_plain_phone = ?) ORDER BY m.name, m.id LIMIT ?`,
      [phone, 5],
    );
    return rows.map((r) => ({ ...r, phone: phoneFor(access.actor, r.phone) }));
  };
  const stores = (await services.db.store.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((s) => s.id);
  const pick = (i: number) => sample[i % sample.length]!;

  const pk = (i: number) => services.db.member.findUnique({ where: { id: pick(i).id } });
  const stats = (t: number[]) => {
    t.sort((a, b) => a - b);
    const q = (p: number) => t[Math.min(t.length - 1, Math.ceil(p * t.length) - 1)]!;
    return { p50: q(0.5), p95: q(0.95) };
  };
  /** Runs the case and the baseline alternately, so both see the same load on a shared machine. */
  const measure = async (fn: (i: number) => Promise<unknown>) => {
    for (let i = 0; i < Math.min(20, runs); i++) await Promise.all([fn(i), pk(i)]); // warm-up: connections, plans, buffer pool
    const t: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < runs; i++) {
      let s = performance.now();
      await pk(runs - 1 - i);
      b.push(performance.now() - s);
      s = performance.now();
      await fn(i);
      t.push(performance.now() - s);
    }
    return { ...stats(t), base: stats(b) };
  };

  const cases: [string, number, (i: number) => Promise<unknown>][] = [
    ['360 view (memberSummary by member no)', 50, (i) => memberSummary(access, { memberNo: pick(i).member_no })],
    ['search by phone, before (plaintext column)', 100, (i) => plaintextSearch(pick(i).phone)],
    ['search by phone (blind index, sealed)', 100, (i) => searchMembers(access, { phone: pick(i).phone })],
    ['search by phone tail (尾号1234)', 100, (i) => searchMembers(access, { phone: `尾号${pick(i).phone.slice(-4)}` })],
    ['search by member no', 100, (i) => searchMembers(access, { memberNo: pick(i).member_no })],
    ['search by name prefix (list q=2 chars)', 100, (i) => listMembers(access, { q: pick(i).name.slice(0, 2), sort: 'name', skip: 0, take: 20 })],
    ['list page (store+level+active, -registeredAt, page 3)', 200, (i) => listMembers(access, { storeId: stores[i % stores.length], level: 1 + (i % 3), status: 'active', sort: '-registeredAt', skip: 40, take: 20 })],
    ['list page (tag VIP, -points, page 1)', 200, () => listMembers(access, { tag: 'VIP', sort: '-points', skip: 0, take: 20 })],
    ['list page (no filter, default -registeredAt, page 2)', 200, () => listMembers(access, { sort: '-registeredAt', skip: 20, take: 20 })],
  ];
  const pad = (s: string, n = 56) => s.padEnd(n);
  const ms = (v: number) => `${v.toFixed(1)} ms`.padStart(10);
  console.log(`\n${members} members, ${runs} runs each (after warm-up), admin_01 (all stores)`);
  console.log('baseline: a primary-key lookup of one member (prisma findUnique), timed alternately with each operation');
  console.log(`${pad('operation')}${'p50'.padStart(10)}${'p95'.padStart(10)}${'base p50'.padStart(10)}${'base p95'.padStart(10)}${'×p50'.padStart(7)}${'×p95'.padStart(7)}  target p95`);
  for (const [name, target, fn] of cases) {
    const r = await measure(fn);
    const ok = r.p95 <= target ? 'ok' : 'OVER';
    console.log(`${pad(name)}${ms(r.p50)}${ms(r.p95)}${ms(r.base.p50)}${ms(r.base.p95)}${(r.p50 / r.base.p50).toFixed(1).padStart(7)}${(r.p95 / r.base.p95).toFixed(1).padStart(7)}  ≤ ${target} ms ${ok}`);
  }
  await services.sql.query('ALTER TABLE members DROP COLUMN IF EXISTS bench_plain_phone');
} finally {
  await services.close();
}
