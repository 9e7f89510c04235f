/**
 * Triggers: what puts a member into a journey.
 * - Events pushed by other modules (`emitTrigger`): a recorded behaviour event (the intake's
 *   POST /events: product viewed → product_browsed, group joined / staff added → wecom_joined,
 *   every type → member_event), a paid order or a new member at once, and any of the others
 *   when the caller knows first.
 * - A sweep over the database (`scanTriggers`, every few minutes) for everything the CRM records
 *   anyway, so no other module has to remember to call us: registrations, paid orders,
 *   complaints, level changes (each since a cursor in Redis), and the calendar-driven ones —
 *   birthdays, N days without an order, points about to expire, entering / leaving a segment.
 * Each entry's occurrence (order id, birthday year …) goes into the enrollment's dedupe key, so
 * a sweep that runs twice or an event that arrives twice enrols the member once.
 */
import type { RowDataPacket } from 'mysql2/promise';
import type { Services } from '../../../services.ts';
import type { EventType } from '../../engagement/index.ts';
import { addDays, formatDate } from '../../kernel/index.ts';
import { countedOrder } from '../../sales/index.ts';
import type { JourneyTrigger, TriggerType } from './definition.ts';
import type { JourneyDeps } from './deps.ts';
import { enrollMembers } from './schedule.ts';
import { loadVersion } from './store.ts';

export interface TriggerEvent {
  type: TriggerType;
  memberId: number;
  /** Makes this occurrence distinct (order id, event id …). */
  occurrence: string;
  /** order_paid: amount; product_browsed: productId; wecom_joined: kind; level_changed: from/to; member_event: the event's type and ref. */
  data?: { amount?: number; productId?: string; kind?: 'group' | 'staff'; fromLevel?: number | null; toLevel?: number; eventType?: string; ref?: string | null };
}

interface ActiveJourney {
  id: number;
  trigger: JourneyTrigger;
}

async function activeJourneys(services: Services, type: TriggerType): Promise<ActiveJourney[]> {
  const [rows] = await services.sql.query<RowDataPacket[]>("SELECT id, current_version FROM journeys WHERE status = 'active' AND trigger_type = ?", [type]);
  const out: ActiveJourney[] = [];
  for (const r of rows) out.push({ id: r.id, trigger: (await loadVersion(services, r.id, r.current_version)).def.trigger });
  return out;
}

function matches(t: JourneyTrigger, e: TriggerEvent): boolean {
  switch (t.type) {
    case 'order_paid':
      return t.minAmount === undefined || (e.data?.amount ?? 0) >= t.minAmount;
    case 'product_browsed':
      return t.productId === undefined || t.productId === e.data?.productId;
    case 'wecom_joined':
      return t.kind === 'any' || t.kind === e.data?.kind;
    case 'member_event':
      return t.eventType === e.data?.eventType && (t.ref === undefined || t.ref === e.data?.ref);
    case 'level_changed': {
      if (t.direction === 'any') return true;
      const up = (e.data?.toLevel ?? 0) > (e.data?.fromLevel ?? 0);
      return t.direction === 'up' ? up : !up;
    }
    default:
      return true;
  }
}

/** Enrols the member into every active journey the event triggers; returns how many entries were new. */
export async function emitTrigger(deps: JourneyDeps, e: TriggerEvent): Promise<number> {
  let n = 0;
  for (const j of await activeJourneys(deps.services, e.type)) {
    if (!matches(j.trigger, e)) continue;
    n += (await enrollMembers(deps, j.id, [e.memberId], { occurrence: `${e.type}:${e.occurrence}` })).enrolled;
  }
  return n;
}

/**
 * emitTrigger for many events (a batch of orders): the active journeys of each trigger type are
 * read once for the whole batch, then each matching event enrols its member. Returns how many
 * entries were new.
 */
export async function emitTriggers(deps: JourneyDeps, events: TriggerEvent[]): Promise<number> {
  let n = 0;
  const journeys = new Map<TriggerType, ActiveJourney[]>();
  for (const e of events) {
    let active = journeys.get(e.type);
    if (!active) journeys.set(e.type, (active = await activeJourneys(deps.services, e.type)));
    for (const j of active) {
      if (!matches(j.trigger, e)) continue;
      n += (await enrollMembers(deps, j.id, [e.memberId], { occurrence: `${e.type}:${e.occurrence}` })).enrolled;
    }
  }
  return n;
}

/**
 * The triggers a recorded behaviour event fires: the generic member_event always, and the older
 * dedicated triggers for the types they were made for (product_viewed → product_browsed,
 * group_joined / staff_added → wecom_joined). The occurrence is the event id, so the intake's
 * call after the write, a replay and the sweep enrol a member once per event.
 */
export function eventTriggers(e: { memberId: number; type: EventType; ref: string | null; eventId: string }): TriggerEvent[] {
  const occurrence = `ev:${e.eventId}`;
  const out: TriggerEvent[] = [{ type: 'member_event', memberId: e.memberId, occurrence, data: { eventType: e.type, ref: e.ref } }];
  if (e.type === 'product_viewed') out.push({ type: 'product_browsed', memberId: e.memberId, occurrence, data: e.ref === null ? {} : { productId: e.ref } });
  if (e.type === 'group_joined' || e.type === 'staff_added') out.push({ type: 'wecom_joined', memberId: e.memberId, occurrence, data: { kind: e.type === 'group_joined' ? 'group' : 'staff' } });
  return out;
}

/** Event types whose rows the sweep must read for the active journeys (none: it reads nothing). */
async function sweptEventTypes(services: Services): Promise<string[]> {
  const types = new Set<string>();
  if ((await activeJourneys(services, 'product_browsed')).length) types.add('product_viewed');
  if ((await activeJourneys(services, 'wecom_joined')).length) ['group_joined', 'staff_added'].forEach((t) => types.add(t));
  for (const j of await activeJourneys(services, 'member_event')) if (j.trigger.type === 'member_event') types.add(j.trigger.eventType);
  return [...types];
}

/** Rows one sweep reads at most (the rest waits for the next); the first sweep looks this many rows back, within the last hour. */
const EVENT_SWEEP_ROWS = 20_000;

/**
 * Behaviour events since the last sweep (a cursor on member_events' id, so each sweep is a
 * primary-key range however large the table): catches up an enrolment the intake's call after
 * the write missed, with the same occurrence keys (eventTriggers), so nobody enters twice.
 */
async function sweepEvents(deps: JourneyDeps, now: Date): Promise<ScanSummary> {
  const { services } = deps;
  const out: ScanSummary = {};
  const types = await sweptEventTypes(services);
  if (!types.length) return out;
  const k = services.key('journey', 'cursor', 'member_events_id');
  const stored = await services.redis.get(k);
  const [[top]] = await services.sql.query<RowDataPacket[]>('SELECT COALESCE(MAX(id), 0) AS id FROM member_events');
  const from = stored === null ? Math.max(0, Number(top!.id) - EVENT_SWEEP_ROWS) : Number(stored);
  // First sweep: only the last hour, rather than replay the whole history into journeys.
  const since = stored === null ? new Date(now.getTime() - 3600_000) : new Date(0);
  const [rows] = await services.sql.query<RowDataPacket[]>(
    'SELECT id, event_id, member_id, type, ref, created_at FROM member_events WHERE id > ? AND id <= ? ORDER BY id LIMIT ?',
    [from, Number(top!.id), EVENT_SWEEP_ROWS],
  );
  let last = from;
  for (const r of rows) {
    last = Number(r.id);
    if (!types.includes(String(r.type)) || new Date(r.created_at) <= since) continue;
    for (const e of eventTriggers({ memberId: Number(r.member_id), type: r.type as EventType, ref: r.ref, eventId: String(r.event_id) })) bump(out, e.type, await emitTrigger(deps, e));
  }
  await services.redis.set(k, String(last));
  return out;
}

function bumpAll(out: ScanSummary, add: ScanSummary): void {
  for (const [k, n] of Object.entries(add)) bump(out, k, n);
}

async function cursor(services: Services, name: string, now: Date): Promise<Date> {
  const k = services.key('journey', 'cursor', name);
  const v = await services.redis.get(k);
  // First run: look back one hour rather than replay the whole history into journeys.
  return v ? new Date(Number(v)) : new Date(now.getTime() - 3600_000);
}

const setCursor = (services: Services, name: string, at: Date) => services.redis.set(services.key('journey', 'cursor', name), String(at.getTime()));

/** Counts only what happened: an idle sweep returns {}. */
function bump(out: ScanSummary, key: string, n: number): void {
  if (n > 0) out[key] = (out[key] ?? 0) + n;
}

export interface ScanSummary {
  [trigger: string]: number;
}

/** One sweep over every trigger the database can tell; safe to run as often as wanted. */
export async function scanTriggers(deps: JourneyDeps): Promise<ScanSummary> {
  const { services } = deps;
  const sql = services.sql;
  const now = services.now();
  const out: ScanSummary = {};
  const emitAll = async (type: TriggerType, rows: RowDataPacket[], occ: (r: RowDataPacket) => string, data?: (r: RowDataPacket) => TriggerEvent['data']) => {
    for (const r of rows) bump(out, type, (await emitTrigger(deps, { type, memberId: r.member_id, occurrence: occ(r), data: data?.(r) })));
  };
  const since = async (name: TriggerType, q: string, occ: (r: RowDataPacket) => string, data?: (r: RowDataPacket) => TriggerEvent['data']) => {
    if ((await activeJourneys(services, name)).length === 0) return;
    const from = await cursor(services, name, now);
    const [rows] = await sql.query<RowDataPacket[]>(q, [from, now]);
    await emitAll(name, rows, occ, data);
    await setCursor(services, name, now);
  };
  await since('member_registered', "SELECT id AS member_id FROM members WHERE registered_at > ? AND registered_at <= ? AND status = 'active'", () => 'registered');
  await since('order_paid', 'SELECT id, member_id, amount FROM orders WHERE paid_at > ? AND paid_at <= ?', (r) => `o${r.id}`, (r) => ({ amount: Number(r.amount) }));
  await since('complaint', "SELECT id, member_id FROM interactions WHERE type = 'complaint' AND created_at > ? AND created_at <= ?", (r) => `c${r.id}`);
  bumpAll(out, await sweepEvents(deps, now));
  await since('level_changed', 'SELECT id, member_id, from_level, to_level FROM member_level_history WHERE created_at > ? AND created_at <= ?', (r) => `l${r.id}`, (r) => ({ fromLevel: r.from_level, toLevel: r.to_level }));

  const today = formatDate(now);
  for (const j of await activeJourneys(services, 'birthday')) {
    if (j.trigger.type !== 'birthday') continue;
    const target = formatDate(addDays(now, j.trigger.daysBefore));
    const [rows] = await sql.query<RowDataPacket[]>("SELECT id AS member_id FROM members WHERE status = 'active' AND birthday IS NOT NULL AND DATE_FORMAT(birthday, '%m-%d') = ?", [target.slice(5)]);
    for (const r of rows) bump(out, 'birthday', (await enrollMembers(deps, j.id, [r.member_id], { occurrence: `birthday:${target.slice(0, 4)}` })).enrolled);
  }
  for (const j of await activeJourneys(services, 'no_order')) {
    if (j.trigger.type !== 'no_order') continue;
    const before = new Date(now.getTime() - j.trigger.days * 86_400_000);
    // Keyed by the last order: the member enters again only after ordering and lapsing again.
    const [rows] = await sql.query<RowDataPacket[]>(
      // A fully refunded order is no order (sales' net.ts): the lapse counts from the last one that stands.
      `SELECT m.id AS member_id, MAX(o.id) AS last_id, MAX(o.paid_at) AS last_paid FROM members m JOIN orders o ON o.member_id = m.id AND ${countedOrder('o')} WHERE m.status = 'active' GROUP BY m.id HAVING last_paid <= ?`,
      [before],
    );
    const byLast = new Map<number, number[]>();
    for (const r of rows) byLast.set(r.last_id, [...(byLast.get(r.last_id) ?? []), r.member_id]);
    for (const [last, ms] of byLast) bump(out, 'no_order', (await enrollMembers(deps, j.id, ms, { occurrence: `no_order:${last}` })).enrolled);
  }
  for (const j of await activeJourneys(services, 'points_expiring')) {
    if (j.trigger.type !== 'points_expiring') continue;
    const [rows] = await sql.query<RowDataPacket[]>(
      "SELECT DISTINCT l.member_id, DATE_FORMAT(MIN(l.expires_at), '%Y-%m-%d') AS first_expiry FROM points_ledger l JOIN members m ON m.id = l.member_id WHERE l.delta > 0 AND l.expires_at > ? AND l.expires_at <= ? AND m.points > 0 AND m.status = 'active' GROUP BY l.member_id",
      [now, new Date(now.getTime() + j.trigger.withinDays * 86_400_000)],
    );
    for (const r of rows) bump(out, 'points_expiring', (await enrollMembers(deps, j.id, [r.member_id], { occurrence: `points:${r.first_expiry}` })).enrolled);
  }
  for (const type of ['segment_entered', 'segment_left'] as const) {
    for (const j of await activeJourneys(services, type)) {
      if (j.trigger.type !== 'segment_entered' && j.trigger.type !== 'segment_left') continue;
      // Membership is compared with the last sweep's snapshot (a Redis set per journey).
      const snap = services.key('journey', 'segsnap', j.id);
      const [rows] = await sql.query<RowDataPacket[]>('SELECT member_id FROM segment_members WHERE segment_id = ?', [j.trigger.segmentId]);
      const current = rows.map((r) => String(r.member_id));
      const known = await services.redis.exists(snap);
      const prev = new Set(known ? await services.redis.smembers(snap) : current);
      const cur = new Set(current);
      const changed = type === 'segment_entered' ? current.filter((m) => !prev.has(m)) : [...prev].filter((m) => !cur.has(m));
      if (changed.length) bump(out, type, (await enrollMembers(deps, j.id, changed.map(Number), { occurrence: `${type}:${today}` })).enrolled);
      const tx = services.redis.multi().del(snap);
      if (current.length) tx.sadd(snap, ...current);
      await tx.exec();
    }
  }
  return out;
}
