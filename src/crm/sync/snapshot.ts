import type { Pool, RowDataPacket } from 'mysql2/promise';
import { openPhone } from '../customers/index.ts';
import type { Activity, FieldValues } from './connector.ts';

/**
 * What a push sends: the current state of members and of timeline entries, read at delivery
 * (the change feed names objects, not data: several changes of a member collapse into one push).
 * Reads only, in one statement per kind for a whole page of the change feed; the owners write.
 */
export interface MemberSnapshot {
  id: number;
  fields: FieldValues;
  tags: string[];
  /** Merged away or erased: its contact is discarded. */
  deleted: boolean;
}

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);
const dec = (v: unknown) => (v === null || v === undefined ? null : Number(v).toFixed(2));

export async function memberSnapshots(sql: Pool, ids: number[]): Promise<Map<number, MemberSnapshot>> {
  const out = new Map<number, MemberSnapshot>();
  if (!ids.length) return out;
  const [rows] = await sql.query<RowDataPacket[]>(
    `SELECT m.id, m.member_no, m.name, m.phone_enc, m.gender, m.birthday, m.level, m.points, m.status, s.code AS store_code,
            st.order_count, st.total_spend, st.last_order_at,
            (SELECT COUNT(*) FROM koc_referrals r WHERE r.koc_member_id = m.id) AS koc_referrals,
            (SELECT SUM(r.commission) FROM koc_referrals r WHERE r.koc_member_id = m.id) AS koc_earnings
       FROM members m LEFT JOIN stores s ON s.id = m.home_store_id LEFT JOIN member_stats st ON st.member_id = m.id
      WHERE m.id IN (?)`,
    [ids],
  );
  const [tagRows] = await sql.query<RowDataPacket[]>('SELECT mt.member_id, t.name FROM member_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.member_id IN (?) ORDER BY t.name', [ids]);
  const tags = new Map<number, string[]>();
  for (const t of tagRows) tags.set(Number(t.member_id), [...(tags.get(Number(t.member_id)) ?? []), String(t.name)]);
  for (const r of rows) {
    const id = Number(r.id);
    const deleted = r.status === 'deleted';
    out.set(id, {
      id,
      deleted,
      tags: tags.get(id) ?? [],
      fields: {
        name: String(r.name),
        phone: deleted ? null : openPhone(String(r.phone_enc)),
        gender: r.gender ?? 'unknown',
        birthday: day(r.birthday),
        member_no: String(r.member_no),
        status: String(r.status),
        level: String(r.level),
        points: String(r.points),
        home_store: r.store_code ?? null,
        total_spend: dec(r.total_spend ?? 0),
        order_count: String(r.order_count ?? 0),
        last_order_at: r.last_order_at ? new Date(r.last_order_at).toISOString() : null,
        koc_referrals: String(r.koc_referrals ?? 0),
        koc_earnings: dec(r.koc_earnings ?? 0),
      },
    });
  }
  return out;
}

/** A timeline entry and the member it belongs to. */
export interface ActivitySnapshot {
  memberId: number;
  activity: Activity;
}

/** Orders (by number), refunds (by number) and follow-ups (interaction id) as timeline entries. */
export async function activitySnapshots(sql: Pool, want: { order: string[]; refund: string[]; follow_up: string[] }): Promise<Map<string, ActivitySnapshot>> {
  const out = new Map<string, ActivitySnapshot>();
  if (want.order.length) {
    const [rows] = await sql.query<RowDataPacket[]>('SELECT o.order_no, o.member_id, o.amount, o.paid_at, s.name AS store FROM orders o LEFT JOIN stores s ON s.id = o.store_id WHERE o.order_no IN (?)', [want.order]);
    for (const r of rows) {
      const key = `order:${r.order_no}`;
      out.set(key, { memberId: Number(r.member_id), activity: { key, kind: 'order', title: `消费 ¥${dec(r.amount)}`, content: `订单 ${r.order_no}，${r.store ?? ''} ¥${dec(r.amount)}`, at: new Date(r.paid_at) } });
    }
  }
  if (want.refund.length) {
    const [rows] = await sql.query<RowDataPacket[]>('SELECT f.refund_no, f.amount, f.refunded_at, o.order_no, o.member_id FROM order_refunds f JOIN orders o ON o.id = f.order_id WHERE f.refund_no IN (?)', [want.refund]);
    for (const r of rows) {
      const key = `refund:${r.refund_no}`;
      out.set(key, { memberId: Number(r.member_id), activity: { key, kind: 'refund', title: `退款 ¥${dec(r.amount)}`, content: `订单 ${r.order_no} 退款 ${r.refund_no} ¥${dec(r.amount)}`, at: new Date(r.refunded_at) } });
    }
  }
  if (want.follow_up.length) {
    const [rows] = await sql.query<RowDataPacket[]>('SELECT id, member_id, type, content, created_at FROM interactions WHERE id IN (?)', [want.follow_up.map(Number)]);
    for (const r of rows) {
      const key = `follow_up:${r.id}`;
      out.set(key, { memberId: Number(r.member_id), activity: { key, kind: 'follow_up', title: `跟进（${r.type}）`, content: String(r.content), at: new Date(r.created_at) } });
    }
  }
  return out;
}
