import type { Pool, RowDataPacket } from 'mysql2/promise';

/**
 * RFM: recency / frequency / monetary scores 1–5 by quintile, the named cells and the value
 * quadrant, recomputed for every member in bulk SQL over member_stats (src/crm/sales).
 *
 * Scores: the cut points are the 20/40/60/80 % nearest-rank percentiles of the eligible
 * members (at least one order, not deleted), unless given. Frequency and monetary:
 * 1 + the number of cut points the value exceeds (ties share a score, so a value that fills
 * several quintiles — e.g. "one order" — takes the lowest). Recency uses days since the last
 * order, lower is better: 5 − the number of cut points it exceeds.
 */
export interface RfmConfig {
  /** 'all': lifetime order count and spend; '365d': the last 365 days (member_stats windows). */
  window: 'all' | '365d';
  /** Weights of R, F and M in rfm_score (their weighted mean, 1..5). */
  weights: { r: number; f: number; m: number };
  /** Fixed cut points (4 ascending numbers each) instead of the data's quintiles. */
  cuts?: { r?: number[]; f?: number[]; m?: number[] };
}

export const DEFAULT_RFM: RfmConfig = { window: 'all', weights: { r: 1, f: 1, m: 1 } };

/** Cell names in evaluation order (the first rule that matches wins) with their Chinese labels. */
export const RFM_CELLS = {
  champions: '冠军会员', // R≥4, F≥4, M≥4
  loyal: '忠诚会员', // R≥3, F≥4
  new: '新客', // R=5, F=1
  potential: '潜力会员', // R≥4 otherwise
  need_attention: '需关注', // R=3 otherwise
  at_risk: '高价值流失风险', // R≤2 and (F≥3 or M≥4)
  hibernating: '沉睡会员', // R=2 otherwise
  lost: '已流失', // R=1 otherwise
  no_orders: '未消费', // no order yet
} as const;
export type RfmCell = keyof typeof RFM_CELLS;

/** Value quadrant of the Client Insights document: recent (R≥3) × valuable ((F+M)/2 ≥ 3). */
export const VALUE_QUADRANTS = {
  high_value: '高价值', // recent and valuable
  potential: '潜力', // recent, not yet valuable
  churn_risk: '流失风险', // valuable but not recent
  dormant: '沉睡', // neither (and members without orders)
} as const;
export type ValueQuadrant = keyof typeof VALUE_QUADRANTS;

/** The cell rules as SQL over rfm_r/rfm_f/rfm_m (kept beside RFM_CELLS so they stay in step). */
export const CELL_SQL = `CASE
  WHEN rfm_r IS NULL THEN 'no_orders'
  WHEN rfm_r >= 4 AND rfm_f >= 4 AND rfm_m >= 4 THEN 'champions'
  WHEN rfm_r >= 3 AND rfm_f >= 4 THEN 'loyal'
  WHEN rfm_r = 5 AND rfm_f = 1 THEN 'new'
  WHEN rfm_r >= 4 THEN 'potential'
  WHEN rfm_r = 3 THEN 'need_attention'
  WHEN rfm_f >= 3 OR rfm_m >= 4 THEN 'at_risk'
  WHEN rfm_r = 2 THEN 'hibernating'
  ELSE 'lost' END`;
export const QUADRANT_SQL = `CASE
  WHEN rfm_r IS NULL THEN 'dormant'
  WHEN rfm_r >= 3 AND rfm_f + rfm_m >= 6 THEN 'high_value'
  WHEN rfm_r >= 3 THEN 'potential'
  WHEN rfm_f + rfm_m >= 6 THEN 'churn_risk'
  ELSE 'dormant' END`;

/** The same rules in JS (chat rendering, tests of single members). */
export function rfmCell(r: number | null, f: number | null, m: number | null): RfmCell {
  if (r === null || f === null || m === null) return 'no_orders';
  if (r >= 4 && f >= 4 && m >= 4) return 'champions';
  if (r >= 3 && f >= 4) return 'loyal';
  if (r === 5 && f === 1) return 'new';
  if (r >= 4) return 'potential';
  if (r === 3) return 'need_attention';
  if (f >= 3 || m >= 4) return 'at_risk';
  if (r === 2) return 'hibernating';
  return 'lost';
}

export interface RfmCuts {
  r: number[];
  f: number[];
  m: number[];
  members: number;
}

function metricSql(config: RfmConfig, now: Date): { r: string; f: string; m: string; params: { r: unknown[] } } {
  return {
    r: 'TIMESTAMPDIFF(DAY, ms.last_order_at, ?)',
    f: config.window === 'all' ? 'ms.order_count' : 'ms.orders_365d',
    m: config.window === 'all' ? 'ms.total_spend' : 'ms.spend_365d',
    params: { r: [now] },
  };
}

const ELIGIBLE = "FROM member_stats ms JOIN members m ON m.id = ms.member_id WHERE ms.order_count > 0 AND m.status <> 'deleted'";

/** Nearest-rank 20/40/60/80 % percentiles of each metric over the eligible members. */
export async function rfmCutPoints(sql: Pool, now: Date, config: RfmConfig = DEFAULT_RFM): Promise<RfmCuts> {
  const [[{ n }]] = await sql.query<any[]>(`SELECT COUNT(*) AS n ${ELIGIBLE}`);
  const members = Number(n);
  const ranks = [1, 2, 3, 4].map((k) => Math.max(1, Math.ceil((members * k) / 5)));
  const e = metricSql(config, now);
  const pick = async (expr: string, params: unknown[]) => {
    if (members === 0) return [0, 0, 0, 0];
    const [rows] = await sql.query<RowDataPacket[]>(
      `SELECT rn, v FROM (SELECT ${expr} AS v, ROW_NUMBER() OVER (ORDER BY ${expr}) AS rn ${ELIGIBLE}) t WHERE rn IN (?) ORDER BY rn`,
      [...params, ...params, ranks],
    );
    const byRank = new Map(rows.map((r) => [Number(r.rn), Number(r.v)]));
    return ranks.map((k) => byRank.get(k)!);
  };
  return {
    r: config.cuts?.r ?? (await pick(e.r, e.params.r)),
    f: config.cuts?.f ?? (await pick(e.f, [])),
    m: config.cuts?.m ?? (await pick(e.m, [])),
    members,
  };
}

/** Nearest-rank 20/40/60/80 % percentiles of `values` (ranks ⌈n·k/5⌉, as rfmCutPoints' SQL picks them). */
export function quintileCuts(values: ArrayLike<number>): number[] {
  const s = Float64Array.from(values).sort();
  if (s.length === 0) return [0, 0, 0, 0];
  return [1, 2, 3, 4].map((k) => s[Math.max(1, Math.ceil((s.length * k) / 5)) - 1]!);
}

/**
 * rfmCutPoints from the eligible members' metrics already in memory (the scoring run reads
 * every member_stats row anyway): days since the last order, frequency and monetary value of
 * the configured window. Same cut points as the SQL, without three sorts of the table.
 */
export function rfmCutsFrom(metrics: { r: ArrayLike<number>; f: ArrayLike<number>; m: ArrayLike<number> }, config: RfmConfig = DEFAULT_RFM): RfmCuts {
  return {
    r: config.cuts?.r ?? quintileCuts(metrics.r),
    f: config.cuts?.f ?? quintileCuts(metrics.f),
    m: config.cuts?.m ?? quintileCuts(metrics.m),
    members: metrics.r.length,
  };
}

/**
 * Writes rfm_r/f/m, rfm_score, rfm_cell and value_quadrant of every member_scores row in two
 * bulk UPDATEs (member_scores rows must exist: the scoring run writes them first).
 */
export async function applyRfm(sql: Pool, now: Date, config: RfmConfig = DEFAULT_RFM): Promise<RfmCuts> {
  const cuts = await rfmCutPoints(sql, now, config);
  const e = metricSql(config, now);
  const above = (expr: string, q: number[]) => q.map(() => `(${expr} > ?)`).join(' + ');
  const { r: wr, f: wf, m: wm } = config.weights;
  await sql.query(
    `UPDATE member_scores s JOIN member_stats ms ON ms.member_id = s.member_id JOIN members m ON m.id = s.member_id
     SET s.rfm_r = IF(ms.order_count > 0 AND m.status <> 'deleted', 5 - (${above(e.r, cuts.r)}), NULL),
         s.rfm_f = IF(ms.order_count > 0 AND m.status <> 'deleted', 1 + ${above(e.f, cuts.f)}, NULL),
         s.rfm_m = IF(ms.order_count > 0 AND m.status <> 'deleted', 1 + ${above(e.m, cuts.m)}, NULL)`,
    [...cuts.r.flatMap((q) => [now, q]), ...cuts.f, ...cuts.m],
  );
  await sql.query(
    `UPDATE member_scores SET rfm_score = IF(rfm_r IS NULL, NULL, ROUND((? * rfm_r + ? * rfm_f + ? * rfm_m) / ?, 2)),
       rfm_cell = ${CELL_SQL}, value_quadrant = ${QUADRANT_SQL}`,
    [wr, wf, wm, wr + wf + wm],
  );
  return cuts;
}

/** The value quadrant in JS (same rules as QUADRANT_SQL). */
export function valueQuadrant(r: number | null, f: number | null, m: number | null): ValueQuadrant {
  if (r === null || f === null || m === null) return 'dormant';
  const valuable = f + m >= 6;
  if (r >= 3) return valuable ? 'high_value' : 'potential';
  return valuable ? 'churn_risk' : 'dormant';
}

export interface RfmScores {
  r: number;
  f: number;
  m: number;
  score: number;
  cell: RfmCell;
  quadrant: ValueQuadrant;
}

/**
 * Scores one member against cut points from rfmCutPoints(): the same arithmetic as applyRfm's
 * SQL, so the scoring run can write RFM in its single pass (applyRfm re-applies a new config
 * to the stored rows without rescoring churn).
 */
export function rfmScorer(cuts: RfmCuts, config: RfmConfig = DEFAULT_RFM): (daysSince: number, frequency: number, monetary: number) => RfmScores {
  const { r: wr, f: wf, m: wm } = config.weights;
  const above = (v: number, q: number[]) => (v > q[0]! ? 1 : 0) + (v > q[1]! ? 1 : 0) + (v > q[2]! ? 1 : 0) + (v > q[3]! ? 1 : 0);
  return (daysSince, frequency, monetary) => {
    const r = 5 - above(daysSince, cuts.r);
    const f = 1 + above(frequency, cuts.f);
    const m = 1 + above(monetary, cuts.m);
    return { r, f, m, score: Math.round(((wr * r + wf * f + wm * m) / (wr + wf + wm)) * 100) / 100, cell: rfmCell(r, f, m), quadrant: valueQuadrant(r, f, m) };
  };
}
