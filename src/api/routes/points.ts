import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { adjustPoints, pointsHistory } from '../../crm/loyalty/index.ts';
import { apiRoute, bodyErrors, errors, jsonBody, ok, requires } from '../route.ts';
import { idParam, isoDateTime, jsonify } from '../schemas.ts';

export const ledgerEntrySchema = z.object({
  id: z.string().describe('ledger entry id (a 64-bit integer as a string)'),
  memberId: z.number().int(),
  delta: z.number().int(),
  balanceAfter: z.number().int(),
  kind: z.string().describe('earn | redeem | adjust | expire | merge'),
  reason: z.string(),
  ref: z.string().nullable(),
  expiresAt: isoDateTime.nullable(),
  createdBy: z.string(),
  createdAt: isoDateTime,
});

export const pointsRoutes = [
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/customers/{id}/points',
      operationId: 'getCustomerPoints',
      tags: ['points'],
      summary: "A customer's points balance and newest ledger entries",
      ...requires('member.read'),
      request: { params: idParam, query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(20).describe('ledger entries, newest first') }) },
      responses: { 200: ok(z.object({ balance: z.number().int(), entries: z.array(ledgerEntrySchema) })), ...errors(404) },
    }),
    async ({ access, params, query }) => jsonify(await pointsHistory(access, params.id, query.limit)),
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/customers/{id}/points',
      operationId: 'adjustCustomerPoints',
      tags: ['points'],
      summary: 'Add (positive delta) or deduct (negative) points, with a reason',
      description:
        'One append-only ledger entry with the balance after. Concurrent adjustments never lose an update; a deduction below zero is a 409 (insufficient_points). ' +
        'Send an idempotencyKey to make retries safe: the same key returns the original entry (replayed: true).',
      ...requires('points.adjust'),
      request: {
        params: idParam,
        body: jsonBody(z.strictObject({
          delta: z.number().int().min(-1_000_000).max(1_000_000).refine((d) => d !== 0, 'delta must not be 0'),
          reason: z.string().trim().min(1).max(128),
          kind: z.enum(['earn', 'redeem', 'adjust']).optional().describe('default: earn for additions, redeem for deductions'),
          ref: z.string().trim().max(64).optional().describe('an outside reference, e.g. an order number'),
          idempotencyKey: z.string().trim().min(1).max(64).optional(),
        }), { delta: 100, reason: '消费奖励', idempotencyKey: 'pos-20261122-0001' }),
      },
      responses: { 200: ok(z.object({ entry: ledgerEntrySchema, replayed: z.boolean() })), ...bodyErrors(404, 409) },
    }),
    async ({ access, params, body }) => jsonify(await adjustPoints(access, { memberId: params.id, ...body })),
  ),
];
