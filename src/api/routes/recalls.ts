import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { getRecall, listRecalls, previewRecall, recallAudience, stopRecall, type RecallAudience, type RecallItem } from '../../crm/automation/index.ts';
import { getSegment } from '../../crm/insights/index.ts';
import { apiRoute, bodyErrors, errors, jsonBody, ok, requires } from '../route.ts';
import { idParam, iso, isoDateTime, isoOrNull } from '../schemas.ts';

const state = z.enum(['running', 'stopped', 'finished']);
const staffRef = z.object({ staffId: z.number().int(), name: z.string().nullable() });
const exclusions = z
  .object({
    total: z.number().int(),
    running: z.number().int().describe('still in a running recall'),
    recent: z.array(z.object({ daysAgo: z.number().int().describe('China-time days since that recall (0 = today)'), members: z.number().int() })).describe('recalled within the cooldown'),
    optedOut: z.number().int().describe('opted out of marketing'),
    cooldownDays: z.number().int().describe('RECALL_COOLDOWN_DAYS in force'),
  })
  .describe('members of the audience left out, each counted once under its first reason');
const counts = z.object({
  total: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  unknown: z.number().int().describe('interrupted sends the provider could not be asked about (may have arrived)'),
  unreachable: z.number().int(),
  skipped: z.number().int(),
  cancelled: z.number().int().describe('not sent because the recall was stopped'),
  pending: z.number().int(),
  byChannel: z.record(z.string(), z.number().int()),
  reasons: z.object({ failed: z.array(z.object({ reason: z.string(), members: z.number().int() })), unknown: z.array(z.object({ reason: z.string(), members: z.number().int() })) }).describe('recorded causes of failed and unknown sends, most frequent first'),
});
const recallItem = z.object({
  id: z.number().int(),
  state,
  audience: z.string(),
  couponAmount: z.string().nullable(),
  launchedAt: isoDateTime,
  launchedBy: staffRef,
  storeId: z.number().int().nullable().describe('the store it belongs to; null = launched by HQ'),
  members: z.number().int(),
  counts,
  excluded: exclusions.nullable(),
  stoppedAt: isoDateTime.nullable(),
  stoppedBy: staffRef.nullable(),
});
const toJson = (r: RecallItem) => ({ ...r, launchedAt: iso(r.launchedAt), stoppedAt: isoOrNull(r.stoppedAt) });

export const recallRoutes = [
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/recalls',
      operationId: 'listRecalls',
      tags: ['journeys'],
      summary: 'Running recalls and those launched in the last 30 days, newest first, with progress; a store role sees its stores’ recalls and its own',
      ...requires('journey.read'),
      request: { query: z.object({ state: state.optional(), limit: z.coerce.number().int().min(1).max(50).optional() }) },
      responses: { 200: ok(z.object({ items: z.array(recallItem) })), ...errors() },
    }),
    async ({ access, query }) => ({ items: (await listRecalls(access, query)).map(toJson) }),
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/recalls/preview',
      operationId: 'previewRecall',
      tags: ['journeys'],
      summary: 'What a recall of the churn list (or a segment) would do: members included, left out and why, cost, channels; launches nothing',
      ...requires('recall.launch'),
      request: {
        body: jsonBody(
          z.strictObject({
            segmentId: z.number().int().positive().optional().describe('a saved segment as the audience; the churn list of the caller’s stores when absent'),
            couponAmount: z.number().positive().max(10_000).multipleOf(0.01).default(20),
          }),
          { couponAmount: 20 },
        ),
      },
      responses: {
        200: ok(
          z.object({
            audience: z.number().int().describe('members of the audience before anyone is left out'),
            count: z.number().int().describe('members the recall would include'),
            excluded: exclusions,
            estimatedCost: z.string(),
            channels: z.record(z.string(), z.number().int()),
            sample: z.array(z.object({ memberNo: z.string(), name: z.string(), channel: z.string() })),
          }),
        ),
        ...bodyErrors(404),
      },
    }),
    async ({ access, body }) => {
      const audience: RecallAudience = body.segmentId ? { kind: 'segment', segmentId: body.segmentId, name: (await getSegment(access, body.segmentId)).name } : { kind: 'churn' };
      const memberIds = await recallAudience(access, audience);
      const p = await previewRecall(access, { audience, couponAmount: body.couponAmount, memberIds });
      return { audience: memberIds.length, ...p };
    },
  ),
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/recalls/{id}',
      operationId: 'getRecall',
      tags: ['journeys'],
      summary: 'One recall with its progress, what its launch left out and who stopped it',
      ...requires('journey.read'),
      request: { params: idParam },
      responses: { 200: ok(recallItem), ...errors(404) },
    }),
    async ({ access, params }) => toJson(await getRecall(access, params.id)),
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/recalls/{id}/stop',
      operationId: 'stopRecall',
      tags: ['journeys'],
      summary:
        'Stop a recall: nothing more is sent; members not yet sent are recorded as cancelled, those sent stay sent. Idempotent (a stopped recall answers 200 with alreadyStopped); 409 when it has already finished. ' +
        'Allowed to the staff member who launched it, and to holders of recall.manage whose stores cover it (admin, HQ operators and marketers: any recall; a store manager: their stores\' recalls); audited as recall.stop.',
      ...requires('recall.launch'),
      request: { params: idParam },
      responses: { 200: ok(z.object({ alreadyStopped: z.boolean(), cancelled: z.number().int(), recall: recallItem })), ...errors(404, 409) },
    }),
    async ({ access, params }) => {
      const r = await stopRecall(access, params.id);
      return { alreadyStopped: r.alreadyStopped, cancelled: r.cancelled, recall: toJson(await getRecall(access, params.id)) };
    },
  ),
];
