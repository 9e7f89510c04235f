import type { Pool, RowDataPacket } from 'mysql2/promise';

/** Each KOC's referral count and earnings (the sum of commissions), for the members given; absent = none. */
export async function kocFigures(sql: Pool, memberIds: number[]): Promise<Map<number, { referrals: number; earnings: string }>> {
  if (!memberIds.length) return new Map();
  const [rows] = await sql.query<RowDataPacket[]>('SELECT koc_member_id, COUNT(*) AS n, CAST(SUM(commission) AS CHAR) AS earnings FROM koc_referrals WHERE koc_member_id IN (?) GROUP BY koc_member_id', [memberIds]);
  return new Map(rows.map((r) => [Number(r.koc_member_id), { referrals: Number(r.n), earnings: String(r.earnings ?? '0') }]));
}
