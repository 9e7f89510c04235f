/**
 * Customers: members and their identifiers, search and lists, the 360 summary, profile edits
 * and history, duplicates, member import/export, marketing opt-out, and the member-row writes
 * other contexts make inside their transactions (points balance, level; a merge's or an
 * erasure's member rows, for the lifecycle context). Imports no other context but the kernel.
 * Owns: members, member_profile_changes.
 * Other contexts and the edge import this file only (docs/architecture.md).
 */
export { auditMemberRead } from './audit-read.ts';
export { findDuplicates } from './duplicates.ts';
export { EXPORT_FIELDS, exportMembers, type ExportField } from './export.ts';
export { IMPORT_FIELDS, parseMap, type ImportField } from './import/columns.ts';
export { findMembers, searchMembers, type MemberBrief, type MemberSearch } from './find.ts';
export { normalizeMemberNo, normalizePhone, normalizeText, phoneSearchOf } from './identifiers.ts';
export { writeCsv } from './import/csv.ts';
export { defaultErrorsFile, runMemberImport, writeErrorReport, type ImportOptions, type ImportPorts, type ImportProgress, type ImportResult, type OpeningBalances, type RejectedRow } from './import/import.ts';
export { HEADER_ALIASES, normalizeHeader, parseFieldMap, resolveFieldColumns } from './import/columns.ts';
export { ENCODING_CHOICES, detectEncoding, type EncodingChoice, type TextEncodingName } from './import/decode.ts';
export { openTable, type Cell, type RawRow, type TableFile } from './import/read.ts';
export { parseDate as parseImportDate, text as cellText } from './import/row.ts';
export { consoleAccess, storeIdOf } from './import/staff.ts';
export { memberInScope, memberNotFound } from './in-scope.ts';
export { ERASED_NAME, eraseMemberRow, erasedPhone, lockMemberStatus, lockMembers, mergeMemberRows, type LockedMember } from './member-rows.ts';
export { setMemberLevelRow, setMembersPointsAndLevels, setPointsBalance } from './member-writes.ts';
export { optOutOfMarketing } from './opt-out.ts';
export { MEMBER_SORTS, listMembers } from './list.ts';
export { memberRowsByIds, type ExtraColumns, type MemberRow } from './rows.ts';
export { memberSyncFacts, type MemberSyncFacts } from './sync-facts.ts';
export { memberRefSchema, withMemberRef, type MemberRef } from './ref.ts';
export { resolveMember, resolveMemberWith } from './resolve.ts';
export { visibleMembers, visibleMembersSql } from './scope.ts';
export { memberSummary, memberSummaryById, type MemberSummary } from './summary.ts';
export { profileHistory, profilePatchSchema, updateMemberProfile } from './update.ts';
export { createMemberRow, memberCreateSchema, storeIdByRef, type CreatedMember, type MemberCreate } from './create.ts';
export { ADDRESS_TYPES, addressSchema, addressesSchema, EMAIL_IN_TEXT, maskEmail, phoneOrThrow, type Address } from './member-input.ts';
export { lockMemberForWrite, lockMembersForWrite, type MemberForWrite, type MemberKey } from './write-lookup.ts';
export { emailColumns, emailHash, memberIdByPhone, openEmail, openHistoryValue, openPhone, phoneColumns, phoneHash, rotateMemberKeys, sealHistoryValue, sealPlaintextMembers } from './sealed.ts';
export { bindWeComIdentity, memberIdByExternalUserId, memberIdByMobile, memberIdByUnionid } from './wecom-identity.ts';
