import type { StaffAccess } from '../../kernel/index.ts';
import type { RefundInput } from './schemas.ts';
import { writeRefunds, type RefundOutcome } from './write-refunds.ts';

export type { RefundOutcome, RefundReceipt } from './write-refunds.ts';

/**
 * Records a full or partial refund of an order (order.write): the refund writer (writeRefunds)
 * with a batch of one, so one refund and a batch of a thousand follow the same rules — the
 * refund and the order's refunded total with the member's rollups (spend and, for a full refund,
 * the order itself drop out of member_stats — the RFM and churn inputs — and the dashboard), the
 * earned points taken back in proportion (never below zero; the shortfall recorded on the
 * refund), recall attribution re-evaluated, the audit row, in one transaction. Idempotent on
 * refundNo. More than what is left of the order is a 409 and writes nothing. Throws the error
 * the refund got.
 */
export async function recordRefund(access: StaffAccess, orderNo: string, input: RefundInput): Promise<RefundOutcome> {
  const [r] = await writeRefunds(access, [{ orderNo, input }]);
  if (r instanceof Error) throw r;
  return r!;
}
