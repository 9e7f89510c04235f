import type { PoolConnection } from 'mysql2/promise';
import { AppError, type StaffAccess } from '../kernel/index.ts';
import { runMemberImport, type ImportOptions, type ImportPorts, type ImportResult } from '../customers/index.ts';
import { tagIdByName, writeMemberTags } from '../engagement/index.ts';
import { kocsByReferralCode, recordOpeningBalances, writeReferral } from '../loyalty/index.ts';

/** Engagement's part of a member import: the tag dictionary, and member_tags through its one writer. */
const tagPorts: Pick<ImportPorts, 'tagIds' | 'addTags'> = {
  async tagIds(conn: PoolConnection, names: string[]) {
    const ids = new Map<string, number>();
    for (const name of names) {
      const id = await tagIdByName(conn, name);
      if (id !== null) ids.set(name, id);
    }
    return ids;
  },
  async addTags(conn, adds, o) {
    let added = 0;
    for (const a of adds) added += await writeMemberTags(conn, { op: 'add', tagId: a.tagId, memberIds: a.memberIds, source: 'manual', createdBy: o.createdBy, at: o.at }, { partOf: 'member.import' });
    return added;
  },
};

/** Loyalty's part: KOCs by referral code, and each referral through its one writer. */
const referralPorts: Pick<ImportPorts, 'kocsByCode' | 'addReferrals'> = {
  kocsByCode: (conn, codes) => kocsByReferralCode(conn, codes),
  async addReferrals(conn, referrals, o) {
    for (const r of referrals) if (!(await writeReferral(conn, { referralCode: r.referralCode, referredMemberId: r.memberId, at: o.at }))) throw new AppError('unknown_referral_code', `没有推荐码「${r.referralCode}」的 KOC`);
  },
};

/**
 * Imports members from a CSV or XLSX file (customers' runMemberImport: one transaction per
 * batch), new members' opening points entering loyalty's ledger and the file's tags entering
 * engagement's member_tags and a new member's KOC referral (loyalty's writeReferral) in the same
 * transaction.
 */
export async function importMembers(access: StaffAccess, file: string, opts: ImportOptions = {}): Promise<ImportResult> {
  return runMemberImport(access, file, opts, { openingBalances: recordOpeningBalances, ...tagPorts, ...referralPorts });
}
