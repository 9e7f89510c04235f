/**
 * Sync: two-way synchronisation of members (with their KOC figures and tags), orders, refunds
 * and follow-ups with another CRM (卫瓴·协同CRM first, docs/sync.md) through a connector port,
 * and its monitor. Outbound reads the kernel's change feed, which every owner writes in the
 * transaction of its change; inbound applies the other side's changes through the owners'
 * functions (customers' updateMemberProfile, engagement's writeMemberTags), never their tables.
 * Sits on top with automation and lifecycle.
 * Owns: sync_state, sync_ledger, sync_id_map, sync_inbound_events, sync_failures, sync_conflicts.
 * Other contexts and the edge import this file only (docs/architecture.md).
 */
export { SyncCallError, type Activity, type ChangedPage, type CrmConnector, type FieldValues, type InboundEvent, type RemoteContact } from './connector.ts';
export { type SyncCtx } from './context.ts';
export { DIRECTIONS, INBOUND_FIELDS, MEMBER_FIELDS, parseSyncRules, SYNC_OBJECTS, type FieldRule, type SyncRules } from './fields.ts';
export { MAX_ATTEMPTS, type FailureRow } from './failures.ts';
export { backfillMembers } from './backfill.ts';
export { applyContact, dedupeKey, processInbound, receiveEvents } from './inbound.ts';
export { LAG_ALERT_SECONDS, listFailures, retryAllFailures, retryFailure, syncStatus, type ObjectStatus } from './monitor.ts';
export { pushChanges, thirdIdOf, type PushResult } from './outbound.ts';
export { reconcile } from './reconcile.ts';
export { retryDue } from './retry.ts';
export { runSyncTick, type TickResult } from './tick.ts';
