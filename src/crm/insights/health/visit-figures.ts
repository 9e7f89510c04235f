import type { RowDataPacket } from 'mysql2/promise';
import type { SqlPool } from '../../../db/sql.ts';
import { ALL_STORES, MAX_PERIOD_DAYS, NEXT, PREV, YEAR_DAYS } from '../../sales/index.ts';

/**
 * The order side of the health figures from the store visit summary (src/crm/sales/visits.ts)
 * instead of a year of orders: a few thousand summary rows per query, whatever the member count.
 * Windows are whole China days [a, b) (day numbers); `key` is a store id or ALL_STORES.
 */
export interface VisitFigures {
  active: number;
  returners: number;
  buyers365: number;
  dormant: number;
  churned: number;
  orders: number;
  sales: string;
}

const n = (v: unknown) => Number(v ?? 0);

export async function visitFigures(sql: SqlPool, key: number, a: number, b: number): Promise<VisitFigures> {
  if (b - a > MAX_PERIOD_DAYS) throw new Error(`visitFigures: the summary answers periods up to ${MAX_PERIOD_DAYS} days`);
  const [[first], [last], [sales]] = await Promise.all([
    // Each member active in [a, b) is counted once, at their first visit in it (previous visit
    // before a); a returner's previous visit is also within the year before a.
    sql.query<RowDataPacket[]>(
      `SELECT SUM(IF(gap > day - ?, members, 0)) AS active, SUM(IF(gap > day - ? AND gap <= day - ? + ?, members, 0)) AS returners
       FROM store_visit_gaps WHERE store_key = ? AND dir = ? AND day >= ? AND day < ?`,
      [a, a, a, YEAR_DAYS, key, PREV, a, b],
    ),
    // Each member who bought in the year before b is counted once, at their last visit before b
    // (next visit on b or later); where that visit falls says dormant (90–180 days) or churned (180–365).
    sql.query<RowDataPacket[]>(
      `SELECT SUM(members) AS buyers, SUM(IF(day >= ? AND day < ?, members, 0)) AS dormant, SUM(IF(day < ?, members, 0)) AS churned
       FROM store_visit_gaps WHERE store_key = ? AND dir = ? AND day >= ? AND day < ? AND gap >= ? - day`,
      [b - 180, b - 90, b - 180, key, NEXT, b - YEAR_DAYS, b, b],
    ),
    sql.query<RowDataPacket[]>('SELECT SUM(orders) AS orders, SUM(sales) AS sales FROM store_day_sales WHERE store_key = ? AND day >= ? AND day < ?', [key, a, b]),
  ]);
  return {
    active: n(first[0]!.active),
    returners: n(first[0]!.returners),
    buyers365: n(last[0]!.buyers),
    dormant: n(last[0]!.dormant),
    churned: n(last[0]!.churned),
    orders: n(sales[0]!.orders),
    sales: String(sales[0]!.sales ?? '0'),
  };
}

/** Active members, orders and sales of the `count` periods of `len` days ending at day `b`; index k = 0 is the latest. */
export async function visitTrend(sql: SqlPool, key: number, b: number, len: number, count: number): Promise<Map<number, { active: number; orders: number; sales: string }>> {
  if (len > MAX_PERIOD_DAYS) throw new Error(`visitTrend: the summary answers periods up to ${MAX_PERIOD_DAYS} days`);
  const from = b - count * len;
  const period = `FLOOR((? - 1 - day) / ?)`;
  const [[active], [sales]] = await Promise.all([
    sql.query<RowDataPacket[]>(
      `SELECT ${period} AS k, SUM(IF(gap > day - (? - (${period} + 1) * ?), members, 0)) AS active
       FROM store_visit_gaps WHERE store_key = ? AND dir = ? AND day >= ? AND day < ? GROUP BY k`,
      [b, len, b, b, len, len, key, PREV, from, b],
    ),
    sql.query<RowDataPacket[]>(`SELECT ${period} AS k, SUM(orders) AS orders, SUM(sales) AS sales FROM store_day_sales WHERE store_key = ? AND day >= ? AND day < ? GROUP BY k`, [b, len, key, from, b]),
  ]);
  const out = new Map<number, { active: number; orders: number; sales: string }>();
  for (const r of active) out.set(Number(r.k), { active: n(r.active), orders: 0, sales: '0' });
  for (const r of sales) {
    const p = out.get(Number(r.k)) ?? { active: 0, orders: 0, sales: '0' };
    p.orders = n(r.orders);
    p.sales = String(r.sales ?? '0');
    out.set(Number(r.k), p);
  }
  return out;
}

/**
 * The summary key of a store set: the store itself, ALL_STORES for every store, null for any
 * other subset (its distinct counts need the orders) or while the summary was never built on
 * a database that has orders (before the first rebuild after an upgrade).
 */
export async function summaryKey(sql: SqlPool, storeIds: number[], allStoreIds: number[]): Promise<number | null> {
  const ids = [...new Set(storeIds)];
  const key = ids.length === 1 ? ids[0]! : ids.length === allStoreIds.length && allStoreIds.every((id) => ids.includes(id)) ? ALL_STORES : null;
  if (key === null) return null;
  const [[r]] = await sql.query<any[]>('SELECT EXISTS(SELECT 1 FROM store_day_sales) AS built, EXISTS(SELECT 1 FROM orders) AS data');
  return Number(r.built) || !Number(r.data) ? key : null;
}
