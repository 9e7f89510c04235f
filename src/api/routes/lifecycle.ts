import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { findDuplicates } from '../../crm/customers/index.ts';
import { eraseMember, mergeMembers } from '../../crm/lifecycle/index.ts';
import { apiRoute, bodyErrors, errors, jsonBody, ok, requires } from '../route.ts';
import { decimalString, idParam, isoDateTime, jsonify } from '../schemas.ts';

/** Probable duplicates (mounted before /customers/{id}: see staticFirst in mount.ts). */
export const duplicatesRoute = apiRoute(
  createRoute({
    method: 'get',
    path: '/crm/customers/duplicates',
    operationId: 'listDuplicateCustomers',
    tags: ['customer lifecycle'],
    summary: 'Probable duplicates in scope (same name and birthday); phones masked by role',
    ...requires('member.merge'),
    request: {
      query: z.object({
        memberId: z.coerce.number().int().positive().optional().describe("only this customer's group"),
        limit: z.coerce.number().int().min(1).max(500).default(50).describe('groups'),
      }),
    },
    responses: {
      200: ok(
        z.object({
          items: z.array(
            z.object({
              reason: z.literal('name_birthday'),
              key: z.string(),
              members: z.array(z.object({ id: z.number().int(), memberNo: z.string(), name: z.string(), phone: z.string(), homeStoreId: z.number().int().nullable(), registeredAt: isoDateTime, orders: z.number().int() })),
            }),
          ),
        }),
      ),
      ...errors(),
    },
  }),
  async ({ access, query }) => ({ items: jsonify(await findDuplicates(access, query)) }),
);

/** Merge and erasure (PIPL/GDPR): thin routes over src/crm/lifecycle. */
export const lifecycleRoutes = [
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/customers/{id}/merge',
      operationId: 'mergeCustomer',
      tags: ['customer lifecycle'],
      summary: 'Merge a duplicate (mergedId) into this customer: orders, interactions, tickets, tags, coupons, referrals and points move over',
      description: 'One transaction; the duplicate stays as a deleted row pointing at the survivor. Both customers must be in the caller’s scope.',
      ...requires('member.merge'),
      request: {
        params: idParam,
        body: jsonBody(z.strictObject({ mergedId: z.number().int().positive(), reason: z.string().trim().max(255).optional() }), { mergedId: 2, reason: '同一人两个手机号' }),
      },
      responses: {
        200: ok(
          z.object({
            mergeId: z.number().int(),
            survivorId: z.number().int(),
            mergedId: z.number().int(),
            moved: z.object({ orders: z.number().int(), interactions: z.number().int(), tickets: z.number().int(), tags: z.number().int(), coupons: z.number().int(), referrals: z.number().int(), events: z.number().int().describe('behaviour events moved'), points: z.number().int() }),
          }),
        ),
        ...bodyErrors(404, 409),
      },
    }),
    async ({ access, params, body }) => mergeMembers(access, { survivorId: params.id, mergedId: body.mergedId, reason: body.reason }),
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/customers/{id}/erase',
      operationId: 'eraseCustomer',
      tags: ['customer lifecycle'],
      summary: "Carry out the customer's deletion request (PIPL/GDPR): personal data erased, order figures kept",
      ...requires('member.delete'),
      request: { params: idParam, body: jsonBody(z.strictObject({ reason: z.string().trim().max(255).optional() }), { reason: '会员通过小程序申请注销' }) },
      responses: { 200: ok(z.object({ requestId: z.number().int().describe('the deletion request record'), kept: z.object({ orders: z.number().int(), totalSpend: decimalString }) })), ...bodyErrors(404) },
    }),
    async ({ access, params, body }) => eraseMember(access, { memberId: params.id, reason: body.reason }),
  ),
];
