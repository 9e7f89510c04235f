import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { enrolMember, kocLeaderboard, kocStats, levelHistory, listLevels, memberLevelStatus, setMemberLevel, upsertLevel } from '../../crm/loyalty/index.ts';
import { apiRoute, bodyErrors, errors, jsonBody, ok, requires } from '../route.ts';
import { decimalString, isoDateTime, idParam, jsonify } from '../schemas.ts';

const moneyIn = z.union([z.string().regex(/^\d{1,10}(\.\d{1,2})?$/), z.number().nonnegative()]).describe('yuan, e.g. "5000" or "5000.00"');

export const levelSchema = z.object({
  level: z.number().int(),
  name: z.string(),
  minSpend: decimalString.describe('upgrade: spend over the validity window (0 = not a condition)'),
  minOrders: z.number().int().describe('upgrade: orders over the window (0 = not a condition)'),
  minPoints: z.number().int().describe('upgrade: points balance (0 = not a condition)'),
  keepMinSpend: decimalString.nullable().describe('spend needed to keep the level at expiry; null = kept for good'),
  validityMonths: z.number().int(),
  benefits: z.unknown(),
  pointsPerYuan: decimalString.describe('points earned per yuan paid at this level (rounded down per order), e.g. "1.20"'),
});

const levelBody = z.strictObject({
  name: z.string().trim().min(1).max(32),
  minSpend: moneyIn.optional(),
  minOrders: z.number().int().min(0).optional(),
  minPoints: z.number().int().min(0).optional(),
  keepMinSpend: moneyIn.nullable().optional(),
  validityMonths: z.number().int().min(1).max(120).optional(),
  benefits: z.record(z.string(), z.unknown()).optional().describe('free-form, e.g. {"discount": 0.95, "birthdayGift": true}'),
  pointsPerYuan: z.union([z.string().regex(/^\d{1,3}(\.\d{1,2})?$/), z.number().min(0).max(999)]).optional().describe('points per yuan paid (default 1), e.g. "1.2"'),
});

const levelParam = z.object({ level: z.string().regex(/^\d{1,2}$/, 'a level number').transform(Number).pipe(z.number().int().min(1).max(20)) });

const levelChange = z.object({ fromLevel: z.number().int().nullable(), toLevel: z.number().int(), kind: z.string(), source: z.string(), reason: z.string().nullable(), createdAt: isoDateTime });

export const membershipRoutes = [
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/membership/levels',
      operationId: 'listMembershipLevels',
      tags: ['membership'],
      summary: 'The configured membership levels, lowest first',
      ...requires('member.read'),
      responses: { 200: ok(z.object({ items: z.array(levelSchema) })), ...errors() },
    }),
    async ({ access }) => ({ items: await listLevels(access.services) }),
  ),
  apiRoute(
    createRoute({
      method: 'put',
      path: '/crm/membership/levels/{level}',
      operationId: 'putMembershipLevel',
      tags: ['membership'],
      summary: "Create or replace one level's configuration (upgrade conditions, keep rule, validity, benefits)",
      ...requires('membership.manage'),
      request: {
        params: levelParam,
        body: jsonBody(levelBody, { name: '金卡会员', minSpend: '5000', minOrders: 20, keepMinSpend: '3000', validityMonths: 12, benefits: { discount: 0.9 } }),
      },
      responses: { 200: ok(levelSchema), ...bodyErrors() },
    }),
    async ({ access, params, body }) => upsertLevel(access, { ...body, level: params.level }),
  ),
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/customers/{id}/membership',
      operationId: 'getCustomerMembership',
      tags: ['membership'],
      summary: "A customer's level, its validity and benefits, the next level's conditions, recent changes",
      ...requires('member.read'),
      request: { params: idParam },
      responses: {
        200: ok(
          z.object({
            memberId: z.number().int(),
            memberNo: z.string(),
            name: z.string(),
            level: z.number().int(),
            levelName: z.string(),
            expiresAt: isoDateTime.nullable(),
            points: z.number().int(),
            growthValue: z.number().int(),
            benefits: z.unknown(),
            next: levelSchema.nullable(),
            history: z.array(levelChange),
          }),
        ),
        ...errors(404),
      },
    }),
    async ({ access, params }) => jsonify(await memberLevelStatus(access, params.id)),
  ),
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/customers/{id}/membership/history',
      operationId: 'getCustomerLevelHistory',
      tags: ['membership'],
      summary: "A customer's level changes, newest first",
      ...requires('member.read'),
      request: { params: idParam, query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) }) },
      responses: { 200: ok(z.object({ items: z.array(levelChange.extend({ id: z.number().int(), createdBy: z.string() })) })), ...errors(404) },
    }),
    async ({ access, params, query }) => {
      const rows = await levelHistory(access, params.id, query.limit);
      return { items: rows.map((r) => ({ id: r.id, fromLevel: r.fromLevel, toLevel: r.toLevel, kind: r.kind, source: r.source, reason: r.reason, createdBy: r.createdBy, createdAt: r.createdAt.toISOString() })) };
    },
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/customers/{id}/membership/enroll',
      operationId: 'enrollCustomer',
      tags: ['membership'],
      summary: 'Enrol a customer into a level (bought, gifted or granted by the system); validity starts now',
      ...requires('membership.manage'),
      request: {
        params: idParam,
        body: jsonBody(z.strictObject({ level: z.number().int().min(1).max(20), source: z.enum(['purchase', 'gift', 'system']), reason: z.string().trim().max(255).optional() }), { level: 2, source: 'purchase', reason: '购买银卡' }),
      },
      responses: { 200: ok(z.object({ from: z.number().int(), to: z.number().int() })), ...bodyErrors(404) },
    }),
    async ({ access, params, body }) => enrolMember(access, { memberId: params.id, ...body }),
  ),
  apiRoute(
    createRoute({
      method: 'put',
      path: '/crm/customers/{id}/membership/level',
      operationId: 'setCustomerLevel',
      tags: ['membership'],
      summary: "Set a customer's level by hand (upgrade or downgrade), with a reason",
      ...requires('membership.manage'),
      request: {
        params: idParam,
        body: jsonBody(z.strictObject({ level: z.number().int().min(1).max(20), reason: z.string().trim().min(1).max(255) }), { level: 3, reason: '大客户特批' }),
      },
      responses: { 200: ok(z.object({ from: z.number().int(), to: z.number().int(), changed: z.boolean() })), ...bodyErrors(404) },
    }),
    async ({ access, params, body }) => setMemberLevel(access, { memberId: params.id, ...body }),
  ),
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/customers/{id}/koc',
      operationId: 'getCustomerKoc',
      tags: ['membership'],
      summary: "A customer's KOC contribution (referrals, redemptions, earnings), or isKoc=false",
      ...requires('member.read'),
      request: { params: idParam },
      responses: {
        200: ok(
          z.object({
            isKoc: z.boolean(),
            koc: z
              .object({ memberId: z.number().int(), memberNo: z.string(), name: z.string(), level: z.number().int(), referralCode: z.string(), joinedAt: isoDateTime, referrals: z.number().int(), redemptions: z.number().int(), earnings: decimalString })
              .nullable(),
          }),
        ),
        ...errors(404),
      },
    }),
    async ({ access, params }) => {
      const koc = await kocStats(access, params.id);
      return { isKoc: koc !== null, koc: koc && jsonify(koc) };
    },
  ),
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/koc/leaderboard',
      operationId: 'kocLeaderboard',
      tags: ['membership'],
      summary: "The top KOCs of the caller's stores by earnings, then referrals",
      ...requires('member.read'),
      request: { query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(10) }) },
      responses: {
        200: ok(
          z.object({
            items: z.array(z.object({ memberId: z.number().int(), memberNo: z.string(), name: z.string(), level: z.number().int(), referrals: z.number().int(), redemptions: z.number().int(), earnings: decimalString })),
          }),
        ),
        ...errors(),
      },
    }),
    async ({ access, query }) => ({ items: await kocLeaderboard(access, query.limit) }),
  ),
];
