import { z } from 'zod';
import { memberRowsByIds, type MemberRow } from '../../customers/index.ts';
import { auditStoresRead, chinaDateRange, formatDay, requirePermission, fieldErrors, storeScope, storeScopeSql, type StaffAccess } from '../../kernel/index.ts';
import { checkedDays } from '../health/periods.ts';
import { countedOrder, netAmount } from '../../sales/index.ts';
import { rfmSettings } from '../settings.ts';
import { rfmCutsFrom, rfmScorer, type RfmCuts } from './rfm.ts';

/**
 * An RFM analysis over any time range (004 §2.3.1: 分析时间范围 required, 3–10 grades, R/F/M
 * weights; output the members of each grade, each grade's features and statistics). Unlike
 * the nightly scores (member_scores, on the configured window), it is computed on the asked
 * range from the orders themselves, net of refunds, on the read pool, and saves nothing.
 *
 * A member is analysed when they have at least one order that still counts in the range; R is
 * the days from their last such order to the end of the range (or now, for a range still
 * running), F their orders, M their net spend. Each dimension is graded 1..N on the analysed
 * members' own k/N percentiles (the nightly run's arithmetic, rfm.ts), and a member's overall
 * grade is their weighted RFM score rounded to the nearest grade.
 */

/** Three years: a chain's whole history of interest, without scanning a decade of orders. */
export const MAX_ANALYSIS_DAYS = 1096;

export const rfmAnalysisSchema = z.strictObject({
  from: z.string().describe('first day of the range, YYYY-MM-DD (China calendar)'),
  to: z.string().describe('last day of the range, YYYY-MM-DD, inclusive'),
  grades: z.number().int().min(3).max(10).optional().describe('grades per dimension and overall, 3–10 (default: the RFM settings)'),
  weights: z
    .strictObject({ r: z.number().min(0).max(100), f: z.number().min(0).max(100), m: z.number().min(0).max(100) })
    .refine((w) => w.r + w.f + w.m > 0, { message: 'at least one weight must be above 0' })
    .optional()
    .describe('weights of R, F and M in the score (default: the RFM settings)'),
  storeId: z.number().int().positive().optional().describe("one of your stores (default: all you may see)"),
  grade: z.number().int().min(1).max(10).optional().describe('also list the members of this overall grade'),
  page: z.number().int().min(1).max(10_000).default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
});
export type RfmAnalysisAsk = z.input<typeof rfmAnalysisSchema>;

export interface RfmGradeStats {
  grade: number;
  members: number;
  /** Of the analysed members, 0–1. */
  share: number;
  avgRecencyDays: number;
  avgOrders: number;
  avgSpend: string;
  totalSpend: string;
  /** Of the analysed members' spend, 0–1. */
  spendShare: number;
  avgScore: number;
}

export interface RfmAnalysis {
  from: string;
  to: string;
  /** The range is still running: R counts to now. */
  partial: boolean;
  grades: number;
  weights: { r: number; f: number; m: number };
  members: number;
  cuts: Omit<RfmCuts, 'members'>;
  /** Best grade first. */
  byGrade: RfmGradeStats[];
  list?: { grade: number; page: number; pageSize: number; total: number; items: (MemberRow & { recencyDays: number; orders: number; spend: string; score: number })[] };
}

export async function rfmAnalysis(access: StaffAccess, raw: RfmAnalysisAsk): Promise<RfmAnalysis> {
  requirePermission(access.actor, 'churn.read');
  const parsed = rfmAnalysisSchema.safeParse(raw);
  if (!parsed.success) throw fieldErrors('invalid_rfm_settings', parsed.error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'number' ? p : String(p))), message: i.message, code: i.code })));
  const ask = parsed.data;
  const { services } = access;
  const now = services.now();

  const [from, to] = checkedDays(ask, MAX_ANALYSIS_DAYS, now);
  const range = chinaDateRange(from, to, now);

  const settings = await rfmSettings.read(services);
  const grades = ask.grades ?? settings.grades;
  const weights = ask.weights ?? settings.weights;
  if (ask.grade !== undefined && ask.grade > grades) throw fieldErrors('invalid_rfm_settings', [{ path: ['grade'], message: `only ${grades} grades`, code: 'custom' }]);
  // Fixed cut points belong to the settings' grades and window; an analysis on its own grades uses its data's percentiles.
  const config = { window: 'all' as const, grades, weights, ...(settings.cuts && grades === settings.grades ? { cuts: settings.cuts } : {}) };

  const scope = storeScope(access.actor);
  const stores = ask.storeId === undefined ? scope : scope === null || scope.includes(ask.storeId) ? [ask.storeId] : [];
  const filter = storeScopeSql(stores);
  const [rows] = await services.readSql.query<any[]>({
    sql: `SELECT o.member_id, TIMESTAMPDIFF(DAY, MAX(o.paid_at), ?), COUNT(*), SUM(${netAmount('o')})
            FROM orders o JOIN members m ON m.id = o.member_id
           WHERE o.paid_at >= ? AND o.paid_at < ? AND ${countedOrder('o')} AND m.status <> 'deleted'${filter.sql}
           GROUP BY o.member_id`,
    rowsAsArray: true,
    values: [range.end, range.start, range.end, ...filter.params],
  });

  const n = rows.length;
  const ids = new Int32Array(n);
  const r = new Float64Array(n);
  const f = new Float64Array(n);
  const m = new Float64Array(n);
  rows.forEach((row: unknown[], i: number) => {
    ids[i] = Number(row[0]);
    r[i] = Math.max(0, Number(row[1]));
    f[i] = Number(row[2]);
    m[i] = Number(row[3]);
  });
  const cuts = rfmCutsFrom({ r, f, m }, config);
  const score = rfmScorer(cuts, config);
  const gradeOf = new Uint8Array(n);
  const scores = new Float64Array(n);
  const acc = Array.from({ length: grades + 1 }, () => ({ members: 0, r: 0, f: 0, m: 0, score: 0 }));
  let spendAll = 0;
  for (let i = 0; i < n; i++) {
    const s = score(r[i]!, f[i]!, m[i]!);
    const g = Math.min(grades, Math.max(1, Math.round(s.score)));
    gradeOf[i] = g;
    scores[i] = s.score;
    const a = acc[g]!;
    a.members++;
    a.r += r[i]!;
    a.f += f[i]!;
    a.m += m[i]!;
    a.score += s.score;
    spendAll += m[i]!;
  }
  const byGrade: RfmGradeStats[] = [];
  for (let g = grades; g >= 1; g--) {
    const a = acc[g]!;
    const avg = (x: number) => (a.members ? x / a.members : 0);
    byGrade.push({
      grade: g,
      members: a.members,
      share: n ? round(a.members / n, 4) : 0,
      avgRecencyDays: round(avg(a.r), 1),
      avgOrders: round(avg(a.f), 2),
      avgSpend: avg(a.m).toFixed(2),
      totalSpend: a.m.toFixed(2),
      spendShare: spendAll ? round(a.m / spendAll, 4) : 0,
      avgScore: round(avg(a.score), 2),
    });
  }

  const out: RfmAnalysis = { from: formatDay(from), to: formatDay(to), partial: range.partial, grades, weights, members: n, cuts: { r: cuts.r, f: cuts.f, m: cuts.m }, byGrade };
  if (ask.grade !== undefined) {
    // Best first within the grade; member id breaks ties so pages never overlap.
    const inGrade: number[] = [];
    for (let i = 0; i < n; i++) if (gradeOf[i] === ask.grade) inGrade.push(i);
    inGrade.sort((a, b) => scores[b]! - scores[a]! || ids[a]! - ids[b]!);
    const page = inGrade.slice((ask.page - 1) * ask.pageSize, ask.page * ask.pageSize);
    const members = await memberRowsByIds(services, access.actor, page.map((i) => ids[i]!));
    const at = new Map(page.map((i) => [ids[i]!, i]));
    out.list = {
      grade: ask.grade,
      page: ask.page,
      pageSize: ask.pageSize,
      total: inGrade.length,
      items: members.map((row) => {
        const i = at.get(row.id)!;
        return { ...row, recencyDays: r[i]!, orders: f[i]!, spend: m[i]!.toFixed(2), score: scores[i]! };
      }),
    };
  }
  await auditStoresRead(access, 'insights.rfm.analysis', stores, { from: out.from, to: out.to, members: n, ...(out.list ? { grade: out.list.grade, memberIds: out.list.items.map((i) => i.id) } : {}) });
  return out;
}

const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;
