import type { z } from 'zod';
import { isAppError, requirePermission, type ErrorCode, type StaffAccess } from '../../kernel/index.ts';
import { eventInputSchema } from './event-schema.ts';
import { recordMemberEvent, type EventReceipt } from './record-event.ts';
import { writeOrders, type OrderReceipt, type WriteOptions } from './write-orders.ts';
import { writeRefunds, type RefundReceipt } from './write-refunds.ts';
import { orderInputSchema, refundBatchItemSchema } from './schemas.ts';
import type { IntakeDeps } from './triggers.ts';

/** The most orders (or events) one batch takes. */
export const MAX_BATCH = 1000;
/** Events written at once: enough to overlap round trips, few enough to leave the pool to others. */
const PARALLEL = 4;

type BatchError = { code: ErrorCode; message: string; issues?: unknown };

export type BatchResult =
  | { index: number; orderNo: string | null; status: 201; replayed: boolean; order: OrderReceipt }
  | { index: number; orderNo: string | null; status: number; error: BatchError };

export type RefundBatchResult =
  | { index: number; orderNo: string | null; refundNo: string | null; status: 201; replayed: boolean; refund: RefundReceipt }
  | { index: number; orderNo: string | null; refundNo: string | null; status: number; error: BatchError };

export type EventBatchResult =
  | { index: number; eventId: string | null; status: 201; replayed: boolean; event: EventReceipt }
  | { index: number; eventId: string | null; status: number; error: BatchError };

/** The 422 of an item that breaks the schema, naming the first bad field. */
function schemaError(error: z.ZodError, what: string): { status: number; error: BatchError } {
  const issues = error.issues.map((i) => ({ path: i.path.map(String), message: i.message, code: i.code }));
  const first = issues[0];
  return { status: 422, error: { code: 'validation_failed', message: `invalid ${what}${first ? `: ${first.path.join('.') || '(root)'} — ${first.message}` : ''}`, issues } };
}

/** The status and error body a single call would have answered for this failure (500 for an unexpected one, logged). */
function batchError(access: StaffAccess, e: unknown, index: number, what: string): { status: number; error: BatchError } {
  if (!isAppError(e)) {
    access.services.logger.error({ err: e, index, requestId: access.requestId }, `batch ${what} failed`);
    return { status: 500, error: { code: 'internal_error', message: 'internal error' } };
  }
  const issues = (e.details as { issues?: unknown } | undefined)?.issues;
  return { status: e.status, error: { code: e.code, message: e.message, ...(issues ? { issues } : {}) } };
}

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
    if (!parsed.success) return { index, ...schemaError(parsed.error, what) };
    try {
      const r = await record(parsed.data);
      return { index, status: 201, replayed: r.replayed, receipt: r.receipt };
    } catch (e) {
      return { index, ...batchError(access, e, index, what) };
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
 * Records up to MAX_BATCH orders through the order writer (writeOrders: one transaction for the
 * batch, or one per lane for a large one, set-based), answering per order in the order given: 201 recorded (replayed: true when
 * it had been recorded before with the same body, as a single call answers), or the error the
 * single call would have answered (422 for a body that breaks the schema) — a bad or
 * conflicting order fails alone and the others land. `opts`: writeOrders' (dryRun rolls the
 * batch back — the file import's --dry-run; turn/locked order batches written side by side).
 */
export async function recordOrderBatch(access: StaffAccess, orders: unknown[], deps: IntakeDeps = {}, opts: WriteOptions = {}): Promise<BatchResult[]> {
  requirePermission(access.actor, 'order.write');
  const parsed = orders.map((o) => orderInputSchema.safeParse(o));
  const valid = parsed.flatMap((p, index) => (p.success ? [{ index, input: p.data }] : []));
  const written = await writeOrders(access, valid.map((v) => v.input), deps, opts);
  const byIndex = new Map(valid.map((v, k) => [v.index, written[k]!]));
  return orders.map((raw, index): BatchResult => {
    const orderNo = keyOf(raw, 'orderNo');
    const p = parsed[index]!;
    if (!p.success) return { index, orderNo, ...schemaError(p.error, 'order') };
    const r = byIndex.get(index)!;
    return r instanceof Error ? { index, orderNo, ...batchError(access, r, index, 'order') } : { index, orderNo, status: 201, replayed: r.replayed, order: r.receipt };
  });
}

/**
 * Records up to MAX_BATCH refunds through the refund writer (writeRefunds: one transaction for
 * the batch, set-based — the same writer as POST /orders/{orderNo}/refunds), answering per
 * refund in the order given: 201 recorded (replayed: true when it had been recorded before with
 * the same body), or the error the single call would have answered (422 for a body that breaks
 * the schema) — a bad or conflicting refund fails alone and the others land. Refunds of one
 * order in one batch apply in the order given, as one after the other.
 */
export async function recordRefundBatch(access: StaffAccess, refunds: unknown[]): Promise<RefundBatchResult[]> {
  requirePermission(access.actor, 'order.write');
  const parsed = refunds.map((r) => refundBatchItemSchema.safeParse(r));
  const valid = parsed.flatMap((p, index) => (p.success ? [{ index, request: { orderNo: p.data.orderNo, input: { refundNo: p.data.refundNo, amount: p.data.amount, reason: p.data.reason, refundedAt: p.data.refundedAt } } }] : []));
  const written = await writeRefunds(access, valid.map((v) => v.request));
  const byIndex = new Map(valid.map((v, k) => [v.index, written[k]!]));
  return refunds.map((raw, index): RefundBatchResult => {
    const keys = { orderNo: keyOf(raw, 'orderNo'), refundNo: keyOf(raw, 'refundNo') };
    const p = parsed[index]!;
    if (!p.success) return { index, ...keys, ...schemaError(p.error, 'refund') };
    const r = byIndex.get(index)!;
    return r instanceof Error ? { index, ...keys, ...batchError(access, r, index, 'refund') } : { index, ...keys, status: 201, replayed: r.replayed, refund: r.receipt };
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
