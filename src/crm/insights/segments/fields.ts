import { countedOrder, netAmount } from '../../sales/index.ts';
import { RFM_CELLS, VALUE_QUADRANTS } from '../rfm/rfm.ts';

/**
 * The whitelists the segment compiler draws every SQL identifier from: a tree names a field,
 * a metric or a score by key, and only the SQL written here ever reaches the statement (values
 * always travel as `?` parameters). Adding a member field, a behaviour metric or a model score
 * is adding one entry here.
 */

export type ValueType = 'int' | 'decimal' | 'string' | 'enum' | 'date' | 'datetime';

export interface FieldDef {
  /** SQL over the members row `m`. */
  sql: string;
  type: ValueType;
  nullable?: boolean;
  /** Allowed values of an enum field. */
  values?: readonly string[];
  /** Chinese label (preview, export header, chat). */
  label: string;
}

/** Member fields a condition can test. */
export const FIELDS = {
  level: { sql: 'm.level', type: 'int', label: '等级' },
  points: { sql: 'm.points', type: 'int', label: '积分' },
  growth_value: { sql: 'm.growth_value', type: 'int', label: '成长值' },
  home_store: { sql: 'm.home_store_id', type: 'int', nullable: true, label: '所属门店' },
  registered_at: { sql: 'm.registered_at', type: 'datetime', label: '注册时间' },
  birthday: { sql: 'm.birthday', type: 'date', nullable: true, label: '生日' },
  birthday_month: { sql: 'MONTH(m.birthday)', type: 'int', nullable: true, label: '生日月份' },
  source_channel: { sql: 'm.source_channel', type: 'string', label: '来源渠道' },
  gender: { sql: 'm.gender', type: 'enum', values: ['male', 'female', 'unknown'], label: '性别' },
  status: { sql: 'm.status', type: 'enum', values: ['active', 'frozen'], label: '状态' },
  name: { sql: 'm.name', type: 'string', label: '姓名' },
  member_no: { sql: 'm.member_no', type: 'string', label: '会员号' },
  openid: { sql: 'm.openid', type: 'string', nullable: true, label: '小程序openid' },
  external_user_id: { sql: 'm.external_user_id', type: 'string', nullable: true, label: '企微外部联系人' },
} as const satisfies Record<string, FieldDef>;
export type FieldName = keyof typeof FIELDS;

/**
 * Behaviour in a time window, as a correlated aggregate over the member's rows. `days` bounds
 * the window to (now − days, now]; without it the whole history up to now. `window` is the
 * timestamp column the window applies to; `where` narrows the rows (fixed SQL, no input).
 */
export interface MetricDef {
  /** SELECT <agg> FROM <from> WHERE <memberKey> = m.id [AND <where>] [AND window] */
  agg: string;
  from: string;
  memberKey: string;
  window: string;
  where?: string;
  type: 'int' | 'decimal';
  /** When true the window (days) is required. */
  needsDays?: boolean;
  /** A metric over the last event (days since): value is computed from MAX(window). */
  sinceLast?: boolean;
  /**
   * Set-wise evaluation (evaluate.ts): the window is one range scan of `from` (a covering index
   * that leads with `partition`, a store id, so every store is listed), grouped by member. The
   * whole history (no days) is instead one scan of `whole`, a covering index that leads with the
   * member key: read in member order, the GROUP BY streams without a temporary table.
   */
  byWindow?: { from: string; partition: string; whole: string };
  label: string;
}

/**
 * orders (store_id, paid_at, member_id, amount, refunded_amount): a window of all stores' orders without touching
 * the rows; orders (member_id, paid_at, amount, refunded_amount): every member's whole history, in member order.
 */
const ORDERS_BY_WINDOW = {
  from: 'orders o FORCE INDEX (orders_store_paid_member_amount_idx)',
  partition: 'o.store_id',
  whole: 'orders o FORCE INDEX (orders_member_paid_amount_idx)',
};

/** Net of refunds (sales' net.ts): a fully refunded order is no order, a partial refund lowers the spend. */
const COUNTED = countedOrder('o');

export const METRICS = {
  /** Number of orders paid in the window (fully refunded ones left out). */
  order_count: { agg: 'COUNT(*)', from: 'orders o', memberKey: 'o.member_id', window: 'o.paid_at', where: COUNTED, type: 'int', byWindow: ORDERS_BY_WINDOW, label: '消费次数' },
  /** Sum of order amounts in the window, net of refunds (yuan, DECIMAL). */
  spend: { agg: `COALESCE(SUM(${netAmount('o')}), 0)`, from: 'orders o', memberKey: 'o.member_id', window: 'o.paid_at', where: COUNTED, type: 'decimal', byWindow: ORDERS_BY_WINDOW, label: '消费金额' },
  /** Whole days since the last (not fully refunded) order; members who never ordered have none (the condition is false). */
  days_since_last_order: { agg: 'MAX(o.paid_at)', from: 'orders o', memberKey: 'o.member_id', window: 'o.paid_at', where: COUNTED, type: 'int', sinceLast: true, byWindow: ORDERS_BY_WINDOW, label: '距上次消费天数' },
  /** Complaints logged as interactions (the interactions table, type complaint) in the window. */
  complaint_count: { agg: 'COUNT(*)', from: 'interactions i', memberKey: 'i.member_id', window: 'i.created_at', where: "i.type = 'complaint'", type: 'int', label: '投诉次数' },
} as const satisfies Record<string, MetricDef>;
export type MetricName = keyof typeof METRICS;

/** A model score column a `score` node may name (the tree is rejected, 400, for any other key). */
export interface ScoreDef {
  table: string;
  memberKey: string;
  column: string;
  type: 'int' | 'decimal' | 'string';
  values?: readonly string[];
  label: string;
}
/**
 * The value models' columns as segment score conditions (written by the nightly scoring run,
 * src/crm/insights/scores): {score: 'churn_risk', op: 'gte', value: '0.7'},
 * {score: 'rfm_cell', op: 'in', value: ['at_risk', 'hibernating']}, {score: 'clv', op: 'gt', value: '1000'}.
 */
export const SCORES: Record<string, ScoreDef> = {
  rfm_cell: { table: 'member_scores s', memberKey: 's.member_id', column: 's.rfm_cell', type: 'string', values: Object.keys(RFM_CELLS), label: 'RFM 分群' },
  value_quadrant: { table: 'member_scores s', memberKey: 's.member_id', column: 's.value_quadrant', type: 'string', values: Object.keys(VALUE_QUADRANTS), label: '价值象限' },
  rfm_r: { table: 'member_scores s', memberKey: 's.member_id', column: 's.rfm_r', type: 'int', label: 'R 分' },
  rfm_f: { table: 'member_scores s', memberKey: 's.member_id', column: 's.rfm_f', type: 'int', label: 'F 分' },
  rfm_m: { table: 'member_scores s', memberKey: 's.member_id', column: 's.rfm_m', type: 'int', label: 'M 分' },
  churn_risk: { table: 'member_scores s', memberKey: 's.member_id', column: 's.churn_risk', type: 'decimal', label: '流失风险' },
  churn_level: { table: 'member_scores s', memberKey: 's.member_id', column: 's.churn_level', type: 'string', values: ['high', 'medium', 'low'], label: '流失风险等级' },
  clv: { table: 'member_scores s', memberKey: 's.member_id', column: 's.clv', type: 'decimal', label: '客户终身价值(12个月)' },
};

/** Columns an export may add after member id, member no, name and phone. */
export const EXPORT_FIELDS = {
  level: { sql: 'm.level', label: '等级' },
  points: { sql: 'm.points', label: '积分' },
  growth_value: { sql: 'm.growth_value', label: '成长值' },
  gender: { sql: 'm.gender', label: '性别' },
  birthday: { sql: "DATE_FORMAT(m.birthday, '%Y-%m-%d')", label: '生日' },
  registered_at: { sql: "DATE_FORMAT(m.registered_at, '%Y-%m-%d %H:%i:%s')", label: '注册时间' },
  source_channel: { sql: 'm.source_channel', label: '来源渠道' },
  home_store: { sql: 'st.name', label: '所属门店' },
  status: { sql: 'm.status', label: '状态' },
} as const;
export type ExportField = keyof typeof EXPORT_FIELDS;
