import type { RowDataPacket } from 'mysql2/promise';
import { auditStoresRead, chinaDay, chinaDayStartMs, chinaMidnightDay, chinaMonth, chinaMonthStart, chinaPeriodRange, chinaSql, DAY_MS as DAY, forbidden, requirePermission, shiftMonth, startOfChinaDay, storeScope, type CalendarPeriod, type StaffAccess } from '../../kernel/index.ts';
import { ALL_STORES, COHORT_MONTHS, countedOrder, MAX_PERIOD_DAYS, netAmount, refreshStoreCohorts, storeCohorts } from '../../sales/index.ts';
import { cachedJson } from '../cache.ts';
import { latestScoringRun, registrationsBefore } from '../scores/snapshot.ts';
import { calendarPeriodOf, dashboardRange, PERIOD_DAYS, type DateRange, type Granularity } from './periods.ts';
import { summaryKey, visitFigures, visitTrend, type VisitFigures } from './visit-figures.ts';

export { PERIOD_DAYS, type Granularity } from './periods.ts';

/** Figures of one period [start, end) for a set of stores. Rates are 0..1 (null when undefined). */
export interface HealthFigures {
  start: Date;
  end: Date;
  /** Members whose home store is in scope, registered before `end`, not deleted. */
  total: number;
  /** Of those, registered within the period. */
  new: number;
  /** Distinct members with an order at the stores within the period. */
  active: number;
  /** Bought 90–180 days before `end`, nothing since (the documents' 90-day dormancy rule). */
  dormant: number;
  /** Bought 180–365 days before `end`, nothing since. */
  churned: number;
  /** churned / members who bought in the 365 days before `end`. */
  churnRate: number | null;
  /** Of the period's buyers, the share who had also bought in the 365 days before it. */
  repurchaseRate: number | null;
  orders: number;
  /** Sales in the period, a decimal string. */
  sales: string;
  /** Average order value, a decimal string (null without orders). */
  aov: string | null;
}

export interface TrendPoint {
  start: Date;
  end: Date;
  active: number;
  new: number;
  orders: number;
  aov: number | null;
}

export interface CohortRow {
  /** Registration month, YYYY-MM (China time). */
  month: string;
  size: number;
  /** Share of the cohort with an order in the 1st, 2nd, 3rd month after registering (null: not over yet). */
  retention: (number | null)[];
}

export interface HealthDashboard {
  /** The trend's step (and, without `period` or `range`, the rolling period's length: today, the last 7 or 30 days, today included). */
  granularity: Granularity;
  /** When the figures were computed: a period still running (`partial`) ends here. */
  asOf: Date;
  /** Whether the current period is still running (it then ends at `asOf`, and its comparisons are cut to the same length). */
  partial: boolean;
  /** A named calendar period (上周, 10月, 本季度 …) when one was asked for; `partial` while it is still running. */
  period?: { name: CalendarPeriod; partial: boolean };
  /** The China dates asked for (both included), when a range was asked for. */
  range?: DateRange;
  /** Store ids in scope (null = all stores). */
  stores: { id: number; code: string; name: string }[];
  current: HealthFigures;
  previous: HealthFigures;
  lastYear: HealthFigures;
  /** Relative change of each count/rate vs the previous period and the same period a year earlier. */
  vsPrevious: Partial<Record<keyof HealthFigures, number | null>>;
  vsLastYear: Partial<Record<keyof HealthFigures, number | null>>;
  perStore: { storeId: number; code: string; name: string; figures: HealthFigures }[];
  trend: TrendPoint[];
  cohorts: CohortRow[];
  /**
   * When member totals and new members come from a scoring run's registration counts (members
   * registered before it, as of it; those since, live): that run's time; null when counted live.
   */
  membersAsOf: Date | null;
}

/**
 * The day a period's order side is counted up to (exclusive, a day number): its end when that
 * is 00:00 China time; for a period running until now (end ≥ now) the end of today — nothing is
 * paid in the future (the intake refuses a future paidAt), so the whole of today is today so far
 * and the visit summary, which every order updates at once, answers it. Null otherwise.
 */
export function throughDay(end: Date, now: Date): number | null {
  return chinaMidnightDay(end) ?? (end.getTime() >= now.getTime() ? chinaDay(end) + 1 : null);
}

/**
 * Figures of [start, end) for the stores: orders by the order's store (the people who buy
 * there), members by home store (the people registered there). With a summary key (one store,
 * or all of them) and a period of whole days (or one running until now, see throughDay) the
 * order side comes from the store visit summary (visit-figures.ts); any other store subset or
 * period scans the stores' orders of the 365 days before `end` over orders(store_id, paid_at,
 * member_id, amount, refunded_amount). Dormant, churned and the year's buyers look back from
 * the end of the period's last day when it runs until now.
 */
export async function healthFigures(access: StaffAccess, storeIds: number[], start: Date, end: Date, key: number | null = null, members?: MemberCounts, now: Date = access.services.now()): Promise<HealthFigures> {
  const sql = access.services.readSql;
  const a = chinaMidnightDay(start);
  const b = throughDay(end, now);
  // A comparison stretch cut to a running period's length ends mid-day (yesterday until this
  // time …): the summary up to that day's 00:00, corrected by the few members whose orders fall
  // in the partial days at the window's edges (partialDayDelta), instead of a year of orders.
  const cut = key !== null && a !== null && b === null ? chinaDay(end) : null;
  const [o, m] = await Promise.all([
    key !== null && a !== null && b !== null && b - a <= MAX_PERIOD_DAYS
      ? visitFigures(sql, key, a, b)
      : cut !== null && cut >= a! && cut - a! <= MAX_PERIOD_DAYS
        ? Promise.all([visitFigures(sql, key!, a!, cut), cutDayDelta(access, storeIds, key === ALL_STORES, start, new Date(chinaDayStartMs(cut)), end)]).then(([f, d]) => addFigures(f, d))
        : orderFigures(access, storeIds, start, end, b === null ? end : new Date(chinaDayStartMs(b))),
    members ?? memberCounts(access, storeIds, [[start, end]]).then((c) => c.sum[0]!),
  ]);
  const { active, orders, buyers365, churned } = o;
  return {
    start,
    end,
    total: m.total,
    new: m.new,
    active,
    dormant: o.dormant,
    churned,
    churnRate: buyers365 ? churned / buyers365 : null,
    repurchaseRate: active ? o.returners / active : null,
    orders,
    sales: Number(o.sales).toFixed(2),
    aov: orders ? (Number(o.sales) / orders).toFixed(2) : null,
  };
}

/** Members registered before a period's end (not deleted) and within the period. */
export interface MemberCounts {
  total: number;
  new: number;
}

/**
 * Members not deleted of each store registered before each boundary, from the latest scoring
 * run's registration-day counts plus the members registered since (registrationsBefore): a few
 * hundred summary rows and short index ranges instead of every member of the stores (which
 * took 3 s at a million members). Null before such a run, or for a boundary before its
 * day-by-day counts: the caller counts live.
 */
async function registrations(access: StaffAccess, storeIds: number[], boundaries: Date[]): Promise<(Map<number, number[]> & { asOf: Date }) | null> {
  const run = await latestScoringRun(access.services.readSql);
  const counts = run ? await registrationsBefore(access.services.readSql, run, storeIds, boundaries) : null;
  return counts && Object.assign(counts, { asOf: run!.asOf });
}

/**
 * Member totals and new members of several periods, per home store and summed over the
 * stores: from the scoring run's registration counts and the members registered since
 * (registrations), or else in one pass over members(home_store_id, registered_at, status) —
 * the index alone. Members registered before the run count as of it (a member deleted since
 * still counts until the next run); those registered since count live.
 */
export async function memberCounts(access: StaffAccess, storeIds: number[], periods: [Date, Date][]): Promise<{ sum: MemberCounts[]; byStore: Map<number, MemberCounts[]>; asOf: Date | null }> {
  const snap = await registrations(access, storeIds, periods.flat());
  if (snap) {
    const byStore = new Map([...snap].map(([store, n]) => [store, periods.map((_, i) => ({ total: n[2 * i + 1]!, new: n[2 * i + 1]! - n[2 * i]! }))]));
    const sum = periods.map((_, i) => ({ total: [...byStore.values()].reduce((x, c) => x + c[i]!.total, 0), new: [...byStore.values()].reduce((x, c) => x + c[i]!.new, 0) }));
    return { sum, byStore, asOf: snap.asOf };
  }
  const last = new Date(Math.max(...periods.map(([, e]) => e.getTime())));
  const cols = periods.map((_, i) => `SUM(registered_at < ?) AS t${i}, SUM(registered_at >= ? AND registered_at < ?) AS n${i}`).join(', ');
  const [rows] = await access.services.readSql.query<RowDataPacket[]>(
    `SELECT home_store_id AS store, ${cols} FROM members WHERE home_store_id IN (?) AND registered_at < ? AND status <> 'deleted' GROUP BY home_store_id`,
    [...periods.flatMap(([s, e]) => [e, s, e]), storeIds, last],
  );
  const byStore = new Map<number, MemberCounts[]>(rows.map((r) => [Number(r.store), periods.map((_, i) => ({ total: Number(r[`t${i}`] ?? 0), new: Number(r[`n${i}`] ?? 0) }))]));
  const sum = periods.map((_, i) => ({ total: rows.reduce((x, r) => x + Number(r[`t${i}`] ?? 0), 0), new: rows.reduce((x, r) => x + Number(r[`n${i}`] ?? 0), 0) }));
  return { sum, byStore, asOf: null };
}

/**
 * The order side of healthFigures straight from the orders (one index range scan, grouped by
 * member), net of refunds as the summary is (sales' net.ts): a fully refunded order is no order.
 */
async function orderFigures(access: StaffAccess, storeIds: number[], start: Date, end: Date, ref: Date = end): Promise<VisitFigures> {
  // The repurchase lookback [start − 365 d, start) reaches further back than ref − 365 d.
  const lookback = new Date(Math.min(start.getTime(), ref.getTime()) - 365 * DAY);
  const d90 = new Date(ref.getTime() - 90 * DAY);
  const d180 = new Date(ref.getTime() - 180 * DAY);
  const d365 = new Date(ref.getTime() - 365 * DAY);
  const [[o]] = await access.services.readSql.query<any[]>(
    `SELECT SUM(y) AS buyers365, SUM(p) AS active, SUM(p AND b) AS returners, SUM(d90_180 AND NOT l90) AS dormant,
            SUM(d180_365 AND NOT l180) AS churned, COALESCE(SUM(np), 0) AS orders, COALESCE(SUM(amt), 0) AS sales
     FROM (SELECT member_id,
             MAX(paid_at >= ?) AS p, MAX(paid_at < ? AND paid_at >= ?) AS b, MAX(paid_at >= ?) AS l90,
             MAX(paid_at >= ? AND paid_at < ?) AS d90_180, MAX(paid_at >= ?) AS l180, MAX(paid_at >= ? AND paid_at < ?) AS d180_365,
             MAX(paid_at >= ?) AS y, SUM(paid_at >= ?) AS np, SUM(IF(paid_at >= ?, ${netAmount()}, 0)) AS amt
           FROM orders WHERE store_id IN (?) AND paid_at >= ? AND paid_at < ? AND ${countedOrder()} GROUP BY member_id) t`,
    [start, start, lookback, d90, d180, d90, d180, d365, d180, d365, start, start, storeIds, lookback, end],
  );
  const n = (v: unknown) => Number(v ?? 0);
  return { active: n(o.active), returners: n(o.returners), buyers365: n(o.buyers365), dormant: n(o.dormant), churned: n(o.churned), orders: n(o.orders), sales: String(o.sales) };
}

/** The step a comparison's cut day is cached at: its delta up to the last step is kept, the minutes since it counted live. */
const CUT_STEP_MS = 10 * 60_000;

/**
 * partialDayDelta of a comparison cut mid-day, in two parts: from `cut` (00:00) to the last
 * 10-minute step before `end`, cached in Redis for 15 minutes (each step's key names it), and
 * from that step to `end`, counted live (a few minutes of orders at each edge). The delta is a
 * difference of figures at two times, so the parts add up to the whole. At a million members the
 * whole cut day reads ~50,000 members' year of orders (several seconds per comparison): a turn
 * now reads it at most once per step and store set. The stretches are in the past (a day, 90,
 * 180, 365 days back); a refund since (in the key) is seen at once, an order back-dated into one
 * of them within a step.
 */
async function cutDayDelta(access: StaffAccess, storeIds: number[], allStores: boolean, start: Date, cut: Date, end: Date): Promise<VisitFigures> {
  const step = new Date(Math.max(cut.getTime(), Math.floor(end.getTime() / CUT_STEP_MS) * CUT_STEP_MS));
  if (step.getTime() === cut.getTime()) return partialDayDelta(access, storeIds, allStores, start, cut, end);
  const { services } = access;
  const [[r]] = await services.readSql.query<any[]>('SELECT COALESCE(MAX(id), 0) AS r FROM order_refunds');
  const key = services.key('health', 'cut', [...storeIds].sort((x, y) => x - y).join(','), start.toISOString(), cut.toISOString(), step.toISOString(), String(r.r));
  const [upToStep, since] = await Promise.all([
    cachedJson(services, key, 15 * 60, () => partialDayDelta(access, storeIds, allStores, start, cut, step)),
    step.getTime() < end.getTime() ? partialDayDelta(access, storeIds, allStores, start, step, end) : null,
  ]);
  return since ? addFigures(upToStep, since) : upToStep;
}

/**
 * What the order side of [start, end) gains over [start, cut) when the window's end, and every
 * reference point measured back from it (90, 180, 365 days), moves from `cut` (00:00 China time)
 * to `end` later that day (orderFigures' definitions; `cut` may be any time of that day, a step
 * of cutDayDelta). Only members with an order in one of the
 * four partial days [cut, end), [cut − 90 d, end − 90 d), [cut − 180 d, end − 180 d),
 * [cut − 365 d, end − 365 d) can change class, so only their orders are read: each one's flags
 * at both ends, summed as differences. `start` is 00:00, so the repurchase lookback is the same.
 */
async function partialDayDelta(access: StaffAccess, storeIds: number[], allStores: boolean, start: Date, cut: Date, end: Date): Promise<VisitFigures> {
  // The edge days' orders come from orders(store_id, paid_at, member_id, …) alone; with every
  // store in scope, each member's orders need no store condition and come from
  // orders(member_id, paid_at, amount, refunded_amount) alone.
  const inStores = allStores ? 'TRUE' : 'o.store_id IN (?)';
  const stores = allStores ? [] : [storeIds];
  const back = (t: Date, days: number) => new Date(t.getTime() - days * DAY);
  const lookback = back(start, 365);
  const flags = (x: string, ref: Date) => {
    const [d90, d180, d365] = [back(ref, 90), back(ref, 180), back(ref, 365)];
    return {
      sql: `MAX(o.paid_at >= ? AND o.paid_at < ?) AS ${x}y, MAX(o.paid_at >= ? AND o.paid_at < ?) AS ${x}p, MAX(o.paid_at >= ? AND o.paid_at < ?) AS ${x}l90,
            MAX(o.paid_at >= ? AND o.paid_at < ?) AS ${x}d90, MAX(o.paid_at >= ? AND o.paid_at < ?) AS ${x}l180, MAX(o.paid_at >= ? AND o.paid_at < ?) AS ${x}d180,
            SUM(o.paid_at >= ? AND o.paid_at < ?) AS ${x}np, SUM(IF(o.paid_at >= ? AND o.paid_at < ?, ${netAmount('o')}, 0)) AS ${x}amt`,
      params: [d365, ref, start, ref, d90, ref, d180, d90, d180, ref, d365, d180, start, ref, start, ref],
    };
  };
  const [e, c] = [flags('e_', end), flags('c_', cut)];
  const edges = [[cut, end], [back(cut, 90), back(end, 90)], [back(cut, 180), back(end, 180)], [back(cut, 365), back(end, 365)]];
  // Driven from the affected members (a few partial days of orders, orders(store_id, paid_at)),
  // each one's orders read through orders(member_id, paid_at).
  const [[d]] = await access.services.readSql.query<any[]>(
    `WITH affected AS (SELECT DISTINCT member_id FROM orders WHERE store_id IN (?) AND (${edges.map(() => '(paid_at >= ? AND paid_at < ?)').join(' OR ')}) AND ${countedOrder()})
     SELECT COALESCE(SUM(e_y - c_y), 0) AS buyers365, COALESCE(SUM(e_p - c_p), 0) AS active, COALESCE(SUM((e_p AND b) - (c_p AND b)), 0) AS returners,
            COALESCE(SUM((e_d90 AND NOT e_l90) - (c_d90 AND NOT c_l90)), 0) AS dormant, COALESCE(SUM((e_d180 AND NOT e_l180) - (c_d180 AND NOT c_l180)), 0) AS churned,
            COALESCE(SUM(e_np - c_np), 0) AS orders, COALESCE(SUM(e_amt - c_amt), 0) AS sales
     FROM (SELECT o.member_id, ${e.sql}, ${c.sql}, MAX(o.paid_at < ?) AS b
           FROM affected a STRAIGHT_JOIN orders o ON o.member_id = a.member_id
           WHERE ${inStores} AND o.paid_at >= ? AND o.paid_at < ? AND ${countedOrder('o')} GROUP BY o.member_id) t`,
    [storeIds, ...edges.flat(), ...e.params, ...c.params, start, ...stores, lookback, end],
  );
  const n = (v: unknown) => Number(v ?? 0);
  return { active: n(d.active), returners: n(d.returners), buyers365: n(d.buyers365), dormant: n(d.dormant), churned: n(d.churned), orders: n(d.orders), sales: String(d.sales) };
}

function addFigures(a: VisitFigures, d: VisitFigures): VisitFigures {
  return {
    active: a.active + d.active,
    returners: a.returners + d.returners,
    buyers365: a.buyers365 + d.buyers365,
    dormant: a.dormant + d.dormant,
    churned: a.churned + d.churned,
    orders: a.orders + d.orders,
    // Decimal strings: summed in cents, exactly.
    sales: ((Math.round(Number(a.sales) * 100) + Math.round(Number(d.sales) * 100)) / 100).toFixed(2),
  };
}

const COMPARED = ['total', 'new', 'active', 'dormant', 'churned', 'churnRate', 'repurchaseRate', 'orders', 'sales', 'aov'] as const;

function change(a: HealthFigures, b: HealthFigures): Partial<Record<keyof HealthFigures, number | null>> {
  const out: Partial<Record<keyof HealthFigures, number | null>> = {};
  for (const k of COMPARED) {
    const x = a[k] === null ? null : Number(a[k]);
    const y = b[k] === null ? null : Number(b[k]);
    out[k] = x === null || y === null || y === 0 ? null : (x - y) / y;
  }
  return out;
}

/** The periods a dashboard compares: the current one, the one before, the same dates a year earlier. */
interface Periods {
  current: [Date, Date];
  previous: [Date, Date];
  lastYear: [Date, Date];
}

/** A named period's trend step: days for a day, weeks for a week, 30 days for anything longer. */
function trendStep(start: Date, end: Date): Granularity {
  const days = (end.getTime() - start.getTime()) / DAY;
  return days <= 1 ? 'day' : days <= 7 ? 'week' : 'month';
}

/**
 * 本店会员健康度 (CRM13): the figures of a period for the actor's stores, per store and overall,
 * compared with the period before and the same dates a year earlier; a 12-step trend; retention
 * of the last six registration-month cohorts. The period is the rolling day, 7 or 30 days up to
 * now, today included (数据实时: a member registered or an order paid a minute ago counts);
 * or a named calendar period (上周, 10月, 本季度, 今年 …); or China dates `range.from` … `range.to`
 * (periods.ts) — up to now while it is still running, its comparisons cut to the same length.
 * `storeId` narrows to one store of the actor's scope.
 */
export async function healthDashboard(access: StaffAccess, opts: { granularity?: Granularity; storeId?: number; period?: CalendarPeriod; range?: DateRange } = {}): Promise<HealthDashboard> {
  requirePermission(access.actor, 'churn.read');
  const sql = access.services.readSql;
  const scope = storeScope(access.actor);
  const now = access.services.now();
  const range = dashboardRange(opts, now);
  const [storeRows] = await sql.query<RowDataPacket[]>('SELECT id, code, name FROM stores ORDER BY id');
  let stores = storeRows.map((r) => ({ id: Number(r.id), code: String(r.code), name: String(r.name) })).filter((s) => scope === null || scope.includes(s.id));
  if (opts.storeId !== undefined) {
    stores = stores.filter((s) => s.id === opts.storeId);
    if (!stores.length) throw forbidden('store_out_of_scope', '这个门店不在你的权限范围内。');
  }
  const ids = stores.length ? stores.map((s) => s.id) : [-1];
  const rolling = !opts.period && !opts.range;
  const granularity: Granularity = rolling ? (opts.granularity ?? 'week') : trendStep(range.start, range.end);
  const periods: Periods = { current: [range.start, range.end], previous: range.previous, lastYear: range.lastYear };
  const compute = () => computeDashboard(access, stores, ids, granularity, periods, now);
  // A period still running ends now: computed on every request, so nothing recorded since is
  // hidden. A period over is cached under the data's stamp (dataStamp), so an order, refund or
  // member recorded since is a new key at once.
  const d = range.partial ? await compute() : await cachedDashboard(access, [granularity, range.start.toISOString(), range.end.toISOString()], ids, compute);
  const dashboard: HealthDashboard = {
    ...d,
    asOf: now,
    partial: range.partial,
    ...(opts.period ? { period: { name: opts.period, partial: range.partial } } : {}),
    ...(opts.range ? { range: { from: opts.range.from, to: opts.range.to } } : {}),
  };
  await auditStoresRead(access, 'insights.health', scope === null && opts.storeId === undefined ? null : ids, { granularity, ...(opts.period ? { period: opts.period } : {}), ...(opts.range ? { range: opts.range } : {}) });
  return dashboard;
}

/** A dashboard as computed (asOf and what was asked are the request's own). */
type Computed = Omit<HealthDashboard, 'asOf' | 'partial' | 'period' | 'range'>;

/**
 * A dashboard of a period that is over, cached in Redis per store set, period and data stamp
 * (26 h): the stamp (the newest order, refund and member ids) is in the key, so a back-dated
 * order, a refund or an imported member is never hidden behind the cache. A cold dashboard
 * reads the visit summary or scans the stores' orders; a warm one is two reads.
 */
async function cachedDashboard(access: StaffAccess, what: string[], ids: number[], compute: () => Promise<Computed>): Promise<Computed> {
  const { services } = access;
  // The stamp comes from the pool the figures come from: a replica's stamp never runs ahead of its figures.
  const key = services.key('health', [...ids].sort((a, b) => a - b).join(','), ...what, await dataStamp(services.readSql));
  return cachedJson(services, key, 26 * 3600, compute);
}

/** The newest order, refund, member and scoring-run ids: any of them recorded changes it (four index look-ups). */
async function dataStamp(sql: StaffAccess['services']['sql']): Promise<string> {
  const [[r]] = await sql.query<any[]>(
    "SELECT (SELECT COALESCE(MAX(id), 0) FROM orders) AS o, (SELECT COALESCE(MAX(id), 0) FROM order_refunds) AS r, (SELECT COALESCE(MAX(id), 0) FROM members) AS m, (SELECT COALESCE(MAX(id), 0) FROM model_runs WHERE kind = 'scores') AS s",
  );
  // The scoring run too: member totals are its registration counts (registrations above).
  return `${r.o}.${r.r}.${r.m}.${r.s}`;
}

/**
 * Computes (and caches) the dashboards of the calendar periods just over — yesterday, last week,
 * last month — of every store and of all stores, for the first look of the day; the stamp in
 * their keys retires them as soon as an order, refund or member is recorded.
 */
export async function warmHealthCache(services: StaffAccess['services']): Promise<number> {
  // This month's registration cohorts recomputed (deletions, merges, home-store changes).
  await refreshStoreCohorts(services.sql, startOfChinaDay(services.now()));
  const [rows] = await services.sql.query<RowDataPacket[]>('SELECT id, code, name FROM stores ORDER BY id');
  const stores = rows.map((r) => ({ id: Number(r.id), code: String(r.code), name: String(r.name) }));
  const now = services.now();
  // It reads the cohorts it has just written: from the primary, whatever READ_DATABASE_URL says.
  const access = { services: { ...services, readSql: services.sql }, actor: { kind: 'staff', staffId: 0, wecomUserId: 'system', name: 'system', role: 'admin', storeIds: [] }, channel: 'api', requestId: 'warm' } as StaffAccess;
  let n = 0;
  for (const set of [stores, ...(stores.length > 1 ? stores.map((s) => [s]) : [])]) {
    if (!set.length) continue;
    const ids = set.map((s) => s.id);
    for (const p of [{ unit: 'day', offset: -1 }, calendarPeriodOf('last_week'), calendarPeriodOf('last_month')] as CalendarPeriod[]) {
      const range = chinaPeriodRange(p, now);
      const g = trendStep(range.start, range.end);
      const periods: Periods = { current: [range.start, range.end], previous: range.previous, lastYear: range.lastYear };
      await cachedDashboard(access, [g, range.start.toISOString(), range.end.toISOString()], ids, () => computeDashboard(access, set, ids, g, periods, now));
      n++;
    }
  }
  return n;
}

async function computeDashboard(access: StaffAccess, stores: HealthDashboard['stores'], ids: number[], granularity: Granularity, p: Periods, now: Date): Promise<Computed> {
  const [start, end] = p.current;
  const len = PERIOD_DAYS[granularity] * DAY;
  // The trend's steps are whole China days: a period running until now steps up to the end of today.
  const b = throughDay(end, now);
  const trendEnd = b === null ? end : new Date(chinaDayStartMs(b));
  const sql = access.services.readSql;
  const [all] = await sql.query<RowDataPacket[]>('SELECT id FROM stores');
  const allIds = all.map((r) => Number(r.id));
  const key = await summaryKey(sql, ids, allIds);
  // A single store is always its own summary key (when the summary is built at all).
  const storeKey = key === null ? await summaryKey(sql, [ids[0]!], allIds) : key;
  const periods: [Date, Date][] = [p.current, p.previous, p.lastYear];
  const members = await memberCounts(access, ids, periods);
  const none = { total: 0, new: 0 };
  // Independent read-only queries: run side by side on the pool.
  const [current, previous, lastYear, trend, cohorts, ...storeFigures] = await Promise.all([
    ...periods.map(([s, e], i) => healthFigures(access, ids, s, e, key, members.sum[i], now)),
    healthTrend(access, ids, trendEnd, len, 12, key),
    retentionCohorts(access, ids, end, 6, storeKey !== null),
    ...(stores.length > 1 ? stores.map((s) => healthFigures(access, [s.id], start, end, storeKey === null ? null : s.id, members.byStore.get(s.id)?.[0] ?? none, now)) : []),
  ] as [Promise<HealthFigures>, Promise<HealthFigures>, Promise<HealthFigures>, Promise<TrendPoint[]>, Promise<CohortRow[]>, ...Promise<HealthFigures>[]]);
  const perStore = storeFigures.map((figures, i) => ({ storeId: stores[i]!.id, code: stores[i]!.code, name: stores[i]!.name, figures }));
  return { granularity, stores, current, previous, lastYear, vsPrevious: change(current, previous), vsLastYear: change(current, lastYear), perStore, trend, cohorts, membersAsOf: members.asOf };
}

/**
 * Active buyers, new members, orders and AOV of the `n` periods of length `len` ending at `end`
 * (oldest first); the order side from the visit summary when `key` allows, else from the orders.
 */
export async function healthTrend(access: StaffAccess, storeIds: number[], end: Date, len: number, n: number, key: number | null = null): Promise<TrendPoint[]> {
  const sql = access.services.readSql;
  const from = new Date(end.getTime() - n * len);
  const b = chinaMidnightDay(end);
  const lenDays = len / DAY;
  const orderSide = async (): Promise<Map<number, { active: number; orders: number; sales: string }>> => {
    if (key !== null && b !== null && Number.isInteger(lenDays) && lenDays <= MAX_PERIOD_DAYS) return visitTrend(sql, key, b, lenDays, n);
    const [rows] = await sql.query<RowDataPacket[]>(
      `SELECT FLOOR(TIMESTAMPDIFF(SECOND, paid_at, ?) / ?) AS k, COUNT(DISTINCT member_id) AS active, COUNT(*) AS orders, SUM(${netAmount()}) AS sales
       FROM orders WHERE store_id IN (?) AND paid_at >= ? AND paid_at < ? AND ${countedOrder()} GROUP BY k`,
      [end, len / 1000, storeIds, from, end],
    );
    return new Map(rows.map((r) => [Number(r.k), { active: Number(r.active), orders: Number(r.orders), sales: String(r.sales) }]));
  };
  const boundaries = Array.from({ length: n + 1 }, (_, k) => new Date(end.getTime() - k * len));
  const snap = await registrations(access, storeIds, boundaries);
  const [byK, [mrows]] = await Promise.all([
    orderSide(),
    snap
      ? Promise.resolve([Array.from({ length: n }, (_, k) => ({ k, n: [...snap.values()].reduce((x, c) => x + c[k]! - c[k + 1]!, 0) }))] as unknown as [RowDataPacket[]])
      : sql.query<RowDataPacket[]>(
      `SELECT FLOOR(TIMESTAMPDIFF(SECOND, registered_at, ?) / ?) AS k, COUNT(*) AS n
       FROM members WHERE home_store_id IN (?) AND registered_at >= ? AND registered_at < ? AND status <> 'deleted' GROUP BY k`,
      [end, len / 1000, storeIds, from, end],
    ),
  ]);
  const newByK = new Map(mrows.map((r) => [Number(r.k), Number(r.n)]));
  const out: TrendPoint[] = [];
  for (let k = n - 1; k >= 0; k--) {
    const r = byK.get(k);
    const orders = r ? r.orders : 0;
    out.push({
      start: new Date(end.getTime() - (k + 1) * len),
      end: new Date(end.getTime() - k * len),
      active: r ? r.active : 0,
      new: newByK.get(k) ?? 0,
      orders,
      aov: orders ? Math.round((Number(r!.sales) / orders) * 100) / 100 : null,
    });
  }
  return out;
}


/**
 * Retention by registration-month cohort: the last `n` complete registration months before
 * `end`'s month, members of the stores, and the share who ordered (at any store) in each of the
 * three calendar months after it; a month not fully over before `end` reads null.
 */
export async function retentionCohorts(access: StaffAccess, storeIds: number[], end: Date, n: number, fromRollup = false): Promise<CohortRow[]> {
  const endMonth = chinaMonth(end);
  const firstCohort = chinaMonthStart(endMonth, -n);
  const endCohorts = chinaMonthStart(endMonth);
  // The stored cohorts (stats/cohorts.ts: from member_stats.cohort_orders, computed once a
  // month) are six rows per store; before the rollup exists, straight from the orders.
  const [rows] =
    fromRollup && n === COHORT_MONTHS
      ? [[...(await storeCohorts(access.services.readSql, storeIds, endMonth))].map(([cohort, c]) => ({ cohort, size: c.members, m1: c.m1, m2: c.m2, m3: c.m3 }))]
      : await access.services.readSql.query<RowDataPacket[]>(
          `SELECT c.cohort, COUNT(*) AS size, SUM(c.k1) AS m1, SUM(c.k2) AS m2, SUM(c.k3) AS m3 FROM (
             SELECT m.id, DATE_FORMAT(${chinaSql('m.registered_at')}, '%Y-%m') AS cohort,
                    MAX(PERIOD_DIFF(DATE_FORMAT(${chinaSql('o.paid_at')}, '%Y%m'), DATE_FORMAT(${chinaSql('m.registered_at')}, '%Y%m')) = 1) AS k1,
                    MAX(PERIOD_DIFF(DATE_FORMAT(${chinaSql('o.paid_at')}, '%Y%m'), DATE_FORMAT(${chinaSql('m.registered_at')}, '%Y%m')) = 2) AS k2,
                    MAX(PERIOD_DIFF(DATE_FORMAT(${chinaSql('o.paid_at')}, '%Y%m'), DATE_FORMAT(${chinaSql('m.registered_at')}, '%Y%m')) = 3) AS k3
             FROM members m LEFT JOIN orders o ON o.member_id = m.id AND o.paid_at >= ? AND o.paid_at < ? AND ${countedOrder('o')}
             WHERE m.home_store_id IN (?) AND m.registered_at >= ? AND m.registered_at < ? AND m.status <> 'deleted'
             GROUP BY m.id
           ) c GROUP BY c.cohort ORDER BY c.cohort`,
          [firstCohort, endCohorts, storeIds, firstCohort, endCohorts],
        );
  const byMonth = new Map((rows as Record<string, unknown>[]).map((r) => [String(r.cohort), r]));
  const out: CohortRow[] = [];
  for (let i = n; i >= 1; i--) {
    const month = shiftMonth(endMonth, -i);
    const r = byMonth.get(month);
    const size = r ? Number(r.size) : 0;
    // Month k after the cohort month is over when the cohort is more than k months before end's month.
    const retention = [1, 2, 3].map((k) => (k < i && size ? Number(r![`m${k}`]) / size : null));
    out.push({ month, size, retention });
  }
  return out;
}
