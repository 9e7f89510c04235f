/**
 * Customers: members and their identifiers, search and lists, the 360 summary, profile edits
 * and history, duplicates, merge, erasure, member import/export.
 * Owns: members, member_profile_changes, member_merges, deletion_requests.
 * Other contexts and the edge import this file only (docs/architecture.md).
 */
export { auditMemberRead } from './audit-read.ts';
export { findDuplicates } from './duplicates.ts';
export { eraseMember } from './erase.ts';
export { EXPORT_FIELDS, exportMembers, type ExportField } from './export.ts';
export { IMPORT_FIELDS, parseMap, type ImportField } from './import/columns.ts';
export { findMembers, searchMembers, type MemberBrief, type MemberSearch } from './find.ts';
export { normalizeMemberNo, normalizePhone, normalizeText } from './identifiers.ts';
export { writeCsv } from './import/csv.ts';
export { importMembers, type ImportProgress } from './import/import.ts';
export { consoleAccess, storeIdOf } from './import/staff.ts';
export { memberInScope } from './in-scope.ts';
export { MEMBER_SORTS, listMembers } from './list.ts';
export { mergeMembers } from './merge.ts';
export { memberRefSchema, withMemberRef, type MemberRef } from './ref.ts';
export { resolveMember } from './resolve.ts';
export { visibleMembers } from './scope.ts';
export { memberSummary, type MemberSummary } from './summary.ts';
export { profileHistory, profilePatchSchema, updateMemberProfile } from './update.ts';
