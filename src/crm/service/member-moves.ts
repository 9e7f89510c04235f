import type { PoolConnection, ResultSetHeader } from 'mysql2/promise';

/**
 * Service's part of a member merge or erasure (run by the lifecycle context inside its one
 * transaction, on its connection).
 */

const affected = async (conn: PoolConnection, query: string, params: unknown[]) => (await conn.query<ResultSetHeader>(query, params))[0].affectedRows;

/** Gives member `to` the interactions and tickets of member `from`; call it inside resyncMembers' change step (complaints count in member_stats). */
export async function moveServiceRecords(conn: PoolConnection, from: number, to: number): Promise<{ interactions: number; tickets: number }> {
  const interactions = await affected(conn, 'UPDATE interactions SET member_id = ? WHERE member_id = ?', [to, from]);
  const tickets = await affected(conn, 'UPDATE tickets SET member_id = ? WHERE member_id = ?', [to, from]);
  return { interactions, tickets };
}

/** Erasure: free text written about the member (interactions, tickets) becomes `placeholder`; the records themselves stay. */
export async function eraseServiceText(conn: PoolConnection, memberId: number, placeholder: string): Promise<void> {
  await conn.query('UPDATE interactions SET content = ?, outcome = NULL, next_action = NULL WHERE member_id = ?', [placeholder, memberId]);
  await conn.query('UPDATE tickets SET title = ?, description = NULL, resolution = NULL WHERE member_id = ?', [placeholder, memberId]);
}
