import { z } from 'zod';
import { adjustPoints, pointsHistory } from '../../crm/loyalty/index.ts';
import { defineRoute } from '../route.ts';
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
  defineRoute({
    method: 'get',
    path: '/crm/customers/{id}/points',
    operationId: 'getCustomerPoints',
    tag: 'points',
    summary: "A customer's points balance and newest ledger entries",
    permission: 'member.read',
    params: idParam,
    query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(20).describe('ledger entries, newest first') }),
    response: z.object({ balance: z.number().int(), entries: z.array(ledgerEntrySchema) }),
    errors: [404],
    handler: async ({ access, params, query }) => jsonify(await pointsHistory(access, params.id, query.limit)),
  }),
  defineRoute({
    method: 'post',
    path: '/crm/customers/{id}/points',
    operationId: 'adjustCustomerPoints',
    tag: 'points',
    summary: 'Add (positive delta) or deduct (negative) points, with a reason',
    description:
      'One append-only ledger entry with the balance after. Concurrent adjustments never lose an update; a deduction below zero is a 409 (insufficient_points). ' +
      'Send an idempotencyKey to make retries safe: the same key returns the original entry (replayed: true).',
    permission: 'points.adjust',
    params: idParam,
    body: z.strictObject({
      delta: z.number().int().min(-1_000_000).max(1_000_000).refine((d) => d !== 0, 'delta must not be 0'),
      reason: z.string().trim().min(1).max(128),
      kind: z.enum(['earn', 'redeem', 'adjust']).optional().describe('default: earn for additions, redeem for deductions'),
      ref: z.string().trim().max(64).optional().describe('an outside reference, e.g. an order number'),
      idempotencyKey: z.string().trim().min(1).max(64).optional(),
    }),
    example: { delta: 100, reason: '消费奖励', idempotencyKey: 'pos-20261122-0001' },
    response: z.object({ entry: ledgerEntrySchema, replayed: z.boolean() }),
    errors: [404, 409],
    handler: async ({ access, params, body }) => jsonify(await adjustPoints(access, { memberId: params.id, ...body })),
  }),
];
