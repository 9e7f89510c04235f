/**
 * Sales: orders and their rollups (member_stats, the store visit summary, day sales, cohorts),
 * kept exact as orders arrive.
 * Owns: orders, order_refunds, member_stats, member_order_digests, member_stats_gate, store_visit_gaps, store_day_sales, store_cohorts.
 * Other contexts and the edge import this file only (docs/architecture.md).
 */
export { leaveCohorts } from './cohort-leave.ts';
export { COHORT_MONTHS, refreshStoreCohorts, storeCohorts } from './cohorts.ts';
export { moveOrders, orderTotals } from './member-moves.ts';
export { memberOrders, ordersOf, type MemberOrders } from './member-orders.ts';
export { countedOrder, netAmount } from '../kernel/index.ts';
export { applyRefunds, findOrderByNo, findOrdersByNo, findRefundsByNo, type NewRefund, type StoredOrder, type StoredRefund } from './order-records.ts';
export { readOrderTransactions, type OrderTransactionOptions } from './order-transactions.ts';
export { eachRow, insertOrder, insertOrders, ORDER_TX, rebuildMemberStats, resyncMembers, streamRows, type CountedOrder, type NewOrder } from './rollup.ts';
export { ALL_STORES, MAX_PERIOD_DAYS, NEXT, PREV, YEAR_DAYS } from './visits.ts';
export { refreshMemberStats, type StatsMarker, type StatsRefresh } from './window.ts';
export { memberSalesFigures, ordersForTimeline, refundsForTimeline, type MemberSalesFigures, type TimelineOrder, type TimelineRefund } from './sync-facts.ts';
