import type { StaffAccess } from '../kernel/index.ts';
import { runMemberImport, type ImportOptions, type ImportResult } from '../customers/index.ts';
import { recordOpeningBalances } from '../loyalty/index.ts';

/**
 * Imports members from a CSV or XLSX file (customers' runMemberImport: one transaction per
 * batch), new members' opening points entering loyalty's ledger in the same transaction.
 */
export async function importMembers(access: StaffAccess, file: string, opts: ImportOptions = {}): Promise<ImportResult> {
  return runMemberImport(access, file, opts, recordOpeningBalances);
}
