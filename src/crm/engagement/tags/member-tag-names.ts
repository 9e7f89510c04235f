import type { Pool, RowDataPacket } from 'mysql2/promise';

/** The names of the tags each member holds, sorted (another CRM's object tags, docs/sync.md); absent = none. */
export async function memberTagNames(sql: Pool, memberIds: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (!memberIds.length) return out;
  const [rows] = await sql.query<RowDataPacket[]>('SELECT mt.member_id, t.name FROM member_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.member_id IN (?) ORDER BY t.name', [memberIds]);
  for (const r of rows) out.set(Number(r.member_id), [...(out.get(Number(r.member_id)) ?? []), String(r.name)]);
  return out;
}
