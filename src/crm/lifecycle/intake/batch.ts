import { isAppError, requirePermission, type ErrorCode, type StaffAccess } from '../../kernel/index.ts';
import { recordPaidOrder, type OrderReceipt } from './record-order.ts';
import { orderInputSchema } from './schemas.ts';
import type { IntakeDeps } from './triggers.ts';

/** The most orders one batch takes. */
export const MAX_BATCH = 1000;
/** Orders written at once: enough to overlap round trips, few enough to leave the pool to others. */
const PARALLEL = 4;

export type BatchResult =
  | { index: number; orderNo: string | null; status: 201; replayed: boolean; order: OrderReceipt }
  | { index: number; orderNo: string | null; status: number; error: { code: ErrorCode; message: string; issues?: unknown } };

/**
 * Records up to MAX_BATCH orders, each on its own (one transaction per order, exactly as a
 * single POST): a bad or conflicting order fails alone and the others land. Answers one result
 * per order, in the order given: 201 recorded (replayed: true when it had been recorded before
 * with the same body, as a single call answers), or the error the single call would have
 * answered (422 for a body that breaks the schema). `dryRun` rolls each one back (the file import's --dry-run).
 */
export async function recordOrderBatch(access: StaffAccess, orders: unknown[], deps: IntakeDeps = {}, opts: { dryRun?: boolean } = {}): Promise<BatchResult[]> {
  requirePermission(access.actor, 'order.write');
  const results: BatchResult[] = new Array(orders.length);
  let next = 0;
  const one = async (index: number): Promise<BatchResult> => {
    const raw = orders[index];
    const orderNo = raw && typeof raw === 'object' && typeof (raw as { orderNo?: unknown }).orderNo === 'string' ? (raw as { orderNo: string }).orderNo : null;
    const parsed = orderInputSchema.safeParse(raw);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message, code: i.code }));
      const first = issues[0];
      return { index, orderNo, status: 422, error: { code: 'validation_failed', message: `invalid order${first ? `: ${first.path.join('.') || '(root)'} — ${first.message}` : ''}`, issues } };
    }
    try {
      const r = await recordPaidOrder(access, parsed.data, deps, opts);
      return { index, orderNo, status: 201, replayed: r.replayed, order: r.receipt };
    } catch (e) {
      if (!isAppError(e)) {
        access.services.logger.error({ err: e, orderNo, requestId: access.requestId }, 'batch order failed');
        return { index, orderNo, status: 500, error: { code: 'internal_error', message: 'internal error' } };
      }
      const issues = (e.details as { issues?: unknown } | undefined)?.issues;
      return { index, orderNo, status: e.status, error: { code: e.code, message: e.message, ...(issues ? { issues } : {}) } };
    }
  };
  const worker = async (): Promise<void> => {
    while (next < orders.length) {
      const i = next++;
      results[i] = await one(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, orders.length) }, worker));
  return results;
}
