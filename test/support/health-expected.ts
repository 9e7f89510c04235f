/**
 * Test-only: the health figures computed the plain way, in JS, from raw orders and members
 * rows (never from the summaries or the dashboard's SQL), for tests to compare against.
 */
import { expect } from 'vitest';
import type { StaffAccess } from '../../src/crm/kernel/access.ts';
import type { StaffActor } from '../../src/bot/types.ts';
import type { SqlPool } from '../../src/db/sql.ts';
import { deleteKeys, scanKeys } from '../../src/redis.ts';
import type { Services } from '../../src/services.ts';
import { healthDashboard, PERIOD_DAYS, type Granularity, type HealthFigures } from '../../src/crm/insights/health/dashboard.ts';
import { PHONE_COLUMNS, sealedPhoneValues } from './sealed-phone.ts';

export const DAY = 86_400_000;
export const CHINA = 8 * 3_600_000;

export interface RawOrder {
  member: number;
  store: number;
  paid: number;
  cents: number;
}
export interface RawMember {
  id: number;
  store: number | null;
  registered: number;
  status: string;
}

export async function loadRaw(sql: SqlPool): Promise<{ orders: RawOrder[]; members: RawMember[] }> {
  // Net of refunds: what is left of each order, and a fully refunded order is no order.
  const [o] = await sql.query<any[]>('SELECT member_id, store_id, paid_at, ROUND(amount * 100) AS a, ROUND(refunded_amount * 100) AS r FROM orders');
  const [m] = await sql.query<any[]>('SELECT id, home_store_id, registered_at, status FROM members');
  return {
    orders: o.filter((r) => Number(r.r) < Number(r.a)).map((r) => ({ member: Number(r.member_id), store: Number(r.store_id), paid: new Date(r.paid_at).getTime(), cents: Number(r.a) - Number(r.r) })),
    members: m.map((r) => ({ id: Number(r.id), store: r.home_store_id === null ? null : Number(r.home_store_id), registered: new Date(r.registered_at).getTime(), status: String(r.status) })),
  };
}

/**
 * The figures of [s, e) for the stores, as the dashboard defines them; dormant, churned and the
 * year's buyers look back from `ref` (the end of today for a period running until now).
 */
export function expectedFigures(raw: { orders: RawOrder[]; members: RawMember[] }, stores: number[], s: number, e: number, ref = e) {
  const mine = raw.orders.filter((o) => stores.includes(o.store) && o.paid < e);
  const buyers = (from: number, to: number) => new Set(mine.filter((o) => o.paid >= from && o.paid < to).map((o) => o.member));
  const active = buyers(s, e);
  const before = buyers(s - 365 * DAY, s);
  const l90 = buyers(ref - 90 * DAY, ref);
  const d90 = buyers(ref - 180 * DAY, ref - 90 * DAY);
  const l180 = buyers(ref - 180 * DAY, ref);
  const d180 = buyers(ref - 365 * DAY, ref - 180 * DAY);
  const inP = mine.filter((o) => o.paid >= s);
  const cents = inP.reduce((a, o) => a + o.cents, 0);
  const churned = [...d180].filter((x) => !l180.has(x)).length;
  const year = buyers(ref - 365 * DAY, ref).size;
  const ms = raw.members.filter((m) => m.store !== null && stores.includes(m.store) && m.status !== 'deleted' && m.registered < e);
  return {
    total: ms.length,
    new: ms.filter((m) => m.registered >= s).length,
    active: active.size,
    dormant: [...d90].filter((x) => !l90.has(x)).length,
    churned,
    churnRate: year ? churned / year : null,
    repurchaseRate: active.size ? [...active].filter((x) => before.has(x)).length / active.size : null,
    orders: inP.length,
    sales: (cents / 100).toFixed(2),
    aov: inP.length ? (cents / 100 / inP.length).toFixed(2) : null,
  };
}

/**
 * The rolling periods of `days` China days at `now`, today included so far, in plain arithmetic:
 * current [S, now), the same stretch of the days before and of 365 days earlier; `ref` (where
 * dormant/churned look back from, and where the trend's whole-day steps end) is the end of today,
 * or now itself at 00:00 sharp.
 */
export function rollingExpected(days: number, now: number) {
  const todayStart = Math.floor((now + CHINA) / DAY) * DAY - CHINA;
  const S = todayStart - (days - 1) * DAY;
  const elapsed = now - S;
  const ref = now === todayStart ? now : todayStart + DAY;
  return { S, E: now, ref, previous: [S - days * DAY, S - days * DAY + elapsed] as const, lastYear: [S - 365 * DAY, S - 365 * DAY + elapsed] as const };
}

/** Active members and orders of each of the `n` periods of `len` ms ending at `e`, oldest first. */
export function expectedTrend(raw: { orders: RawOrder[] }, stores: number[], e: number, len: number, n: number) {
  const out: { active: number; orders: number }[] = [];
  for (let k = n - 1; k >= 0; k--) {
    const to = e - k * len;
    const inP = raw.orders.filter((o) => stores.includes(o.store) && o.paid >= to - len && o.paid < to);
    out.push({ active: new Set(inP.map((o) => o.member)).size, orders: inP.length });
  }
  return out;
}

/**
 * Three stores and `n` members with deterministic, varied histories over 800 days: regulars,
 * occasional buyers, lapsed ones, members who never ordered, and some at several stores.
 */
export async function generate(services: Pick<Services, 'sql'>, n: number, NOW: Date): Promise<void> {
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  await services.sql.query("INSERT INTO stores (id, code, name, city) VALUES (1, 'A', 'A店', '上海'), (2, 'B', 'B店', '上海'), (3, 'C', 'C店', '杭州')");
  const members: unknown[][] = [];
  const orders: unknown[][] = [];
  for (let i = 1; i <= n; i++) {
    const home = 1 + Math.floor(rand() * 3);
    const registered = NOW.getTime() - Math.floor(rand() * 900 * DAY);
    members.push([i, `M${String(i).padStart(8, '0')}`, `会员${i}`, ...sealedPhoneValues(`139${String(i).padStart(8, '0')}`), new Date(registered), 'store', home, i % 50 === 0 ? 'deleted' : 'active']);
    if (rand() < 0.12) continue; // never ordered
    const gap = 2 + rand() * 60; // mean days between orders
    const stop = rand() < 0.4 ? registered + rand() * (NOW.getTime() - registered) : NOW.getTime() + DAY;
    for (let t = Math.max(registered, NOW.getTime() - 800 * DAY) + rand() * gap * DAY; t < Math.min(stop, NOW.getTime()); t += (0.2 + rand() * 2) * gap * DAY) {
      const store = rand() < 0.8 ? home : 1 + Math.floor(rand() * 3);
      orders.push([`G${orders.length}`, i, store, (5 + Math.floor(rand() * 30000) / 100).toFixed(2), '[]', 'wechat', new Date(Math.floor(t))]);
      if (rand() < 0.05) orders.push([`G${orders.length}`, i, store, '9.90', '[]', 'cash', new Date(Math.floor(t) + 600_000)]); // same day again
    }
  }
  await services.sql.query(`INSERT INTO members (id, member_no, name, ${PHONE_COLUMNS}, registered_at, source_channel, home_store_id, status) VALUES ?`, [members]);
  for (let i = 0; i < orders.length; i += 2000) {
    await services.sql.query('INSERT INTO orders (order_no, member_id, store_id, amount, items, payment_method, paid_at) VALUES ?', [orders.slice(i, i + 2000)]);
  }
}

/** Retention of the `n` registration months before `e`'s month (China time), as the dashboard defines it. */
export function expectedCohorts(raw: { orders: RawOrder[]; members: RawMember[] }, stores: number[], e: number, n: number) {
  const month = (t: number) => new Date(t + CHINA).toISOString().slice(0, 7);
  const [y, mo] = month(e).split('-').map(Number) as [number, number];
  const monthsOf = new Map<number, Set<string>>();
  for (const o of raw.orders) {
    const s = monthsOf.get(o.member) ?? new Set<string>();
    s.add(month(o.paid));
    monthsOf.set(o.member, s);
  }
  const out: { month: string; size: number; retention: (number | null)[] }[] = [];
  for (let i = n; i >= 1; i--) {
    const m = new Date(Date.UTC(y, mo - 1 - i, 1)).toISOString().slice(0, 7);
    const cohort = raw.members.filter((x) => x.store !== null && stores.includes(x.store) && x.status !== 'deleted' && month(x.registered) === m);
    const retention = [1, 2, 3].map((k) => {
      if (k >= i || !cohort.length) return null;
      const target = new Date(Date.UTC(y, mo - 1 - i + k, 1)).toISOString().slice(0, 7);
      return cohort.filter((x) => monthsOf.get(x.id)?.has(target)).length / cohort.length;
    });
    out.push({ month: m, size: cohort.length, retention });
  }
  return out;
}

/** The figures of a dashboard period that expectedFigures computes. */
export const pick = (f: HealthFigures) => ({ total: f.total, new: f.new, active: f.active, dormant: f.dormant, churned: f.churned, churnRate: f.churnRate, repurchaseRate: f.repurchaseRate, orders: f.orders, sales: f.sales, aov: f.aov });

export interface DashboardCheck {
  services: Pick<Services, 'sql' | 'redis' | 'key'>;
  /** The access the dashboard is read with, for an actor. */
  access: (actor: StaffActor) => StaffAccess;
  /** The clock the dashboard's periods end by. */
  now: () => Date;
}

/**
 * Every figure of the dashboard of these stores, for every granularity, against the raw rows:
 * current, previous and last year's figures, the trend, the cohorts, and each store's figures
 * when there are several. The health cache is cleared first, so the figures are computed.
 */
export async function expectDashboards(check: DashboardCheck, actor: StaffActor, stores: number[]): Promise<void> {
  const { services } = check;
  const raw = await loadRaw(services.sql);
  await deleteKeys(services.redis, await scanKeys(services.redis, services.key('health', '*'))); // computed, never the day's cache
  for (const g of ['day', 'week', 'month'] as Granularity[]) {
    const d = await healthDashboard(check.access(actor), { granularity: g });
    const { S, E, ref, previous, lastYear } = rollingExpected(PERIOD_DAYS[g], check.now().getTime());
    expect([d.current.start.getTime(), d.current.end.getTime(), d.partial], `${g} bounds`).toEqual([S, E, true]);
    expect(pick(d.current), `${g} current`).toEqual(expectedFigures(raw, stores, S, E, ref));
    expect(pick(d.previous), `${g} previous`).toEqual(expectedFigures(raw, stores, previous[0], previous[1]));
    expect(pick(d.lastYear), `${g} last year`).toEqual(expectedFigures(raw, stores, lastYear[0], lastYear[1]));
    expect(d.trend.map((p) => ({ active: p.active, orders: p.orders })), `${g} trend`).toEqual(expectedTrend(raw, stores, ref, PERIOD_DAYS[g] * DAY, 12));
    expect(d.cohorts, `${g} cohorts`).toEqual(expectedCohorts(raw, stores, E, 6));
    if (stores.length > 1) {
      for (const s of d.perStore) expect(pick(s.figures), `${g} store ${s.storeId}`).toEqual(expectedFigures(raw, [s.storeId], S, E, ref));
    }
  }
}
