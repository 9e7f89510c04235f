import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { EVENT_TYPES } from '../../crm/engagement/index.ts';
import { eventInputSchema, MAX_BATCH, recordEventBatch, recordMemberEvent } from '../../crm/lifecycle/index.ts';
import { journeyDeps } from '../../jobs/journey-deps.ts';
import { apiRoute, bodyErrors, jsonBody, ok, requires } from '../route.ts';
import { isoDateTime } from '../schemas.ts';
import { REPLAY_HEADER } from './orders.ts';

export const eventReceipt = z.object({
  id: z.number().int(),
  eventId: z.string(),
  type: z.enum(EVENT_TYPES),
  memberId: z.number().int(),
  memberNo: z.string(),
  ref: z.string().nullable().describe('what the event is about: productId, activityId, formId, groupId, staffUserId, couponCode or a custom event’s name'),
  occurredAt: isoDateTime,
});

const batchResult = z.object({
  index: z.number().int().describe('position in the request'),
  eventId: z.string().nullable(),
  status: z.number().int().describe('what a single POST /crm/events would have answered: 201, or the error status'),
  replayed: z.boolean().optional().describe('true when the event had been recorded before with the same body'),
  event: eventReceipt.optional(),
  error: z.object({ code: z.string(), message: z.string(), issues: z.unknown().optional() }).optional(),
});

export const EVENT_EXAMPLE = {
  eventId: 'mp-8f3a2c91',
  openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
  type: 'product_viewed',
  occurredAt: '2026-11-21T12:30:00+08:00',
  source: 'miniprogram',
  data: { productId: 'D-001', productName: '水煮鱼', category: '热菜' },
};

const TYPES_TEXT =
  '`product_viewed` {productId, productName?, category?}, `activity_registered` {activityId, activityName?}, `activity_checked_in` {activityId, activityName?, storeCode?}, ' +
  '`form_submitted` {formId, formName?, fields? (≤ 30 short answers)}, `group_joined` {groupId?, groupName?}, `staff_added` {staffUserId?}, ' +
  '`coupon_redeemed` {couponCode, couponId?, orderNo?}, `custom` {name, props? (free JSON, ≤ 2 KB)}.';

export const eventRoutes = [
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/events',
      operationId: 'recordEvent',
      tags: ['events'],
      summary: 'Record one behaviour event of a member (product viewed, activity registered, form submitted …) — append-only, idempotent on eventId',
      description:
        `Types and their \`data\`: ${TYPES_TEXT} ` +
        'The member is named by exactly one of memberId, memberNo, openid, phone; `occurredAt` is ISO 8601 with an offset. ' +
        'After the event is stored it fires its journey triggers: `member_event` (any type), and `product_browsed` for product_viewed, `wecom_joined` for group_joined / staff_added. ' +
        'Events are segment conditions (`{"event": "product_viewed", "ref": "D-001", "min": 3, "days": 30}`). ' +
        'The same request again answers 201 with the first answer (header `Idempotent-Replayed: true`) and writes nothing; another body under the same eventId is a 409 event_conflict.',
      ...requires('event.write'),
      request: { body: jsonBody(eventInputSchema, EVENT_EXAMPLE) },
      responses: { 201: ok(eventReceipt, 'Recorded (or the replay of the same request)'), ...bodyErrors(400, 404, 409) },
    }),
    async ({ access, body, c }) => {
      const r = await recordMemberEvent(access, body, { journeys: journeyDeps(access.services) });
      if (r.replayed) c.header(REPLAY_HEADER, 'true');
      return r.receipt;
    },
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/events/batch',
      operationId: 'recordEventBatch',
      tags: ['events'],
      summary: `Record up to ${MAX_BATCH} behaviour events, one result per event`,
      description:
        'Each event is recorded exactly as by POST /crm/events, on its own: a bad or conflicting event fails alone and the others land. ' +
        'The answer lists, in request order, each event’s status (201, or the error a single call would answer: 422 with `issues` for a malformed event, 400, 404, 409 …) with its receipt or error, and the counts.',
      ...requires('event.write'),
      request: { body: jsonBody(z.strictObject({ events: z.array(z.unknown().describe('an event, as POST /crm/events takes it')).min(1).max(MAX_BATCH) }), { events: [EVENT_EXAMPLE] }) },
      responses: {
        200: ok(z.object({ recorded: z.number().int().describe('new events'), replayed: z.number().int(), failed: z.number().int(), results: z.array(batchResult) })),
        ...bodyErrors(),
      },
    }),
    async ({ access, body }) => {
      const results = await recordEventBatch(access, body.events, { journeys: journeyDeps(access.services) });
      return {
        recorded: results.filter((r) => 'event' in r && !r.replayed).length,
        replayed: results.filter((r) => 'event' in r && r.replayed).length,
        failed: results.filter((r) => 'error' in r).length,
        results,
      };
    },
  ),
];
