import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { assignTicket, changeTicketStatus, createTicket, escalateTicket, getTicket, listTickets, rateTicket } from '../../crm/service/index.ts';
import { apiRoute, bodyErrors, errors, jsonBody, ok, requires } from '../route.ts';
import { idParam, isoDateTime, jsonify, paged, pageQuery, pageWindow, queryBool } from '../schemas.ts';

const ticketType = z.enum(['repair', 'complaint', 'consultation', 'after_sales']);
const ticketPriority = z.enum(['low', 'normal', 'high', 'urgent']);
const ticketStatus = z.enum(['open', 'in_progress', 'resolved', 'closed']);

export const ticketSchema = z.object({
  id: z.number().int(),
  ticketNo: z.string(),
  memberId: z.number().int(),
  memberNo: z.string(),
  memberName: z.string(),
  storeId: z.number().int().nullable(),
  type: ticketType,
  priority: ticketPriority,
  status: ticketStatus,
  title: z.string(),
  description: z.string().nullable(),
  assignee: z.object({ id: z.number().int(), name: z.string(), wecomUserId: z.string() }).nullable(),
  assignedAt: isoDateTime.nullable().describe('when the current assignee was set'),
  assignedBy: z.string().nullable().describe('who set it: a staff WeCom userid, or "auto" (auto-assignment)'),
  createdBy: z.string(),
  firstResponseAt: isoDateTime.nullable(),
  resolvedAt: isoDateTime.nullable(),
  closedAt: isoDateTime.nullable(),
  resolution: z.string().nullable(),
  satisfaction: z.number().int().min(1).max(5).nullable(),
  escalationLevel: z.number().int(),
  escalatedAt: isoDateTime.nullable(),
  responseDueAt: isoDateTime,
  resolveDueAt: isoDateTime,
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});

/** Comma-separated statuses: status=open,in_progress. */
const statusList = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()))
  .pipe(z.array(ticketStatus).min(1));

export const ticketListQuery = pageQuery.extend({
  memberId: z.coerce.number().int().positive().optional().describe("one customer's tickets (an audited read of that customer)"),
  status: statusList.optional().describe('one or more of open, in_progress, resolved, closed, comma-separated'),
  assigneeId: z.coerce.number().int().positive().optional(),
  priority: ticketPriority.optional(),
  overdue: queryBool.optional().describe('only unresolved tickets past their resolve-by time'),
});

const ticketCreate = z.strictObject({
  memberId: z.number().int().positive(),
  type: ticketType,
  priority: ticketPriority.default('normal'),
  title: z.string().trim().min(1).max(128),
  description: z.string().trim().max(2000).optional(),
  storeId: z.number().int().positive().optional().describe("defaults to the customer's home store"),
  assigneeId: z.number().int().positive().optional().describe('staff id'),
});

const toView = jsonify;

export const customerTicketsRoute = apiRoute(
  createRoute({
    method: 'get',
    path: '/crm/customers/{id}/tickets',
    operationId: 'listCustomerTickets',
    tags: ['customers'],
    summary: "A customer's service tickets, newest first (paginated)",
    ...requires('member.read'),
    request: { params: idParam, query: pageQuery.extend({ status: statusList.optional().describe('comma-separated statuses') }) },
    responses: { 200: ok(paged(ticketSchema)), ...errors(404) },
  }),
  async ({ access, params, query }) => {
    const { skip, take } = pageWindow(query);
    const r = await listTickets(access, { memberId: params.id, status: query.status, limit: take, offset: skip });
    return { items: r.tickets.map(toView), page: query.page, pageSize: query.pageSize, total: r.total };
  },
);

export const ticketRoutes = [
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/tickets',
      operationId: 'listTickets',
      tags: ['tickets'],
      summary: 'List service tickets in scope, newest first (paginated)',
      ...requires('member.read'),
      request: { query: ticketListQuery },
      responses: { 200: ok(paged(ticketSchema)), ...errors(404) },
    }),
    async ({ access, query }) => {
      const { skip, take } = pageWindow(query);
      const r = await listTickets(access, { memberId: query.memberId, status: query.status, assigneeId: query.assigneeId, priority: query.priority, overdue: query.overdue, limit: take, offset: skip });
      return { items: r.tickets.map(toView), page: query.page, pageSize: query.pageSize, total: r.total };
    },
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/tickets',
      operationId: 'createTicket',
      tags: ['tickets'],
      summary: 'Open a service ticket for a customer (SLA due times in business hours; auto-assigned per the settings)',
      ...requires('ticket.write'),
      request: { body: jsonBody(ticketCreate, { memberId: 1, type: 'repair', priority: 'high', title: '咖啡机漏水', description: '顾客反映外带杯漏水' }) },
      responses: { 201: ok(ticketSchema), ...bodyErrors(404) },
    }),
    async ({ access, body }) => toView(await createTicket(access, body)),
  ),
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/tickets/{id}',
      operationId: 'getTicket',
      tags: ['tickets'],
      summary: 'One ticket',
      ...requires('member.read'),
      request: { params: idParam },
      responses: { 200: ok(ticketSchema), ...errors(404) },
    }),
    async ({ access, params }) => toView(await getTicket(access, params.id)),
  ),
  apiRoute(
    createRoute({
      method: 'patch',
      path: '/crm/tickets/{id}',
      operationId: 'updateTicketStatus',
      tags: ['tickets'],
      summary: 'Move a ticket: open → in_progress → resolved → closed (or reopen resolved → in_progress)',
      description: 'An invalid move, or a ticket changed by someone else meanwhile, is a 409.',
      ...requires('ticket.write'),
      request: {
        params: idParam,
        body: jsonBody(z.strictObject({ status: ticketStatus, resolution: z.string().trim().max(1000).optional().describe('with status=resolved') }), { status: 'in_progress' }),
      },
      responses: { 200: ok(ticketSchema), ...bodyErrors(404, 409) },
    }),
    async ({ access, params, body }) => toView(await changeTicketStatus(access, params.id, body.status, body.resolution)),
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/tickets/{id}/assign',
      operationId: 'assignTicket',
      tags: ['tickets'],
      summary: 'Assign or reassign a ticket to an active staff member',
      ...requires('ticket.write'),
      request: { params: idParam, body: jsonBody(z.strictObject({ assigneeId: z.number().int().positive().describe('staff id') }), { assigneeId: 3 }) },
      responses: { 200: ok(ticketSchema), ...bodyErrors(404, 409) },
    }),
    async ({ access, params, body }) => toView(await assignTicket(access, params.id, body.assigneeId)),
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/tickets/{id}/resolve',
      operationId: 'resolveTicket',
      tags: ['tickets'],
      summary: 'Resolve a ticket in progress, with the resolution',
      ...requires('ticket.write'),
      request: { params: idParam, body: jsonBody(z.strictObject({ resolution: z.string().trim().min(1).max(1000) }), { resolution: '已更换杯盖并补偿优惠券' }) },
      responses: { 200: ok(ticketSchema), ...bodyErrors(404, 409) },
    }),
    async ({ access, params, body }) => toView(await changeTicketStatus(access, params.id, 'resolved', body.resolution)),
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/tickets/{id}/escalate',
      operationId: 'escalateTicket',
      tags: ['tickets'],
      summary: 'Escalate an open ticket by one level',
      ...requires('ticket.write'),
      request: { params: idParam, body: jsonBody(z.strictObject({ reason: z.string().trim().max(255).optional() }), { reason: '顾客第二次投诉' }) },
      responses: { 200: ok(ticketSchema), ...bodyErrors(404, 409) },
    }),
    async ({ access, params, body }) => toView(await escalateTicket(access, params.id, body.reason)),
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/tickets/{id}/rating',
      operationId: 'rateTicket',
      tags: ['tickets'],
      summary: "Record the customer's satisfaction (1–5) with a resolved or closed ticket",
      ...requires('ticket.write'),
      request: { params: idParam, body: jsonBody(z.strictObject({ satisfaction: z.number().int().min(1).max(5) }), { satisfaction: 5 }) },
      responses: { 200: ok(ticketSchema), ...bodyErrors(404, 409) },
    }),
    async ({ access, params, body }) => toView(await rateTicket(access, params.id, body.satisfaction)),
  ),
];
