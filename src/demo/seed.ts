import { availableParallelism } from 'node:os';
import type mysql from 'mysql2/promise';
import type { SqlPool } from '../db/sql.ts';
import { AppError, chinaDay, chinaDayStartMs, HOUR_MS, keyring, startOfChinaDay } from '../crm/kernel/index.ts';
import type { Services } from '../services.ts';
import { DEMO_STAFF, DEMO_STORES } from './identities.ts';
import { insertRows, type Queryable } from './bulk.ts';
import { nextBases, type ChunkCounts, type ChunkSpec } from './chunk.ts';
import { inProcessProducer, workerProducer, type ChunkProducer } from './chunk-producer.ts';
import { serverWireFormat, writeChunk, WRITER_TABLES } from './load.ts';
import { parseSeedOptions, type ParsedSeedOptions, type SeedOptions } from './options.ts';
import { demoTablesInUse, resetDemoData } from './reset.ts';
import { CHUNK_TABLES, FIRST_IDS } from './rows.ts';
import { deferIndexes, restoreDeferredIndexes } from './deferred-indexes.ts';
import { DEMO_TAGS } from './tags.ts';

export interface SeedResult {
  stores: number;
  staff: number;
  members: number;
  orders: number;
  tags: number;
  memberTags: number;
  interactions: number;
  tickets: number;
  kocProfiles: number;
  kocReferrals: number;
  /** Opening points-ledger entries (one per member with points). */
  pointsEntries: number;
  /** How the rows were written: LOAD DATA LOCAL INFILE (tsv) or INSERT (sql). */
  format: 'tsv' | 'sql';
  threads: number;
  seed: number;
  /** The generation date the data is relative to. */
  now: Date;
}

async function insertFixedRows(sql: SqlPool, now: Date): Promise<void> {
  const today = chinaDay(now.getTime());
  const opened = new Date(chinaDayStartMs(today - 1200) + 9 * HOUR_MS);
  const hired = new Date(chinaDayStartMs(today - 1100) + 9 * HOUR_MS);
  await insertRows(sql, 'stores', ['id', 'code', 'name', 'city', 'created_at'], DEMO_STORES.map((s) => [s.id, s.code, s.name, s.city, opened]));
  await insertRows(sql, 'staff', ['id', 'wecom_user_id', 'name', 'role', 'active', 'created_at'], DEMO_STAFF.map((s) => [s.id, s.wecomUserId, s.name, s.role, true, hired]));
  await insertRows(sql, 'staff_stores', ['staff_id', 'store_id'], DEMO_STAFF.flatMap((s) => s.storeIds.map((id) => [s.id, id])));
  await insertRows(sql, 'tags', ['id', 'name', 'category', 'description', 'created_at'], DEMO_TAGS.map((t) => [t.id, t.name, t.category, t.description, opened]));
}

/**
 * Dedicated writer connections for the bulk load, one per table group (load.ts WRITER_TABLES).
 * Foreign-key and unique checks are off for their sessions only: every key is unique by
 * construction (ids from counters, phones from a bijection, openids carry the member index),
 * so the checks would only cost time. Each LOAD commits on its own: one transaction over the
 * whole load was measured no faster (the bulk-insert path of an empty table did not pay off)
 * and would pile up undo. The settings are restored before the connections go back to the pool.
 */
async function withWriters<T>(sql: SqlPool, fn: (writers: Queryable[]) => Promise<T>): Promise<T> {
  const conns: mysql.PoolConnection[] = [];
  try {
    for (let i = 0; i < WRITER_TABLES.length; i++) {
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
    if (rows[0]?.got !== 1) throw new AppError('seed_locked', 'another process is loading demo data into this database');
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
 * fixed demo members first) with two years of orders, their latent truth, manual tags, service
 * records (interactions, tickets, KOC profiles and referrals) and opening points balances. Refuses a
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
        throw new AppError('seed_not_empty', `the database already has data in ${used.join(', ')}; reset it with --reset (this deletes it)`);
      }
    }
    const started = Date.now();
    await insertFixedRows(sql, o.now);
    // A killed seed's dropped indexes first (instant on the emptied tables).
    await restoreDeferredIndexes(sql);
    const defer = o.deferIndexes ?? o.members >= LARGE;
    if (defer) await deferIndexes(sql, CHUNK_TABLES.map((t) => t.table));
    let loaded: Awaited<ReturnType<typeof loadMembers>>;
    try {
      loaded = await withWriters(sql, (writers) => loadMembers(writers, o, started));
    } finally {
      if (defer) {
        o.onProgress?.({ membersDone: o.members, membersTotal: o.members, ordersDone: 0, serviceRecordsDone: 0, elapsedMs: Date.now() - started, phase: 'indexes', done: false });
        await restoreDeferredIndexes(sql);
      }
    }
    const { counts, format, threads } = loaded;
    // After the writers committed and the indexes are back: it joins on orders(member_id, paid_at).
    await linkReferralOrders(sql);
    o.onProgress?.({ membersDone: o.members, membersTotal: o.members, ordersDone: counts.orders, serviceRecordsDone: serviceRecords(counts), elapsedMs: Date.now() - started, done: true });
    return {
      stores: DEMO_STORES.length,
      staff: DEMO_STAFF.length,
      members: o.members,
      orders: counts.orders,
      tags: DEMO_TAGS.length,
      memberTags: counts.memberTags,
      interactions: counts.interactions,
      tickets: counts.tickets,
      kocProfiles: counts.kocProfiles,
      kocReferrals: counts.referrals,
      pointsEntries: counts.ledger,
      format,
      threads,
      seed: o.seed,
      now: o.now,
    };
  });
}

const serviceRecords = (c: ChunkCounts) => c.interactions + c.tickets + c.kocProfiles + c.referrals;

/** From this many members, worker threads and deferred indexes pay for their start-up. */
const LARGE = 20_000;

function defaultThreads(members: number): number {
  return members < LARGE ? 0 : Math.max(1, Math.min(3, availableParallelism() - 1));
}

/** Chunks written at once: enough to keep the server busy while the next is produced. */
const WRITES_IN_FLIGHT = 2;

/**
 * Streams the members chunk by chunk: chunks are generated ahead (in worker threads when there
 * are any), numbered in order as their counts come in, encoded, and written while the next
 * ones are produced. Memory stays proportional to the chunk size, not the member count.
 */
async function loadMembers(writers: Queryable[], o: ParsedSeedOptions, started: number): Promise<{ counts: ChunkCounts; format: 'tsv' | 'sql'; threads: number }> {
  const format = o.format ?? (await serverWireFormat(writers[0] as mysql.PoolConnection));
  const threads = o.threads ?? defaultThreads(o.members);
  const spec: ChunkSpec = { seed: o.seed, nowMs: o.now.getTime(), members: o.members, format, keyring: keyring() };
  const producer: ChunkProducer = threads > 0 ? workerProducer(spec, threads, o.chunkMembers) : inProcessProducer(spec);
  const total: ChunkCounts = { members: 0, orders: 0, memberTags: 0, interactions: 0, tickets: 0, kocProfiles: 0, referrals: 0, ledger: 0 };
  try {
    const starts: number[] = [];
    for (let s = 0; s < o.members; s += o.chunkMembers) starts.push(s);
    const ahead = Math.max(2, 2 * threads);
    const generating = new Map<number, Promise<ChunkCounts>>();
    const generate = (k: number) => {
      if (k >= starts.length) return;
      const p = producer.generate(starts[k]!, Math.min(o.members, starts[k]! + o.chunkMembers));
      p.catch(() => {}); // awaited in order below; this only keeps an early failure from going unhandled
      generating.set(k, p);
    };
    for (let k = 0; k < ahead; k++) generate(k);

    let bases = FIRST_IDS;
    const writing = new Set<Promise<void>>();
    for (let k = 0; k < starts.length; k++) {
      const counts = await generating.get(k)!;
      generating.delete(k);
      // Ask for the encoding before queueing more generation: a worker answers in order.
      const encoded = producer.encode(starts[k]!, bases);
      generate(k + ahead);
      bases = nextBases(bases, counts);
      for (const key of Object.keys(total) as (keyof ChunkCounts)[]) total[key] += counts[key];
      const chunk = await encoded;
      while (writing.size >= WRITES_IN_FLIGHT) await Promise.race(writing);
      const done = { membersDone: total.members, ordersDone: total.orders, serviceRecordsDone: serviceRecords(total) };
      const w = writeChunk(writers, chunk, format, k).then(() => o.onProgress?.({ ...done, membersTotal: o.members, elapsedMs: Date.now() - started, done: false }));
      writing.add(w);
      w.then(
        () => writing.delete(w),
        () => {},
      );
    }
    await Promise.all(writing);
  } finally {
    await producer.close();
  }
  return { counts: total, format, threads };
}

/**
 * Fills koc_referrals.order_id: the invitee's order that redeemed a referral may be in any
 * chunk, so it is found after the load by (member, paid_at) — a member pays at most once a day.
 */
async function linkReferralOrders(sql: SqlPool): Promise<void> {
  await sql.query(
    `UPDATE koc_referrals r JOIN orders o ON o.member_id = r.referred_member_id AND o.paid_at = r.redeemed_at
        SET r.order_id = o.id
      WHERE r.redeemed_at IS NOT NULL AND r.order_id IS NULL`,
  );
}

export type SeedIfEmptyResult = { seeded: true; result: SeedResult } | { seeded: false; reason: 'disabled' | 'members_present' | 'tables_in_use' };

/**
 * `npm start`'s demo loader: seeds config.SEED_MEMBERS members when the members table is
 * empty and SEED_DEMO is not "never". Never throws on a database someone already uses.
 */
export async function seedIfEmpty(services: Pick<Services, 'sql' | 'config' | 'logger' | 'now'>): Promise<SeedIfEmptyResult> {
  const { sql, config, logger } = services;
  if (config.SEED_DEMO === 'never') return { seeded: false, reason: 'disabled' };
  // Indexes a killed seed left dropped come back before anything else reads the tables.
  await restoreDeferredIndexes(sql);
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
