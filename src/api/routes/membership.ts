import { z } from 'zod';
import { kocLeaderboard, kocStats } from '../../crm/loyalty/index.ts';
import { enrolMember, levelHistory, listLevels, memberLevelStatus, setMemberLevel, upsertLevel } from '../../crm/loyalty/index.ts';
import { defineRoute } from '../route.ts';
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
});

const levelBody = z.strictObject({
  name: z.string().trim().min(1).max(32),
  minSpend: moneyIn.optional(),
  minOrders: z.number().int().min(0).optional(),
  minPoints: z.number().int().min(0).optional(),
  keepMinSpend: moneyIn.nullable().optional(),
  validityMonths: z.number().int().min(1).max(120).optional(),
  benefits: z.record(z.string(), z.unknown()).optional().describe('free-form, e.g. {"discount": 0.95, "birthdayGift": true}'),
});

const levelParam = z.object({ level: z.string().regex(/^\d{1,2}$/, 'a level number').transform(Number).pipe(z.number().int().min(1).max(20)) });

const levelChange = z.object({ fromLevel: z.number().int().nullable(), toLevel: z.number().int(), kind: z.string(), source: z.string(), reason: z.string().nullable(), createdAt: isoDateTime });

export const membershipRoutes = [
  defineRoute({
    method: 'get',
    path: '/crm/membership/levels',
    operationId: 'listMembershipLevels',
    tag: 'membership',
    summary: 'The configured membership levels, lowest first',
    permission: 'member.read',
    response: z.object({ items: z.array(levelSchema) }),
    handler: async ({ access }) => ({ items: await listLevels(access.services) }),
  }),
  defineRoute({
    method: 'put',
    path: '/crm/membership/levels/{level}',
    operationId: 'putMembershipLevel',
    tag: 'membership',
    summary: "Create or replace one level's configuration (upgrade conditions, keep rule, validity, benefits)",
    permission: 'membership.manage',
    params: levelParam,
    body: levelBody,
    example: { name: '金卡会员', minSpend: '5000', minOrders: 20, keepMinSpend: '3000', validityMonths: 12, benefits: { discount: 0.9 } },
    response: levelSchema,
    handler: async ({ access, params, body }) => upsertLevel(access, { ...body, level: params.level }),
  }),
  defineRoute({
    method: 'get',
    path: '/crm/customers/{id}/membership',
    operationId: 'getCustomerMembership',
    tag: 'membership',
    summary: "A customer's level, its validity and benefits, the next level's conditions, recent changes",
    permission: 'member.read',
    params: idParam,
    response: z.object({
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
    errors: [404],
    handler: async ({ access, params }) => jsonify(await memberLevelStatus(access, params.id)),
  }),
  defineRoute({
    method: 'get',
    path: '/crm/customers/{id}/membership/history',
    operationId: 'getCustomerLevelHistory',
    tag: 'membership',
    summary: "A customer's level changes, newest first",
    permission: 'member.read',
    params: idParam,
    query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) }),
    response: z.object({ items: z.array(levelChange.extend({ id: z.number().int(), createdBy: z.string() })) }),
    errors: [404],
    handler: async ({ access, params, query }) => {
      const rows = await levelHistory(access, params.id, query.limit);
      return { items: rows.map((r) => ({ id: r.id, fromLevel: r.fromLevel, toLevel: r.toLevel, kind: r.kind, source: r.source, reason: r.reason, createdBy: r.createdBy, createdAt: r.createdAt.toISOString() })) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/crm/customers/{id}/membership/enroll',
    operationId: 'enrollCustomer',
    tag: 'membership',
    summary: 'Enrol a customer into a level (bought, gifted or granted by the system); validity starts now',
    permission: 'membership.manage',
    params: idParam,
    body: z.strictObject({ level: z.number().int().min(1).max(20), source: z.enum(['purchase', 'gift', 'system']), reason: z.string().trim().max(255).optional() }),
    example: { level: 2, source: 'purchase', reason: '购买银卡' },
    response: z.object({ from: z.number().int(), to: z.number().int() }),
    errors: [404],
    handler: async ({ access, params, body }) => enrolMember(access, { memberId: params.id, ...body }),
  }),
  defineRoute({
    method: 'put',
    path: '/crm/customers/{id}/membership/level',
    operationId: 'setCustomerLevel',
    tag: 'membership',
    summary: "Set a customer's level by hand (upgrade or downgrade), with a reason",
    permission: 'membership.manage',
    params: idParam,
    body: z.strictObject({ level: z.number().int().min(1).max(20), reason: z.string().trim().min(1).max(255) }),
    example: { level: 3, reason: '大客户特批' },
    response: z.object({ from: z.number().int(), to: z.number().int(), changed: z.boolean() }),
    errors: [404],
    handler: async ({ access, params, body }) => setMemberLevel(access, { memberId: params.id, ...body }),
  }),
  defineRoute({
    method: 'get',
    path: '/crm/customers/{id}/koc',
    operationId: 'getCustomerKoc',
    tag: 'membership',
    summary: "A customer's KOC contribution (referrals, redemptions, earnings), or isKoc=false",
    permission: 'member.read',
    params: idParam,
    response: z.object({
      isKoc: z.boolean(),
      koc: z
        .object({ memberId: z.number().int(), memberNo: z.string(), name: z.string(), level: z.number().int(), referralCode: z.string(), joinedAt: isoDateTime, referrals: z.number().int(), redemptions: z.number().int(), earnings: decimalString })
        .nullable(),
    }),
    errors: [404],
    handler: async ({ access, params }) => {
      const koc = await kocStats(access, params.id);
      return { isKoc: koc !== null, koc: koc && jsonify(koc) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/crm/koc/leaderboard',
    operationId: 'kocLeaderboard',
    tag: 'membership',
    summary: "The top KOCs of the caller's stores by earnings, then referrals",
    permission: 'member.read',
    query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(10) }),
    response: z.object({
      items: z.array(z.object({ memberId: z.number().int(), memberNo: z.string(), name: z.string(), level: z.number().int(), referrals: z.number().int(), redemptions: z.number().int(), earnings: decimalString })),
    }),
    handler: async ({ access, query }) => ({ items: await kocLeaderboard(access, query.limit) }),
  }),
];
