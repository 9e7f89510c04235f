import { eventTriggers } from '../../automation/index.ts';
import { lockMemberForWrite } from '../../customers/index.ts';
import { findMemberEvent, insertMemberEvent, refOf, type EventType, type StoredEvent } from '../../engagement/index.ts';
import { conflict, fieldError, notFound, requirePermission, type StaffAccess } from '../../kernel/index.ts';
import type { EventInput } from './event-schema.ts';
import { requestHash } from './schemas.ts';
import { fireAfterCommit, type IntakeDeps } from './triggers.ts';

/** What recording an event answers; built from the stored row, so a replay answers exactly this. */
export interface EventReceipt {
  id: number;
  eventId: string;
  type: EventType;
  memberId: number;
  memberNo: string;
  ref: string | null;
  occurredAt: string;
}

export interface EventOutcome {
  receipt: EventReceipt;
  /** The same request had been recorded before: nothing was written now. */
  replayed: boolean;
  /** Journey enrolments the event made now (a replay's are the ones a failed first attempt missed). */
  enrolled: number;
}

/** occurredAt may run ahead of our clock by this much (device clocks drift); more is a mistake. */
const CLOCK_SKEW_MS = 5 * 60_000;

const isDupEventId = (e: unknown) => (e as { errno?: number } | null)?.errno === 1062 && /member_events_event_id_key/.test((e as { sqlMessage?: string }).sqlMessage ?? '');

async function receiptOf(access: StaffAccess, e: StoredEvent): Promise<EventReceipt | null> {
  const member = await lockMemberForWrite(access.services.sql, access.actor, { memberId: e.memberId }, { lock: false });
  if (!member) return null;
  return { id: e.id, eventId: e.eventId, type: e.type, memberId: e.memberId, memberNo: member.memberNo, ref: e.ref, occurredAt: e.occurredAt.toISOString() };
}

/**
 * The answer to an event id seen before: the receipt when the request is the same (hash), else
 * 409. An event of a member the caller cannot see is a 409 too (the id is taken), so nothing
 * about it leaks. Null when the id is free.
 */
async function replayOrConflict(access: StaffAccess, eventId: string, hash: string): Promise<EventReceipt | null> {
  const seen = await findMemberEvent(access.services.sql, eventId);
  if (!seen) return null;
  const receipt = seen.requestHash === hash ? await receiptOf(access, seen) : null;
  if (!receipt) throw conflict('event_conflict', `事件 ${eventId} 已用于另一条事件（内容不同）；同一事件重发须与第一次完全相同。`, { issues: [{ path: ['eventId'], message: 'already recorded with a different body', code: 'custom' }] });
  return receipt;
}

/**
 * Records one behaviour event (event.write): the member by id, number, openid or phone (one the
 * caller may see), one append-only row in member_events (engagement's), then — after it is
 * committed — the journey triggers it fires (automation's eventTriggers; the trigger sweep
 * catches up one this call missed). Idempotent on eventId: the same
 * request again answers the first receipt and writes nothing (its triggers are fired again,
 * which enrols only whom a failed first attempt missed); another body under the same id → 409.
 * No audit row: an event is the member's own doing, reported by a system, and the row itself is
 * the record (orders, which move money and points, are audited).
 */
export async function recordMemberEvent(access: StaffAccess, input: EventInput, deps: IntakeDeps = {}): Promise<EventOutcome> {
  requirePermission(access.actor, 'event.write');
  const { services } = access;
  const hash = requestHash('event', input);
  const replay = async (receipt: EventReceipt): Promise<EventOutcome> => ({ receipt, replayed: true, enrolled: await fireAfterCommit(services, deps, eventTriggers(receipt)) });
  const seen = await replayOrConflict(access, input.eventId, hash);
  if (seen) return replay(seen);
  const occurredAt = new Date(input.occurredAt);
  if (occurredAt.getTime() > services.now().getTime() + CLOCK_SKEW_MS) throw fieldError('invalid_event', ['occurredAt'], '事件时间在未来');
  const member = await lockMemberForWrite(services.sql, access.actor, input, { lock: false });
  if (!member) throw notFound('member_not_found', '没有找到这位会员（或不在你可查看的门店）。');
  const ref = refOf(input.type, input.data);
  let id: number;
  try {
    // One statement: it commits alone, so the triggers below never stand for a write that rolled back.
    id = await insertMemberEvent(services.sql, { eventId: input.eventId, memberId: member.id, type: input.type, ref, occurredAt, data: input.data, source: input.source ?? null, requestHash: hash }, services.now());
  } catch (e) {
    // The same event id committed by a concurrent request meanwhile (the unique key): answer as for a retry.
    if (isDupEventId(e)) {
      const again = await replayOrConflict(access, input.eventId, hash);
      if (again) return replay(again);
    }
    throw e;
  }
  const receipt: EventReceipt = { id, eventId: input.eventId, type: input.type, memberId: member.id, memberNo: member.memberNo, ref, occurredAt: occurredAt.toISOString() };
  return { receipt, replayed: false, enrolled: await fireAfterCommit(services, deps, eventTriggers({ memberId: member.id, type: input.type, ref, eventId: input.eventId })) };
}
