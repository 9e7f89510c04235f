import type { Pool, RowDataPacket } from 'mysql2/promise';
import { chinaDay, DAY_MS } from '../../kernel/index.ts';
import { signalsAt, type ChurnSignals } from '../churn/learned.ts';

/**
 * The chain's own history for the supervised churn layer (churn/learned.ts): purchase days and
 * the timed service and offer events of a sample of members, so their signals can be rebuilt as
 * of any past cut, and the event counts of every member as of now. Orders count net of refunds
 * and a fully refunded order not at all, as member_stats does (sales/rollup.ts); complaints are
 * `complaint` interactions, tickets their created_at, coupon response the `coupon_redeemed`
 * member events (member_coupons keeps no redemption time, so it would leak a later use into an
 * earlier cut).
 */
export interface MemberHistory {
  days: number[];
  amounts: number[];
  complaints: number[];
  tickets: number[];
  coupons: number[];
  store: number | null;
}

const CHUNK = 1000;

/** Histories of `ids` (with their home stores) up to `untilMs`, events from `eventsFromMs`. */
export async function loadHistories(sql: Pool, ids: number[], stores: (number | null)[], untilMs: number, eventsFromMs: number): Promise<Map<number, MemberHistory>> {
  const out = new Map<number, MemberHistory>();
  ids.forEach((id, k) => out.set(id, { days: [], amounts: [], complaints: [], tickets: [], coupons: [], store: stores[k] ?? null }));
  const until = new Date(untilMs);
  const from = new Date(eventsFromMs);
  const read = async (chunk: number[]) => {
    const [orders] = await sql.query<RowDataPacket[]>(
      'SELECT member_id, paid_at, amount - refunded_amount AS net FROM orders WHERE member_id IN (?) AND paid_at < ? AND amount > refunded_amount ORDER BY member_id, paid_at',
      [chunk, until],
    );
    for (const o of orders) {
      const h = out.get(Number(o.member_id))!;
      const day = chinaDay(o.paid_at as Date);
      if (h.days.at(-1) === day) h.amounts[h.amounts.length - 1]! += Number(o.net);
      else {
        h.days.push(day);
        h.amounts.push(Number(o.net));
      }
    }
    const [events] = await sql.query<RowDataPacket[]>(
      `SELECT member_id, created_at AS at, 'c' AS k FROM interactions WHERE member_id IN (?) AND type = 'complaint' AND created_at >= ? AND created_at < ?
       UNION ALL SELECT member_id, created_at, 't' FROM tickets WHERE member_id IN (?) AND created_at >= ? AND created_at < ?
       UNION ALL SELECT member_id, occurred_at, 'u' FROM member_events WHERE member_id IN (?) AND type = 'coupon_redeemed' AND occurred_at >= ? AND occurred_at < ?`,
      [chunk, from, until, chunk, from, until, chunk, from, until],
    );
    for (const e of events) {
      const h = out.get(Number(e.member_id))!;
      const at = (e.at as Date).getTime();
      (e.k === 'c' ? h.complaints : e.k === 't' ? h.tickets : h.coupons).push(at);
    }
  };
  // One chunk at a time: 2,000-member chunks two in flight took 17.6 s of statements at 1M
  // members against 0.3 s for these (2026-12-06, load 9-16; the IN list's plan or the cache, not
  // settled), so the reads stay as they were while the fits run beside them on the fit threads.
  for (let i = 0; i < ids.length; i += CHUNK) await read(ids.slice(i, i + CHUNK));
  return out;
}

const within = (times: number[], endMs: number, days: number) => times.filter((t) => t < endMs && t >= endMs - days * DAY_MS).length;

/** A member's signals as of the instant `atMs` (orders and events before it); null before their first purchase. */
export function historySignals(h: MemberHistory, atMs: number): ChurnSignals | null {
  // Purchase days strictly before the cut's China day, so the label window starts on a whole day.
  const cutDay = chinaDay(atMs) - 1;
  return signalsAt(h.days, h.amounts, cutDay, {
    complaints60d: within(h.complaints, atMs, 60),
    tickets90d: within(h.tickets, atMs, 90),
    couponsUsed180d: within(h.coupons, atMs, 180),
    store: h.store,
  });
}

/** Whether the member bought on a China day in [chinaDay(fromMs), chinaDay(toMs)). */
export function boughtBetween(h: MemberHistory, fromMs: number, toMs: number): boolean {
  const a = chinaDay(fromMs);
  const b = chinaDay(toMs);
  return h.days.some((d) => d >= a && d < b);
}

/** Tickets in the last 90 days and redeemed coupons in the last 180 of every member that has any, as of `now`. */
export async function eventCountsNow(sql: Pool, now: Date): Promise<{ tickets: Map<number, number>; coupons: Map<number, number> }> {
  const [t] = await sql.query<RowDataPacket[]>('SELECT member_id, COUNT(*) AS n FROM tickets WHERE created_at >= ? AND created_at < ? GROUP BY member_id', [new Date(now.getTime() - 90 * DAY_MS), now]);
  const [c] = await sql.query<RowDataPacket[]>(
    "SELECT member_id, COUNT(*) AS n FROM member_events WHERE type = 'coupon_redeemed' AND occurred_at >= ? AND occurred_at < ? GROUP BY member_id",
    [new Date(now.getTime() - 180 * DAY_MS), now],
  );
  return { tickets: new Map(t.map((r) => [Number(r.member_id), Number(r.n)])), coupons: new Map(c.map((r) => [Number(r.member_id), Number(r.n)])) };
}
