import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { EventType } from './types.ts';

/** A member_events row as the intake reads it back (a replay answers from it). */
export interface StoredEvent {
  id: number;
  eventId: string;
  memberId: number;
  type: EventType;
  ref: string | null;
  occurredAt: Date;
  requestHash: string;
}

export interface NewEvent {
  eventId: string;
  memberId: number;
  type: EventType;
  ref: string | null;
  occurredAt: Date;
  data: Record<string, unknown>;
  source: string | null;
  requestHash: string;
}

/** member_events is append-only: this insert is its only writer besides a merge's move and an erasure. */
export async function insertMemberEvent(conn: Pool | PoolConnection, e: NewEvent, now: Date): Promise<number> {
  const [r] = await conn.query<ResultSetHeader>(
    'INSERT INTO member_events (event_id, member_id, type, ref, occurred_at, data, source, request_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [e.eventId, e.memberId, e.type, e.ref, e.occurredAt, JSON.stringify(e.data), e.source, e.requestHash, now],
  );
  return r.insertId;
}

/** The event recorded under the sender's id, or null. */
export async function findMemberEvent(conn: Pool | PoolConnection, eventId: string): Promise<StoredEvent | null> {
  const [rows] = await conn.query<RowDataPacket[]>('SELECT id, event_id, member_id, type, ref, occurred_at, request_hash FROM member_events WHERE event_id = ?', [eventId]);
  const r = rows[0];
  if (!r) return null;
  return { id: Number(r.id), eventId: String(r.event_id), memberId: Number(r.member_id), type: r.type as EventType, ref: r.ref === null ? null : String(r.ref), occurredAt: new Date(r.occurred_at), requestHash: String(r.request_hash) };
}

/** A merge: the duplicate's events become the survivor's (on the merge's transaction). */
export async function moveMemberEvents(conn: PoolConnection, from: number, to: number): Promise<number> {
  const [r] = await conn.query<ResultSetHeader>('UPDATE member_events SET member_id = ? WHERE member_id = ?', [to, from]);
  return r.affectedRows;
}

/** An erasure: what the member did (products viewed, forms with their answers …) is personal data, so it goes. */
export async function eraseMemberEvents(conn: PoolConnection, memberId: number): Promise<number> {
  const [r] = await conn.query<ResultSetHeader>('DELETE FROM member_events WHERE member_id = ?', [memberId]);
  return r.affectedRows;
}
