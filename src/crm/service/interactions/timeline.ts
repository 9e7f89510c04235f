import type { Pool, RowDataPacket } from 'mysql2/promise';

/** Interactions by id as another CRM's follow-up records (docs/sync.md): one statement for a page of the sync's feed. */
export interface TimelineInteraction {
  id: number;
  memberId: number;
  type: string;
  content: string;
  createdAt: Date;
  followUpDoneAt: Date | null;
  outcome: string | null;
}

export async function interactionsForTimeline(sql: Pool, ids: number[]): Promise<TimelineInteraction[]> {
  if (!ids.length) return [];
  const [rows] = await sql.query<RowDataPacket[]>('SELECT id, member_id, type, content, created_at, follow_up_done_at, outcome FROM interactions WHERE id IN (?)', [ids]);
  return rows.map((r) => ({ id: Number(r.id), memberId: Number(r.member_id), type: String(r.type), content: String(r.content), createdAt: new Date(r.created_at), followUpDoneAt: r.follow_up_done_at ?? null, outcome: r.outcome ?? null }));
}
