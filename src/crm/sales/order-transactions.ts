/**
 * The chain's own orders as transactions for the value models (insights/clv): one row per
 * counted order (not fully refunded), customer = member id, day = the China day it was paid,
 * amount net of refunds — the same net figures the rollups use (kernel net-orders.ts).
 * Streams (a 10M-order table never sits in memory) into the sink the file readers use.
 */
import type { Pool } from 'mysql2/promise';
import { chinaDay, countedOrder, netAmount } from '../kernel/index.ts';
import { streamRows } from './rollup.ts';

export interface OrderTransactionOptions {
  /** Only the orders of members whose home store this is (0 = members without one). */
  homeStoreId?: number;
  /** Only orders paid before this instant. */
  before?: Date;
  /** Only members whose id is a multiple of this (an even sample for a quick look at a big chain). */
  sampleEvery?: number;
}

/** Calls `sink(memberId, chinaDay, netAmount)` per counted order; resolves to the number of orders read. */
export async function readOrderTransactions(sql: Pool, sink: (customerId: string, day: number, amount: number) => void, opts: OrderTransactionOptions = {}): Promise<number> {
  const where = [countedOrder('o')];
  const params: unknown[] = [];
  if (opts.before) {
    where.push('o.paid_at < ?');
    params.push(opts.before);
  }
  if (opts.sampleEvery && opts.sampleEvery > 1) {
    where.push('o.member_id % ? = 0');
    params.push(opts.sampleEvery);
  }
  let join = '';
  if (opts.homeStoreId !== undefined) {
    join = 'JOIN members m ON m.id = o.member_id';
    where.push(opts.homeStoreId === 0 ? 'm.home_store_id IS NULL' : 'm.home_store_id = ?');
    if (opts.homeStoreId !== 0) params.push(opts.homeStoreId);
  }
  let n = 0;
  for await (const r of streamRows(sql, `SELECT o.member_id, o.paid_at, ${netAmount('o')} AS net FROM orders o ${join} WHERE ${where.join(' AND ')}`, params)) {
    sink(String(r.member_id), chinaDay(r.paid_at as Date), Number(r.net));
    n++;
  }
  return n;
}
