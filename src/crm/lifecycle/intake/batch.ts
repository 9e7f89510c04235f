import type { z } from 'zod';
import { isAppError, requirePermission, type ErrorCode, type StaffAccess } from '../../kernel/index.ts';
import { eventInputSchema } from './event-schema.ts';
import { recordMemberEvent, type EventReceipt } from './record-event.ts';
import { recordPaidOrder, type OrderReceipt } from './record-order.ts';
import { orderInputSchema } from './schemas.ts';
import type { IntakeDeps } from './triggers.ts';

/** The most orders (or events) one batch takes. */
export const MAX_BATCH = 1000;
/** Items written at once: enough to overlap round trips, few enough to leave the pool to others. */
const PARALLEL = 4;

type BatchError = { code: ErrorCode; message: string; issues?: unknown };

export type BatchResult =
  | { index: number; orderNo: string | null; status: 201; replayed: boolean; order: OrderReceipt }
  | { index: number; orderNo: string | null; status: number; error: BatchError };

export type EventBatchResult =
  | { index: number; eventId: string | null; status: 201; replayed: boolean; event: EventReceipt }
  | { index: number; eventId: string | null; status: number; error: BatchError };

/**
 * Runs `record` on each raw item on its own, PARALLEL at a time: a bad or conflicting item fails
 * alone and the others land. Answers, per item in the order given, the receipt or the error the
 * single call would have answered (422 for a body that breaks the schema).
 */
async function runBatch<S extends z.ZodType, R>(
  access: StaffAccess,
  items: unknown[],
  schema: S,
  what: string,
  record: (input: z.output<S>) => Promise<{ receipt: R; replayed: boolean }>,
): Promise<({ index: number; status: 201; replayed: boolean; receipt: R } | { index: number; status: number; error: BatchError })[]> {
  type Out = { index: number; status: 201; replayed: boolean; receipt: R } | { index: number; status: number; error: BatchError };
  const results: Out[] = new Array(items.length);
  let next = 0;
  const one = async (index: number): Promise<Out> => {
    const parsed = schema.safeParse(items[index]);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message, code: i.code }));
      const first = issues[0];
      return { index, status: 422, error: { code: 'validation_failed', message: `invalid ${what}${first ? `: ${first.path.join('.') || '(root)'} — ${first.message}` : ''}`, issues } };
    }
    try {
      const r = await record(parsed.data);
      return { index, status: 201, replayed: r.replayed, receipt: r.receipt };
    } catch (e) {
      if (!isAppError(e)) {
        access.services.logger.error({ err: e, index, requestId: access.requestId }, `batch ${what} failed`);
        return { index, status: 500, error: { code: 'internal_error', message: 'internal error' } };
      }
      const issues = (e.details as { issues?: unknown } | undefined)?.issues;
      return { index, status: e.status, error: { code: e.code, message: e.message, ...(issues ? { issues } : {}) } };
    }
  };
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await one(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, worker));
  return results;
}

/** The item's own key as sent (orderNo, eventId), when it is a string: a result names it even when the item is malformed. */
function keyOf(raw: unknown, key: string): string | null {
  const v = raw && typeof raw === 'object' ? (raw as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' ? v : null;
}

/**
 * Records up to MAX_BATCH orders, each on its own (one transaction per order, exactly as a
 * single POST): 201 recorded (replayed: true when it had been recorded before with the same
 * body, as a single call answers), or the error the single call would have answered.
 * `dryRun` rolls each one back (the file import's --dry-run).
 */
export async function recordOrderBatch(access: StaffAccess, orders: unknown[], deps: IntakeDeps = {}, opts: { dryRun?: boolean } = {}): Promise<BatchResult[]> {
  requirePermission(access.actor, 'order.write');
  const results = await runBatch(access, orders, orderInputSchema, 'order', (o) => recordPaidOrder(access, o, deps, opts));
  return results.map((r): BatchResult => {
    const orderNo = keyOf(orders[r.index], 'orderNo');
    return 'receipt' in r ? { index: r.index, orderNo, status: 201, replayed: r.replayed, order: r.receipt } : { index: r.index, orderNo, status: r.status, error: r.error };
  });
}

/** Records up to MAX_BATCH behaviour events, each exactly as a single POST /events, one result per event. */
export async function recordEventBatch(access: StaffAccess, events: unknown[], deps: IntakeDeps = {}): Promise<EventBatchResult[]> {
  requirePermission(access.actor, 'event.write');
  const results = await runBatch(access, events, eventInputSchema, 'event', (e) => recordMemberEvent(access, e, deps));
  return results.map((r): EventBatchResult => {
    const eventId = keyOf(events[r.index], 'eventId');
    return 'receipt' in r ? { index: r.index, eventId, status: 201, replayed: r.replayed, event: r.receipt } : { index: r.index, eventId, status: r.status, error: r.error };
  });
}
