import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitDatabaseUrl, type SqlPool } from '../db/sql.ts';
import { isAppError } from '../crm/kernel/errors.ts';
import { createTestEnv, type TestEnv } from '../../test/support/env.ts';
import { readFile } from 'node:fs/promises';
import { findSchemaDrift } from '../db/drift.ts';
import { deferIndexes, restoreDeferredIndexes } from './deferred-indexes.ts';
import { PHONE_RE } from './phones.ts';
import { CHUNK_TABLES } from './rows.ts';
import { resetDemoData } from './reset.ts';
import { seedDemo, seedIfEmpty } from './seed.ts';
import { openPhone, phoneHash } from '../../test/support/sealed-phone.ts';

// 2026-11-21 00:00 China time: every date below is relative to it.
const NOW = new Date('2026-11-20T16:00:00.000Z');
const DAY = 86_400_000;
const MEMBERS = 250;
const TABLES = ['stores', 'staff', 'staff_stores', 'tags', 'members', 'orders', 'demo_member_truth', 'member_tags', 'interactions', 'tickets', 'koc_profiles', 'koc_referrals', 'points_ledger'];

async function rows<T = any>(sql: SqlPool, q: string, params: unknown[] = []): Promise<T[]> {
  const [r] = await sql.query<mysql.RowDataPacket[]>(q, params);
  return r as T[];
}

/** Row count and a CRC32 sum over every column of every row (created_at included). */
async function checksums(sql: SqlPool): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of TABLES) {
    // Sealed columns (*_enc) carry a random nonce, so two seeds differ there by design; their blind indexes (*_hash) are deterministic and compared.
    const cols = await rows(sql, "SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME NOT LIKE '%\\_enc' ORDER BY ORDINAL_POSITION", [t]);
    const concat = cols.map((c) => `IFNULL(\`${c.c}\`, '\\\\N')`).join(', ');
    const [r] = await rows(sql, `SELECT COUNT(*) AS n, SUM(CRC32(CONCAT_WS('|', ${concat}))) AS crc FROM \`${t}\``);
    out[t] = `${r.n}:${r.crc}`;
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

describe('seedDemo', () => {
  let a: TestEnv;
  let b: TestEnv;
  let c: TestEnv;
  beforeAll(async () => {
    [a, b, c] = await Promise.all([createTestEnv('seed_a'), createTestEnv('seed_b', { SEED_MEMBERS: '120' }), createTestEnv('seed_c')]);
    await seedDemo(a.services.sql, { members: MEMBERS, seed: 7, now: NOW });
  });
  afterAll(async () => {
    await Promise.all([a?.cleanup(), b?.cleanup(), c?.cleanup()]);
  });

  it('is deterministic: the same options give identical rows in another database, whatever the chunking', async () => {
    const progress: number[] = [];
    const res = await seedDemo(b.services.sql, { members: MEMBERS, seed: 7, now: NOW, chunkMembers: 37, onProgress: (p) => progress.push(p.membersDone) });
    expect(res).toMatchObject({ stores: 3, staff: 8, members: MEMBERS, tags: 6, seed: 7 });
    expect(progress.at(-1)).toBe(MEMBERS);
    const [sumA, sumB] = await Promise.all([checksums(a.services.sql), checksums(b.services.sql)]);
    expect(sumB).toEqual(sumA);
    expect(Number(sumA.orders!.split(':')[0])).toBe(res.orders);
    expect(Number(sumA.interactions!.split(':')[0])).toBe(res.interactions);
    expect(res.interactions).toBeGreaterThan(MEMBERS / 2);
    expect(res.tickets).toBeGreaterThan(10);
  });

  it('writes the same rows through worker threads, INSERT statements and deferred indexes, and leaves the schema intact', async () => {
    const sql = c.services.sql;
    const res = await seedDemo(sql, { members: MEMBERS, seed: 7, now: NOW, chunkMembers: 40, threads: 2, format: 'sql', deferIndexes: true });
    expect(res).toMatchObject({ threads: 2, format: 'sql' });
    expect(await checksums(sql)).toEqual(await checksums(a.services.sql));
    const schema = await readFile(new URL('../../prisma/schema.prisma', import.meta.url), 'utf8');
    const database = splitDatabaseUrl(c.databaseUrl).database;
    // Drift of the tables the seed loads (other tables may be someone's work in progress).
    const seeded = new RegExp(`^(${CHUNK_TABLES.map((t) => t.table).join('|')})[.:( ]`);
    const drift = async () => (await findSchemaDrift(schema, sql, database)).filter((d) => seeded.test(d));
    expect(await drift()).toEqual([]);
    expect((await rows(sql, 'SELECT COUNT(*) AS n FROM demo_seed_deferred_indexes'))[0].n).toBe(0);
    // A seed killed after dropping its indexes: the definitions it kept bring them back.
    expect(await deferIndexes(sql, ['orders', 'members'])).toBeGreaterThan(5);
    expect((await drift()).some((d) => d.startsWith('orders: index'))).toBe(true);
    expect(await restoreDeferredIndexes(sql)).toBeGreaterThan(5);
    expect(await drift()).toEqual([]);
    // Two worker threads, index drops and rebuilds and three schema reads: past the default 60 s
    // when the 2-core machine is shared (two CI runs side by side, load ~11, took it there).
  }, 180_000);

  it('creates the documented stores, staff and fixed members', async () => {
    const sql = a.services.sql;
    expect(await rows(sql, 'SELECT id, code, name FROM stores ORDER BY id')).toEqual([
      { id: 1, code: 'SH-XH', name: '上海徐汇店' },
      { id: 2, code: 'SH-JA', name: '上海静安店' },
      { id: 3, code: 'HZ-XH', name: '杭州西湖店' },
    ]);
    const staff = await rows(sql, `SELECT s.wecom_user_id AS u, s.role, GROUP_CONCAT(ss.store_id ORDER BY ss.store_id) AS stores
      FROM staff s LEFT JOIN staff_stores ss ON ss.staff_id = s.id GROUP BY s.id ORDER BY s.id`);
    expect(staff).toEqual(
      expect.arrayContaining([
        { u: 'store_manager_01', role: 'store_manager', stores: '1' },
        { u: 'hq_ops_01', role: 'hq_operator', stores: '1,2,3' },
        { u: 'agent_01', role: 'agent', stores: '1' },
        { u: 'store_manager_02', role: 'store_manager', stores: '2' },
        { u: 'marketer_01', role: 'marketer', stores: '1,2,3' },
        { u: 'admin_01', role: 'admin', stores: '1,2,3' },
      ]),
    );

    const fixed = await rows(sql, `SELECT m.member_no, m.name, m.phone_enc, m.home_store_id AS store, m.level, t.persona, t.alive, t.churned_at,
        COUNT(o.id) AS n, SUM(o.amount) AS spent, MAX(o.paid_at) AS last, MIN(o.paid_at) AS first
      FROM members m JOIN demo_member_truth t ON t.member_id = m.id LEFT JOIN orders o ON o.member_id = m.id
      WHERE m.phone_hash IN (?) GROUP BY m.id ORDER BY m.id`, [[1, 2, 3, 4, 5].map((i) => phoneHash(`1380000000${i}`))]);
    expect(fixed.map((f) => [f.member_no, f.name, openPhone(f.phone_enc), f.store, f.persona, f.alive])).toEqual([
      ['M00000001', '林晓雯', '13800000001', 1, 'regular', 1],
      ['M00000002', '陈建国', '13800000002', 1, 'lapsed', 0],
      ['M00000003', '周雨桐', '13800000003', 1, 'occasional', 1],
      ['M00000004', '吴浩然', '13800000004', 2, 'regular', 1],
      ['M00000005', '孙佳怡', '13800000005', 3, 'new', 1],
    ]);
    const [m1, m2, m3, m4, m5] = fixed;
    // 林晓雯: weekly for two years, last visit within the past week.
    expect(m1.n).toBeGreaterThanOrEqual(95);
    expect(NOW.getTime() - m1.last.getTime()).toBeLessThan(8 * DAY);
    expect(NOW.getTime() - m1.first.getTime()).toBeGreaterThan(720 * DAY);
    // 陈建国: big spender, gone since 120 days ago.
    expect(m2.churned_at.toISOString()).toBe(new Date(NOW.getTime() - 120 * DAY).toISOString());
    expect(m2.last.getTime()).toBeLessThan(m2.churned_at.getTime());
    expect(Number(m2.spent) / m2.n).toBeGreaterThan(350);
    expect(m2.level).toBe(5);
    // 周雨桐: about every two months.
    expect(m3.n).toBeGreaterThanOrEqual(8);
    expect(m3.n).toBeLessThanOrEqual(16);
    expect(m4.n).toBeGreaterThan(35);
    // 孙佳怡: joined 10 days ago, one order.
    expect(m5.n).toBe(1);
    const tags = await rows(sql, `SELECT t.name FROM member_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.member_id = 1 ORDER BY t.id`);
    expect(tags.map((t) => t.name)).toEqual(['VIP', '爱吃辣']);
  });

  it('gives unique, valid phones and member numbers', async () => {
    const ms = (await rows(a.services.sql, 'SELECT member_no, phone_enc FROM members ORDER BY id')).map((m) => ({ ...m, phone: openPhone(m.phone_enc) }));
    expect(ms).toHaveLength(MEMBERS);
    expect(new Set(ms.map((m) => m.phone)).size).toBe(MEMBERS);
    expect(ms.filter((m) => !PHONE_RE.test(m.phone))).toEqual([]);
    expect(ms.every((m, i) => m.member_no === `M${String(i + 1).padStart(8, '0')}`)).toBe(true);
  });

  it('stores amounts as DECIMAL(12,2) equal to the sum of the items, paid within store hours', async () => {
    const sql = a.services.sql;
    const [col] = await rows(sql, "SELECT DATA_TYPE AS t, NUMERIC_SCALE AS s FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'orders' AND COLUMN_NAME = 'amount'");
    expect(col).toEqual({ t: 'decimal', s: 2 });
    const orders = await rows(sql, 'SELECT amount, items, payment_method FROM orders');
    const mismatched = orders.filter((o) => {
      const lines = (typeof o.items === 'string' ? JSON.parse(o.items) : o.items) as { price: string; qty: number }[];
      const cents = lines.reduce((s, l) => s + Number(l.price.replace('.', '')) * l.qty, 0);
      return !/^\d+\.\d{2}$/.test(o.amount) || Number(o.amount.replace('.', '')) !== cents;
    });
    expect(mismatched).toEqual([]);
    expect(new Set(orders.map((o) => o.payment_method))).toEqual(new Set(['wechat', 'alipay', 'card', 'cash', 'member_balance']));
    const [hours] = await rows(sql, `SELECT COUNT(*) AS n FROM orders
      WHERE TIME(CONVERT_TZ(paid_at, '+00:00', '+08:00')) NOT BETWEEN '10:00:00' AND '22:00:00'
         OR paid_at >= ? OR paid_at < ?`, [NOW, new Date(NOW.getTime() - 730 * DAY)]);
    expect(hours.n).toBe(0);
  });

  it('gives personas visibly different rhythms, and lapsed members no order after churning', async () => {
    const sql = a.services.sql;
    const data = await rows(sql, `SELECT t.persona, o.member_id, o.paid_at FROM orders o JOIN demo_member_truth t ON t.member_id = o.member_id
      WHERE o.member_id > 5 ORDER BY o.member_id, o.paid_at`);
    const gaps = new Map<number, { persona: string; gaps: number[] }>();
    let prev: { id: number; at: number } | null = null;
    for (const r of data) {
      const at = r.paid_at.getTime();
      if (prev && prev.id === r.member_id) {
        const g = gaps.get(r.member_id) ?? { persona: String(r.persona), gaps: [] as number[] };
        g.gaps.push((at - prev.at) / DAY);
        gaps.set(r.member_id, g);
      }
      prev = { id: r.member_id, at };
    }
    const medianGap = (persona: string) => median([...gaps.values()].filter((g) => g.persona === persona && g.gaps.length >= 2).map((g) => median(g.gaps)));
    const regular = medianGap('regular');
    const occasional = medianGap('occasional');
    expect(regular).toBeLessThan(20);
    expect(occasional).toBeGreaterThan(3 * regular);

    const [late] = await rows(sql, `SELECT COUNT(*) AS n FROM orders o JOIN demo_member_truth t ON t.member_id = o.member_id
      WHERE t.churned_at IS NOT NULL AND o.paid_at > t.churned_at`);
    expect(late.n).toBe(0);
    const truth = await rows(sql, 'SELECT persona, alive, churned_at FROM demo_member_truth');
    expect(truth).toHaveLength(MEMBERS);
    expect(truth.every((t) => (t.alive === 1) === (t.churned_at === null))).toBe(true);
    expect(truth.filter((t) => t.persona === 'lapsed').every((t) => t.alive === 0)).toBe(true);
    expect(new Set(truth.map((t) => t.persona))).toEqual(new Set(['regular', 'occasional', 'lapsed', 'new', 'one_time']));
  });

  it('refuses a non-empty database and leaves it untouched', async () => {
    const before = await checksums(a.services.sql);
    const err = await seedDemo(a.services.sql, { members: 10, now: NOW }).catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe('seed_not_empty');
    expect(await checksums(a.services.sql)).toEqual(before);
    expect(await seedIfEmpty(a.services)).toEqual({ seeded: false, reason: 'members_present' });
  });

  it('rejects bad options with a code', async () => {
    const err = await seedDemo(a.services.sql, { members: 2, reset: true }).catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe('seed_bad_options');
  });

  it('resets: replaces the data (and rows of tables that point at it) with a fresh seed', async () => {
    const sql = b.services.sql;
    // A table some later feature might add, pointing at members: a reset must empty it too.
    await sql.query('CREATE TABLE `probe_interactions` (`id` INTEGER NOT NULL AUTO_INCREMENT, `member_id` INTEGER NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `probe_fk` FOREIGN KEY (`member_id`) REFERENCES `members`(`id`))');
    await sql.query('INSERT INTO probe_interactions (member_id) VALUES (1), (2)');
    const other = await seedDemo(sql, { members: 100, seed: 8, now: NOW, reset: true });
    expect(other.members).toBe(100);
    expect((await rows(sql, 'SELECT COUNT(*) AS n FROM probe_interactions'))[0].n).toBe(0);
    expect((await rows(sql, 'SELECT COUNT(*) AS n FROM members'))[0].n).toBe(100);
    expect(await checksums(sql)).not.toEqual(await checksums(a.services.sql));
    // Back to the first seed: identical to database A again.
    await seedDemo(sql, { members: MEMBERS, seed: 7, now: NOW, reset: true });
    expect(await checksums(sql)).toEqual(await checksums(a.services.sql));
  });

  it('seedIfEmpty loads SEED_MEMBERS members into an empty database', async () => {
    await resetDemoData(b.services.sql);
    const res = await seedIfEmpty(b.services);
    expect(res.seeded && res.result.members).toBe(120);
    expect((await rows(b.services.sql, 'SELECT COUNT(*) AS n FROM members WHERE phone_hash = ?', [phoneHash('13800000001')]))[0].n).toBe(1);
  });
});
