import type mysql from 'mysql2/promise';
import type { SqlPool } from '../../db/sql.ts';
import { AppError } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { chinaDayIndex, chinaDayStart, HOUR_MS, startOfChinaDay } from './calendar.ts';
import { DEMO_STAFF, DEMO_STORES } from './identities.ts';
import { generateMember, makeContext, type GeneratedMember } from './member.ts';
import { insertRows, type Queryable } from './bulk.ts';
import { parseSeedOptions, type SeedOptions } from './options.ts';
import { demoTablesInUse, resetDemoData } from './reset.ts';
import { MEMBER_COLUMNS, MEMBER_TAG_COLUMNS, ORDER_COLUMNS, toRows, TRUTH_COLUMNS, type ChunkRows } from './rows.ts';
import { DEMO_TAGS } from './tags.ts';

export interface SeedResult {
  stores: number;
  staff: number;
  members: number;
  orders: number;
  tags: number;
  memberTags: number;
  seed: number;
  /** The generation date the data is relative to. */
  now: Date;
}

// Orders are the bulk of the rows; a few connections write at once while the next chunk is
// generated, without taking the whole pool the rest of the app shares.
const WRITERS = 4;

async function insertFixedRows(sql: SqlPool, now: Date): Promise<void> {
  const today = chinaDayIndex(now.getTime());
  const opened = new Date(chinaDayStart(today - 1200) + 9 * HOUR_MS);
  const hired = new Date(chinaDayStart(today - 1100) + 9 * HOUR_MS);
  await insertRows(sql, 'stores', ['id', 'code', 'name', 'city', 'created_at'], DEMO_STORES.map((s) => [s.id, s.code, s.name, s.city, opened]));
  await insertRows(sql, 'staff', ['id', 'wecom_user_id', 'name', 'role', 'active', 'created_at'], DEMO_STAFF.map((s) => [s.id, s.wecomUserId, s.name, s.role, true, hired]));
  await insertRows(sql, 'staff_stores', ['staff_id', 'store_id'], DEMO_STAFF.flatMap((s) => s.storeIds.map((id) => [s.id, id])));
  await insertRows(sql, 'tags', ['id', 'name', 'category', 'description', 'created_at'], DEMO_TAGS.map((t) => [t.id, t.name, t.category, t.description, opened]));
}

async function writeChunk(writers: readonly Queryable[], rows: ChunkRows): Promise<void> {
  // Members first: the other rows reference them.
  await insertRows(writers, 'members', MEMBER_COLUMNS, rows.members);
  await Promise.all([
    insertRows(writers, 'orders', ORDER_COLUMNS, rows.orders),
    insertRows(writers[0]!, 'demo_member_truth', TRUTH_COLUMNS, rows.truth),
    insertRows(writers[1] ?? writers[0]!, 'member_tags', MEMBER_TAG_COLUMNS, rows.memberTags),
  ]);
}

/**
 * Dedicated writer connections for the bulk load. Foreign-key and unique checks are off for
 * their sessions only: every key is unique by construction (ids from counters, phones from a
 * bijection, openids carry the member index) and parents are written before children, so the
 * checks would only cost time — InnoDB can then buffer secondary-index inserts. The settings
 * are restored before the connections go back to the shared pool.
 */
async function withWriters<T>(sql: SqlPool, fn: (writers: Queryable[]) => Promise<T>): Promise<T> {
  const conns: mysql.PoolConnection[] = [];
  try {
    for (let i = 0; i < WRITERS; i++) {
      const c = await sql.getConnection();
      conns.push(c);
      await c.query('SET SESSION foreign_key_checks = 0, unique_checks = 0');
    }
    return await fn(conns);
  } finally {
    for (const c of conns) {
      // A connection whose settings can't be restored must not go back to the pool.
      await c.query('SET SESSION foreign_key_checks = 1, unique_checks = 1').then(
        () => c.release(),
        () => c.destroy(),
      );
    }
  }
}

/** Holds a per-database named lock so two starting processes never seed at once. */
async function withSeedLock<T>(sql: SqlPool, fn: () => Promise<T>): Promise<T> {
  const conn = await sql.getConnection();
  try {
    const [rows] = await conn.query<mysql.RowDataPacket[]>("SELECT GET_LOCK(CONCAT('wecom_crm_seed:', DATABASE()), 30) AS got");
    if (rows[0]?.got !== 1) throw new AppError('seed_locked', 'another process is loading demo data into this database', 409, true);
    try {
      return await fn();
    } finally {
      await conn.query("SELECT RELEASE_LOCK(CONCAT('wecom_crm_seed:', DATABASE()))").catch(() => {});
    }
  } finally {
    conn.release();
  }
}

/**
 * Loads deterministic demo data: 3 stores, 8 staff, the tags, and `members` members (the 5
 * fixed demo members first) with two years of orders and their latent truth. Refuses a
 * database that already holds demo-table rows (AppError `seed_not_empty`) unless `reset`.
 * Members are generated and written in chunks, so memory stays flat at any size.
 */
export async function seedDemo(sql: SqlPool, opts: SeedOptions = {}): Promise<SeedResult> {
  const o = parseSeedOptions(opts);
  return withSeedLock(sql, async () => {
    if (o.reset) await resetDemoData(sql);
    else {
      const used = await demoTablesInUse(sql);
      if (used.length) {
        throw new AppError('seed_not_empty', `the database already has data in ${used.join(', ')}; reset it with --reset (this deletes it)`, 409);
      }
    }
    const started = Date.now();
    await insertFixedRows(sql, o.now);

    const ctx = makeContext(o.seed, o.now);
    let orders = 0;
    let memberTags = 0;
    await withWriters(sql, async (writers) => {
      let inflight: Promise<void> = Promise.resolve();
      for (let start = 0; start < o.members; start += o.chunkMembers) {
        const end = Math.min(o.members, start + o.chunkMembers);
        const generated: GeneratedMember[] = [];
        for (let i = start; i < end; i++) generated.push(generateMember(i, ctx));
        const rows = toRows(generated, orders + 1, o.now);
        orders += rows.orders.length;
        memberTags += rows.memberTags.length;
        // Generate the next chunk while this one is written; at most one chunk is in flight.
        await inflight;
        const done = { membersDone: end, ordersDone: orders };
        inflight = writeChunk(writers, rows).then(() =>
          o.onProgress?.({ ...done, membersTotal: o.members, elapsedMs: Date.now() - started, done: false }),
        );
      }
      await inflight;
    });
    o.onProgress?.({ membersDone: o.members, membersTotal: o.members, ordersDone: orders, elapsedMs: Date.now() - started, done: true });
    return {
      stores: DEMO_STORES.length,
      staff: DEMO_STAFF.length,
      members: o.members,
      orders,
      tags: DEMO_TAGS.length,
      memberTags,
      seed: o.seed,
      now: o.now,
    };
  });
}

export type SeedIfEmptyResult = { seeded: true; result: SeedResult } | { seeded: false; reason: 'disabled' | 'members_present' | 'tables_in_use' };

/**
 * `npm start`'s demo loader: seeds config.SEED_MEMBERS members when the members table is
 * empty and SEED_DEMO is not "never". Never throws on a database someone already uses.
 */
export async function seedIfEmpty(services: Pick<Services, 'sql' | 'config' | 'logger' | 'now'>): Promise<SeedIfEmptyResult> {
  const { sql, config, logger } = services;
  if (config.SEED_DEMO === 'never') return { seeded: false, reason: 'disabled' };
  const [rows] = await sql.query<mysql.RowDataPacket[]>('SELECT EXISTS (SELECT 1 FROM members) AS has');
  if (Number(rows[0]?.has)) return { seeded: false, reason: 'members_present' };
  const used = await demoTablesInUse(sql);
  if (used.length) {
    logger.warn({ tables: used }, 'no members but other demo tables have rows: not loading demo data (run `npm run db:seed -- --reset` to replace them)');
    return { seeded: false, reason: 'tables_in_use' };
  }
  logger.info({ members: config.SEED_MEMBERS }, 'empty database: loading demo data');
  try {
    const result = await seedDemo(sql, { members: config.SEED_MEMBERS, now: startOfChinaDay(services.now()) });
    logger.info({ ...result }, 'demo data loaded');
    return { seeded: true, result };
  } catch (e) {
    // Another process won the race and seeded first.
    if (e instanceof AppError && e.code === 'seed_not_empty') return { seeded: false, reason: 'members_present' };
    throw e;
  }
}
