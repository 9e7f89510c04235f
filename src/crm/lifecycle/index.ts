/**
 * Lifecycle: what happens to a member across every context at once — a merge of duplicates,
 * an erasure on request (PIPL/GDPR), a member import with opening points, and the intake of
 * members, paid orders, refunds and behaviour events from outside (POS, mini-program,
 * integrations: sales' order and rollups, loyalty's points and level, engagement's events,
 * automation's attribution and triggers). One transaction each,
 * in which every context changes its own tables through its own functions on the same mysql2
 * connection (customers the member rows, sales the orders and rollups, loyalty the points,
 * coupons and KOC records, engagement the tags, service the interactions and tickets).
 * Owns: member_merges, deletion_requests.
 * Other contexts and the edge import this file only (docs/architecture.md).
 */
export { eraseMember, pendingDeletionRequests, requestDeletion } from './erase.ts';
export { mergeMembers, type MergeResult } from './merge.ts';
export { importMembers } from './import.ts';
export { recordEventBatch, recordOrderBatch, recordRefundBatch, MAX_BATCH, type BatchResult, type EventBatchResult, type RefundBatchResult } from './intake/batch.ts';
export { eventInputSchema, type EventInput } from './intake/event-schema.ts';
export { recordMemberEvent, type EventOutcome, type EventReceipt } from './intake/record-event.ts';
export { createCustomer } from './intake/create-customer.ts';
export { recordPaidOrder, type OrderOutcome, type OrderReceipt } from './intake/record-order.ts';
export { recordRefund, type RefundOutcome, type RefundReceipt } from './intake/record-refund.ts';
export { orderInputSchema, orderItemSchema, refundBatchItemSchema, refundInputSchema, type OrderInput, type RefundInput } from './intake/schemas.ts';
export { type IntakeDeps } from './intake/triggers.ts';
export { importOrders, type OrderImportOptions, type OrderImportResult } from './import-orders/import.ts';
export { ORDER_FIELDS, parseOrderMap, type OrderField } from './import-orders/columns.ts';
