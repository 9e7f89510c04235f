import { createHash } from 'node:crypto';
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { isAppError, notFound, requirePermission } from '../../crm/kernel/index.ts';
import { automationLogs, createJourney, deleteJourney, emitTrigger, enrollMembers, installTemplates, journeyStats, listJourneys, parseJourneyDefinition, QUOTA_REASONS, readJourney, setJourneyStatus, TEMPLATES, TRIGGER_TYPES, updateJourney, type JourneyInfo } from '../../crm/automation/index.ts';
import { findMemberEvent } from '../../crm/engagement/index.ts';
import { eventInputSchema, recordMemberEvent } from '../../crm/lifecycle/index.ts';
import { journeyDeps } from '../../jobs/journey-deps.ts';
import { apiRoute, bodyErrors, errors, jsonBody, ok, requires } from '../route.ts';
import { idParam, iso, isoDateTime, isoOrNull, paged, pageQuery } from '../schemas.ts';

const status = z.enum(['draft', 'active', 'paused']);
const journeyItem = z.object({
  id: z.number().int(),
  templateKey: z.string().nullable(),
  name: z.string(),
  description: z.string().nullable(),
  status,
  currentVersion: z.number().int(),
  triggerType: z.string(),
  createdBy: z.string(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  definition: z.unknown().optional().describe('the current version (journey JSON, see the README)'),
});
const toJson = (j: JourneyInfo) => ({
  id: j.id,
  templateKey: j.templateKey,
  name: j.name,
  description: j.description,
  status: j.status,
  currentVersion: j.currentVersion,
  triggerType: j.triggerType,
  createdBy: j.createdBy,
  createdAt: iso(j.createdAt),
  updatedAt: iso(j.updatedAt),
  ...(j.definition !== undefined ? { definition: j.definition } : {}),
});

const EXAMPLE = TEMPLATES[0]!.definition;
const body = z.strictObject({ name: z.string().trim().min(1).max(128), description: z.string().max(500).nullable().optional(), definition: z.unknown() });
const by = (a: { actor: { wecomUserId: string } }) => a.actor.wecomUserId;

export const journeyRoutes = [
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/journeys',
      operationId: 'listJourneys',
      tags: ['journeys'],
      summary: 'Automation journeys (without their definitions)',
      ...requires('journey.read'),
      request: { query: z.object({ status: status.optional() }) },
      responses: { 200: ok(z.object({ items: z.array(journeyItem) })), ...errors() },
    }),
    async ({ access, query }) => ({ items: (await listJourneys(access, query)).map(toJson) }),
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/journeys',
      operationId: 'createJourney',
      tags: ['journeys'],
      summary: 'Create a journey (as a draft) from its JSON definition',
      ...requires('journey.write'),
      request: { body: jsonBody(body, { name: '新会员欢迎', definition: EXAMPLE }) },
      responses: { 201: ok(journeyItem), ...bodyErrors() },
    }),
    async ({ access, body }) => {
      requirePermission(access.actor, 'journey.write');
      return toJson(await createJourney(access.services, by(access), { ...body, status: 'draft' }));
    },
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/journeys/validate',
      operationId: 'validateJourney',
      tags: ['journeys'],
      summary: 'Check a journey definition without saving it',
      ...requires('journey.write'),
      request: { body: jsonBody(z.strictObject({ definition: z.unknown() }), { definition: EXAMPLE }) },
      responses: { 200: ok(z.object({ valid: z.boolean(), error: z.object({ path: z.string(), message: z.string() }).optional(), steps: z.number().int().optional(), trigger: z.string().optional() })), ...bodyErrors() },
    }),
    async ({ body }) => {
      try {
        const c = parseJourneyDefinition(body.definition);
        return { valid: true, steps: c.steps.size, trigger: c.def.trigger.type };
      } catch (e) {
        if (isAppError(e) && e.code === 'invalid_journey') return { valid: false, error: e.details as { path: string; message: string } };
        throw e;
      }
    },
  ),
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/journeys/templates',
      operationId: 'listJourneyTemplates',
      tags: ['journeys'],
      summary: 'The shipped journey templates',
      ...requires('journey.read'),
      responses: { 200: ok(z.object({ items: z.array(z.object({ key: z.string(), name: z.string(), description: z.string(), definition: z.unknown() })) })), ...errors() },
    }),
    async () => ({ items: TEMPLATES }),
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/journeys/templates/install',
      operationId: 'installJourneyTemplates',
      tags: ['journeys'],
      summary: 'Create each shipped template once, as a draft journey',
      ...requires('journey.write'),
      responses: { 200: ok(z.object({ items: z.array(journeyItem) })), ...errors() },
    }),
    async ({ access }) => ({ items: (await installTemplates(access.services, by(access))).map(toJson) }),
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/journeys/events',
      operationId: 'emitJourneyEvent',
      tags: ['journeys'],
      deprecated: true,
      summary: 'Deprecated alias of POST /crm/events: report a member event and enrol the member in the journeys it triggers',
      description:
        'Kept for integrations written before POST /crm/events. `product_browsed` (with `data.productId`) is recorded as a `product_viewed` event and `wecom_joined` as a `group_joined` ' +
        '(or, with `data.kind: "staff"`, `staff_added`) event, exactly as POST /crm/events records it (the event id is derived from type + occurrence, so the same occurrence again is a replay, ' +
        'and the same occurrence with other data a 409 event_conflict); the answer is how many journey entries that made. The other types — which the CRM now fires itself when it records ' +
        'the order, the member, the complaint … — still enrol the member directly. New integrations: POST /crm/events (or /crm/events/batch).',
      ...requires('journey.write'),
      request: {
        body: jsonBody(
          z
            .strictObject({
              type: z.enum(TRIGGER_TYPES),
              memberId: z.number().int().positive(),
              occurrence: z.string().min(1).max(64).describe('what makes this event distinct (the same one twice enrols once)'),
              data: z.strictObject({ amount: z.number().optional(), productId: z.string().max(64).optional(), kind: z.enum(['group', 'staff']).optional(), fromLevel: z.number().int().nullable().optional(), toLevel: z.number().int().optional() }).optional(),
            })
            .superRefine((b, ctx) => {
              if (b.type === 'product_browsed' && !b.data?.productId) ctx.addIssue({ code: 'custom', path: ['data', 'productId'], message: 'product_browsed is recorded as a product_viewed event: name the product' });
            }),
          { type: 'product_browsed', memberId: 1, occurrence: 'view-8812', data: { productId: 'SKU-001' } },
        ),
      },
      responses: { 200: ok(z.object({ enrolled: z.number().int() })), ...bodyErrors(404, 409) },
    }),
    async ({ access, body }) => {
      const deps = journeyDeps(access.services);
      if (body.type !== 'product_browsed' && body.type !== 'wecom_joined') return { enrolled: await emitTrigger(deps, body) };
      // One code path records events: the alias becomes the event POST /crm/events would get.
      const eventId = `jrn-${createHash('sha256').update(`${body.type}:${body.occurrence}`).digest('hex').slice(0, 40)}`;
      // The time of the first report, so the same report again is the same request (a replay).
      const occurredAt = ((await findMemberEvent(access.services.sql, eventId))?.occurredAt ?? access.services.now()).toISOString();
      const event =
        body.type === 'product_browsed'
          ? { eventId, memberId: body.memberId, occurredAt, type: 'product_viewed' as const, data: { productId: body.data!.productId! } }
          : body.data?.kind === 'staff'
            ? { eventId, memberId: body.memberId, occurredAt, type: 'staff_added' as const, data: {} }
            : { eventId, memberId: body.memberId, occurredAt, type: 'group_joined' as const, data: {} };
      return { enrolled: (await recordMemberEvent(access, eventInputSchema.parse(event), { journeys: deps })).enrolled };
    },
  ),
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/journeys/{id}',
      operationId: 'getJourney',
      tags: ['journeys'],
      summary: 'A journey with its current definition',
      ...requires('journey.read'),
      request: { params: idParam },
      responses: { 200: ok(journeyItem), ...errors(404) },
    }),
    async ({ access, params }) => toJson(await readJourney(access, params.id)),
  ),
  apiRoute(
    createRoute({
      method: 'patch',
      path: '/crm/journeys/{id}',
      operationId: 'updateJourney',
      tags: ['journeys'],
      summary: 'Rename or change a journey; a new definition becomes a new version (members already in it keep theirs)',
      ...requires('journey.write'),
      request: {
        params: idParam,
        body: jsonBody(body.partial().refine((p) => Object.keys(p).length > 0, { message: 'give at least one of name, description, definition' }), { name: '新会员欢迎（v2）' }),
      },
      responses: { 200: ok(journeyItem), ...bodyErrors(404) },
    }),
    async ({ access, params, body }) => toJson(await updateJourney(access.services, params.id, by(access), body)),
  ),
  apiRoute(
    createRoute({
      method: 'delete',
      path: '/crm/journeys/{id}',
      operationId: 'deleteJourney',
      tags: ['journeys'],
      summary: 'Delete a journey that is not active (its execution log stays)',
      ...requires('journey.write'),
      request: { params: idParam },
      responses: { 200: ok(z.object({ deleted: z.literal(true) })), ...errors(404, 409) },
    }),
    async ({ access, params }) => {
      await deleteJourney(access.services, params.id);
      return { deleted: true as const };
    },
  ),
  ...(['activate', 'pause'] as const).map((verb) =>
    apiRoute(
      createRoute({
        method: 'post',
        path: `/crm/journeys/{id}/${verb}`,
        operationId: `${verb}Journey`,
        tags: ['journeys'],
        summary: verb === 'activate' ? 'Activate: triggers start enrolling members' : 'Pause: no new members, and members inside wait until it is active again',
        ...requires('journey.write'),
        request: { params: idParam },
        responses: { 200: ok(journeyItem), ...errors(404) },
      }),
      async ({ access, params }) => toJson(await setJourneyStatus(access.services, params.id, verb === 'activate' ? 'active' : 'paused')),
    ),
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/journeys/{id}/test',
      operationId: 'testJourney',
      tags: ['journeys'],
      summary: 'Run the journey for one member now (also a draft), every step logged like a real run',
      ...requires('journey.write'),
      request: { params: idParam, body: jsonBody(z.strictObject({ memberId: z.number().int().positive() }), { memberId: 1 }) },
      responses: { 200: ok(z.object({ enrollmentId: z.number().int() })), ...bodyErrors(404) },
    }),
    async ({ access, params, body }) => {
      const [m] = await access.services.sql.query<import('mysql2').RowDataPacket[]>('SELECT id FROM members WHERE id = ?', [body.memberId]);
      if (!m[0]) throw notFound('member_not_found', '没有找到这位会员。');
      const r = await enrollMembers(journeyDeps(access.services), params.id, [body.memberId], { occurrence: `test:${access.services.now().getTime()}`, force: true, context: { test: true, by: by(access) } });
      return { enrollmentId: r.enrollmentIds[0]! };
    },
  ),
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/journeys/{id}/stats',
      operationId: 'journeyStats',
      tags: ['journeys'],
      summary: 'Entered, in progress, completed, converted; results per step and A/B variant',
      ...requires('journey.read'),
      request: { params: idParam },
      responses: {
        200: ok(
          z.object({
            entered: z.number().int(),
            inProgress: z.number().int(),
            completed: z.number().int(),
            exited: z.number().int(),
            failed: z.number().int(),
            converted: z.number().int(),
            conversionRate: z.string(),
            steps: z.array(z.object({ stepId: z.string(), results: z.record(z.string(), z.number()) })),
            variants: z.record(z.string(), z.number()),
          }),
        ),
        ...errors(404),
      },
    }),
    async ({ access, params }) => journeyStats(access, params.id),
  ),
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/automation-logs',
      operationId: 'automationLogs',
      tags: ['journeys'],
      summary: 'The journey execution log: one row per member and step (time, action, channel, result, error)',
      ...requires('journey.read'),
      request: {
        query: pageQuery.extend({
          journeyId: z.coerce.number().int().positive().optional(),
          memberId: z.coerce.number().int().positive().optional(),
          result: z.enum(['pending', 'sending', 'sent', 'failed', 'unreachable', 'skipped', 'deferred', 'done', 'unknown']).optional(),
          quotaDecision: z.enum(['sent', 'deferred', 'fallback', 'suppressed']).optional(),
        }),
      },
      responses: {
        200: ok(
          paged(
            z.object({
              id: z.string(),
              journeyId: z.number().int(),
              enrollmentId: z.number().int(),
              memberId: z.number().int(),
              stepId: z.string(),
              stepType: z.string(),
              action: z.string().nullable(),
              channel: z.string().nullable(),
              result: z.string(),
              error: z.string().nullable(),
              attempts: z.number().int(),
              createdAt: isoDateTime,
              executedAt: isoDateTime.nullable(),
              ackedAt: isoDateTime.nullable(),
              providerId: z.string().nullable(),
              quotaDecision: z.enum(['sent', 'deferred', 'fallback', 'suppressed']).nullable(),
              quotaReason: z.enum(QUOTA_REASONS).nullable(),
            }),
          ),
        ),
        ...errors(),
      },
    }),
    async ({ access, query }) => {
      const r = await automationLogs(access, query);
      return { page: query.page, pageSize: query.pageSize, total: r.total, items: r.items.map((i) => ({ ...i, createdAt: iso(i.createdAt), executedAt: isoOrNull(i.executedAt), ackedAt: isoOrNull(i.ackedAt) })) };
    },
  ),
];
