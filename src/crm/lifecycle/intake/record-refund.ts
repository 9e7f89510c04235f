import type { PoolConnection } from 'mysql2/promise';
import { reattributeRecalls } from '../../automation/index.ts';
import { lockMemberForWrite } from '../../customers/index.ts';
import { AppError, auditActor, auditInTransaction, recordChanges, conflict, fieldError, notFound, requirePermission, withTransaction, type StaffAccess } from '../../kernel/index.ts';
import { reverseOrderPoints } from '../../loyalty/index.ts';
import { applyRefund, findOrderByNo, findRefundByNo, ORDER_TX, type StoredRefund } from '../../sales/index.ts';
import { centsOf, requestHash, yuanOf, type RefundInput } from './schemas.ts';

export interface RefundReceipt {
  refundId: number;
  refundNo: string;
  orderNo: string;
  amount: string;
  /** The order's refunded total after this refund. */
  refundedTotal: string;
  orderAmount: string;
  fullyRefunded: boolean;
  refundedAt: string;
  /** Points taken back from the member. */
  pointsReversed: number;
  /** Points that could not be taken back (already spent): the balance never goes below zero. */
  pointsShortfall: number;
}

export interface RefundOutcome {
  receipt: RefundReceipt;
  replayed: boolean;
}

const CLOCK_SKEW_MS = 5 * 60_000;
const isDupRefundNo = (e: unknown) => (e as { errno?: number; sqlMessage?: string } | null)?.errno === 1062 && /order_refunds_refund_no_key/.test((e as { sqlMessage?: string }).sqlMessage ?? '');

const receiptOf = (r: StoredRefund, orderNo: string, orderAmount: string): RefundReceipt => ({
  refundId: r.id,
  refundNo: r.refundNo,
  orderNo,
  amount: r.amount,
  refundedTotal: r.refundedTotal,
  orderAmount,
  fullyRefunded: centsOf(r.refundedTotal) >= centsOf(orderAmount),
  refundedAt: r.refundedAt.toISOString(),
  pointsReversed: r.pointsReversed,
  pointsShortfall: r.pointsShortfall,
});

const notFoundOrder = (orderNo: string) => notFound('order_not_found', `没有订单 ${orderNo}（或不是你可查看的会员的订单）。`);

/** A refund number seen before: the stored answer for the same request, else 409. */
async function replayOrConflict(conn: PoolConnection, seen: StoredRefund, orderNo: string, hash: string): Promise<RefundOutcome> {
  const order = await findOrderByNo(conn, orderNo);
  if (!order || order.id !== seen.orderId || seen.requestHash !== hash) {
    throw conflict('order_conflict', `退款单号 ${seen.refundNo} 已用于另一笔退款（内容不同）。`, { issues: [{ path: ['refundNo'], message: 'already recorded with a different body', code: 'custom' }] });
  }
  return { receipt: receiptOf(seen, orderNo, order.amount), replayed: true };
}

/**
 * Records a full or partial refund of an order (order.write) in one transaction: the refund
 * and the order's refunded total with the member's rollups and the store's day sales
 * recomputed (sales' applyRefund: spend and, for a full refund, the order itself drop out of
 * member_stats — the RFM and churn inputs — and the dashboard), the earned points taken back
 * in proportion (never below zero; the shortfall recorded on the refund), recall attribution
 * re-evaluated, the audit row. Idempotent on refundNo. More than what is left of the order is a
 * 409 and writes nothing. The level is not lowered here: that waits for the level's expiry review.
 */
export async function recordRefund(access: StaffAccess, orderNo: string, input: RefundInput): Promise<RefundOutcome> {
  requirePermission(access.actor, 'order.write');
  const { services, actor } = access;
  const hash = requestHash('refund', { ...input, orderNo });
  const first = await findOrderByNo(services.sql, orderNo);
  if (!first) throw notFoundOrder(orderNo);
  const run = () =>
    withTransaction(
      services.sql,
      async (conn): Promise<RefundOutcome> => {
        const now = services.now();
        // The member's row lock first, as an order takes it (lockMemberForWrite: before any plain
        // read of this transaction): a refund and an order of one member queue, and the rollups
        // recomputed here see every order committed before.
        const member = await lockMemberForWrite(conn, actor, { memberId: first.memberId });
        if (!member) throw notFoundOrder(orderNo);
        const seen = await findRefundByNo(conn, input.refundNo);
        if (seen) return replayOrConflict(conn, seen, orderNo, hash);
        const order = (await findOrderByNo(conn, orderNo, true))!;
        // A merge moved the order to another member between the look-up and the lock: run again.
        if (order.memberId !== member.id) throw new AppError('order_lock_conflict', `订单 ${orderNo} 刚被合并到另一位会员，请重试。`);
        const left = centsOf(order.amount) - centsOf(order.refundedAmount);
        if (left <= 0) throw conflict('refund_exceeds_order', `订单 ${orderNo} 已全额退款。`);
        const cents = input.amount === undefined ? left : centsOf(input.amount);
        if (cents > left) throw conflict('refund_exceeds_order', `退款 ¥${yuanOf(cents)} 超过订单 ${orderNo} 可退的 ¥${yuanOf(left)}。`, { issues: [{ path: ['amount'], message: `at most ${yuanOf(left)}`, code: 'custom' }] });
        const refundedAt = input.refundedAt ? new Date(input.refundedAt) : now;
        if (refundedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) throw fieldError('invalid_order', ['refundedAt'], '退款时间在未来');
        if (refundedAt < order.paidAt) throw fieldError('invalid_order', ['refundedAt'], '退款时间早于付款时间');
        const after = centsOf(order.refundedAmount) + cents;
        const points = await reverseOrderPoints(conn, services, actor, {
          memberId: order.memberId,
          orderNo,
          refundNo: input.refundNo,
          orderAmount: order.amount,
          refundedBefore: order.refundedAmount,
          refundedAfter: yuanOf(after),
        });
        const applied = await applyRefund(conn, now, order, {
          refundNo: input.refundNo,
          amount: yuanOf(cents),
          reason: input.reason ?? null,
          refundedAt,
          pointsReversed: points.reversed,
          pointsShortfall: points.shortfall,
          requestHash: hash,
          createdBy: auditActor(actor).actorId,
        });
        await reattributeRecalls(conn, order.memberId);
        await recordChanges(conn, now, [{ object: 'refund', id: input.refundNo, memberId: order.memberId }]);
        await auditInTransaction(
          conn,
          [{ actor, action: 'order.refund', targetType: 'member', targetId: String(order.memberId), channel: access.channel, requestId: access.requestId, detail: { orderNo, refundNo: input.refundNo, amount: yuanOf(cents), ...points } }],
          now,
        );
        const receipt: RefundReceipt = {
          refundId: applied.id,
          refundNo: input.refundNo,
          orderNo,
          amount: yuanOf(cents),
          refundedTotal: applied.refundedTotal,
          orderAmount: order.amount,
          fullyRefunded: centsOf(applied.refundedTotal) >= centsOf(order.amount),
          refundedAt: refundedAt.toISOString(),
          pointsReversed: points.reversed,
          pointsShortfall: points.shortfall,
        };
        return { receipt, replayed: false };
      },
      ORDER_TX(orderNo),
    );
  try {
    return await run();
  } catch (e) {
    // The same refund number committed by a concurrent request meanwhile: answer as for a retry.
    if (isDupRefundNo(e)) return run();
    throw e;
  }
}
