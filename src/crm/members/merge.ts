import { AppError, badRequest } from '../../errors.ts';
import type { StaffAccess } from '../access.ts';
import { requirePermission } from '../access.ts';
import { audit } from '../audit.ts';
import { appendLedger, TX_OPTIONS } from '../points/ledger.ts';
import { reevaluateMemberRuleTags } from '../tags/rules.ts';
import { memberInScope } from './in-scope.ts';

export interface MergeResult {
  mergeId: number;
  survivorId: number;
  mergedId: number;
  moved: { orders: number; interactions: number; tickets: number; tags: number; coupons: number; referrals: number; points: number };
}

interface Locked {
  id: number;
  points: number;
  growth_value: number;
  level: number;
  openid: string | null;
  external_user_id: string | null;
  status: string;
}

/**
 * Merges a duplicate member into a survivor (member.merge), in one transaction with both member
 * rows locked (in id order, so two opposite merges cannot deadlock): orders, interactions,
 * tickets, tags, coupons, KOC referrals and points move to the survivor; growth value adds up;
 * the higher level stays; WeChat identities move when the survivor has none. The duplicate
 * remains as a deleted row pointing at the survivor (merged_into_id), so old references resolve.
 * Any failure rolls everything back.
 */
export async function mergeMembers(access: StaffAccess, input: { survivorId: number; mergedId: number; reason?: string }): Promise<MergeResult> {
  requirePermission(access.actor, 'member.merge');
  const { survivorId: S, mergedId: M } = input;
  if (S === M) throw badRequest('same_member', '不能把会员合并到自己。');
  const { services, actor } = access;
  await memberInScope(services, actor, S);
  await memberInScope(services, actor, M);
  const now = services.now();

  const result = await services.db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<Locked[]>`SELECT id, points, growth_value, level, openid, external_user_id, status FROM members WHERE id IN (${S}, ${M}) ORDER BY id FOR UPDATE`;
    const s = rows.find((r) => Number(r.id) === S);
    const m = rows.find((r) => Number(r.id) === M);
    if (!s || !m || s.status === 'deleted' || m.status === 'deleted') throw new AppError('member_gone', '其中一位会员已被注销或合并。', 409);

    const orders = await tx.$executeRaw`UPDATE orders SET member_id = ${S} WHERE member_id = ${M}`;
    const interactions = await tx.$executeRaw`UPDATE interactions SET member_id = ${S} WHERE member_id = ${M}`;
    const tickets = await tx.$executeRaw`UPDATE tickets SET member_id = ${S} WHERE member_id = ${M}`;
    const tags = await tx.$executeRaw`INSERT IGNORE INTO member_tags (member_id, tag_id, source, confidence, created_by, created_at)
                                      SELECT ${S}, tag_id, source, confidence, created_by, created_at FROM member_tags WHERE member_id = ${M}`;
    await tx.$executeRaw`DELETE FROM member_tags WHERE member_id = ${M}`;
    const coupons = await tx.$executeRaw`UPDATE member_coupons SET member_id = ${S} WHERE member_id = ${M}`;
    const referrals = await tx.$executeRaw`UPDATE koc_referrals SET koc_member_id = ${S} WHERE koc_member_id = ${M}`;
    await tx.$executeRaw`UPDATE koc_referrals SET referred_member_id = ${S} WHERE referred_member_id = ${M}`;
    const survivorKoc = await tx.kocProfile.findUnique({ where: { memberId: S } });
    if (survivorKoc) await tx.kocProfile.deleteMany({ where: { memberId: M } });
    else await tx.$executeRaw`UPDATE koc_profiles SET member_id = ${S} WHERE member_id = ${M}`;

    const points = Number(m.points);
    if (points > 0) {
      const ref = `merge:${M}->${S}`;
      await appendLedger(tx, services, actor, { memberId: M, delta: -points, kind: 'merge', reason: `合并到会员 ${S}`, ref });
      await appendLedger(tx, services, actor, { memberId: S, delta: points, kind: 'merge', reason: `合并自会员 ${M}`, ref });
    }
    // Identities are unique: clear them on the duplicate before the survivor takes them.
    await tx.member.update({ where: { id: M }, data: { status: 'deleted', mergedIntoId: S, openid: null, externalUserId: null, growthValue: 0 } });
    await tx.member.update({
      where: { id: S },
      data: {
        growthValue: Number(s.growth_value) + Number(m.growth_value),
        level: Math.max(Number(s.level), Number(m.level)),
        ...(s.openid === null && m.openid ? { openid: m.openid } : {}),
        ...(s.external_user_id === null && m.external_user_id ? { externalUserId: m.external_user_id } : {}),
      },
    });
    const moved = { orders, interactions, tickets, tags, coupons, referrals, points };
    const merge = await tx.memberMerge.create({ data: { survivorId: S, mergedId: M, moved, mergedBy: actor.wecomUserId, createdAt: now } });
    return { mergeId: merge.id, survivorId: S, mergedId: M, moved };
  }, TX_OPTIONS);

  await audit(services, { actor, action: 'member.merge', targetType: 'member', targetId: String(S), channel: access.channel, requestId: access.requestId, detail: { mergedId: M, mergeId: result.mergeId, moved: result.moved, reason: input.reason ?? null } });
  await audit(services, { actor, action: 'member.merged_into', targetType: 'member', targetId: String(M), channel: access.channel, requestId: access.requestId, detail: { survivorId: S, mergeId: result.mergeId } });
  await reevaluateMemberRuleTags(services, S);
  return result;
}
