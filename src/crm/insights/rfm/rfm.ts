import type { Pool, RowDataPacket } from 'mysql2/promise';

import { DEFAULT_RFM, type RfmConfig } from './config.ts';

export { DEFAULT_RFM, rfmConfigSchema, type RfmConfig } from './config.ts';

/**
 * RFM: recency / frequency / monetary grades 1..N (N = `grades` of the settings, 3–10, default
 * 5 = quintiles), the named cells and the value quadrant, recomputed for every member by the
 * scoring run (or in bulk SQL over member_stats, applyRfm).
 *
 * Grades: the cut points are the k/N nearest-rank percentiles (k = 1..N−1) of the eligible
 * members (at least one order, not deleted), unless given. Frequency and monetary:
 * 1 + the number of cut points the value exceeds (ties share a grade, so a value that fills
 * several percentiles — e.g. "one order" — takes the lowest). Recency uses days since the last
 * order, lower is better: N − the number of cut points it exceeds.
 *
 * Cells and quadrants are defined on the 1–5 scale, whatever N: a grade g of N stands at
 * 1 + (g − 1)·4/(N − 1) (so 5 grades are exactly the classic rules, 3 grades read 1, 3, 5, and 10
 * grades 1, 1.44, …, 5), and "R ≥ 4" means that scaled value is at least 4. "Top" and "bottom"
 * (the new customer's R = 5, F = 1) are the highest and lowest grade. Compared in integers,
 * (g − 1)·4 ≥ (t − 1)·(N − 1), so no rounding decides a boundary.
 */

/** Cell names in evaluation order (the first rule that matches wins) with their Chinese labels; R, F, M on the 1–5 scale. */
export const RFM_CELLS = {
  champions: '冠军会员', // R≥4, F≥4, M≥4
  loyal: '忠诚会员', // R≥3, F≥4
  new: '新客', // R top, F bottom
  potential: '潜力会员', // R≥4 otherwise
  need_attention: '需关注', // R≥3 otherwise
  at_risk: '高价值流失风险', // R<3 and (F≥3 or M≥4)
  hibernating: '沉睡会员', // R≥2 otherwise
  lost: '已流失', // otherwise
  no_orders: '未消费', // no order yet
} as const;
export type RfmCell = keyof typeof RFM_CELLS;

/**
 * Value quadrant of the Client Insights document: recent (R≥3) × valuable ((F+M)/2 ≥ 3), on the
 * 1–5 scale. A member whose churn level is high does not count as recent, whatever R says: the
 * quadrant must not call a member 高价值 whom the churn risk calls gone (docs/models.md: 129 days
 * silent with risk 0.9997 showed as 高价值).
 */
export const VALUE_QUADRANTS = {
  high_value: '高价值', // recent and valuable
  potential: '潜力', // recent, not yet valuable
  churn_risk: '流失风险', // valuable but not recent
  dormant: '沉睡', // neither (and members without orders)
} as const;
export type ValueQuadrant = keyof typeof VALUE_QUADRANTS;

/** Grade g of N scaled to 1–5 is at least t: (g − 1)·4 ≥ (t − 1)·(N − 1), in integers. */
const atLeast = (g: number, t: number, grades: number) => (g - 1) * 4 >= (t - 1) * (grades - 1);
/** The same comparison as SQL over a grade column (`grades` is a validated integer 3–10, never user text). */
const sqlAtLeast = (col: string, t: number, grades: number) => `(${col} - 1) * 4 >= ${(t - 1) * (grades - 1)}`;

/** The cell rules as SQL over rfm_r/rfm_f/rfm_m (kept beside rfmCell so they stay in step). */
export function cellSql(grades: number): string {
  const [r, f, m] = [(t: number) => sqlAtLeast('rfm_r', t, grades), (t: number) => sqlAtLeast('rfm_f', t, grades), (t: number) => sqlAtLeast('rfm_m', t, grades)];
  return `CASE
  WHEN rfm_r IS NULL THEN 'no_orders'
  WHEN ${r(4)} AND ${f(4)} AND ${m(4)} THEN 'champions'
  WHEN ${r(3)} AND ${f(4)} THEN 'loyal'
  WHEN rfm_r = ${grades} AND rfm_f = 1 THEN 'new'
  WHEN ${r(4)} THEN 'potential'
  WHEN ${r(3)} THEN 'need_attention'
  WHEN ${f(3)} OR ${m(4)} THEN 'at_risk'
  WHEN ${r(2)} THEN 'hibernating'
  ELSE 'lost' END`;
}

/** (F + M)/2 ≥ 3 on the 1–5 scale is F + M ≥ N + 1 in grades. */
export function quadrantSql(grades: number): string {
  const recent = `${sqlAtLeast('rfm_r', 3, grades)} AND churn_level <> 'high'`;
  return `CASE
  WHEN rfm_r IS NULL THEN 'dormant'
  WHEN ${recent} AND rfm_f + rfm_m >= ${grades + 1} THEN 'high_value'
  WHEN ${recent} THEN 'potential'
  WHEN rfm_f + rfm_m >= ${grades + 1} THEN 'churn_risk'
  ELSE 'dormant' END`;
}

/** The same rules in JS (the scoring run, chat rendering, tests of single members). */
export function rfmCell(r: number | null, f: number | null, m: number | null, grades = 5): RfmCell {
  if (r === null || f === null || m === null) return 'no_orders';
  // atLeast called directly, no closure per call: the scoring run classifies a million members.
  if (atLeast(r, 4, grades) && atLeast(f, 4, grades) && atLeast(m, 4, grades)) return 'champions';
  if (atLeast(r, 3, grades) && atLeast(f, 4, grades)) return 'loyal';
  if (r === grades && f === 1) return 'new';
  if (atLeast(r, 4, grades)) return 'potential';
  if (atLeast(r, 3, grades)) return 'need_attention';
  if (atLeast(f, 3, grades) || atLeast(m, 4, grades)) return 'at_risk';
  if (atLeast(r, 2, grades)) return 'hibernating';
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

/** The percentile ranks of the cut points: ⌈n·k/N⌉ for k = 1..N−1 (at least the first row). */
const cutRanks = (n: number, grades: number) => Array.from({ length: grades - 1 }, (_, i) => Math.max(1, Math.ceil((n * (i + 1)) / grades)));

/** Nearest-rank k/N percentiles of each metric over the eligible members (N = grades). */
export async function rfmCutPoints(sql: Pool, now: Date, config: RfmConfig = DEFAULT_RFM): Promise<RfmCuts> {
  const [[{ n }]] = await sql.query<any[]>(`SELECT COUNT(*) AS n ${ELIGIBLE}`);
  const members = Number(n);
  const ranks = cutRanks(members, config.grades);
  const e = metricSql(config, now);
  const pick = async (expr: string, params: unknown[]) => {
    if (members === 0) return ranks.map(() => 0);
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

/** Nearest-rank k/N percentiles of `values`, k = 1..N−1 (ranks ⌈n·k/N⌉, as rfmCutPoints' SQL picks them). */
export function gradeCuts(values: ArrayLike<number>, grades: number): number[] {
  const s = Float64Array.from(values).sort();
  const ranks = cutRanks(s.length, grades);
  if (s.length === 0) return ranks.map(() => 0);
  return ranks.map((k) => s[k - 1]!);
}

/**
 * rfmCutPoints from the eligible members' metrics already in memory (the scoring run reads
 * every member_stats row anyway): days since the last order, frequency and monetary value of
 * the configured window. Same cut points as the SQL, without three sorts of the table.
 */
export function rfmCutsFrom(metrics: { r: ArrayLike<number>; f: ArrayLike<number>; m: ArrayLike<number> }, config: RfmConfig = DEFAULT_RFM): RfmCuts {
  return {
    r: config.cuts?.r ?? gradeCuts(metrics.r, config.grades),
    f: config.cuts?.f ?? gradeCuts(metrics.f, config.grades),
    m: config.cuts?.m ?? gradeCuts(metrics.m, config.grades),
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
     SET s.rfm_r = IF(ms.order_count > 0 AND m.status <> 'deleted', ? - (${above(e.r, cuts.r)}), NULL),
         s.rfm_f = IF(ms.order_count > 0 AND m.status <> 'deleted', 1 + ${above(e.f, cuts.f)}, NULL),
         s.rfm_m = IF(ms.order_count > 0 AND m.status <> 'deleted', 1 + ${above(e.m, cuts.m)}, NULL)`,
    [config.grades, ...cuts.r.flatMap((q) => [now, q]), ...cuts.f, ...cuts.m],
  );
  await sql.query(
    `UPDATE member_scores SET rfm_score = IF(rfm_r IS NULL, NULL, ROUND((? * rfm_r + ? * rfm_f + ? * rfm_m) / ?, 2)),
       rfm_cell = ${cellSql(config.grades)}, value_quadrant = ${quadrantSql(config.grades)}`,
    [wr, wf, wm, wr + wf + wm],
  );
  return cuts;
}

/** The value quadrant in JS (same rules as quadrantSql). */
export function valueQuadrant(r: number | null, f: number | null, m: number | null, grades = 5, churnHigh = false): ValueQuadrant {
  if (r === null || f === null || m === null) return 'dormant';
  const valuable = f + m >= grades + 1;
  if (atLeast(r, 3, grades) && !churnHigh) return valuable ? 'high_value' : 'potential';
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
export function rfmScorer(cuts: RfmCuts, config: RfmConfig = DEFAULT_RFM): (daysSince: number, frequency: number, monetary: number, churnHigh?: boolean) => RfmScores {
  const { r: wr, f: wf, m: wm } = config.weights;
  const n = config.grades;
  const above = (v: number, q: number[]) => {
    let k = 0;
    for (const c of q) if (v > c) k++;
    return k;
  };
  return (daysSince, frequency, monetary, churnHigh = false) => {
    const r = n - above(daysSince, cuts.r);
    const f = 1 + above(frequency, cuts.f);
    const m = 1 + above(monetary, cuts.m);
    return { r, f, m, score: Math.round(((wr * r + wf * f + wm * m) / (wr + wf + wm)) * 100) / 100, cell: rfmCell(r, f, m, n), quadrant: valueQuadrant(r, f, m, n, churnHigh) };
  };
}
