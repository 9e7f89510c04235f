import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { chinaDay, DAY_MS, monthNumberOfDay, withTransaction } from '../kernel/index.ts';
import type { Services } from '../../services.ts';
import { adjustCohorts } from './cohorts.ts';
import { DIGEST_UPSERT, decodeDigest, digestEntry, type CountedOrder } from './digest.ts';
import { countedOrder, netAmount } from '../kernel/index.ts';
import { VisitTally, writeTally, type VisitOrder } from './visits.ts';
import { asTheOnlyWriter, enterAsWriter } from './rebuild-gate.ts';
import { pipelinedWriter } from './writer.ts';

type Runner = Pool | PoolConnection;

/** One member's rollup, as written to member_stats. Money in integer cents. */
export interface MemberStatsRow {
  memberId: number;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  orderCount: number;
  orderDays: number;
  totalCents: number;
  firstDayCents: number;
  medianGapDays: number | null;
  orders90d: number;
  cents90d: number;
  centsPrev90d: number;
  orders365d: number;
  cents365d: number;
  complaints60d: number;
  /** Bits 1, 2, 4: an order in the 1st, 2nd, 3rd calendar month after the registration month. */
  cohortOrders: number;
}

/** Median of a numeric array (sorted copy); null when empty. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Folds one member's orders (ascending paid_at, all ≤ now) into a rollup row: the single
 * definition both the bulk rebuild and recordOrder use.
 */
export class StatsAccumulator {
  private row!: MemberStatsRow;
  private days: number[] = [];
  private lastDay = -1;
  constructor(private readonly now: Date) {}

  private regMonth = -1;

  /** `registeredAt`: the member's registration (for the cohort bits); null when unknown. */
  start(memberId: number, registeredAt: Date | null = null): void {
    this.row = { memberId, firstOrderAt: null, lastOrderAt: null, orderCount: 0, orderDays: 0, totalCents: 0, firstDayCents: 0, medianGapDays: null, orders90d: 0, cents90d: 0, centsPrev90d: 0, orders365d: 0, cents365d: 0, complaints60d: 0, cohortOrders: 0 };
    this.regMonth = registeredAt ? monthNumberOfDay(chinaDay(registeredAt)) : -1;
    this.days = [];
    this.lastDay = -1;
  }

  add(paidAt: Date, cents: number): void {
    const r = this.row;
    const age = this.now.getTime() - paidAt.getTime();
    if (r.firstOrderAt === null) r.firstOrderAt = paidAt;
    r.lastOrderAt = paidAt;
    r.orderCount++;
    r.totalCents += cents;
    const day = chinaDay(paidAt);
    if (day !== this.lastDay) {
      this.days.push(day);
      this.lastDay = day;
    }
    if (this.days.length === 1) r.firstDayCents += cents;
    if (this.regMonth >= 0) {
      const k = monthNumberOfDay(day) - this.regMonth;
      if (k >= 1 && k <= 3) r.cohortOrders |= 1 << (k - 1);
    }
    if (age < 90 * DAY_MS) {
      r.orders90d++;
      r.cents90d += cents;
    } else if (age < 180 * DAY_MS) r.centsPrev90d += cents;
    if (age < 365 * DAY_MS) {
      r.orders365d++;
      r.cents365d += cents;
    }
  }

  finish(): MemberStatsRow {
    const r = this.row;
    r.orderDays = this.days.length;
    const gaps: number[] = [];
    for (let i = 1; i < this.days.length; i++) gaps.push(this.days[i]! - this.days[i - 1]!);
    r.medianGapDays = median(gaps);
    return r;
  }
}

const COLUMNS = 'member_id, first_order_at, last_order_at, order_count, order_days, total_spend, first_day_spend, median_gap_days, orders_90d, spend_90d, spend_prev_90d, orders_365d, spend_365d, complaints_60d, cohort_orders, as_of';
const UPDATE = COLUMNS.split(', ').slice(1).map((c) => `${c} = VALUES(${c})`).join(', ');
const cents = (c: number) => (c / 100).toFixed(2);

function statsValues(r: MemberStatsRow, now: Date): unknown[] {
  return [r.memberId, r.firstOrderAt, r.lastOrderAt, r.orderCount, r.orderDays, cents(r.totalCents), cents(r.firstDayCents), r.medianGapDays, r.orders90d, cents(r.cents90d), cents(r.centsPrev90d), r.orders365d, cents(r.cents365d), r.complaints60d, r.cohortOrders, now];
}

/**
 * The per-member rollup `member_stats` (one row per member, members without orders included)
 * that the value models, the churn list and the smart tags read instead of scanning orders.
 *
 * How it is kept current — no triggers (triggers hide work from the migration runner and from
 * `prisma migrate`, and many MySQL setups forbid them):
 * - `recordOrder()` inserts an order and refreshes that member's row in the same transaction
 *   (an index range over orders(member_id, paid_at)). Order ingestion must go through it;
 *   anything else that changes a member's orders (merges) wraps the change in resyncMembers().
 * - `rebuildMemberStats()` recomputes every row: one streamed pass over orders in
 *   (member_id, paid_at) index order, folded in JS (a window-function INSERT … SELECT took
 *   130 s for 1M orders on MariaDB; this takes seconds) and written back in multi-row
 *   upserts, and rewrites the store visit summary (visits.ts) from the same pass, holding the
 *   gate of rebuild-gate.ts exclusively (order writes wait for it, it waits for them). Run after bulk
 *   loads (seed, imports); the nightly scoring run only moves the windowed columns
 *   (*_90d, *_365d, complaints_60d) of the members whose windows changed (window.ts).
 *
 * Days are China calendar days (UTC+8): order_days counts distinct purchase days (BG/NBD's
 * unit of repeat purchase) and median_gap_days is the median gap between them. Refunds are
 * netted out (net.ts): an order counts for amount − refunded, a fully refunded one not at all.
 */
export async function rebuildMemberStats(sql: Runner, now: Date, memberIds: number[] | null = null, conn?: PoolConnection, known?: KnownOrders): Promise<number> {
  // The whole table: exclusive with order writes (rebuild-gate.ts), or a writer that commits
  // between this read and this write would get an older rollup written over its row.
  if (memberIds === null && !conn && 'getConnection' in sql) return asTheOnlyWriter(sql as Pool, () => foldMemberStats(sql, now, null));
  return foldMemberStats(sql, now, memberIds, conn, known);
}

/**
 * Recomputes these members' rows whole from their orders (the nightly move's members with new
 * orders, merges, no row yet: window.ts) as an order writer would: in one transaction holding a
 * share of the gate (rebuild-gate.ts) and the members' rows locked as resyncMembers locks them
 * (members, member_stats, digests, by primary key in id order), so a recordOrder of one of them
 * waits for it or it for the order — never an older rollup written over a newer one, which the
 * read-then-upsert outside any lock allowed (an order committed between the read and the write).
 * Deadlocks (the order writers' and the moves' locks meet) are retried.
 */
export async function recomputeMembers(sql: Pool, now: Date, memberIds: number[]): Promise<number> {
  const ids = [...new Set(memberIds)].sort((a, b) => a - b);
  if (!ids.length) return 0;
  return withTransaction(
    sql,
    async (conn) => {
      await enterAsWriter(conn);
      const members = await memberFacts(conn, ids, now, { lock: true });
      const orders = await memberVisitOrders(conn, ids);
      return foldMemberStats(conn, now, ids, conn, { orders, cohortBits: new Map(), members });
    },
    { retryDeadlocks: 3 },
  );
}

async function foldMemberStats(sql: Runner, now: Date, memberIds: number[] | null, conn?: PoolConnection, known?: KnownOrders): Promise<number> {
  if (memberIds !== null && memberIds.length === 0) return 0;
  const runner: Runner = conn ?? sql;
  const idFilter = memberIds === null ? '' : 'AND member_id IN (?)';
  const ids = memberIds === null ? [] : [memberIds];
  let complaints: Map<number, number>;
  let registered: Map<number, Date | null>;
  if (known?.members) {
    complaints = new Map([...known.members].map(([id, m]) => [id, m.complaints]));
    registered = new Map([...known.members].map(([id, m]) => [id, m.registeredAt]));
  } else {
    const [complaintRows] = await runner.query<RowDataPacket[]>(
      `SELECT member_id, COUNT(*) AS n FROM interactions
       WHERE type = 'complaint' AND created_at > ? - INTERVAL 60 DAY AND created_at <= ? ${idFilter} GROUP BY member_id`,
      [now, now, ...ids],
    );
    complaints = new Map(complaintRows.map((r) => [Number(r.member_id), Number(r.n)]));
    // Registration dates, for the cohort bits; every member gets a row, with orders or not.
    const [memberRows] = await runner.query<RowDataPacket[]>(`SELECT id, registered_at FROM members WHERE ${memberIds === null ? 'TRUE' : 'id IN (?)'}`, ids);
    registered = new Map(memberRows.map((r) => [Number(r.id), r.registered_at as Date]));
  }
  const acc = new StatsAccumulator(now);
  // The whole-table rebuild also rewrites the store visit summary from the same pass (it is
  // not windowed, so per-member refreshes leave it to resyncMembers).
  const visits = memberIds === null ? new VisitTally() : null;
  let visitOrders: VisitOrder[] = [];
  const done = new Set<number>();
  let written = 0;
  // One member's recordOrder runs inside its transaction's connection; the bulk path overlaps
  // streaming with up to three multi-row upserts on the pool.
  const writer = pipelinedWriter(async (rows) => {
    await runner.query(`INSERT INTO member_stats (${COLUMNS}) VALUES ? ON DUPLICATE KEY UPDATE ${UPDATE}`, [rows]);
    written += rows.length;
  }, 2000, conn ? 1 : 3);
  // Each member's counted orders (all of them, also those paid after `now`) as their digest (digest.ts), written beside the row.
  const digests = pipelinedWriter(async (rows) => {
    await runner.query(DIGEST_UPSERT, [rows]);
  }, 2000, conn ? 1 : 3);
  let entries: string[] = [];
  const emit = async (r: MemberStatsRow) => {
    r.complaints60d = complaints.get(r.memberId) ?? 0;
    known?.cohortBits.set(r.memberId, r.cohortOrders);
    await writer.push(statsValues(r, now));
    await digests.push([r.memberId, entries.join(' ')]);
    entries = [];
  };
  const finishMember = async (id: number) => {
    await emit(acc.finish());
    done.add(id);
    if (visits) {
      visits.addMember(visitOrders);
      visitOrders = [];
    }
  };
  let current = -1;
  const nowMs = now.getTime();
  // Every order feeds the visit summary; only those up to `now` feed the rollup (its windows end there).
  const rows = known
    ? knownRows(known.orders)
    : streamRows(
        conn ?? sql,
        `SELECT member_id, store_id, paid_at, ROUND(${netAmount()} * 100) AS cents FROM orders WHERE ${memberIds === null ? 'TRUE' : 'member_id IN (?)'} AND ${countedOrder()} ORDER BY member_id, paid_at`,
        ids,
      );
  for await (const r of rows) {
    const id = Number(r.member_id);
    if (id !== current) {
      if (current !== -1) await finishMember(current);
      acc.start(id, registered.get(id) ?? null);
      current = id;
    }
    const paid = r.paid_at as Date;
    const c = Number(r.cents);
    if (paid.getTime() <= nowMs) acc.add(paid, c);
    entries.push(digestEntry(paid, Number(r.store_id), c));
    if (visits) visitOrders.push({ store: Number(r.store_id), day: chinaDay(paid), cents: c });
  }
  if (current !== -1) await finishMember(current);
  // Members without any order still get a row (zeros), so every member can be scored.
  for (const id of registered.keys()) {
    if (done.has(id)) continue;
    acc.start(id);
    await emit(acc.finish());
  }
  await writer.drain();
  await digests.drain();
  if (visits) {
    await replaceVisitSummary(sql, visits);
    // Stored cohorts were counted from the old rows: recomputed on next use (after a reseed or bulk load).
    await sql.query('DELETE FROM store_cohorts');
  }
  return written;
}

/**
 * The members' counted orders when the caller already holds them (resyncMembers after an
 * insert: the orders before plus the new ones, in memory), so the rollup is folded from them
 * instead of reading every order of the members again. `cohortBits` is filled with each
 * member's cohort bits as written (resyncMembers' "after", without another read).
 */
export interface KnownOrders {
  orders: Map<number, CountedOrder[]>;
  cohortBits: Map<number, number>;
  /** The members' registration and complaints over the 60 days to `now`, when the caller has read them (resyncMembers: memberFacts). */
  members?: Map<number, MemberFacts>;
}

/** What a member's rollup and cohort need besides the orders (resyncMembers reads them in one statement). */
export interface MemberFacts {
  registeredAt: Date | null;
  complaints: number;
  /** member_stats.cohort_orders as stored (before the resync writes it), 0 without a row. */
  cohortBits: number;
  /** The cohort the member counts in (home store), null when it counts in none (no home store, deleted). */
  homeStoreId: number | null;
}

/**
 * How memberFacts reads: `lock` takes the members' rows (members, member_stats and their digest
 * rows, by primary key) FOR UPDATE, as an order writer locks them (resyncMembers' "before", the
 * nightly move's recomputeMembers); `digests`, given with the lock, is filled with the members'
 * digests read under it (resyncMembers: its "before" without reading the orders).
 */
export type MemberFactsRead = { lock: true; digests?: Map<number, CountedOrder[]> };

/**
 * The members' facts in one statement (one round trip instead of three: registration, stored
 * cohort bits, complaints), before the resync writes member_stats so the cohort bits are the old
 * ones: read with the "before" (and the digests) for an insert, again after a change that may
 * move complaints (a merge) so moved complaints count.
 */
export async function memberFacts(conn: PoolConnection, ids: number[], asOf: Date, read?: MemberFactsRead): Promise<Map<number, MemberFacts>> {
  const lock = read?.lock === true;
  const digests = read?.digests;
  // Locked: the digest rows are joined so they are locked with the members' and member_stats rows;
  // a column of theirs is read even when the digests are not wanted, or MariaDB's table
  // elimination drops the LEFT JOIN on their primary key — and their lock with it (member-facts.test.ts).
  // By the primary key (FORCE INDEX): for a few hundred ids the optimizer chose members_list_cover_idx
  // (it covers these columns), and a locking read of a secondary range takes next-key locks —
  // the gaps beside every member read — on which a concurrent write updating members next to
  // them (points, level) deadlocked. On the primary key an id list locks the rows alone.
  const [rows] = await conn.query<RowDataPacket[]>(
    `SELECT m.id, m.registered_at, m.status, m.home_store_id, COALESCE(s.cohort_orders, 0) AS bits,
       (SELECT COUNT(*) FROM interactions i WHERE i.member_id = m.id AND i.type = 'complaint' AND i.created_at > ? - INTERVAL 60 DAY AND i.created_at <= ?) AS complaints
       ${digests ? ', d.orders AS digest' : lock ? ', d.member_id AS digest_row' : ''}
     FROM members m FORCE INDEX (PRIMARY) LEFT JOIN member_stats s ON s.member_id = m.id ${lock ? 'LEFT JOIN member_order_digests d ON d.member_id = m.id' : ''} WHERE m.id IN (?)${lock ? ' FOR UPDATE' : ''}`,
    [asOf, asOf, ids],
  );
  if (digests) for (const r of rows) if (r.digest !== null) digests.set(Number(r.id), decodeDigest(String(r.digest)));
  return new Map(
    rows.map((r) => [
      Number(r.id),
      { registeredAt: r.registered_at as Date | null, complaints: Number(r.complaints), cohortBits: Number(r.bits), homeStoreId: r.status === 'deleted' || r.home_store_id === null ? null : Number(r.home_store_id) },
    ]),
  );
}

/** Known orders as the streamed query's rows: member_id ascending, each member's in paid_at order. */
async function* knownRows(orders: Map<number, CountedOrder[]>): AsyncGenerator<{ member_id: number; store_id: number; paid_at: Date; cents: number }> {
  for (const id of [...orders.keys()].sort((a, b) => a - b)) for (const o of orders.get(id)!) yield { member_id: id, store_id: o.store, paid_at: o.paidAt, cents: o.cents };
}

/** Rewrites the visit summary in one transaction (readers see the old one until it commits). */
async function replaceVisitSummary(sql: Runner, tally: VisitTally): Promise<void> {
  await withTransaction(sql, (conn) => writeTally(conn, tally, { replace: true }));
}

export type { CountedOrder } from './digest.ts';

/** The members' counted orders (paid_at order), read on `conn`; every member of `memberIds` has an entry. */
async function memberVisitOrders(conn: PoolConnection, memberIds: number[]): Promise<Map<number, CountedOrder[]>> {
  const [rows] = await conn.query<RowDataPacket[]>(
    // FOR UPDATE locks every order row of the members (refunded ones too), the ones counted are summed.
    `SELECT member_id, store_id, paid_at, ROUND(${netAmount()} * 100) AS cents, ${countedOrder()} AS counted FROM orders WHERE member_id IN (?) ORDER BY member_id, paid_at FOR UPDATE`,
    [memberIds],
  );
  const by = new Map<number, CountedOrder[]>(memberIds.map((id) => [id, []]));
  for (const r of rows) if (Number(r.counted)) by.get(Number(r.member_id))!.push({ store: Number(r.store_id), day: chinaDay(r.paid_at as Date), cents: Number(r.cents), paidAt: r.paid_at as Date });
  return by;
}

/**
 * The members' counted orders before a change, locked: from their digests (one row each), and
 * for members without one (not written since the digests were introduced) from their orders.
 */
async function countedOrders(conn: PoolConnection, ids: number[], now: Date): Promise<{ before: Map<number, CountedOrder[]>; facts: Map<number, MemberFacts> }> {
  const known = new Map<number, CountedOrder[]>();
  // The members' facts as of `now` in the same statement (used when the change does not move them: an insert).
  const facts = await memberFacts(conn, ids, now, { lock: true, digests: known });
  const unknown = ids.filter((id) => !known.has(id));
  const read = unknown.length ? await memberVisitOrders(conn, unknown) : new Map<number, CountedOrder[]>();
  return { before: new Map(ids.map((id) => [id, known.get(id) ?? read.get(id) ?? []])), facts };
}

/**
 * Runs `change` (a transaction step that adds, moves or removes orders of these members) and
 * keeps the summaries exact: the members' member_stats rows are recomputed, the store visit
 * summary gets the difference between their contribution before and after — a few rows,
 * whatever the history — and so do the stored registration cohorts (cohorts.ts). Order
 * ingestion (insertOrders), refunds and merges go through it; the caller owns the transaction
 * on `conn`. It costs a constant number of statements whatever the number of members (each an
 * IN list), so a batch resyncs all its members at once. `change` is given the members' counted
 * orders before it (the loyalty rules of a batch read their windows from them); when it knows
 * what they are after it (insertOrders: before + the new rows) it answers them, and nothing is
 * read again — else (a refund, a merge) the members' orders are read again after the change.
 * The "before" comes from the members' digests (digest.ts: one row per member, written with
 * member_stats), not from their orders, so a new order costs the same whatever the member's
 * history; only a member without a digest yet has their orders read.
 */
export async function resyncMembers(
  conn: PoolConnection,
  now: Date,
  memberIds: number[],
  change: (before: Map<number, CountedOrder[]>) => Promise<Map<number, CountedOrder[]> | void>,
  /** When the recomputed windows end, asked after `change` (insertOrders: now, or a paidAt ahead of it). */
  asOf: () => Date = () => now,
): Promise<void> {
  const ids = [...new Set(memberIds)].sort((a, b) => a - b);
  // First: a share of the gate a whole-table rebuild takes exclusively (rebuild-gate.ts).
  await enterAsWriter(conn);
  const tally = new VisitTally();
  // The "before" is locked (the members' digest rows, or their order rows for members without
  // one): two concurrent changes of one member serialize, so neither computes its difference
  // from a stale "before".
  const { before, facts } = await countedOrders(conn, ids, now);
  const known = await change(before);
  const after = known ?? (await memberVisitOrders(conn, ids));
  // Each member's change (after − before): the history both share costs nothing (visits.ts).
  for (const id of new Set([...before.keys(), ...after.keys()])) tally.addChange(before.get(id) ?? [], after.get(id) ?? []);
  const at = asOf();
  // A change that answers the orders after it (an insert) moves no complaint and no member: the
  // facts read with the "before" hold, unless the windows end later than `now` (a till ahead).
  // Else (a refund, a merge moving complaints) they are read again, after the change.
  const members = known && at.getTime() === now.getTime() ? facts : await memberFacts(conn, ids, at);
  const folded: KnownOrders = { orders: after, cohortBits: new Map(), members };
  await foldMemberStats(conn, at, ids, conn, folded);
  // The rows every write of a store shares (today's visit summary and day sales, the cohorts)
  // come last, so concurrent batches hold them only from here to their commit.
  await writeTally(conn, tally);
  await adjustCohorts(conn, members, folded.cohortBits);
}

/** `before` with new orders added, each member's list still in paid_at order (a copy: `before` is left as it was). */
function withNewOrders(before: Map<number, CountedOrder[]>, orders: NewOrder[]): Map<number, CountedOrder[]> {
  const after = new Map([...before].map(([id, list]) => [id, [...list]]));
  const grown = new Set<number>();
  for (const o of orders) {
    const list = after.get(o.memberId);
    if (!list) throw new Error(`order ${o.orderNo}: member ${o.memberId} was not locked for the batch`);
    // Cents as the query computes them (ROUND(amount * 100)); amounts are two-decimal strings.
    list.push({ store: o.storeId, day: chinaDay(o.paidAt), cents: Math.round(Number(o.amount) * 100), paidAt: o.paidAt });
    grown.add(o.memberId);
  }
  for (const id of grown) after.get(id)!.sort((x, y) => x.paidAt.getTime() - y.paidAt.getTime());
  return after;
}

/**
 * Every row of a query, handed to `onRow` as it arrives — its columns in order (mysql2's
 * rowsAsArray) — on a dedicated connection; resolves with the number of rows once the last has
 * been handled. For a read of a million rows each handled synchronously (the scoring run's read
 * into its arrays): no promise, generator step or row object per row, where streamRows' async
 * iteration and keyed rows were about half of that read's CPU (2026-12-06, session 17). No
 * back-pressure: `onRow` keeps up by construction. An error thrown by `onRow` rejects once the
 * query has ended (the rows left are read and dropped, so the connection goes back idle).
 */
export async function eachRow(sql: Pool, query: string, params: unknown[], onRow: (row: unknown[]) => void): Promise<number> {
  const conn = await sql.getConnection();
  try {
    return await new Promise<number>((resolve, reject) => {
      let rows = 0;
      let failed: unknown = null;
      // The callback connection underneath the promise wrapper emits the rows one by one.
      const q = (conn as unknown as { connection: { query(o: { sql: string; rowsAsArray: true }, p: unknown[]): NodeJS.EventEmitter } }).connection.query({ sql: query, rowsAsArray: true }, params);
      q.on('result', (row: unknown[]) => {
        if (failed !== null) return;
        try {
          onRow(row);
          rows++;
        } catch (e) {
          failed = e;
        }
      });
      q.on('error', (e: unknown) => (failed = failed ?? e));
      q.on('end', () => (failed === null ? resolve(rows) : reject(failed)));
    });
  } finally {
    conn.release();
  }
}

/** Streams a query's rows on a dedicated connection (mysql2's row stream, back-pressured). */
export async function* streamRows(src: Pool | PoolConnection, query: string, params: unknown[]): AsyncGenerator<RowDataPacket> {
  const isPool = 'getConnection' in src && !('release' in src);
  const conn = isPool ? await (src as Pool).getConnection() : (src as PoolConnection);
  try {
    // The callback connection underneath the promise wrapper streams rows one by one.
    const stream = (conn as unknown as { connection: { query(q: string, p: unknown[]): { stream(o: { highWaterMark: number }): AsyncIterable<RowDataPacket> } } }).connection
      .query(query, params)
      .stream({ highWaterMark: 1000 });
    for await (const row of stream) yield row;
  } finally {
    if (isPool) conn.release();
  }
}

export interface NewOrder {
  orderNo: string;
  memberId: number;
  storeId: number;
  /** Decimal string in yuan ("88.50"); money never travels as a float. */
  amount: string;
  items: unknown;
  paymentMethod: string;
  paidAt: Date;
  /** dine-in, takeaway, mini-program … */
  channel?: string | null;
  /** SHA-256 of the request that recorded it (the API's idempotency on order_no). */
  requestHash?: string | null;
  /** What recording it did that the row does not hold (the intake's part of its receipt), answered again on a replay. */
  intake?: unknown;
}

const ORDER_ATTEMPTS = 5;
/** What withTransaction is told for order writes (see recordOrder). */
export const ORDER_TX = (orderNo: string) => ({ retryDeadlocks: ORDER_ATTEMPTS, lockConflict: { code: 'order_lock_conflict' as const, message: `订单 ${orderNo} 写入时多次遇到锁冲突，请稍后重试。` } });

/**
 * Whether a multi-row INSERT's ids are its first id + 0, 1, 2 … : InnoDB promises it for a
 * "simple insert" (row count known in advance) under innodb_autoinc_lock_mode 0 or 1, with
 * auto_increment_increment 1; not under mode 2 (interleaved), where ids are read back by number.
 * Both are server settings fixed at start-up (the increment per session, left alone here), read
 * once per process.
 */
let consecutiveIds: Promise<boolean> | null = null;
function insertIdsAreConsecutive(conn: PoolConnection): Promise<boolean> {
  consecutiveIds ??= conn
    .query<RowDataPacket[]>('SELECT @@innodb_autoinc_lock_mode AS mode, @@auto_increment_increment AS step')
    .then(([[r]]) => Number(r!.mode) <= 1 && Number(r!.step) === 1)
    .catch(() => false);
  return consecutiveIds;
}

/**
 * Inserts a batch of orders inside the caller's transaction (the members' rows locked by it)
 * and brings the members' `member_stats` rows, the store visit summary, day sales and cohorts
 * up to date with them — one resyncMembers over all their members and one multi-row INSERT,
 * whatever the batch size. `prepare` is given the members' counted orders before the batch and
 * answers the orders to insert (the intake computes points and levels from them first, so each
 * order's `intake` is written with the row). `then`, when given, runs right after the INSERT
 * with each order number's new id (the intake's recall attribution, change feed and audit), so
 * the rows every order of a store shares are written after it, last before the commit. Returns
 * each order number's new id.
 */
export async function insertOrders(
  conn: PoolConnection,
  now: Date,
  memberIds: number[],
  prepare: (before: Map<number, CountedOrder[]>) => Promise<NewOrder[]>,
  then?: (ids: Map<string, number>) => Promise<void>,
): Promise<Map<string, number>> {
  if (!memberIds.length) return new Map();
  let ids = new Map<string, number>();
  // The rollup windows end at now, or at the latest paidAt when a till's clock runs ahead.
  let asOf = now;
  const consecutive = insertIdsAreConsecutive(conn);
  await resyncMembers(conn, now, memberIds, async (before) => {
    const orders = await prepare(before);
    if (!orders.length) return before;
    const [res] = await conn.query<ResultSetHeader>('INSERT INTO orders (order_no, member_id, store_id, amount, items, payment_method, paid_at, channel, request_hash, intake, created_at) VALUES ?', [
      orders.map((o) => {
        if (o.paidAt > asOf) asOf = o.paidAt;
        return [o.orderNo, o.memberId, o.storeId, o.amount, JSON.stringify(o.items), o.paymentMethod, o.paidAt, o.channel ?? null, o.requestHash ?? null, o.intake === undefined ? null : JSON.stringify(o.intake), now];
      }),
    ]);
    if (orders.length === 1 || (await consecutive)) ids = new Map(orders.map((o, k) => [o.orderNo, res.insertId + k]));
    else {
      // Ids by number (one unique-key look-up) where consecutive ids are not promised.
      const [rows] = await conn.query<RowDataPacket[]>('SELECT id, order_no FROM orders WHERE order_no IN (?)', [orders.map((o) => o.orderNo)]);
      ids = new Map(rows.map((r) => [String(r.order_no), Number(r.id)]));
    }
    await then?.(ids);
    // The rows just inserted are known: the rollups are folded from before + them, not read again.
    return withNewOrders(before, orders);
  }, () => asOf);
  return ids;
}

/**
 * Inserts an order inside the caller's transaction and brings the member's `member_stats` row
 * and the store visit summary up to date with it (insertOrders with one); returns the new order id.
 */
export async function insertOrder(conn: PoolConnection, now: Date, order: NewOrder): Promise<number> {
  const ids = await insertOrders(conn, now, [order.memberId], async () => [order]);
  return ids.get(order.orderNo)!;
}

/**
 * Inserts an order and brings the member's `member_stats` row and the store visit summary up
 * to date in the same transaction, so neither disagrees with the orders it summarises. The
 * entry point for bare order ingestion; the API's orders (points, level, journeys as well) go
 * through the lifecycle context's recordPaidOrder, which calls insertOrder in its transaction.
 * Returns the new order id.
 *
 * Concurrent orders of one store meet on the same summary rows (today's, per store and for all
 * stores), so InnoDB sometimes picks one as a deadlock victim and rolls it back whole; the order
 * is then simply run again (the rollback left nothing behind, and order_no is unique), with a
 * short random pause so the two don't collide the same way twice. After ORDER_ATTEMPTS the
 * caller gets a retryable 503.
 */
export async function recordOrder(services: Pick<Services, 'sql' | 'now'>, order: NewOrder): Promise<number> {
  return withTransaction(services.sql, (conn) => insertOrder(conn, services.now(), order), ORDER_TX(order.orderNo));
}
