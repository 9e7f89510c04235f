import type { Pool, RowDataPacket } from 'mysql2/promise';
import { openPhone } from './sealed.ts';

/**
 * The member columns another CRM mirrors (docs/sync.md, "What maps to what"), read for the sync
 * context in one statement per page of its change feed: the phone opened (null once the member
 * is merged away or erased), the home store by code.
 */
export interface MemberSyncFacts {
  id: number;
  memberNo: string;
  name: string;
  phone: string | null;
  gender: string;
  birthday: Date | null;
  level: number;
  points: number;
  status: 'active' | 'frozen' | 'deleted';
  homeStoreCode: string | null;
}

export async function memberSyncFacts(sql: Pool, ids: number[]): Promise<Map<number, MemberSyncFacts>> {
  if (!ids.length) return new Map();
  const [rows] = await sql.query<RowDataPacket[]>('SELECT m.id, m.member_no, m.name, m.phone_enc, m.gender, m.birthday, m.level, m.points, m.status, s.code AS store_code FROM members m LEFT JOIN stores s ON s.id = m.home_store_id WHERE m.id IN (?)', [ids]);
  return new Map(
    rows.map((r) => [
      Number(r.id),
      {
        id: Number(r.id),
        memberNo: String(r.member_no),
        name: String(r.name),
        phone: r.status === 'deleted' ? null : openPhone(String(r.phone_enc)),
        gender: r.gender ?? 'unknown',
        birthday: r.birthday ?? null,
        level: Number(r.level),
        points: Number(r.points),
        status: r.status,
        homeStoreCode: r.store_code ?? null,
      },
    ]),
  );
}
