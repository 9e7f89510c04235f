import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { healthTrendChart } from '../../intents/render/charts/health-chart.ts';
import { fieldError } from '../../crm/kernel/index.ts';
import { calendarPeriodOf, churnList, healthDashboard, MAX_ANALYSIS_DAYS, MAX_RANGE_DAYS, NAMED_PERIODS, rfmAnalysis, rfmAnalysisSchema, rfmOverview } from '../../crm/insights/index.ts';
import { apiRoute, bodyErrors, errors, jsonBody, ok, requires } from '../route.ts';
import { decimalString, isoDateTime, jsonify, queryBool } from '../schemas.ts';

const rate = z.number().min(0).max(1).nullable();
const figures = z.object({
  start: isoDateTime,
  end: isoDateTime,
  total: z.number().int().describe('members of the stores (home store) registered before end'),
  new: z.number().int().describe('registered within the period'),
  active: z.number().int().describe('distinct members with an order at the stores within the period'),
  dormant: z.number().int().describe('bought 90–180 days before end, nothing since'),
  churned: z.number().int().describe('bought 180–365 days before end, nothing since'),
  churnRate: rate.describe('churned / members who bought in the 365 days before end'),
  repurchaseRate: rate.describe("share of the period's buyers who also bought in the 365 days before it"),
  orders: z.number().int(),
  sales: decimalString,
  aov: decimalString.nullable().describe('average order value'),
});
const changes = z.record(z.string(), z.number().nullable()).describe('relative change per figure ((a−b)/b); null when undefined');
const store = z.object({ id: z.number().int(), code: z.string(), name: z.string() });

export const healthResponse = z.object({
  granularity: z.enum(['day', 'week', 'month']).describe('the trend’s step; without period or from/to also the rolling period'),
  asOf: isoDateTime.describe('when the figures were computed; a running period (partial) ends here'),
  partial: z.boolean().describe('the current period is still running: it ends at asOf, and previous/lastYear are cut to the same length'),
  period: z
    .object({ name: z.object({ unit: z.enum(['day', 'week', 'month', 'quarter', 'year']), offset: z.number().int().optional(), month: z.number().int().optional() }), partial: z.boolean() })
    .optional()
    .describe('the named calendar period asked for'),
  range: z.object({ from: z.string(), to: z.string() }).optional().describe('the China dates asked for, both included'),
  stores: z.array(store),
  current: figures,
  previous: figures,
  lastYear: figures,
  vsPrevious: changes,
  vsLastYear: changes,
  perStore: z.array(z.object({ storeId: z.number().int(), code: z.string(), name: z.string(), figures })),
  trend: z.array(z.object({ start: isoDateTime, end: isoDateTime, active: z.number().int(), new: z.number().int(), orders: z.number().int(), aov: z.number().nullable() })),
  cohorts: z.array(z.object({ month: z.string(), size: z.number().int(), retention: z.array(rate) })),
  chart: z.object({ pngBase64: z.string(), alt: z.string(), width: z.number().int(), height: z.number().int() }).optional(),
});

const storeQuery = z.coerce.number().int().positive().optional().describe('one store of your scope (default: all of them)');

export const insightsRoutes = [
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/insights/health',
      operationId: 'getStoreHealth',
      tags: ['insights'],
      summary: '会员健康度: store health dashboard (figures, vs previous period and last year, trend, cohort retention)',
      description:
        'Live figures, today included up to now (China time): without period or from/to, day = today so far, week = the last 7 days, month = the last 30 days (today included). ' +
        '`period` names a calendar period (this_quarter, this_year, last_month …), `month` a calendar month, `from`+`to` any China dates (both included, at most ' +
        `${MAX_RANGE_DAYS} days, not starting after today). A period still running ends now and is compared with the same stretch of the period before and of a year earlier. ` +
        'Orders count net of refunds (a fully refunded order is no order). Activity is counted by the order’s store, member totals by home store. ' +
        'With chart=true the 12-period trend chart comes along as a base64 PNG (ECharts SSR → resvg).',
      ...requires('churn.read'),
      request: {
        query: z.object({
          granularity: z.enum(['day', 'week', 'month']).default('week'),
          period: z.enum(NAMED_PERIODS).optional().describe('a calendar period, China time'),
          month: z.coerce.number().int().min(1).max(12).optional().describe('a calendar month by number: the latest one that has begun'),
          from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').optional().describe('first China date of a range (with to)'),
          to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').optional().describe('last China date of a range, included (with from)'),
          store: storeQuery,
          chart: queryBool.optional(),
        }),
      },
      responses: { 200: ok(healthResponse), ...errors() },
    }),
    async ({ access, query }) => {
      if ((query.from === undefined) !== (query.to === undefined)) throw fieldError('invalid_period', [query.from === undefined ? 'from' : 'to'], 'from and to go together');
      if (query.period !== undefined && query.month !== undefined) throw fieldError('invalid_period', ['month'], 'give period or month, not both');
      const period = query.month !== undefined ? { unit: 'month' as const, month: query.month } : query.period ? calendarPeriodOf(query.period) : undefined;
      const range = query.from !== undefined && query.to !== undefined ? { from: query.from, to: query.to } : undefined;
      const d = await healthDashboard(access, { granularity: query.granularity, storeId: query.store, period, range });
      const out = jsonify(d);
      if (!query.chart) return out;
      const img = healthTrendChart(d);
      return { ...out, chart: { pngBase64: img.png.toString('base64'), alt: img.alt, width: img.width, height: img.height } };
    },
  ),
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/insights/rfm',
      operationId: 'getRfmOverview',
      tags: ['insights'],
      summary: 'RFM cells, value quadrants and churn-risk levels of your stores’ members',
      ...requires('churn.read'),
      request: { query: z.object({ store: storeQuery }) },
      responses: {
        200: ok(
          z.object({
            scoredAt: isoDateTime.nullable().describe('when the scoring run computed them; null before the first run'),
            members: z.number().int(),
            cells: z.array(z.object({ cell: z.string(), label: z.string(), members: z.number().int(), avgSpend: decimalString.nullable() })),
            quadrants: z.array(z.object({ quadrant: z.string(), label: z.string(), members: z.number().int() })),
            churnLevels: z.object({ high: z.number().int(), medium: z.number().int(), low: z.number().int() }),
          }),
        ),
        ...errors(),
      },
    }),
    async ({ access, query }) => jsonify(await rfmOverview(access, { storeId: query.store })),
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/insights/rfm/analysis',
      operationId: 'analyseRfm',
      tags: ['insights'],
      summary: 'RFM analysis over any date range (004 §2.3.1): each grade’s statistics and, asked for, its members',
      description:
        `Computed from the orders of the range (net of refunds, up to ${MAX_ANALYSIS_DAYS} days) on the read replica; nothing is saved and the nightly scores are not touched. ` +
        'R = days from a member’s last order in the range to its end, F = their orders, M = their net spend; each is graded 1..N on the analysed members’ k/N percentiles, and the overall grade is the weighted score rounded. ' +
        'Grades and weights default to the RFM settings (GET /crm/settings/rfm). Give `grade` to list that grade’s members, best first, paged.',
      ...requires('churn.read'),
      request: { body: jsonBody(rfmAnalysisSchema, { from: '2026-01-01', to: '2026-06-30', grades: 4, weights: { r: 2, f: 1, m: 1 }, grade: 4, pageSize: 20 }) },
      responses: {
        200: ok(
          z.object({
            from: z.string(),
            to: z.string(),
            partial: z.boolean().describe('the range runs to today: R counts to now'),
            grades: z.number().int(),
            weights: z.object({ r: z.number(), f: z.number(), m: z.number() }),
            members: z.number().int().describe('members with at least one order that still counts in the range'),
            cuts: z.object({ r: z.array(z.number()), f: z.array(z.number()), m: z.array(z.number()) }).describe('the grades − 1 cut points per dimension'),
            byGrade: z.array(
              z.object({
                grade: z.number().int(),
                members: z.number().int(),
                share: z.number(),
                avgRecencyDays: z.number(),
                avgOrders: z.number(),
                avgSpend: decimalString,
                totalSpend: decimalString,
                spendShare: z.number(),
                avgScore: z.number(),
              }),
            ).describe('best grade first'),
            list: z
              .object({
                grade: z.number().int(),
                page: z.number().int(),
                pageSize: z.number().int(),
                total: z.number().int(),
                items: z.array(
                  z.object({
                    id: z.number().int(),
                    memberNo: z.string(),
                    name: z.string(),
                    phone: z.string().describe('masked unless you may see phones'),
                    level: z.number().int(),
                    homeStore: z.object({ id: z.number().int(), name: z.string() }).nullable(),
                    recencyDays: z.number(),
                    orders: z.number().int(),
                    spend: decimalString,
                    score: z.number(),
                  }),
                ),
              })
              .optional(),
          }),
        ),
        ...bodyErrors(400),
      },
    }),
    async ({ access, body }) => jsonify(await rfmAnalysis(access, body)),
  ),
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/insights/churn',
      operationId: 'getChurnList',
      tags: ['insights'],
      summary: 'Churn warning list: members ranked by the churn model’s risk, with the reasons',
      description: 'Before the first scoring run the first-version rule list (over the high-risk silence of the churn settings — 90 days unless configured — and 3× the usual gap, by spend) is returned with source "rule". Levels are those of the last scoring run under the churn settings (PUT /crm/settings/churn).',
      ...requires('churn.read'),
      request: {
        query: z.object({
          limit: z.coerce.number().int().min(1).max(100).default(20),
          level: z.enum(['high', 'medium', 'low']).optional().describe('default high'),
          minDays: z.coerce.number().int().min(1).max(3650).optional().describe('only members silent for more than this many days'),
        }),
      },
      responses: {
        200: ok(
          z.object({
            total: z.number().int(),
            source: z.enum(['model', 'rule']),
            scoredAt: isoDateTime.optional(),
            entries: z.array(
              z.object({
                memberId: z.number().int(),
                memberNo: z.string(),
                name: z.string(),
                phone: z.string().describe('masked unless the role may see phones'),
                homeStore: z.string().nullable(),
                daysSinceLastOrder: z.number().int(),
                usualGapDays: z.number().int(),
                totalSpend: decimalString,
                orderCount: z.number().int(),
                risk: z.number().min(0).max(1).optional(),
                level: z.enum(['high', 'medium', 'low']).optional(),
                reasons: z.array(z.string()).optional(),
                clv: decimalString.nullable().optional().describe('12-month customer lifetime value'),
              }),
            ),
          }),
        ),
        ...errors(),
      },
    }),
    async ({ access, query }) => {
      const l = await churnList(access, { limit: query.limit, levels: query.level ? [query.level] : undefined, minDays: query.minDays });
      return jsonify({ total: l.total, source: l.source, ...(l.scoredAt ? { scoredAt: l.scoredAt } : {}), entries: l.entries });
    },
  ),
];
