import { z } from 'zod';
import { EVENT_TYPES, type EventType } from '../../engagement/index.ts';
import { AppError } from '../../kernel/index.ts';
import { FIELDS, METRICS, SCORES, type FieldDef, type FieldName, type MetricName } from './fields.ts';

/**
 * A segment is a condition tree, stored as `{version: 1, root: node}`. Nodes:
 *   {and: [node, …]} · {or: [node, …]} · {not: node}
 *   {field, op, value}            member fields (FIELDS), op eq/ne/gt/gte/lt/lte/in/between/contains/is_null;
 *                                 a datetime field also takes "-30d" (30 days before the evaluation clock)
 *   {tag, has?, source?, minConfidence?}   has (default) or lacks a tag, optionally by source and confidence
 *   {metric, days?, op, value}    behaviour (METRICS) in the last `days` days, or all history
 *   {activity, days?, joined?}    took part (joined: false = never took part) in a campaign or event
 *   {event, ref?, min?, days?}    a behaviour event (member_events) at least `min` times (default 1)
 *                                 in the last `days` days or ever, optionally about one ref (product id …)
 *   {score, op, value}            model scores (SCORES; none registered yet)
 * Validation walks the tree itself and checks each node with its own zod schema, so an error
 * names the exact node (`root.and[2].op`) instead of zod's "invalid union" at the top.
 */

export const OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'between', 'contains', 'is_null'] as const;
export type Op = (typeof OPS)[number];
const ORDERED_OPS: readonly Op[] = ['gt', 'gte', 'lt', 'lte', 'between'];
/** "-30d" is an instant that moves with the clock: only ordering makes sense (eq an exact millisecond would not). */
const RELATIVE_OPS: readonly Op[] = ORDERED_OPS;
export const TAG_SOURCES = ['manual', 'rule', 'model'] as const;
export type TagSource = (typeof TAG_SOURCES)[number];

export type Scalar = number | string;
export type Value = Scalar | Scalar[];

export type SegmentNode =
  | { and: SegmentNode[] }
  | { or: SegmentNode[] }
  | { not: SegmentNode }
  | FieldCondition
  | TagCondition
  | MetricCondition
  | ActivityCondition
  | EventCondition
  | ScoreCondition;

export interface FieldCondition {
  field: FieldName;
  op: Op;
  value?: Value;
}
export interface TagCondition {
  tag: string;
  /** false = the member lacks the tag (with the given source/confidence). Default true. */
  has?: boolean;
  source?: TagSource | TagSource[];
  /** 0..1: only tags at least this confident (model tags carry a confidence). */
  minConfidence?: number;
}
export interface MetricCondition {
  metric: MetricName;
  /** Window: the last N days up to now; omitted = whole history. */
  days?: number;
  op: Op;
  value: Value;
}
/**
 * Took part in an activity (a campaign or event): an `activity` interaction whose `activity`
 * column is this name, in the last `days` days or ever. A node of its own rather than a metric
 * because it carries a name, as a tag condition does.
 */
export interface ActivityCondition {
  activity: string;
  days?: number;
  /** false = never took part (in the window). Default true. */
  joined?: boolean;
}
/**
 * A behaviour event the chain reported (engagement's member_events): "viewed product D-001 at
 * least 3 times in the last 30 days" = {event: 'product_viewed', ref: 'D-001', min: 3, days: 30}.
 * "Never" is {not: {event …}}.
 */
export interface EventCondition {
  event: EventType;
  /** What the event is about: product id, activity id, form id, group id, coupon code, a custom event's name. */
  ref?: string;
  /** At least this many events (default 1). */
  min?: number;
  /** Window: the last N days up to now; omitted = all history. */
  days?: number;
}
export interface ScoreCondition {
  score: string;
  op: Op;
  value?: Value;
}

export interface SegmentTree {
  version: 1;
  root: SegmentNode;
}

/** Bounds that keep one statement reasonable. */
export const LIMITS = { maxDepth: 12, maxNodes: 200, maxIn: 1000, maxDays: 3650 } as const;

/** 400 naming the bad node: the chat and the API show `path` so the user can find it. */
export function invalidSegment(path: string, message: string): AppError {
  return new AppError('invalid_segment', `人群包条件有误（${path}）：${message}`, { details: { path, message } });
}

const DECIMAL = /^-?\d{1,10}(\.\d{1,2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A datetime relative to the evaluation clock: "-30d" = 30 days before now (re-evaluated on every run). */
export const RELATIVE_DAYS = /^-(\d{1,4})d$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

const scalar = z.union([z.number(), z.string().max(255)]);
const valueSchema = z.union([scalar, z.array(scalar).max(LIMITS.maxIn)]);

const fieldSchema = z.strictObject({ field: z.enum(Object.keys(FIELDS) as [FieldName, ...FieldName[]]), op: z.enum(OPS), value: valueSchema.optional() });
const tagSchema = z.strictObject({
  tag: z.string().trim().min(1).max(32),
  has: z.boolean().optional(),
  source: z.union([z.enum(TAG_SOURCES), z.array(z.enum(TAG_SOURCES)).min(1)]).optional(),
  minConfidence: z.number().min(0).max(1).optional(),
});
const metricSchema = z.strictObject({
  metric: z.enum(Object.keys(METRICS) as [MetricName, ...MetricName[]]),
  days: z.number().int().min(1).max(LIMITS.maxDays).optional(),
  op: z.enum(OPS),
  value: valueSchema,
});
const activitySchema = z.strictObject({
  activity: z.string().trim().min(1).max(64),
  days: z.number().int().min(1).max(LIMITS.maxDays).optional(),
  joined: z.boolean().optional(),
});
const eventSchema = z.strictObject({
  event: z.enum(EVENT_TYPES),
  ref: z.string().trim().min(1).max(64).optional(),
  min: z.number().int().min(1).max(10_000).optional(),
  days: z.number().int().min(1).max(LIMITS.maxDays).optional(),
});
const scoreSchema = z.strictObject({ score: z.string(), op: z.enum(OPS), value: valueSchema.optional() });

/** The dotted path of a zod issue under a node path: root.and[2] + ['value', 1] → root.and[2].value[1]. */
function joinPath(base: string, parts: readonly PropertyKey[]): string {
  return parts.reduce<string>((p, k) => (typeof k === 'number' ? `${p}[${k}]` : `${p}.${String(k)}`), base);
}

function check<T>(schema: z.ZodType<T>, raw: unknown, path: string): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw invalidSegment(joinPath(path, issue.path), issue.message);
}

type Kind = { type: 'number' | 'decimal' | 'string' | 'date' | 'datetime' | 'enum'; nullable: boolean; values?: readonly string[] };

function kindOfField(def: FieldDef): Kind {
  const type = def.type === 'int' ? 'number' : def.type;
  return { type, nullable: def.nullable === true, values: def.values };
}

/** Checks op and value against the operand's type; returns the value normalised (decimals as strings). */
function checkOperand(kind: Kind, op: Op, value: Value | undefined, path: string, opts: { integer?: boolean } = {}): Value | undefined {
  const valuePath = `${path}.value`;
  if (op === 'is_null') {
    if (!kind.nullable) throw invalidSegment(`${path}.op`, '这个字段不会为空，不能用 is_null');
    if (value !== undefined) throw invalidSegment(valuePath, 'is_null 不带 value');
    return undefined;
  }
  if (value === undefined) throw invalidSegment(valuePath, `${op} 需要 value`);
  if (op === 'contains' && kind.type !== 'string') throw invalidSegment(`${path}.op`, 'contains 只能用于文本字段');
  if (ORDERED_OPS.includes(op) && (kind.type === 'string' || kind.type === 'enum')) throw invalidSegment(`${path}.op`, `${op} 不能用于文本或枚举字段`);

  const one = (v: Scalar, p: string): Scalar => {
    switch (kind.type) {
      case 'number':
        if (typeof v !== 'number' || !Number.isFinite(v) || (opts.integer !== false && !Number.isInteger(v))) throw invalidSegment(p, '应为整数');
        return v;
      case 'decimal': {
        const s = typeof v === 'number' ? String(v) : v;
        if (!DECIMAL.test(s)) throw invalidSegment(p, '应为金额（最多两位小数），例如 "500" 或 "99.90"');
        return s;
      }
      case 'string':
        if (typeof v !== 'string' || v.length === 0 || v.length > 64) throw invalidSegment(p, '应为 1–64 个字符的文本');
        return v;
      case 'enum':
        if (typeof v !== 'string' || !kind.values?.includes(v)) throw invalidSegment(p, `应为 ${kind.values?.join(' / ')} 之一`);
        return v;
      case 'date':
        if (typeof v !== 'string' || !DATE.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) throw invalidSegment(p, '应为日期 YYYY-MM-DD');
        return v;
      case 'datetime': {
        const rel = typeof v === 'string' ? RELATIVE_DAYS.exec(v) : null;
        if (rel) {
          if (!RELATIVE_OPS.includes(op)) throw invalidSegment(`${path}.op`, `相对时间（如 "-30d"）只能用 ${RELATIVE_OPS.join(' / ')}`);
          if (Number(rel[1]) > LIMITS.maxDays) throw invalidSegment(p, `相对时间最多 ${LIMITS.maxDays} 天`);
          return v;
        }
        if (typeof v !== 'string' || !DATETIME.test(v) || Number.isNaN(Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v))) throw invalidSegment(p, '应为日期 YYYY-MM-DD、ISO 时间或相对天数如 "-30d"');
        return v;
      }
    }
  };

  if (op === 'in') {
    if (!Array.isArray(value) || value.length === 0) throw invalidSegment(valuePath, 'in 需要非空数组');
    return value.map((v, i) => one(v, `${valuePath}[${i}]`));
  }
  if (op === 'between') {
    if (!Array.isArray(value) || value.length !== 2) throw invalidSegment(valuePath, 'between 需要 [下限, 上限]');
    const [a, b] = [one(value[0]!, `${valuePath}[0]`), one(value[1]!, `${valuePath}[1]`)];
    if (compareScalars(kind, a, b) > 0) throw invalidSegment(valuePath, '下限大于上限');
    return [a, b];
  }
  if (Array.isArray(value)) throw invalidSegment(valuePath, `${op} 需要单个值`);
  return one(value, valuePath);
}

function compareScalars(kind: Kind, a: Scalar, b: Scalar): number {
  if (kind.type === 'number') return Number(a) - Number(b);
  if (kind.type === 'decimal') return Number(a) - Number(b); // validation only; SQL compares DECIMALs
  if (kind.type === 'date' || kind.type === 'datetime') {
    const [ra, rb] = [RELATIVE_DAYS.exec(String(a)), RELATIVE_DAYS.exec(String(b))];
    // "-60d" is before "-30d"; a relative bound against an absolute one depends on the clock: not checked.
    if (ra || rb) return ra && rb ? Number(rb[1]) - Number(ra[1]) : 0;
    return Date.parse(String(a)) - Date.parse(String(b));
  }
  return String(a).localeCompare(String(b));
}

const KIND_KEYS = ['and', 'or', 'not', 'field', 'tag', 'metric', 'activity', 'event', 'score'] as const;

/**
 * Validates a tree (unknown JSON from chat, API or the database) and returns it typed and
 * normalised. Throws a 400 AppError whose `details.path` names the offending node.
 */
export function parseSegmentTree(raw: unknown): SegmentTree {
  const top = check(z.strictObject({ version: z.literal(1), root: z.unknown() }), raw, 'tree');
  let nodes = 0;
  const root = parseNode(top.root, 'root', 1);
  return { version: 1, root };

  function parseNode(node: unknown, path: string, depth: number): SegmentNode {
    if (++nodes > LIMITS.maxNodes) throw invalidSegment(path, `条件太多（最多 ${LIMITS.maxNodes} 个节点）`);
    if (depth > LIMITS.maxDepth) throw invalidSegment(path, `嵌套太深（最多 ${LIMITS.maxDepth} 层）`);
    if (typeof node !== 'object' || node === null || Array.isArray(node)) throw invalidSegment(path, '应为对象，如 {"and": [...]} 或 {"field": "level", "op": "gte", "value": 3}');
    const keys = KIND_KEYS.filter((k) => k in node);
    if (keys.length !== 1) throw invalidSegment(path, keys.length === 0 ? `不认识的节点，应含 ${KIND_KEYS.join(' / ')} 之一` : `节点只能是一种：${keys.join(' 与 ')} 同时出现`);
    const kind = keys[0]!;
    const obj = node as Record<string, unknown>;

    if (kind === 'and' || kind === 'or') {
      const children = check(z.strictObject({ [kind]: z.array(z.unknown()).min(1).max(LIMITS.maxNodes) }), obj, path)[kind] as unknown[];
      const parsed = children.map((c, i) => parseNode(c, `${path}.${kind}[${i}]`, depth + 1));
      return kind === 'and' ? { and: parsed } : { or: parsed };
    }
    if (kind === 'not') {
      check(z.strictObject({ not: z.unknown() }), obj, path);
      return { not: parseNode(obj.not, `${path}.not`, depth + 1) };
    }
    if (kind === 'field') {
      const f = check(fieldSchema, obj, path);
      const value = checkOperand(kindOfField(FIELDS[f.field]), f.op, f.value as Value | undefined, path);
      return value === undefined ? { field: f.field, op: f.op } : { field: f.field, op: f.op, value };
    }
    if (kind === 'tag') {
      const t = check(tagSchema, obj, path);
      return { tag: t.tag, ...(t.has === undefined ? {} : { has: t.has }), ...(t.source === undefined ? {} : { source: t.source }), ...(t.minConfidence === undefined ? {} : { minConfidence: t.minConfidence }) };
    }
    if (kind === 'metric') {
      const mt = check(metricSchema, obj, path);
      const def = METRICS[mt.metric];
      if (mt.op === 'is_null' || mt.op === 'contains') throw invalidSegment(`${path}.op`, `${mt.op} 不能用于行为条件`);
      if ('sinceLast' in def && def.sinceLast && mt.days !== undefined) throw invalidSegment(`${path}.days`, `${mt.metric} 不带时间窗口`);
      const value = checkOperand({ type: def.type === 'int' ? 'number' : 'decimal', nullable: false }, mt.op, mt.value as Value, path);
      return { metric: mt.metric, ...(mt.days === undefined ? {} : { days: mt.days }), op: mt.op, value: value! };
    }
    if (kind === 'activity') {
      const a = check(activitySchema, obj, path);
      return { activity: a.activity, ...(a.days === undefined ? {} : { days: a.days }), ...(a.joined === undefined ? {} : { joined: a.joined }) };
    }
    if (kind === 'event') {
      const e = check(eventSchema, obj, path);
      return { event: e.event, ...(e.ref === undefined ? {} : { ref: e.ref }), ...(e.min === undefined || e.min === 1 ? {} : { min: e.min }), ...(e.days === undefined ? {} : { days: e.days }) };
    }
    const s = check(scoreSchema, obj, path);
    const def = SCORES[s.score];
    if (!def) throw invalidSegment(`${path}.score`, `模型分数「${s.score}」尚未提供${Object.keys(SCORES).length ? `（可用：${Object.keys(SCORES).join(', ')}）` : ''}`);
    // A string score with a fixed set of values (rfm_cell, churn_level) is an enum: a typo is a 400, not an empty segment.
    const type = def.type === 'int' ? 'number' : def.type === 'string' && def.values ? 'enum' : def.type;
    const value = checkOperand({ type, nullable: true, values: def.values }, s.op, s.value as Value | undefined, path, { integer: def.type === 'int' });
    return value === undefined ? { score: s.score, op: s.op } : { score: s.score, op: s.op, value };
  }
}
