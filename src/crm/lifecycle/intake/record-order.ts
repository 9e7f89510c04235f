import type { StaffAccess } from '../../kernel/index.ts';
import type { OrderInput } from './schemas.ts';
import type { IntakeDeps } from './triggers.ts';
import { writeOrders, type OrderOutcome } from './write-orders.ts';

export type { OrderOutcome, OrderReceipt } from './write-orders.ts';

/**
 * Records one paid order (order.write): the order writer (writeOrders) with a batch of one, so
 * one order and a batch of a thousand follow the same rules — the member (by id, number, openid
 * or phone; an unknown phone with createMember creates it), the order and its rollups, the
 * points of the member's level rule, an upgrade the order earns at once, recall attribution,
 * the audit row in one transaction; then the `order_paid` (and `member_registered`) journey
 * triggers. Idempotent on orderNo (the same request again answers the first receipt and writes
 * nothing; another body → 409). Throws the error the order got.
 */
export async function recordPaidOrder(access: StaffAccess, input: OrderInput, deps: IntakeDeps = {}, opts: { dryRun?: boolean } = {}): Promise<OrderOutcome> {
  const [r] = await writeOrders(access, [input], deps, opts);
  if (r instanceof Error) throw r;
  return r!;
}
