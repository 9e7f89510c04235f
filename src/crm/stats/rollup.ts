import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { Services } from '../../services.ts';
import { pipelinedWriter } from './writer.ts';

type Runner = Pool | PoolConnection;

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The China calendar day (days since 1970-01-01, UTC+8) of an instant. */
export function chinaDay(d: Date): number {
  return Math.floor((d.getTime() + CHINA_OFFSET_MS) / DAY_MS);
}

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

  start(memberId: number): void {
    this.row = { memberId, firstOrderAt: null, lastOrderAt: null, orderCount: 0, orderDays: 0, totalCents: 0, firstDayCents: 0, medianGapDays: null, orders90d: 0, cents90d: 0, centsPrev90d: 0, orders365d: 0, cents365d: 0, complaints60d: 0 };
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

const COLUMNS = 'member_id, first_order_at, last_order_at, order_count, order_days, total_spend, first_day_spend, median_gap_days, orders_90d, spend_90d, spend_prev_90d, orders_365d, spend_365d, complaints_60d, as_of';
const UPDATE = COLUMNS.split(', ').slice(1).map((c) => `${c} = VALUES(${c})`).join(', ');
const cents = (c: number) => (c / 100).toFixed(2);

function statsValues(r: MemberStatsRow, now: Date): unknown[] {
  return [r.memberId, r.firstOrderAt, r.lastOrderAt, r.orderCount, r.orderDays, cents(r.totalCents), cents(r.firstDayCents), r.medianGapDays, r.orders90d, cents(r.cents90d), cents(r.centsPrev90d), r.orders365d, cents(r.cents365d), r.complaints60d, now];
}

/**
 * The per-member rollup `member_stats` (one row per member, members without orders included)
 * that the value models, the churn list and the smart tags read instead of scanning orders.
 *
 * How it is kept current — no triggers (triggers hide work from the migration runner and from
 * `prisma migrate`, and many MySQL setups forbid them):
 * - `recordOrder()` inserts an order and refreshes that member's row in the same transaction
 *   (an index range over orders(member_id, paid_at)). Order ingestion must go through it.
 * - `rebuildMemberStats()` recomputes every row: one streamed pass over orders in
 *   (member_id, paid_at) index order, folded in JS (a window-function INSERT … SELECT took
 *   130 s for 1M orders on MariaDB; this takes seconds) and written back in multi-row
 *   upserts. Run after bulk loads (seed, imports) and before each scoring run, which also moves
 *   the windowed columns (*_90d, *_365d, complaints_60d) to the new `as_of`.
 *
 * Days are China calendar days (UTC+8): order_days counts distinct purchase days (BG/NBD's
 * unit of repeat purchase) and median_gap_days is the median gap between them.
 */
export async function rebuildMemberStats(sql: Pool, now: Date, memberIds: number[] | null = null, conn?: PoolConnection): Promise<number> {
  if (memberIds !== null && memberIds.length === 0) return 0;
  const runner: Runner = conn ?? sql;
  const idFilter = memberIds === null ? '' : 'AND member_id IN (?)';
  const ids = memberIds === null ? [] : [memberIds];
  const [complaintRows] = await runner.query<RowDataPacket[]>(
    `SELECT member_id, COUNT(*) AS n FROM interactions
     WHERE type = 'complaint' AND created_at > ? - INTERVAL 60 DAY AND created_at <= ? ${idFilter} GROUP BY member_id`,
    [now, now, ...ids],
  );
  const complaints = new Map(complaintRows.map((r) => [Number(r.member_id), Number(r.n)]));
  const acc = new StatsAccumulator(now);
  const done = new Set<number>();
  let written = 0;
  // One member's recordOrder runs inside its transaction's connection; the bulk path overlaps
  // streaming with up to three multi-row upserts on the pool.
  const writer = pipelinedWriter(async (rows) => {
    await runner.query(`INSERT INTO member_stats (${COLUMNS}) VALUES ? ON DUPLICATE KEY UPDATE ${UPDATE}`, [rows]);
    written += rows.length;
  }, 2000, conn ? 1 : 3);
  const emit = (r: MemberStatsRow) => {
    r.complaints60d = complaints.get(r.memberId) ?? 0;
    return writer.push(statsValues(r, now));
  };
  let current = -1;
  const rows = streamRows(conn ?? sql, `SELECT member_id, paid_at, ROUND(amount * 100) AS cents FROM orders WHERE paid_at <= ? ${idFilter} ORDER BY member_id, paid_at`, [now, ...ids]);
  for await (const r of rows) {
    const id = Number(r.member_id);
    if (id !== current) {
      if (current !== -1) {
        await emit(acc.finish());
        done.add(current);
      }
      acc.start(id);
      current = id;
    }
    acc.add(r.paid_at as Date, Number(r.cents));
  }
  if (current !== -1) {
    await emit(acc.finish());
    done.add(current);
  }
  // Members without any order still get a row (zeros), so every member can be scored.
  const [all] = await runner.query<RowDataPacket[]>(`SELECT id FROM members WHERE ${memberIds === null ? 'TRUE' : 'id IN (?)'}`, ids);
  for (const r of all) {
    const id = Number(r.id);
    if (done.has(id)) continue;
    acc.start(id);
    await emit(acc.finish());
  }
  await writer.drain();
  return written;
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
}

/**
 * Inserts an order and brings the member's `member_stats` row up to date in the same
 * transaction, so the rollup never disagrees with the orders it summarises. The entry point
 * for order ingestion (POS sync, imports); returns the new order id.
 */
export async function recordOrder(services: Pick<Services, 'sql' | 'now'>, order: NewOrder): Promise<number> {
  const conn = await services.sql.getConnection();
  try {
    await conn.beginTransaction();
    const [res] = await conn.query<ResultSetHeader>(
      'INSERT INTO orders (order_no, member_id, store_id, amount, items, payment_method, paid_at) VALUES (?, ?, ?, CAST(? AS DECIMAL(12,2)), ?, ?, ?)',
      [order.orderNo, order.memberId, order.storeId, order.amount, JSON.stringify(order.items), order.paymentMethod, order.paidAt],
    );
    const now = services.now();
    await rebuildMemberStats(services.sql, now > order.paidAt ? now : order.paidAt, [order.memberId], conn);
    await conn.commit();
    return res.insertId;
  } catch (e) {
    await conn.rollback().catch(() => {});
    throw e;
  } finally {
    conn.release();
  }
}
