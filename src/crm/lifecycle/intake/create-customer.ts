import { createMemberRow, type MemberCreate } from '../../customers/index.ts';
import { tagIdByName, writeMemberTags } from '../../engagement/index.ts';
import { writeReferral } from '../../loyalty/index.ts';
import { fieldError, withTransaction, type StaffAccess } from '../../kernel/index.ts';
import { fireAfterCommit, type IntakeDeps } from './triggers.ts';

/**
 * Creates a member (POST /customers): the member row (customers), its tags (engagement, which
 * must exist in the dictionary), the KOC referral when a referral code is given (loyalty) and
 * the audit row in one transaction; then the
 * `member_registered` journey trigger. A phone or customer number already held is a 409 with
 * the holder's id; nothing is written.
 */
export async function createCustomer(access: StaffAccess, input: MemberCreate, deps: IntakeDeps = {}): Promise<{ id: number; memberNo: string }> {
  const now = access.services.now();
  const created = await withTransaction(access.services.sql, async (conn) => {
    const member = await createMemberRow(conn, access, input);
    const tags = [...new Set(input.tags ?? [])];
    for (const [i, name] of tags.entries()) {
      const tagId = await tagIdByName(conn, name);
      if (tagId === null) throw fieldError('invalid_member', ['tags', i], `没有标签「${name}」（先在标签字典里建好）`);
      await writeMemberTags(conn, { op: 'add', tagId, memberIds: [member.id], source: 'manual', createdBy: access.actor.wecomUserId, at: now }, { partOf: 'member.create' });
    }
    if (input.referralCode && !(await writeReferral(conn, { referralCode: input.referralCode, referredMemberId: member.id, at: now }))) {
      throw fieldError('invalid_member', ['referralCode'], `没有推荐码「${input.referralCode}」的 KOC`);
    }
    return member;
  });
  await fireAfterCommit(access.services, deps, [{ type: 'member_registered', memberId: created.id, occurrence: 'registered' }]);
  return { id: created.id, memberNo: created.memberNo };
}
