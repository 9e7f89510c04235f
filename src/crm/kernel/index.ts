/**
 * The small kernel every context stands on: who is asking (staff and member access, permissions,
 * store scope, staff as actors and the managers of a store), the audit log, CRM settings, phone
 * masking, sealed personal data (personal-data/: AES-256-GCM envelopes, blind indexes, the keyring),
 * money, the China calendar, registered errors, the SQL transaction helper and the
 * read-your-writes fence of the read pool (read-pool.ts), the one rate limiter (rate-limit.ts), the
 * outbox of the outbound queue (outbox.ts), the change feed every sync connection reads (change-feed.ts).
 * Owns: audit_logs, stores, staff, staff_stores, crm_settings, outbound_jobs, change_feed.
 * Other contexts and the edge import this file only (docs/architecture.md).
 */
export { lazyModule } from './lazy-module.ts';
export { workerBoot } from './worker-boot.ts';
export { eachInFlight } from './in-flight.ts';
export { channelSchema, type Actor, type Channel, type MemberActor, type StaffActor } from './actor.ts';
export { requirePermission, type CrmAccess, type SelfAccess, type StaffAccess } from './access.ts';
export { audit, auditActor, auditInTransaction, auditStoresRead, listAuditLogs, type AuditEntry, type AuditLogFilter, type AuditLogRow, type SystemActor } from './audit.ts';
export {
  addDays,
  CHINA_TIME_ZONE,
  chinaDay,
  chinaDayStartMs,
  chinaMidnightDay,
  chinaMinuteOfDay,
  chinaMonth,
  chinaMonthStart,
  chinaParts,
  chinaDateRange,
  chinaPeriodRange,
  chinaRollingRange,
  chinaSql,
  chinaWeekday,
  DAY_MS,
  dayDate,
  dayNumber,
  dayParts,
  daysBetween,
  daysInMonth,
  formatDate,
  formatDay,
  formatMonthDayTime,
  fromChinaWallClock,
  HOUR_MS,
  isLeapYear,
  monthNumberOfDay,
  nextChinaTimeOfDay,
  parseChinaDate,
  parseCompactDay,
  parseIsoDay,
  shiftMonth,
  startOfChinaDay,
  startOfChinaMonth,
  startOfChinaWeek,
  type CalendarPeriod,
  type PeriodRange,
} from './china-calendar.ts';
export { AppError, badRequest, conflict, fieldError, fieldErrors, forbidden, isAppError, notFound, payloadTooLarge, unauthorized, type AppErrorOptions, type ErrorCode, type ErrorStatus, type FieldIssue } from './errors.ts';
export { ERROR_CODES, type CodeWithStatus, type ErrorArea, type ErrorSpec } from './error-codes.ts';
export { maskPhone, phoneFor } from './mask.ts';
export { blindIndex, buildKeyring, DEV_KEY_ID, EXTRA_PERSONAL_FIELDS, installKeyring, isEnvelope, isSealed, keyring, normalizeEmail, open, openOrNull, parseDataKeys, parseExtraFields, parseIndexKey, phoneTail, reseal, seal, sealedKeyId, sealOrNull, type ExtraPersonalField, type Keyring, type KeyringSettings, type SealedField } from './personal-data/index.ts';
export { readPoolAfter } from './read-pool.ts';
export { formatYuan } from './money.ts';
export { ROLE_PERMISSIONS, can, storeScope, storeScopeSql, type Permission } from './permissions.ts';
export { changeSetting, getSetting, parseSettingValue, readSetting, setSetting } from './settings.ts';
export { STAFF_STORES, activeStaffActor, storeManagers, toStaffActor } from './staff.ts';
export { forgetStaffIdentities, staffIdentity } from './staff-identity.ts';
export { processCache, type ProcessCache } from './process-cache.ts';
export { createStaff, getStaff, listStaff, STAFF_ROLES, staffInputSchema, staffPatchSchema, updateStaff, type StaffInput, type StaffPatch, type StaffView } from './staff-admin.ts';
export { pruneChanges, recordChanges, type ChangeObject, type ChangeRow } from './change-feed.ts';
export { outboundDone, pruneOutbound, queueOutbound, requeueOutbound } from './outbox.ts';
export { createRateLimiter, rateLimiter, type RateLimiter, type Window } from './rate-limit.ts';
export { isLockConflict, replayKey, withSharedTransaction, withTransaction, writeAtFinish, type SharedTransactionResult, type Transaction, type TransactionOptions } from './transaction.ts';
export { txSql, type AnyTx, type TxSql } from './tx-sql.ts';
export { countedOrder, netAmount } from './net-orders.ts';
export { newestJson, type NewestJson } from './newest-json.ts';
export { apartValue, zippedList, PIECE, type LongColumn } from './apart-list.ts';
