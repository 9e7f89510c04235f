import { createRoute } from '@hono/zod-openapi';
import { wecomOf, wecomRelationships } from './wecom-contacts.ts';
import { z } from 'zod';
import { listMembers, MEMBER_SORTS, memberCreateSchema, memberSummaryById, profileHistory, profilePatchSchema, updateMemberProfile } from '../../crm/customers/index.ts';
import { memberWeComColumns } from '../../crm/contacts/index.ts';
import { createCustomer } from '../../crm/lifecycle/index.ts';
import { journeyDeps } from '../../jobs/journey-deps.ts';
import { customerOrders } from '../customers/orders.ts';
import { customerValueScore } from '../customers/value-score.ts';
import { memberNotVisible } from '../customers/visible.ts';
import { addDays, notFound, parseChinaDate } from '../../crm/kernel/index.ts';
import { apiRoute, bodyErrors, errors, jsonBody, ok, requires } from '../route.ts';
import { dayOrNull, decimalString, idParam, iso, isoDate, isoDateTime, isoOrNull, jsonify, paged, pageQuery, pageWindow } from '../schemas.ts';

/** A registered-range bound: a Beijing calendar day (YYYY-MM-DD) or an ISO timestamp. */
const dateOrTime = z.union([isoDate, isoDateTime]);

export const customerListQuery = pageQuery
  .extend({
    q: z.string().trim().min(1).max(64).optional().describe('phone, member number (M…) or name prefix'),
    store: z.coerce.number().int().positive().optional().describe('home store id'),
    level: z.coerce.number().int().min(0).max(20).optional().describe('membership level'),
    status: z.enum(['active', 'frozen']).optional(),
    tag: z.string().trim().min(1).max(32).optional().describe('members carrying this tag (by name)'),
    registeredFrom: dateOrTime.optional().describe('registered on/after: YYYY-MM-DD (Beijing day) or an ISO timestamp'),
    registeredTo: dateOrTime.optional().describe('registered on/before: YYYY-MM-DD (the whole Beijing day) or an ISO timestamp (inclusive)'),
    sort: z.enum(MEMBER_SORTS).default('-registeredAt').describe('field, "-" for descending; ties broken by id'),
  })
  .transform((q, ctx) => {
    const from = q.registeredFrom === undefined ? undefined : q.registeredFrom.length === 10 ? parseChinaDate(q.registeredFrom) : new Date(q.registeredFrom);
    const before =
      q.registeredTo === undefined
        ? undefined
        : q.registeredTo.length === 10
          ? addDays(parseChinaDate(q.registeredTo), 1)
          : new Date(new Date(q.registeredTo).getTime() + 1);
    if (from && before && from >= before) ctx.addIssue({ code: 'custom', path: ['registeredTo'], message: 'registeredTo is before registeredFrom' });
    return { ...q, registeredFromDate: from, registeredBeforeDate: before };
  });

const storeRef = z.object({ id: z.number().int(), name: z.string() });

export const customerItem = z.object({
  id: z.number().int(),
  memberNo: z.string(),
  name: z.string(),
  phone: z.string().describe('masked (138****0001) unless the role may see phones'),
  level: z.number().int(),
  points: z.number().int(),
  status: z.enum(['active', 'frozen', 'deleted']),
  homeStore: storeRef.nullable(),
  registeredAt: isoDateTime,
  sourceChannel: z.string(),
});

export const customer360 = z.object({
  profile: z.object({
    id: z.number().int(),
    memberNo: z.string(),
    name: z.string(),
    phone: z.string().describe('masked unless the role may see phones'),
    gender: z.enum(['male', 'female', 'unknown']),
    birthday: isoDate.nullable(),
    level: z.number().int(),
    points: z.number().int(),
    growthValue: z.number().int(),
    status: z.enum(['active', 'frozen', 'deleted']),
    homeStore: z.string().nullable(),
    registeredAt: isoDateTime,
    sourceChannel: z.string(),
    email: z.string().nullable().describe('masked (zh***@example.com) unless the role may see phones'),
    remarks: z.string().nullable(),
    addresses: z.array(z.unknown()).describe('[{type, province, city, district, detail, default}]'),
    customerNo: z.string().nullable().describe("the chain's own customer number"),
  }),
  orders: z.object({
    count: z.number().int().describe('orders, fully refunded ones left out'),
    totalSpend: decimalString.describe('net of refunds'),
    lastOrderAt: isoDateTime.nullable(),
    daysSinceLastOrder: z.number().int().nullable(),
    recent: z.array(z.object({ orderNo: z.string(), paidAt: isoDateTime, amount: decimalString, store: z.string() })),
  }),
  tags: z.array(z.object({ name: z.string(), category: z.string(), source: z.string() })),
  membership: z.object({ level: z.number().int(), levelName: z.string().nullable().describe('the configured name of the level, e.g. 金卡会员') }),
  service: z.object({
    openTickets: z.array(
      z.object({ ticketNo: z.string(), type: z.string(), priority: z.string(), status: z.string(), title: z.string(), createdAt: isoDateTime, overdue: z.boolean() }),
    ),
    recentComplaints: z.array(z.object({ content: z.string(), createdAt: isoDateTime, ticketNo: z.string().nullable() })).describe('complaints of the last 90 days'),
    recentInteractions: z.array(z.object({ type: z.string(), channel: z.string(), content: z.string(), createdAt: isoDateTime })),
    pendingFollowUps: z.number().int().describe('follow-ups due and not done'),
  }),
  koc: z.object({ level: z.number().int(), referrals: z.number().int(), redemptions: z.number().int(), earnings: decimalString }).nullable().describe('null unless the customer is a KOC'),
  wecom: wecomRelationships.nullable().describe('null unless the customer is bound to a WeCom customer (客户联系)'),
});

export const orderItem = z.object({
  id: z.number().int(),
  orderNo: z.string(),
  amount: decimalString,
  items: z.unknown().describe('the basket as recorded (JSON)'),
  paymentMethod: z.string(),
  paidAt: isoDateTime,
  store: storeRef,
  refundedAmount: decimalString.describe('refunded so far ("0.00" when none)'),
  channel: z.string().nullable().describe('dine-in, takeaway, mini-program … (null for orders recorded before the orders API)'),
});

export const valueScore = z.discriminatedUnion('available', [
  z.object({ customerId: z.number().int(), available: z.literal(false), reason: z.string() }),
  z.object({
    customerId: z.number().int(),
    available: z.literal(true),
    scoredAt: isoDateTime,
    rfm: z.object({
      r: z.number().int().nullable().describe('recency quintile 1–5'),
      f: z.number().int().nullable(),
      m: z.number().int().nullable(),
      score: z.string().nullable(),
      cell: z.string().describe('champions, loyal, new, potential, need_attention, at_risk, hibernating, lost, no_orders'),
      cellLabel: z.string().nullable(),
    }),
    valueQuadrant: z.object({ key: z.string(), label: z.string().nullable() }),
    churn: z.object({ risk: z.string().describe('0–1, decimal string'), level: z.string().describe('high | medium | low'), reasons: z.unknown() }),
    pAlive: z.string().nullable(),
    expectedPurchases90d: z.string().nullable(),
    clv: decimalString.nullable(),
  }),
]);

export const customerRoutes = [
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/customers',
      operationId: 'listCustomers',
      tags: ['customers'],
      summary: 'List, search and filter customers (paginated)',
      description: 'Members in the caller’s store scope. `q` is a whole phone number, its last four digits (`*1234`), a whole e-mail address (exact, any case), a member-number prefix (M…) or a name prefix; phones and e-mails are stored encrypted, so no other part of them can be searched (400 `phone_partial_search`). Filters combine with AND. Each page read is audited (member.list).',
      ...requires('member.read'),
      request: { query: customerListQuery },
      responses: { 200: ok(paged(customerItem)), ...errors() },
    }),
    async ({ access, query }) => {
      const { skip, take } = pageWindow(query);
      const { total, rows } = await listMembers(access, {
        q: query.q,
        storeId: query.store,
        level: query.level,
        status: query.status,
        tag: query.tag,
        registeredFrom: query.registeredFromDate,
        registeredBefore: query.registeredBeforeDate,
        sort: query.sort,
        skip,
        take,
      });
      return { items: rows.map((r) => ({ ...r, registeredAt: iso(r.registeredAt) })), page: query.page, pageSize: query.pageSize, total };
    },
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/customers',
      operationId: 'createCustomer',
      tags: ['customers'],
      summary: 'Create a member (201 with id and memberNo); fires the member_registered journey trigger',
      description:
        '`phone` is a mainland mobile in any formatting (+86, spaces, dashes) and unique: an existing phone is a 409 phone_taken whose error carries `existingId`, the member who has it; so is a `customerNo` already used (customer_no_taken). ' +
        'A bad phone or e-mail is a 400 (invalid_phone / invalid_email) with `issues` naming the field; other malformed fields a 422. Tags must exist in the dictionary. ' +
        'A store role creates members in its own stores only (403 store_out_of_scope); with one store it is the default home store. Nothing is written on any error.',
      ...requires('member.write'),
      request: {
        body: jsonBody(memberCreateSchema, {
          name: '林晓雯',
          phone: '138 0013 8000',
          email: 'lin@example.com',
          gender: 'female',
          birthday: '1992-03-08',
          homeStore: 'S1',
          source: 'pos',
          customerNo: 'POS-000123',
          remarks: '不吃香菜',
          addresses: [{ type: 'home', province: '上海市', city: '上海市', district: '徐汇区', detail: '漕溪北路 88 号', default: true }],
          tags: ['VIP'],
        }),
      },
      responses: { 201: ok(z.object({ id: z.number().int(), memberNo: z.string() }), 'Created'), ...bodyErrors(409) },
    }),
    async ({ access, body }) => createCustomer(access, body, { journeys: journeyDeps(access.services) }),
  ),
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/customers/{id}',
      operationId: 'getCustomer',
      tags: ['customers'],
      summary: 'The customer 360 view',
      description: 'Profile, order figures and recent orders, tags, membership level, open tickets, recent complaints and interactions, follow-ups due, KOC contribution. Every read is audited (member.summary). Another store’s member is a 404.',
      ...requires('member.read'),
      request: { params: idParam },
      responses: { 200: ok(customer360), ...errors(404) },
    }),
    async ({ access, params }) => {
      // The WeCom part is read in the card's own statement (one trip through the pool a view); only a member in scope comes back.
      const s = await memberSummaryById(access, params.id, 5, memberWeComColumns);
      if (!s) throw await memberNotVisible(access, params.id, 'member.summary');
      const wecom = wecomOf(s.also ?? null);
      return {
        profile: {
          id: s.member.id,
          memberNo: s.member.memberNo,
          name: s.member.name,
          phone: s.member.phone,
          gender: s.member.gender,
          birthday: dayOrNull(s.member.birthday),
          level: s.member.level,
          points: s.member.points,
          growthValue: s.member.growthValue,
          status: s.member.status,
          homeStore: s.member.homeStore,
          registeredAt: iso(s.member.registeredAt),
          sourceChannel: s.member.sourceChannel,
          email: s.member.email,
          remarks: s.member.remarks,
          addresses: s.member.addresses,
          customerNo: s.member.customerNo,
        },
        orders: {
          count: s.orderCount,
          totalSpend: s.totalSpend,
          lastOrderAt: isoOrNull(s.lastOrderAt),
          daysSinceLastOrder: s.daysSinceLastOrder,
          recent: s.recentOrders.map((o) => ({ ...o, paidAt: iso(o.paidAt) })),
        },
        tags: s.tags,
        membership: { level: s.member.level, levelName: s.levelName },
        service: {
          openTickets: jsonify(s.openTickets),
          recentComplaints: jsonify(s.recentComplaints),
          recentInteractions: jsonify(s.recentInteractions),
          pendingFollowUps: s.pendingFollowUps,
        },
        koc: s.koc,
        wecom,
      };
    },
  ),
  apiRoute(
    createRoute({
      method: 'patch',
      path: '/crm/customers/{id}',
      operationId: 'updateCustomer',
      tags: ['customers'],
      summary: 'Change profile fields (name, phone, gender, birthday, home store, email, remarks, addresses, status); each change is kept in the history',
      description:
        'A store role cannot move a customer to a store outside its scope (403). A phone that belongs to another member is a 409. A bad phone or e-mail is a 400 naming the field. ' +
        '`addresses` replaces the whole list; `status` is active or frozen (deletion goes through a deletion request).',
      ...requires('member.write'),
      request: {
        params: idParam,
        body: jsonBody(profilePatchSchema.refine((p) => Object.keys(p).length > 0, { message: 'give at least one field' }), { birthday: '1990-05-01', gender: 'female', email: 'lin@example.com', remarks: '偏爱靠窗座位' }),
      },
      responses: { 200: ok(z.object({ changed: z.array(z.object({ field: z.string(), old: z.string().nullable(), new: z.string().nullable() })) })), ...bodyErrors(404, 409) },
    }),
    async ({ access, params, body }) => updateMemberProfile(access, params.id, body),
  ),
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/customers/{id}/history',
      operationId: 'getCustomerProfileHistory',
      tags: ['customers'],
      summary: 'Who changed which profile field, old → new, newest first (phones and emails masked unless the role may see phones)',
      ...requires('member.read'),
      request: { params: idParam, query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }) },
      responses: {
        200: ok(
          z.object({
            items: z.array(z.object({ id: z.string(), field: z.string(), oldValue: z.string().nullable(), newValue: z.string().nullable(), changedBy: z.string(), channel: z.string(), createdAt: isoDateTime })),
          }),
        ),
        ...errors(404),
      },
    }),
    async ({ access, params, query }) => ({ items: jsonify(await profileHistory(access, params.id, query.limit)) }),
  ),
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/customers/{id}/orders',
      operationId: 'listCustomerOrders',
      tags: ['customers'],
      summary: "A customer's orders, newest first (paginated)",
      ...requires('member.read'),
      request: { params: idParam, query: pageQuery },
      responses: { 200: ok(paged(orderItem)), ...errors(404) },
    }),
    async ({ access, params, query }) => {
      const { total, rows } = await customerOrders(access, params.id, pageWindow(query));
      return { items: rows.map((o) => ({ ...o, paidAt: iso(o.paidAt) })), page: query.page, pageSize: query.pageSize, total };
    },
  ),
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/customers/{id}/value-score',
      operationId: 'getCustomerValueScore',
      tags: ['customers'],
      summary: 'Customer value scores: RFM, value quadrant, churn risk with reasons, BG/NBD, CLV',
      description: 'The figures of the last scoring run (src/crm/insights/scores); `{available:false, reason}` until a run has scored the customer. Risk figures need churn.read.',
      ...requires('churn.read'),
      request: { params: idParam },
      responses: { 200: ok(valueScore), ...errors(404) },
    }),
    async ({ access, params }) => jsonify(await customerValueScore(access, params.id)),
  ),
];
