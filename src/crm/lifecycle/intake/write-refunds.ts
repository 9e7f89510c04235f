import type { PoolConnection } from 'mysql2/promise';
import { reattributeRecalls } from '../../automation/index.ts';
import { lockMembersForWrite } from '../../customers/index.ts';
import { AppError, auditActor, auditInTransaction, conflict, fieldError, notFound, recordChanges, requirePermission, withTransaction, type StaffAccess } from '../../kernel/index.ts';
import { reverseOrdersPoints } from '../../loyalty/index.ts';
import { applyRefunds, findOrdersByNo, findRefundsByNo, ORDER_TX, type StoredOrder, type StoredRefund } from '../../sales/index.ts';
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

/** One refund to record: the order's number and the refund as POST /orders/{orderNo}/refunds takes it. */
export interface RefundRequest {
  orderNo: string;
  input: RefundInput;
}

/** Per refund of a batch, in the order given: what recording it did, or the error it got. */
export type RefundWriteResult = RefundOutcome | Error;

/** refundedAt may run ahead of our clock by this much (till clocks drift); more is a mistake. */
const CLOCK_SKEW_MS = 5 * 60_000;
const isDupRefundNo = (e: unknown) => (e as { errno?: number; sqlMessage?: string } | null)?.errno === 1062 && /order_refunds_refund_no_key/.test((e as { sqlMessage?: string }).sqlMessage ?? '');
/** Order and refund numbers compare as their columns' collation does (case-insensitive), as the unique keys do. */
const noKey = (no: string) => no.toLowerCase();
const byKey = <T>(m: Map<string, T>) => new Map([...m].map(([k, v]) => [noKey(k), v]));

const notFoundOrder = (orderNo: string) => notFound('order_not_found', `没有订单 ${orderNo}（或不是你可查看的会员的订单）。`);
const conflictOf = (refundNo: string) =>
  conflict('order_conflict', `退款单号 ${refundNo} 已用于另一笔退款（内容不同）。`, { issues: [{ path: ['refundNo'], message: 'already recorded with a different body', code: 'custom' }] });

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

/** A refund number seen before: the stored answer when it is the same request on the same order, else 409. */
const replayOf = (seen: StoredRefund, order: StoredOrder, orderNo: string, hash: string): RefundWriteResult =>
  order.id === seen.orderId && seen.requestHash === hash ? { receipt: receiptOf(seen, orderNo, order.amount), replayed: true } : conflictOf(seen.refundNo);

interface Pending {
  /** Index in the caller's list. */
  at: number;
  orderNo: string;
  input: RefundInput;
  hash: string;
}

/**
 * THE refund writer (order.write): every refund — one POST /orders/{orderNo}/refunds, a batch of
 * up to 1,000 — is recorded here, a single refund being a batch of one, so the rules exist once.
 * A batch is one transaction with a constant number of statements whatever its size:
 *
 * - before it (on the pool): the orders by number (an unknown one is a 404 of its own);
 * - in it: the orders' members locked first (customers' lockMembersForWrite; a member the actor
 *   cannot see makes the order "not found"), the refund numbers looked up (the same request again
 *   answers its first receipt and writes nothing; another body → 409; a number twice in one
 *   batch: the second answers as a retry of the first), the orders re-read with their row locks;
 *   then, in batch order — exactly as one after the other — each refund checked against what is
 *   left of its order (more → 409 refund_exceeds_order; without `amount` the rest), its time
 *   (not in the future, not before the payment); then loyalty's reverseOrdersPoints (the earned
 *   points taken back in proportion, never below zero, the shortfall kept on the refund), sales'
 *   applyRefunds (the refund rows, the orders' refunded totals, the members' rollups — spend,
 *   frequency, RFM and churn inputs, day sales — in one resync), recall attribution for all the
 *   members in one statement, the audit rows in one INSERT.
 *
 * The level is not lowered here: that waits for the level's expiry review. A refund that fails a
 * check fails alone before anything is written; an unexpected failure of the batch's transaction
 * (a concurrent request took one of its numbers meanwhile …) reruns each refund as a batch of
 * one, so the others still land.
 */
export async function writeRefunds(access: StaffAccess, requests: RefundRequest[]): Promise<RefundWriteResult[]> {
  requirePermission(access.actor, 'order.write');
  const { services } = access;
  if (!requests.length) return [];
  const results: (RefundWriteResult | undefined)[] = new Array(requests.length);
  const orders = byKey(await findOrdersByNo(services.sql, [...new Set(requests.map((r) => r.orderNo))]));
  const pending: Pending[] = [];
  for (const [at, { orderNo, input }] of requests.entries()) {
    if (!orders.has(noKey(orderNo))) results[at] = notFoundOrder(orderNo);
    else pending.push({ at, orderNo, input, hash: requestHash('refund', { ...input, orderNo }) });
  }
  if (pending.length) {
    try {
      for (const [at, r] of await writePending(access, pending, orders)) results[at] = r;
    } catch (e) {
      if (pending.length > 1) {
        // One refund broke the whole transaction: each on its own, so the others land.
        for (const p of pending) results[p.at] = (await writeRefunds(access, [{ orderNo: p.orderNo, input: p.input }]))[0]!;
      } else {
        const p = pending[0]!;
        // The same refund number committed by a concurrent request meanwhile: run again, it answers as for a retry.
        results[p.at] = isDupRefundNo(e) ? (await writePending(access, pending, orders).then((m) => m.get(p.at)!, (again: Error) => again)) : (e as Error);
      }
    }
  }
  return results as RefundWriteResult[];
}

/** The batch's transaction (see writeRefunds): per caller index, the outcome or the error of a check made inside it. */
async function writePending(access: StaffAccess, pending: Pending[], looked: Map<string, StoredOrder>): Promise<Map<number, RefundWriteResult>> {
  const { services, actor } = access;
  return withTransaction(
    services.sql,
    async (conn: PoolConnection) => {
      const out = new Map<number, RefundWriteResult>();
      const now = services.now();
      // The members' row locks come first, as an order takes them (lockMembersForWrite: before
      // any plain read of this transaction): a refund and an order of one member queue, and the
      // rollups recomputed here see every order committed before.
      const members = await lockMembersForWrite(conn, actor, pending.map((p) => ({ memberId: looked.get(noKey(p.orderNo))!.memberId })));
      const seen = byKey(await findRefundsByNo(conn, [...new Set(pending.map((p) => p.input.refundNo))]));
      const orders = byKey(await findOrdersByNo(conn, [...new Set(pending.map((p) => p.orderNo))], true));
      /** Each order's refunded cents so far, as the batch's refunds add up in order. */
      const refunded = new Map<number, number>();
      /** The first refund of each number in this batch, with its hash and outcome; a repeat answers as its retry. */
      const firstOf = new Map<string, { hash: string; at: number }>();
      const accepted: { p: Pending; order: StoredOrder; cents: number; before: number; refundedAt: Date }[] = [];
      for (const [k, p] of pending.entries()) {
        const member = members[k]!;
        if (member === null || member instanceof Error) {
          out.set(p.at, member ?? notFoundOrder(p.orderNo));
          continue;
        }
        const order = orders.get(noKey(p.orderNo));
        const key = noKey(p.input.refundNo);
        const stored = seen.get(key);
        if (stored) {
          out.set(p.at, order ? replayOf(stored, order, p.orderNo, p.hash) : conflictOf(p.input.refundNo));
          continue;
        }
        const first = firstOf.get(key);
        if (first) {
          // Answered once the first is known (below): its receipt again, or 409 for another body.
          out.set(p.at, first.hash === p.hash ? new RepeatOf(first.at) : conflictOf(p.input.refundNo));
          continue;
        }
        // A merge moved the order to another member between the look-up and the lock: run again.
        if (!order || order.memberId !== member.id) {
          out.set(p.at, new AppError('order_lock_conflict', `订单 ${p.orderNo} 刚被合并到另一位会员，请重试。`));
          continue;
        }
        const before = refunded.get(order.id) ?? centsOf(order.refundedAmount);
        const left = centsOf(order.amount) - before;
        const cents = p.input.amount === undefined ? left : centsOf(p.input.amount);
        const refundedAt = p.input.refundedAt ? new Date(p.input.refundedAt) : now;
        let error: Error | null = null;
        if (left <= 0) error = conflict('refund_exceeds_order', `订单 ${p.orderNo} 已全额退款。`);
        else if (cents > left) error = conflict('refund_exceeds_order', `退款 ¥${yuanOf(cents)} 超过订单 ${p.orderNo} 可退的 ¥${yuanOf(left)}。`, { issues: [{ path: ['amount'], message: `at most ${yuanOf(left)}`, code: 'custom' }] });
        else if (refundedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) error = fieldError('invalid_order', ['refundedAt'], '退款时间在未来');
        else if (refundedAt < order.paidAt) error = fieldError('invalid_order', ['refundedAt'], '退款时间早于付款时间');
        if (error) {
          out.set(p.at, error);
          continue;
        }
        firstOf.set(key, { hash: p.hash, at: p.at });
        refunded.set(order.id, before + cents);
        accepted.push({ p, order, cents, before, refundedAt });
      }
      if (accepted.length) {
        const points = await reverseOrdersPoints(
          conn,
          services,
          actor,
          accepted.map(({ p, order, cents, before }) => ({ memberId: order.memberId, orderNo: p.orderNo, refundNo: p.input.refundNo, orderAmount: order.amount, refundedBefore: yuanOf(before), refundedAfter: yuanOf(before + cents) })),
        );
        const createdBy = auditActor(actor).actorId;
        const ids = byKey(
          await applyRefunds(
            conn,
            now,
            accepted.map(({ p, order, cents, before, refundedAt }, k) => ({
              order,
              refundNo: p.input.refundNo,
              amount: yuanOf(cents),
              refundedTotal: yuanOf(before + cents),
              reason: p.input.reason ?? null,
              refundedAt,
              pointsReversed: points[k]!.reversed,
              pointsShortfall: points[k]!.shortfall,
              requestHash: p.hash,
              createdBy,
            })),
          ),
        );
        await reattributeRecalls(conn, [...new Set(accepted.map((a) => a.order.memberId))]);
        // The sync's change feed: one INSERT for the batch, in its transaction (docs/sync.md).
        await recordChanges(conn, now, accepted.map(({ p, order }) => ({ object: 'refund', id: p.input.refundNo, memberId: order.memberId })));
        await auditInTransaction(
          conn,
          accepted.map(({ p, order, cents }, k) => ({
            actor,
            action: 'order.refund',
            targetType: 'member',
            targetId: String(order.memberId),
            channel: access.channel,
            requestId: access.requestId,
            detail: { orderNo: p.orderNo, refundNo: p.input.refundNo, amount: yuanOf(cents), ...points[k]! },
          })),
          now,
        );
        for (const [k, { p, order, cents, before, refundedAt }] of accepted.entries()) {
          const total = before + cents;
          out.set(p.at, {
            receipt: {
              refundId: ids.get(noKey(p.input.refundNo))!,
              refundNo: p.input.refundNo,
              orderNo: p.orderNo,
              amount: yuanOf(cents),
              refundedTotal: yuanOf(total),
              orderAmount: order.amount,
              fullyRefunded: total >= centsOf(order.amount),
              refundedAt: refundedAt.toISOString(),
              pointsReversed: points[k]!.reversed,
              pointsShortfall: points[k]!.shortfall,
            },
            replayed: false,
          });
        }
      }
      // Repeats of a number earlier in the batch answer as retries of it (its receipt, replayed).
      for (const [at, r] of out) {
        if (!(r instanceof RepeatOf)) continue;
        const first = out.get(r.at)!;
        out.set(at, first instanceof Error ? first : { receipt: first.receipt, replayed: true });
      }
      return out;
    },
    ORDER_TX(pending.length === 1 ? pending[0]!.orderNo : `${pending[0]!.orderNo} …`),
  );
}

/** Placeholder answer of a refund number repeated in one batch with the same body: the first one's answer, filled in at the end. */
class RepeatOf extends Error {
  constructor(readonly at: number) {
    super('repeat');
  }
}
