import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { massCapSchema, massCapSetting, setMassCap } from '../../crm/automation/index.ts';
import { churnConfigSchema, churnSettings, rescoreNow, rfmConfigSchema, rfmSettings } from '../../crm/insights/index.ts';
import type { StaffAccess } from '../../crm/kernel/index.ts';
import { expiryRuleSchema, expiryRuleSetting, setExpiryRule } from '../../crm/loyalty/index.ts';
import { queueScoringNow } from '../../jobs/scoring.ts';
import { apiRoute, bodyErrors, errors, jsonBody, ok, requires } from '../route.ts';
import { queryBool } from '../schemas.ts';

const recomputeQuery = z.object({
  recompute: queryBool.optional().describe('score every member again under the new settings now (default false: the nightly scoring run applies them)'),
});

const recomputeView = z
  .object({
    status: z.enum(['not_requested', 'done', 'queued']).describe('done: rescored inside this request (≤ 50,000 members); queued: a one-off scoring run was queued (larger chains)'),
    members: z.number().int().optional(),
    ms: z.number().int().optional().describe('duration of the inline run'),
    jobId: z.string().optional().describe('the queued scoring job'),
  })
  .describe('what happened to the stored scores');

/**
 * The scores under new settings: not at all unless asked; inside the request for a chain small
 * enough to rescore in seconds; else a one-off job on the scoring queue, so a million members
 * never hold the request for a minute.
 */
async function recompute(access: StaffAccess, asked: boolean | undefined): Promise<z.infer<typeof recomputeView>> {
  if (!asked) return { status: 'not_requested' };
  const r = await rescoreNow(access);
  if (r.status === 'done') return r;
  return { status: 'queued', members: r.members, jobId: await queueScoringNow(access.services) };
}

const RFM_EXAMPLE = { window: 'all', grades: 3, weights: { r: 2, f: 1, m: 1 }, cuts: { r: [30, 90] } };
const CHURN_EXAMPLE = { levels: { high: 0.75, medium: 0.45 }, silenceDays: { low: 30, medium: 60, high: 90 } };

/**
 * The engines' settings for an administrator (settings.manage): the points expiry rule, RFM
 * (004 §2.3.1) and the churn thresholds (001 §5.2). Unset, each reads as today's defaults; every
 * change is audited with the value before and after.
 */
export const settingsRoutes = [
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/settings/points-expiry',
      operationId: 'getPointsExpiry',
      tags: ['settings'],
      summary: 'The points expiry rule: earned points lapse `months` after they were earned (0 = never)',
      ...requires('settings.manage'),
      responses: { 200: ok(expiryRuleSchema), ...errors() },
    }),
    async ({ access }) => expiryRuleSetting(access),
  ),
  apiRoute(
    createRoute({
      method: 'put',
      path: '/crm/settings/points-expiry',
      operationId: 'putPointsExpiry',
      tags: ['settings'],
      summary: 'Replace the points expiry rule; it applies to points earned from now on, never retroactively',
      ...requires('settings.manage'),
      request: { body: jsonBody(expiryRuleSchema, { months: 12 }) },
      responses: { 200: ok(expiryRuleSchema), ...bodyErrors() },
    }),
    async ({ access, body }) => setExpiryRule(access, body),
  ),
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/settings/wecom-mass-cap',
      operationId: 'getWecomMassCap',
      tags: ['settings'],
      summary: '群发 per customer that journeys respect: `month` (as many as the month has days, the default), `week` (7) or `day` (1)',
      ...requires('settings.manage'),
      responses: { 200: ok(massCapSchema), ...errors() },
    }),
    async ({ access }) => massCapSetting(access),
  ),
  apiRoute(
    createRoute({
      method: 'put',
      path: '/crm/settings/wecom-mass-cap',
      operationId: 'putWecomMassCap',
      tags: ['settings'],
      summary: 'Replace the 群发 cap per customer; set it to what the company chose in the WeCom admin console',
      ...requires('settings.manage'),
      request: { body: jsonBody(massCapSchema, { per: 'week' }) },
      responses: { 200: ok(massCapSchema), ...bodyErrors() },
    }),
    async ({ access, body }) => setMassCap(access, body),
  ),
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/settings/rfm',
      operationId: 'getRfmSettings',
      tags: ['settings'],
      summary: 'RFM settings: window, number of grades (3–10), weights, fixed cut points if any',
      ...requires('settings.manage'),
      responses: { 200: ok(rfmConfigSchema), ...errors() },
    }),
    async ({ access }) => rfmSettings.show(access),
  ),
  apiRoute(
    createRoute({
      method: 'put',
      path: '/crm/settings/rfm',
      operationId: 'putRfmSettings',
      tags: ['settings'],
      summary: 'Replace the RFM settings; with recompute=true every member is scored again now',
      description:
        'N grades score R, F and M from 1 to N with N − 1 cut points per dimension: the data’s k/N percentiles unless `cuts` gives them (strictly ascending). ' +
        'Cells and quadrants are defined on the grades scaled to 1–5 (docs/models.md).',
      ...requires('settings.manage'),
      request: { query: recomputeQuery, body: jsonBody(rfmConfigSchema, RFM_EXAMPLE) },
      responses: { 200: ok(z.object({ settings: rfmConfigSchema, previous: rfmConfigSchema, recompute: recomputeView })), ...bodyErrors() },
    }),
    async ({ access, query, body }) => {
      const { old, value } = await rfmSettings.change(access, body);
      return { settings: value, previous: old, recompute: await recompute(access, query.recompute) };
    },
  ),
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/settings/churn',
      operationId: 'getChurnSettings',
      tags: ['settings'],
      summary: 'Churn thresholds: risk cut-offs of the levels and the silence days of the rules',
      ...requires('settings.manage'),
      responses: { 200: ok(churnConfigSchema), ...errors() },
    }),
    async ({ access }) => churnSettings.show(access),
  ),
  apiRoute(
    createRoute({
      method: 'put',
      path: '/crm/settings/churn',
      operationId: 'putChurnSettings',
      tags: ['settings'],
      summary: 'Replace the churn thresholds; with recompute=true every member is scored again now',
      description: 'Levels and reasons in member_scores (the churn list, segments on 流失风险) follow at the next scoring run, or now with recompute=true; the first-version rule list takes silenceDays.high as its floor at once.',
      ...requires('settings.manage'),
      request: { query: recomputeQuery, body: jsonBody(churnConfigSchema, CHURN_EXAMPLE) },
      responses: { 200: ok(z.object({ settings: churnConfigSchema, previous: churnConfigSchema, recompute: recomputeView })), ...bodyErrors() },
    }),
    async ({ access, query, body }) => {
      const { old, value } = await churnSettings.change(access, body);
      return { settings: value, previous: old, recompute: await recompute(access, query.recompute) };
    },
  ),
];
