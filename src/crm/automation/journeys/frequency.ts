/**
 * The weekly cap on marketing messages (JOURNEY_WEEKLY_CAP, `journey_frequency`; the quota
 * ledger's "frequency cap", ../quota/ledger.ts): a slot is taken together with the `sending`
 * mark, in the caller's transaction, so a message that is not tried takes none and a rolled-back
 * mark gives its slot back. One member (the step engine) or many (a batch, ./batch.ts): the
 * decision is the same per member — a slot while fewer than `cap` were taken this week.
 */
import type { PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';

/** Takes one slot of `week` for each member below the cap; the members that got one. */
export async function takeWeeklySlots(conn: PoolConnection, memberIds: readonly number[], week: string, cap: number): Promise<Set<number>> {
  const got = new Set<number>();
  if (memberIds.length === 0) return got;
  await conn.query('INSERT IGNORE INTO journey_frequency (member_id, week_start, sent) VALUES ?', [memberIds.map((m) => [m, week, 0])]);
  if (memberIds.length === 1) {
    // One member: the UPDATE is the atomic check-and-take (mysql2 counts matched rows: 0 = at the cap).
    const [u] = await conn.query<ResultSetHeader>('UPDATE journey_frequency SET sent = sent + 1 WHERE member_id = ? AND week_start = ? AND sent < ?', [memberIds[0], week, cap]);
    if (u.affectedRows === 1) got.add(memberIds[0]!);
    return got;
  }
  // Many: their rows are locked, counted and taken in two statements; the lock holds until the
  // caller's commit, so a concurrent send to the same member waits and then sees the new count.
  const [rows] = await conn.query<RowDataPacket[]>('SELECT member_id, sent FROM journey_frequency WHERE week_start = ? AND member_id IN (?) FOR UPDATE', [week, memberIds]);
  for (const r of rows) if (Number(r.sent) < cap) got.add(Number(r.member_id));
  if (got.size) await conn.query('UPDATE journey_frequency SET sent = sent + 1 WHERE week_start = ? AND member_id IN (?)', [week, [...got]]);
  return got;
}
