import type { RowDataPacket } from 'mysql2/promise';
import { referralCode } from './referral-code.ts';
import { writeReferral } from './referrals.ts';
import { AppError, audit, requirePermission, storeScope, storeScopeSql, type StaffAccess } from '../../kernel/index.ts';
import { memberInScope } from '../../customers/index.ts';

export interface KocStats {
  memberId: number;
  memberNo: string;
  name: string;
  level: number;
  referralCode: string;
  joinedAt: Date;
  referrals: number;
  redemptions: number;
  /** SUM(commission) as the database computed it: a decimal string. */
  earnings: string;
}

/** A member's KOC contribution, or null when they are not a KOC. Audited as a member read. */
export async function kocStats(access: StaffAccess, memberId: number): Promise<KocStats | null> {
  requirePermission(access.actor, 'member.read');
  const m = await memberInScope(access.services, access.actor, memberId);
  const { db } = access.services;
  const profile = await db.kocProfile.findUnique({ where: { memberId } });
  await audit(access.services, { actor: access.actor, action: 'koc.stats', targetType: 'member', targetId: String(memberId), channel: access.channel, requestId: access.requestId });
  if (!profile) return null;
  const [all, redeemed] = await Promise.all([
    db.kocReferral.aggregate({ where: { kocMemberId: memberId }, _count: { _all: true }, _sum: { commission: true } }),
    db.kocReferral.count({ where: { kocMemberId: memberId, redeemedAt: { not: null } } }),
  ]);
  return {
    memberId,
    memberNo: m.memberNo,
    name: m.name,
    level: profile.level,
    referralCode: profile.referralCode,
    joinedAt: profile.joinedAt,
    referrals: all._count._all,
    redemptions: redeemed,
    earnings: all._sum.commission?.toFixed(2) ?? '0.00',
  };
}

/** The top KOCs in the actor's stores by earnings (then referrals). */
export async function kocLeaderboard(access: StaffAccess, limit = 10): Promise<Omit<KocStats, 'joinedAt' | 'referralCode'>[]> {
  requirePermission(access.actor, 'member.read');
  const stores = storeScope(access.actor);
  if (stores !== null && stores.length === 0) return [];
  const scope = storeScopeSql(stores);
  const [rows] = await access.services.sql.query<RowDataPacket[]>(
    `SELECT m.id, m.member_no, m.name, k.level, COUNT(r.id) AS referrals, COUNT(r.redeemed_at) AS redemptions, COALESCE(SUM(r.commission), 0) AS earnings
       FROM koc_profiles k JOIN members m ON m.id = k.member_id LEFT JOIN koc_referrals r ON r.koc_member_id = k.member_id
      WHERE m.status <> 'deleted'${scope.sql}
      GROUP BY m.id, m.member_no, m.name, k.level ORDER BY earnings DESC, referrals DESC, m.id LIMIT ?`,
    [...scope.params, Math.min(limit, 100)],
  );
  return rows.map((r) => ({ memberId: Number(r.id), memberNo: String(r.member_no), name: String(r.name), level: Number(r.level), referrals: Number(r.referrals), redemptions: Number(r.redemptions), earnings: String(r.earnings) }));
}

/** Makes a member a KOC (membership.manage) with a referral code; 409 when they already are. */
export async function enrolKoc(access: StaffAccess, memberId: number, level = 1): Promise<{ referralCode: string }> {
  requirePermission(access.actor, 'membership.manage');
  const m = await memberInScope(access.services, access.actor, memberId);
  const { db } = access.services;
  if (await db.kocProfile.findUnique({ where: { memberId } })) throw new AppError('already_koc', `${m.name} 已经是 KOC。`);
  const code = referralCode(m.memberNo);
  await db.kocProfile.create({ data: { memberId, level, referralCode: code, joinedAt: access.services.now() } });
  await audit(access.services, { actor: access.actor, action: 'koc.enrol', targetType: 'member', targetId: String(memberId), channel: access.channel, requestId: access.requestId, detail: { level } });
  return { referralCode: code };
}

/**
 * Records a referral by a KOC (by referral code): the referred member, and when an order
 * redeemed it, the order and the commission earned (DECIMAL string).
 */
export async function recordReferral(
  access: StaffAccess,
  input: { referralCode: string; referredMemberId?: number; orderId?: number; commission?: string },
): Promise<{ id: number }> {
  requirePermission(access.actor, 'membership.manage');
  if (input.commission !== undefined && !/^\d{1,10}(\.\d{1,2})?$/.test(input.commission)) throw new AppError('invalid_amount', '佣金须为金额，如 12.50。');
  const now = access.services.now();
  const r = await access.services.db.$transaction((tx) => writeReferral(tx, { ...input, at: now }));
  if (!r) throw new AppError('unknown_referral_code', `没有推荐码 ${input.referralCode}。`);
  const koc = { memberId: r.kocMemberId };
  await audit(access.services, { actor: access.actor, action: 'koc.referral', targetType: 'member', targetId: String(koc.memberId), channel: access.channel, requestId: access.requestId, detail: { referralId: r.id, ...input } });
  return { id: r.id };
}
