import { createHash } from 'node:crypto';
import type { Pool, PoolConnection, ResultSetHeader } from 'mysql2/promise';
import { addDays } from '../kernel/index.ts';

/** A coupon to give a member; `key` is the idempotency key its code is derived from. */
export interface CouponIssue {
  memberId: number;
  key: string;
  title: string;
  /** Yuan. */
  amount: number;
  validDays: number;
  issuedAt: Date;
  /** What issued it (journey, recall) and which one (`journey:<id>:e<enrollment>`, `recall:<id>`). */
  source: string;
  sourceRef: string;
}

/** The coupon code of an idempotency key: `J` and 15 hex digits of its SHA-256. */
export function couponCode(key: string): string {
  return `J${createHash('sha256').update(key).digest('hex').slice(0, 15).toUpperCase()}`;
}

/**
 * Issues one coupon (member_coupons), on the pool or inside the caller's transaction. The code
 * is derived from the idempotency key and UNIQUE: a replay inserts nothing. True when issued now.
 * Journeys (and so recalls, which run as journeys) issue theirs here.
 */
export async function issueCoupon(sql: Pool | PoolConnection, c: CouponIssue): Promise<boolean> {
  return (await issueCoupons(sql, [c])) > 0;
}

/** Issues many coupons in one statement (a journey step for a batch of members); how many were issued now. */
export async function issueCoupons(sql: Pool | PoolConnection, cs: readonly CouponIssue[]): Promise<number> {
  if (cs.length === 0) return 0;
  const [res] = await sql.query<ResultSetHeader>('INSERT IGNORE INTO member_coupons (member_id, code, title, amount, status, issued_at, expires_at, source, source_ref) VALUES ?', [
    cs.map((c) => [c.memberId, couponCode(c.key), c.title, c.amount.toFixed(2), 'issued', c.issuedAt, addDays(c.issuedAt, c.validDays), c.source, c.sourceRef]),
  ]);
  return res.affectedRows;
}
