import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { MAX_BATCH, orderInputSchema, recordOrderBatch, recordPaidOrder, recordRefund, recordRefundBatch, refundInputSchema } from '../../crm/lifecycle/index.ts';
import { journeyDeps } from '../../jobs/journey-deps.ts';
import { apiRoute, bodyErrors, jsonBody, ok, requires } from '../route.ts';
import { decimalString, isoDateTime } from '../schemas.ts';

/** Set on a replay: the answer is the first one's, nothing was written now. */
export const REPLAY_HEADER = 'Idempotent-Replayed';

export const orderReceipt = z.object({
  orderId: z.number().int(),
  orderNo: z.string(),
  memberId: z.number().int(),
  memberNo: z.string(),
  memberCreated: z.boolean().describe('an unknown phone with createMember became this new member'),
  storeId: z.number().int(),
  amount: decimalString,
  paidAt: isoDateTime,
  pointsEarned: z.number().int().describe("points credited by the member's level rule (membership level pointsPerYuan)"),
  levelUp: z.object({ from: z.number().int(), to: z.number().int() }).nullable().describe('the upgrade this order brought about at once'),
});

export const refundReceipt = z.object({
  refundId: z.number().int(),
  refundNo: z.string(),
  orderNo: z.string(),
  amount: decimalString,
  refundedTotal: decimalString.describe("the order's refunded total after this refund"),
  orderAmount: decimalString,
  fullyRefunded: z.boolean(),
  refundedAt: isoDateTime,
  pointsReversed: z.number().int(),
  pointsShortfall: z.number().int().describe('points that could not be taken back (already spent): the balance never goes below zero'),
});

const batchError = z.object({
  code: z.string(),
  message: z.string(),
  issues: z.unknown().optional(),
});

const batchResult = z.object({
  index: z.number().int().describe('position in the request'),
  orderNo: z.string().nullable(),
  status: z.number().int().describe('what a single POST /crm/orders would have answered: 201, or the error status'),
  replayed: z.boolean().optional().describe('true when the order had been recorded before with the same body'),
  order: orderReceipt.optional(),
  error: batchError.optional(),
});

const refundBatchResult = z.object({
  index: z.number().int().describe('position in the request'),
  orderNo: z.string().nullable(),
  refundNo: z.string().nullable(),
  status: z.number().int().describe('what a single POST /crm/orders/{orderNo}/refunds would have answered: 201, or the error status'),
  replayed: z.boolean().optional().describe('true when the refund had been recorded before with the same body'),
  refund: refundReceipt.optional(),
  error: batchError.optional(),
});

const ORDER_EXAMPLE = {
  orderNo: 'POS-S1-20261121-0042',
  phone: '13800000001',
  storeCode: 'S1',
  amount: '128.50',
  paidAt: '2026-11-21T12:30:00+08:00',
  paymentMethod: 'wechat',
  channel: 'dine-in',
  items: [
    { name: '水煮鱼', qty: 1, price: '88.00', category: '热菜', sku: 'D-001' },
    { name: '米饭', qty: 2, price: '3.00' },
    { name: '酸梅汤', qty: 1, price: '34.50' },
  ],
};

const orderNoParam = z.object({ orderNo: z.string().regex(/^[A-Za-z0-9_\-.:]{1,32}$/, 'an order number').describe('the order number given when it was recorded') });

export const orderRoutes = [
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/orders',
      operationId: 'recordOrder',
      tags: ['orders'],
      summary: 'Record one paid order (POS, mini-program): rollups, points, level, journeys — idempotent on orderNo',
      description:
        'One transaction: the order and the member’s rollups (spend, frequency, the store’s day sales and visits), the points of the member’s level rule, an upgrade the order earns at once, recall attribution; then the `order_paid` journey trigger. ' +
        'The member is named by exactly one of memberId, memberNo, openid, phone; with `createMember: true` an unknown phone creates the member (home store = the order’s store, `member_registered` fires). ' +
        'The same request again answers 201 with the first answer (header `Idempotent-Replayed: true`) and writes nothing; another body under the same orderNo is a 409 order_conflict. ' +
        'A store role records orders of its own stores’ members only (another store’s member is a 404, another store a 403).',
      ...requires('order.write'),
      request: { body: jsonBody(orderInputSchema, ORDER_EXAMPLE) },
      responses: { 201: ok(orderReceipt, 'Recorded (or the replay of the same request)'), ...bodyErrors(404, 409) },
    }),
    async ({ access, body, c }) => {
      const r = await recordPaidOrder(access, body, { journeys: journeyDeps(access.services) });
      if (r.replayed) c.header(REPLAY_HEADER, 'true');
      return r.receipt;
    },
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/orders/batch',
      operationId: 'recordOrderBatch',
      tags: ['orders'],
      summary: `Record up to ${MAX_BATCH} paid orders, one result per order`,
      description:
        'Each order is recorded exactly as by POST /crm/orders (the same writer, set-based: one transaction, or for a large batch two written side by side with no member in common): a bad or conflicting order fails alone and the others land. ' +
        'The answer lists, in request order, each order’s status (201, or the error a single call would answer: 422 with `issues` for a malformed order, 404, 409 …) with its receipt or error, and the counts.',
      ...requires('order.write'),
      request: {
        body: jsonBody(z.strictObject({ orders: z.array(z.unknown().describe('an order, as POST /crm/orders takes it')).min(1).max(MAX_BATCH) }), { orders: [ORDER_EXAMPLE] }),
      },
      responses: {
        200: ok(z.object({ recorded: z.number().int().describe('new orders'), replayed: z.number().int(), failed: z.number().int(), results: z.array(batchResult) })),
        ...bodyErrors(),
      },
    }),
    async ({ access, body }) => {
      const results = await recordOrderBatch(access, body.orders, { journeys: journeyDeps(access.services) });
      return {
        recorded: results.filter((r) => 'order' in r && !r.replayed).length,
        replayed: results.filter((r) => 'order' in r && r.replayed).length,
        failed: results.filter((r) => 'error' in r).length,
        results,
      };
    },
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/orders/refunds/batch',
      operationId: 'recordRefundBatch',
      tags: ['orders'],
      summary: `Record up to ${MAX_BATCH} refunds, one result per refund`,
      description:
        'Each refund is recorded exactly as by POST /crm/orders/{orderNo}/refunds (the same writer; the batch is one transaction, set-based): an item is that route’s body plus the `orderNo`. ' +
        'A bad or conflicting refund fails alone and the others land; refunds of one order apply in the order given, as one after the other (a second full refund of an order is a 409 refund_exceeds_order). ' +
        'The answer lists, in request order, each refund’s status (201, or the error a single call would answer: 422 with `issues` for a malformed item, 404 order_not_found, 409 …) with its receipt or error, and the counts. Idempotent on refundNo, per item.',
      ...requires('order.write'),
      request: {
        body: jsonBody(z.strictObject({ refunds: z.array(z.unknown().describe('a refund: orderNo plus the body POST /crm/orders/{orderNo}/refunds takes')).min(1).max(MAX_BATCH) }), {
          refunds: [
            { orderNo: 'POS-S1-20261121-0042', refundNo: 'RF-20261121-0007', amount: '34.50', reason: '菜品售罄' },
            { orderNo: 'POS-S1-20261121-0043', refundNo: 'RF-20261121-0008' },
          ],
        }),
      },
      responses: {
        200: ok(z.object({ recorded: z.number().int().describe('new refunds'), replayed: z.number().int(), failed: z.number().int(), results: z.array(refundBatchResult) })),
        ...bodyErrors(),
      },
    }),
    async ({ access, body }) => {
      const results = await recordRefundBatch(access, body.refunds);
      return {
        recorded: results.filter((r) => 'refund' in r && !r.replayed).length,
        replayed: results.filter((r) => 'refund' in r && r.replayed).length,
        failed: results.filter((r) => 'error' in r).length,
        results,
      };
    },
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/orders/{orderNo}/refunds',
      operationId: 'recordRefund',
      tags: ['orders'],
      summary: 'Record a full or partial refund of an order — idempotent on refundNo',
      description:
        'One transaction: the refund and the order’s refunded total, the member’s rollups recomputed (spend drops by the refund; a fully refunded order counts nowhere: not in frequency, RFM, churn inputs, day sales or recall attribution), ' +
        'the earned points taken back in proportion — never below zero, the part already spent answered and kept as `pointsShortfall`. Without `amount` the rest of the order is refunded. ' +
        'More than what is left of the order is a 409 refund_exceeds_order. The same request again answers 201 with the first answer (`Idempotent-Replayed: true`); another body under the same refundNo is a 409.',
      ...requires('order.write'),
      request: { params: orderNoParam, body: jsonBody(refundInputSchema, { refundNo: 'RF-20261121-0007', amount: '34.50', reason: '菜品售罄' }) },
      responses: { 201: ok(refundReceipt, 'Recorded (or the replay of the same request)'), ...bodyErrors(404, 409) },
    }),
    async ({ access, params, body, c }) => {
      const r = await recordRefund(access, params.orderNo, body);
      if (r.replayed) c.header(REPLAY_HEADER, 'true');
      return r.receipt;
    },
  ),
];
