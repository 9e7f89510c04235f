import { FIELDS, METRICS, SCORES, type FieldDef } from './fields.ts';
import { RELATIVE_DAYS, type ActivityCondition, type EventCondition, type FieldCondition, type MetricCondition, type Op, type Scalar, type ScoreCondition, type SegmentNode, type SegmentTree, type TagCondition, type Value } from './tree.ts';

/**
 * Compiles a validated tree (parseSegmentTree) to one parameterized WHERE clause over the
 * members row `m`. Identifiers come only from the whitelists in fields.ts; every value is a
 * `?` parameter (mysql2 expands arrays for IN). Every leaf is two-valued (never SQL NULL), so
 * NOT is the exact complement: `ne` ≡ NOT eq, and a member with no home store is "not in
 * store 1".
 */
export interface CompileOptions {
  /** The evaluation clock: windows are (now − days, now]. */
  now: Date;
  /** Home stores the members must belong to; null = every store. Deleted members never match. */
  stores: readonly number[] | null;
  /**
   * Every store id, when known: with `stores` null the scope then reads "home store in (all
   * stores) or none", true of every member (home_store_id references stores), which lets the
   * indexes that lead with home_store_id serve range conditions on the columns after it
   * (members (home_store_id, level, status, registered_at): level > 3 reads 4 % of the index).
   */
  allStores?: readonly number[];
  /**
   * SQL that stands for a node of this tree (by identity) instead of its own compilation, without
   * parameters: the evaluator's precomputed metric sets (evaluate.ts).
   */
  replace?: ReadonlyMap<SegmentNode, string>;
}

export interface CompiledWhere {
  /** `m.status <> 'deleted' AND <scope> AND (<tree>)` */
  where: string;
  params: unknown[];
}

const DAY_MS = 86_400_000;
const CMP: Partial<Record<Op, string>> = { eq: '=', ne: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' };

class Sql {
  readonly params: unknown[] = [];
  p(value: unknown): string {
    this.params.push(value);
    return '?';
  }
}

export function compileWhere(tree: SegmentTree, opts: CompileOptions): CompiledWhere {
  const sql = new Sql();
  const scope = scopeWhere(sql, opts.stores, opts.allStores);
  const body = node(tree.root, sql, opts);
  return { where: `${scope} AND ${body}`, params: sql.params };
}

/** One condition alone, without the scope: a predicate over `m.id` for metric, tag, activity and score nodes. */
export function compileCondition(n: SegmentNode, opts: CompileOptions): CompiledWhere {
  const sql = new Sql();
  return { where: node(n, sql, opts), params: sql.params };
}

/** Every live member in scope, no condition: the denominator of a share, or the candidates of an unconditioned tree. */
export function compileScope(stores: readonly number[] | null, allStores?: readonly number[]): CompiledWhere {
  const sql = new Sql();
  return { where: scopeWhere(sql, stores, allStores), params: sql.params };
}

function scopeWhere(sql: Sql, stores: readonly number[] | null, allStores?: readonly number[]): string {
  if (stores === null) return `m.status <> 'deleted'${allStores?.length ? ` AND (m.home_store_id IN (${sql.p([...allStores])}) OR m.home_store_id IS NULL)` : ''}`;
  return `m.status <> 'deleted'${stores.length === 0 ? ' AND FALSE' : ` AND m.home_store_id IN (${sql.p([...stores])})`}`;
}

/** The member set as one statement: `SELECT m.id FROM members m WHERE …` (the whole scope when tree is null). */
export function compileMemberIds(tree: SegmentTree | null, opts: CompileOptions): { sql: string; params: unknown[] } {
  const { where, params } = tree === null ? compileScope(opts.stores, opts.allStores) : compileWhere(tree, opts);
  return { sql: `SELECT m.id FROM members m WHERE ${where}`, params };
}

function node(n: SegmentNode, sql: Sql, opts: CompileOptions): string {
  const replaced = opts.replace?.get(n);
  if (replaced !== undefined) return replaced;
  const now = opts.now;
  if ('and' in n) return `(${n.and.map((c) => node(c, sql, opts)).join(' AND ')})`;
  if ('or' in n) return `(${n.or.map((c) => node(c, sql, opts)).join(' OR ')})`;
  if ('not' in n) return `(NOT ${node(n.not, sql, opts)})`;
  if ('field' in n) return field(n, sql, now);
  if ('tag' in n) return tag(n, sql);
  if ('metric' in n) return metric(n, sql, now);
  if ('activity' in n) return activity(n, sql, now);
  if ('event' in n) return event(n, sql, now);
  return score(n, sql);
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const isDateOnly = (v: Scalar) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
const dayStart = (v: string) => new Date(`${v}T00:00:00.000Z`);
const nextDay = (v: string) => new Date(dayStart(v).getTime() + DAY_MS);
const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS);
/** An absolute date (the whole UTC day when date-only), an ISO instant, or "-30d" = 30 days before now. */
function asDate(v: Scalar, now: Date): Date {
  const rel = RELATIVE_DAYS.exec(String(v));
  if (rel) return daysBefore(now, Number(rel[1]));
  return isDateOnly(v) ? dayStart(String(v)) : new Date(String(v));
}

function field(c: FieldCondition, sql: Sql, now: Date): string {
  const def: FieldDef = FIELDS[c.field];
  const col = def.sql;
  if (c.op === 'is_null') return `(${col} IS NULL)`;
  if (c.op === 'ne') return `(NOT ${field({ ...c, op: 'eq' }, sql, now)})`;
  // A nullable column is guarded so the leaf is false (not NULL) for members without a value.
  const guard = (expr: string) => (def.nullable ? `(${col} IS NOT NULL AND ${expr})` : `(${expr})`);
  if (def.type === 'datetime') return guard(datetimeCmp(col, c.op, c.value!, sql, now));
  const v = c.value!;
  switch (c.op) {
    case 'in':
      return guard(`${col} IN (${sql.p(v)})`);
    case 'between': {
      const [a, b] = v as Scalar[];
      return guard(`${col} BETWEEN ${sql.p(a)} AND ${sql.p(b)}`);
    }
    case 'contains':
      return guard(`${col} LIKE ${sql.p(`%${escapeLike(String(v))}%`)}`);
    default:
      return guard(`${col} ${CMP[c.op]} ${sql.p(v)}`);
  }
}

/**
 * Date-only values on a DATETIME column mean the whole (UTC) day: eq 2026-01-05 is that day,
 * gt is from the next day on, lte up to the end of that day; between is inclusive of both days.
 * A relative value ("-30d") is the instant 30 days before `now`, resolved at every evaluation,
 * so "registered_at gte -30d" in a dynamic segment still means the last 30 days tomorrow.
 */
function datetimeCmp(col: string, op: Op, v: Value, sql: Sql, now: Date): string {
  const lo = (x: Scalar) => sql.p(asDate(x, now));
  const hiExcl = (x: Scalar) => sql.p(isDateOnly(x) ? nextDay(String(x)) : new Date(asDate(x, now).getTime() + 1));
  switch (op) {
    case 'eq':
      return isDateOnly(v as Scalar) ? `${col} >= ${lo(v as Scalar)} AND ${col} < ${hiExcl(v as Scalar)}` : `${col} = ${lo(v as Scalar)}`;
    case 'gt':
      return isDateOnly(v as Scalar) ? `${col} >= ${hiExcl(v as Scalar)}` : `${col} > ${lo(v as Scalar)}`;
    case 'gte':
      return `${col} >= ${lo(v as Scalar)}`;
    case 'lt':
      return `${col} < ${lo(v as Scalar)}`;
    case 'lte':
      return `${col} < ${hiExcl(v as Scalar)}`;
    case 'between': {
      const [a, b] = v as Scalar[];
      return `${col} >= ${lo(a!)} AND ${col} < ${hiExcl(b!)}`;
    }
    case 'in':
      return `(${(v as Scalar[]).map((x) => `(${datetimeCmp(col, 'eq', x, sql, now)})`).join(' OR ')})`;
    default:
      throw new Error(`op ${op} on a datetime survived validation`);
  }
}

function tag(c: TagCondition, sql: Sql): string {
  const parts = [`mt.member_id = m.id`, `t.name = ${sql.p(c.tag)}`];
  if (c.source !== undefined) parts.push(`mt.source IN (${sql.p(Array.isArray(c.source) ? c.source : [c.source])})`);
  if (c.minConfidence !== undefined) parts.push(`mt.confidence >= CAST(${sql.p(c.minConfidence.toFixed(3))} AS DECIMAL(4,3))`);
  const exists = `EXISTS (SELECT 1 FROM member_tags mt JOIN tags t ON t.id = mt.tag_id WHERE ${parts.join(' AND ')})`;
  return c.has === false ? `(NOT ${exists})` : `(${exists})`;
}

/** A number or DECIMAL comparison of a scalar SQL expression; NULL (no value) makes the leaf false. */
function compare(expr: string, op: Op, v: Value, decimal: boolean, sql: Sql): string {
  const p = (x: Scalar) => (decimal ? `CAST(${sql.p(String(x))} AS DECIMAL(14,2))` : sql.p(x));
  let cmp: string;
  if (op === 'in') cmp = `${expr} IN (${(v as Scalar[]).map(p).join(', ')})`;
  else if (op === 'between') cmp = `${expr} BETWEEN ${p((v as Scalar[])[0]!)} AND ${p((v as Scalar[])[1]!)}`;
  else cmp = `${expr} ${CMP[op]} ${p(v as Scalar)}`;
  return `(COALESCE(${cmp}, FALSE))`;
}

function metric(c: MetricCondition, sql: Sql, now: Date): string {
  const def = METRICS[c.metric];
  const where = [`${def.memberKey} = m.id`];
  if ('where' in def) where.push(def.where);
  if (c.days !== undefined) where.push(`${def.window} > ${sql.p(daysBefore(now, c.days))}`);
  where.push(`${def.window} <= ${sql.p(now)}`);
  const exists = existsForm(c);
  if (exists) return `(${exists === 'none' ? 'NOT ' : ''}EXISTS (SELECT 1 FROM ${def.from} WHERE ${where.join(' AND ')}))`;
  return metricCmp(`(SELECT ${def.agg} FROM ${def.from} WHERE ${where.join(' AND ')})`, c, sql, now);
}

/**
 * "None in the window" / "at least one": probed as an index lookup that stops at the first row
 * instead of a count (the evaluator's cost model reads this too); null for any other condition.
 */
export function existsForm(c: MetricCondition): 'none' | 'some' | null {
  if (METRICS[c.metric].agg !== 'COUNT(*)' || Array.isArray(c.value)) return null;
  const n = Number(c.value);
  if ((c.op === 'eq' && n === 0) || (c.op === 'lt' && n === 1) || (c.op === 'lte' && n === 0)) return 'none';
  if ((c.op === 'gte' && n === 1) || (c.op === 'gt' && n === 0) || (c.op === 'ne' && n === 0)) return 'some';
  return null;
}

/** The metric's comparison applied to its aggregate (a correlated subquery or a GROUP BY's aggregate). */
function metricCmp(agg: string, c: MetricCondition, sql: Sql, now: Date): string {
  const def = METRICS[c.metric];
  const expr = 'sinceLast' in def && def.sinceLast ? `TIMESTAMPDIFF(DAY, ${agg}, ${sql.p(now)})` : agg;
  // ne is the complement of eq (a member without a value is "not equal").
  if (c.op === 'ne') return `(NOT ${compare(expr, 'eq', c.value, def.type === 'decimal', sql)})`;
  return compare(expr, c.op, c.value, def.type === 'decimal', sql);
}

/** Whether a metric condition can be computed set-wise, by one scan of its window (fields.ts `byWindow`). */
export function scansByWindow(c: MetricCondition): boolean {
  return 'byWindow' in METRICS[c.metric];
}

/**
 * Whether a member with no rows in the window satisfies the condition: a count or a sum is then
 * 0 ("spend ≤ 100", "no order in 90 days"); days since the last order has no value (false).
 */
export function holdsWithoutRows(c: MetricCondition): boolean {
  const def = METRICS[c.metric];
  if ('sinceLast' in def && def.sinceLast) return false;
  const v = c.value;
  const n = (x: Scalar) => Number(x);
  switch (c.op) {
    case 'in':
      return (v as Scalar[]).some((x) => n(x) === 0);
    case 'between':
      return n((v as Scalar[])[0]!) <= 0 && 0 <= n((v as Scalar[])[1]!);
    case 'eq':
      return n(v as Scalar) === 0;
    case 'ne':
      return n(v as Scalar) !== 0;
    case 'gt':
      return 0 > n(v as Scalar);
    case 'gte':
      return 0 >= n(v as Scalar);
    case 'lt':
      return 0 < n(v as Scalar);
    case 'lte':
      return 0 <= n(v as Scalar);
    default:
      throw new Error(`op ${c.op} on a metric survived validation`);
  }
}

/**
 * A metric condition evaluated set-wise for the members listed in `candidates` (a table with
 * an `id` column; null = whoever has rows, for the caller to intersect): one range scan of the
 * window on the metric's covering index — every store is listed, since the index leads with
 * store_id — joined to the candidates and grouped by member; the whole history, one scan of the
 * member-ordered covering index instead. Returns the members for whom it holds, or, when members without rows in the window
 * satisfy it (`complement`, see holdsWithoutRows), those for whom it fails: a member with no
 * rows never appears in a GROUP BY, so only the failing side can be listed.
 */
export function compileMetricSet(c: MetricCondition, opts: { now: Date; candidates: string | null; storeIds: readonly number[] }): { sql: string; params: unknown[]; complement: boolean } {
  const def = METRICS[c.metric];
  if (!('byWindow' in def)) throw new Error(`metric ${c.metric} has no window scan`);
  const sql = new Sql();
  // The whole history reads the member-ordered index (no partition to list): its GROUP BY streams.
  const whole = c.days === undefined;
  const where = whole ? [] : opts.storeIds.length ? [`${def.byWindow.partition} IN (${sql.p([...opts.storeIds])})`] : ['FALSE'];
  if ('where' in def) where.push(def.where);
  if (!whole) where.push(`${def.window} > ${sql.p(daysBefore(opts.now, c.days!))}`);
  where.push(`${def.window} <= ${sql.p(opts.now)}`);
  const complement = holdsWithoutRows(c);
  const cmp = metricCmp(def.agg, c, sql, opts.now);
  // STRAIGHT_JOIN: the window drives (one range scan), each row probing the candidates' key.
  const join = opts.candidates === null ? '' : ` JOIN ${opts.candidates} c ON c.id = ${def.memberKey}`;
  return {
    // ORDER BY NULL: MariaDB would otherwise sort the groups, which nobody reads in order.
    sql: `SELECT STRAIGHT_JOIN ${def.memberKey} AS id FROM ${whole ? def.byWindow.whole : def.byWindow.from}${join}
      WHERE ${where.join(' AND ')} GROUP BY ${def.memberKey} HAVING ${complement ? `NOT ${cmp}` : cmp} ORDER BY NULL`,
    params: sql.params,
    complement,
  };
}

/**
 * Took part in an activity: an uncorrelated IN over interactions' (activity, member_id) index,
 * so the participants (few, next to the members) are found once and the members probed by key.
 */
function activity(c: ActivityCondition, sql: Sql, now: Date): string {
  const where = [`i.activity = ${sql.p(c.activity)}`, `i.type = 'activity'`, `i.created_at <= ${sql.p(now)}`];
  if (c.days !== undefined) where.push(`i.created_at > ${sql.p(daysBefore(now, c.days))}`);
  return `(m.id ${c.joined === false ? 'NOT IN' : 'IN'} (SELECT i.member_id FROM interactions i WHERE ${where.join(' AND ')}))`;
}

/**
 * A behaviour event at least `min` times: an uncorrelated IN over member_events, read on its
 * covering (type, ref, occurred_at, member_id) index — with a ref one range per window, grouped
 * by member — so the (few) members who did it are found once and the members probed by key.
 * The window is (now − days, now], as for metrics.
 */
function event(c: EventCondition, sql: Sql, now: Date): string {
  const where = [`e.type = ${sql.p(c.event)}`];
  if (c.ref !== undefined) where.push(`e.ref = ${sql.p(c.ref)}`);
  if (c.days !== undefined) where.push(`e.occurred_at > ${sql.p(daysBefore(now, c.days))}`);
  where.push(`e.occurred_at <= ${sql.p(now)}`);
  const min = c.min ?? 1;
  const having = min > 1 ? ` GROUP BY e.member_id HAVING COUNT(*) >= ${sql.p(min)}` : '';
  return `(m.id IN (SELECT e.member_id FROM member_events e WHERE ${where.join(' AND ')}${having}))`;
}

function score(c: ScoreCondition, sql: Sql): string {
  const def = SCORES[c.score]!;
  const expr = `(SELECT ${def.column} FROM ${def.table} WHERE ${def.memberKey} = m.id)`;
  if (c.op === 'is_null') return `(${expr} IS NULL)`;
  if (c.op === 'ne') return `(NOT ${compare(expr, 'eq', c.value!, def.type === 'decimal', sql)})`;
  if (c.op === 'contains') return `(COALESCE(${expr} LIKE ${sql.p(`%${escapeLike(String(c.value))}%`)}, FALSE))`;
  return compare(expr, c.op, c.value!, def.type === 'decimal', sql);
}
