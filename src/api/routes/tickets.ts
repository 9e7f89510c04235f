import { z } from 'zod';
import { assignTicket, changeTicketStatus, createTicket, escalateTicket, getTicket, listTickets, rateTicket } from '../../crm/service/index.ts';
import { defineRoute } from '../route.ts';
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

export const customerTicketsRoute = defineRoute({
  method: 'get',
  path: '/crm/customers/{id}/tickets',
  operationId: 'listCustomerTickets',
  tag: 'customers',
  summary: "A customer's service tickets, newest first (paginated)",
  permission: 'member.read',
  params: idParam,
  query: pageQuery.extend({ status: statusList.optional().describe('comma-separated statuses') }),
  response: paged(ticketSchema),
  errors: [404],
  handler: async ({ access, params, query }) => {
    const { skip, take } = pageWindow(query);
    const r = await listTickets(access, { memberId: params.id, status: query.status, limit: take, offset: skip });
    return { items: r.tickets.map(toView), page: query.page, pageSize: query.pageSize, total: r.total };
  },
});

export const ticketRoutes = [
  defineRoute({
    method: 'get',
    path: '/crm/tickets',
    operationId: 'listTickets',
    tag: 'tickets',
    summary: 'List service tickets in scope, newest first (paginated)',
    permission: 'member.read',
    query: ticketListQuery,
    response: paged(ticketSchema),
    errors: [404],
    handler: async ({ access, query }) => {
      const { skip, take } = pageWindow(query);
      const r = await listTickets(access, { memberId: query.memberId, status: query.status, assigneeId: query.assigneeId, priority: query.priority, overdue: query.overdue, limit: take, offset: skip });
      return { items: r.tickets.map(toView), page: query.page, pageSize: query.pageSize, total: r.total };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/crm/tickets',
    operationId: 'createTicket',
    tag: 'tickets',
    summary: 'Open a service ticket for a customer (SLA due times follow the priority)',
    permission: 'ticket.write',
    body: ticketCreate,
    example: { memberId: 1, type: 'repair', priority: 'high', title: '咖啡机漏水', description: '顾客反映外带杯漏水' },
    response: ticketSchema,
    status: 201,
    errors: [404],
    handler: async ({ access, body }) => toView(await createTicket(access, body)),
  }),
  defineRoute({
    method: 'get',
    path: '/crm/tickets/{id}',
    operationId: 'getTicket',
    tag: 'tickets',
    summary: 'One ticket',
    permission: 'member.read',
    params: idParam,
    response: ticketSchema,
    errors: [404],
    handler: async ({ access, params }) => toView(await getTicket(access, params.id)),
  }),
  defineRoute({
    method: 'patch',
    path: '/crm/tickets/{id}',
    operationId: 'updateTicketStatus',
    tag: 'tickets',
    summary: 'Move a ticket: open → in_progress → resolved → closed (or reopen resolved → in_progress)',
    description: 'An invalid move, or a ticket changed by someone else meanwhile, is a 409.',
    permission: 'ticket.write',
    params: idParam,
    body: z.strictObject({ status: ticketStatus, resolution: z.string().trim().max(1000).optional().describe('with status=resolved') }),
    example: { status: 'in_progress' },
    response: ticketSchema,
    errors: [404, 409],
    handler: async ({ access, params, body }) => toView(await changeTicketStatus(access, params.id, body.status, body.resolution)),
  }),
  defineRoute({
    method: 'post',
    path: '/crm/tickets/{id}/assign',
    operationId: 'assignTicket',
    tag: 'tickets',
    summary: 'Assign or reassign a ticket to an active staff member',
    permission: 'ticket.write',
    params: idParam,
    body: z.strictObject({ assigneeId: z.number().int().positive().describe('staff id') }),
    example: { assigneeId: 3 },
    response: ticketSchema,
    errors: [404, 409],
    handler: async ({ access, params, body }) => toView(await assignTicket(access, params.id, body.assigneeId)),
  }),
  defineRoute({
    method: 'post',
    path: '/crm/tickets/{id}/resolve',
    operationId: 'resolveTicket',
    tag: 'tickets',
    summary: 'Resolve a ticket in progress, with the resolution',
    permission: 'ticket.write',
    params: idParam,
    body: z.strictObject({ resolution: z.string().trim().min(1).max(1000) }),
    example: { resolution: '已更换杯盖并补偿优惠券' },
    response: ticketSchema,
    errors: [404, 409],
    handler: async ({ access, params, body }) => toView(await changeTicketStatus(access, params.id, 'resolved', body.resolution)),
  }),
  defineRoute({
    method: 'post',
    path: '/crm/tickets/{id}/escalate',
    operationId: 'escalateTicket',
    tag: 'tickets',
    summary: 'Escalate an open ticket by one level',
    permission: 'ticket.write',
    params: idParam,
    body: z.strictObject({ reason: z.string().trim().max(255).optional() }),
    example: { reason: '顾客第二次投诉' },
    response: ticketSchema,
    errors: [404, 409],
    handler: async ({ access, params, body }) => toView(await escalateTicket(access, params.id, body.reason)),
  }),
  defineRoute({
    method: 'post',
    path: '/crm/tickets/{id}/rating',
    operationId: 'rateTicket',
    tag: 'tickets',
    summary: "Record the customer's satisfaction (1–5) with a resolved or closed ticket",
    permission: 'ticket.write',
    params: idParam,
    body: z.strictObject({ satisfaction: z.number().int().min(1).max(5) }),
    example: { satisfaction: 5 },
    response: ticketSchema,
    errors: [404, 409],
    handler: async ({ access, params, body }) => toView(await rateTicket(access, params.id, body.satisfaction)),
  }),
];
