import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { completeFollowUp, listInteractions, logInteraction, pendingFollowUps } from '../../crm/service/index.ts';
import { apiRoute, bodyErrors, errors, jsonBody, ok, requires } from '../route.ts';
import { idParam, isoDateTime, jsonify, paged, pageQuery, pageWindow, queryBool } from '../schemas.ts';
import { ticketSchema } from './tickets.ts';

const interactionType = z.enum(['consultation', 'complaint', 'praise', 'activity', 'koc_promotion']);
const interactionChannel = z.enum(['call', 'visit', 'wechat', 'online', 'store']);

export const interactionSchema = z.object({
  id: z.number().int(),
  memberId: z.number().int(),
  memberNo: z.string(),
  memberName: z.string(),
  type: interactionType,
  channel: interactionChannel,
  content: z.string(),
  outcome: z.string().nullable(),
  nextAction: z.string().nullable(),
  followUpAt: isoDateTime.nullable(),
  followUpDoneAt: isoDateTime.nullable(),
  staff: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  storeId: z.number().int().nullable(),
  ticketId: z.number().int().nullable(),
  ticketNo: z.string().nullable(),
  createdAt: isoDateTime,
});

const interactionQuery = pageQuery
  .extend({
    memberId: z.coerce.number().int().positive().optional().describe("one customer's interactions, newest first (an audited read)"),
    type: interactionType.optional().describe('with memberId'),
    pending_follow_up: queryBool.optional().describe('true: follow-ups due (not done) across the caller’s customers, earliest first'),
    withinDays: z.coerce.number().int().min(0).max(365).optional().describe('with pending_follow_up: also those due in the next N days (default 0: due now)'),
    mine: queryBool.optional().describe('with pending_follow_up: only the interactions the caller logged'),
  })
  .refine((q) => q.memberId !== undefined || q.pending_follow_up === true, { message: 'give memberId, or pending_follow_up=true', path: ['memberId'] });

const interactionCreate = z.strictObject({
  memberId: z.number().int().positive(),
  type: interactionType,
  channel: interactionChannel,
  content: z.string().trim().min(1).max(2000),
  outcome: z.string().trim().max(255).optional(),
  nextAction: z.string().trim().max(255).optional(),
  followUpAt: isoDateTime.optional().describe('when to follow up; shows in pending_follow_up from then on'),
  storeId: z.number().int().positive().optional(),
  openTicket: z.boolean().optional().describe('open a ticket for it; default true for complaints'),
  priority: z.enum(['low', 'normal', 'high', 'urgent']).optional().describe('of the ticket'),
});

export const customerInteractionsRoute = apiRoute(
  createRoute({
    method: 'get',
    path: '/crm/customers/{id}/interactions',
    operationId: 'listCustomerInteractions',
    tags: ['customers'],
    summary: "A customer's interactions, newest first (paginated)",
    ...requires('member.read'),
    request: { params: idParam, query: pageQuery.extend({ type: interactionType.optional() }) },
    responses: { 200: ok(paged(interactionSchema)), ...errors(404) },
  }),
  async ({ access, params, query }) => {
    const { skip, take } = pageWindow(query);
    const r = await listInteractions(access, params.id, { type: query.type, limit: take, offset: skip });
    return { items: jsonify(r.interactions), page: query.page, pageSize: query.pageSize, total: r.total };
  },
);

export const interactionRoutes = [
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/interactions',
      operationId: 'listInteractions',
      tags: ['interactions'],
      summary: "One customer's interactions (memberId), or the follow-ups due (pending_follow_up=true)",
      description: 'pending_follow_up lists interactions whose follow-up time has come (or comes within withinDays) and is not done, earliest first.',
      ...requires('member.read'),
      request: { query: interactionQuery },
      responses: { 200: ok(paged(interactionSchema)), ...errors(404) },
    }),
    async ({ access, query }) => {
      const { skip, take } = pageWindow(query);
      if (query.pending_follow_up) {
        const r = await pendingFollowUps(access, { withinDays: query.withinDays, mineOnly: query.mine, limit: take, offset: skip });
        return { items: jsonify(r.interactions), page: query.page, pageSize: query.pageSize, total: r.total };
      }
      const r = await listInteractions(access, query.memberId!, { type: query.type, limit: take, offset: skip });
      return { items: jsonify(r.interactions), page: query.page, pageSize: query.pageSize, total: r.total };
    },
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/interactions',
      operationId: 'logInteraction',
      tags: ['interactions'],
      summary: 'Log an interaction (a complaint also opens a complaint ticket)',
      ...requires('interaction.write'),
      request: {
        body: jsonBody(interactionCreate, { memberId: 1, type: 'complaint', channel: 'call', content: '来电投诉上菜慢', nextAction: '回电致歉', followUpAt: '2026-11-23T02:00:00.000Z' }),
      },
      responses: { 201: ok(z.object({ interaction: interactionSchema, ticket: ticketSchema.nullable() })), ...bodyErrors(404) },
    }),
    async ({ access, body }) => jsonify(await logInteraction(access, { ...body, followUpAt: body.followUpAt ? new Date(body.followUpAt) : undefined })),
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/interactions/{id}/follow-up-done',
      operationId: 'completeFollowUp',
      tags: ['interactions'],
      summary: 'Mark the follow-up of an interaction done (idempotent), with an optional outcome',
      ...requires('interaction.write'),
      request: { params: idParam, body: jsonBody(z.strictObject({ outcome: z.string().trim().max(255).optional() }), { outcome: '已回电，顾客接受道歉' }) },
      responses: { 200: ok(interactionSchema), ...bodyErrors(404) },
    }),
    async ({ access, params, body }) => jsonify(await completeFollowUp(access, params.id, body.outcome)),
  ),
];
