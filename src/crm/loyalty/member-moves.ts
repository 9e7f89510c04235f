import type { PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';

/**
 * Loyalty's part of a member merge, erasure or import (run by the lifecycle context inside its
 * one transaction, on its connection). Points move through the ledger (appendLedger).
 */

const affected = async (conn: PoolConnection, query: string, params: unknown[]) => (await conn.query<ResultSetHeader>(query, params))[0].affectedRows;

/**
 * Gives member `to` the coupons and KOC referrals of member `from` (both sides of a referral);
 * the KOC profile moves unless `to` has one of its own (then `from`'s is dropped).
 */
export async function moveLoyaltyRecords(conn: PoolConnection, from: number, to: number): Promise<{ coupons: number; referrals: number }> {
  const coupons = await affected(conn, 'UPDATE member_coupons SET member_id = ? WHERE member_id = ?', [to, from]);
  const referrals = await affected(conn, 'UPDATE koc_referrals SET koc_member_id = ? WHERE koc_member_id = ?', [to, from]);
  await conn.query('UPDATE koc_referrals SET referred_member_id = ? WHERE referred_member_id = ?', [to, from]);
  const [koc] = await conn.query<RowDataPacket[]>('SELECT 1 FROM koc_profiles WHERE member_id = ?', [to]);
  if (koc.length) await conn.query('DELETE FROM koc_profiles WHERE member_id = ?', [from]);
  else await conn.query('UPDATE koc_profiles SET member_id = ? WHERE member_id = ?', [to, from]);
  return { coupons, referrals };
}

/** Erasure: the member's KOC profile goes (the points ledger stays, like the orders). */
export async function eraseLoyaltyRecords(conn: PoolConnection, memberId: number): Promise<void> {
  await conn.query('DELETE FROM koc_profiles WHERE member_id = ?', [memberId]);
}

/**
 * Opening balances of members just created with points (a member import): one ledger entry
 * each (kind adjust), so the ledger explains every balance. Inside the caller's transaction.
 */
export async function recordOpeningBalances(conn: PoolConnection, entries: { memberId: number; points: number }[], o: { reason: string; ref: string; createdBy: string; at: Date }): Promise<void> {
  const rows = entries.filter((e) => e.points > 0).map((e) => [e.memberId, e.points, e.points, 'adjust', o.reason, o.ref, o.createdBy, o.at]);
  if (rows.length) await conn.query('INSERT INTO points_ledger (member_id, delta, balance_after, kind, reason, ref, created_by, created_at) VALUES ?', [rows]);
}
