import { z } from 'zod';
import { adjustPoints, POINTS_CONFIRM_LIMIT, pointsChangeNeedsConfirmation } from '../crm/loyalty/index.ts';
import { resolveMember } from '../crm/customers/index.ts';
import { parsePoints } from './parse/service-text.ts';
import { memberLabel } from './render/member.ts';
import { MEMBER_REF_EXTRACT, MEMBER_REF_SLOTS, withMemberRef } from './slots/member-ref.ts';
import { focusOf, oneMember } from './slots/resolve-one.ts';
import { staffAccess } from './staff.ts';
import { defineIntent } from './types.ts';

const slots = withMemberRef({
  text: z.string().max(500).optional().describe('the whole message; details missing from the other slots are read from it'),
  delta: z.number().int().min(-1_000_000).max(1_000_000).optional().describe('points to add (positive) or deduct (negative)'),
  reason: z.string().min(1).max(128).optional(),
});
type Slots = z.infer<typeof slots>;

const figures = ({ text, delta, reason, phone, memberNo, name }: Slots) => {
  const p = parsePoints(text ?? '', [phone, memberNo, name]);
  return { delta: delta ?? p.delta, reason: reason ?? p.reason };
};
const signed = (n: number) => `${n > 0 ? '加' : '扣'} ${Math.abs(n).toLocaleString('en-US')} 积分`;

/**
 * Adds or deducts points with a reason (points.adjust). Every deduction, and any change above
 * POINTS_CONFIRM_LIMIT, is held until the same person confirms (the confirm() hook, deciding by
 * loyalty's pointsChangeNeedsConfirmation).
 */
export const pointsAdjust = defineIntent({
  name: 'points.adjust',
  audience: 'staff',
  description: `Add or deduct points for one member with a reason; every deduction and any change above ${POINTS_CONFIRM_LIMIT} points need a confirmation. Balance never goes below zero.`,
  title: '调整积分（加/扣，需原因）',
  permission: 'points.adjust',
  effect: 'write',
  readCounterpart: 'member.summary',
  slots,
  examples: [
    { text: '给 13800000001 加 100 积分 原因 消费奖励', slots: { phone: '13800000001', text: '给 13800000001 加 100 积分 原因 消费奖励' } },
    { text: '13800000001 扣 50 积分 兑换饮品', slots: { phone: '13800000001', text: '13800000001 扣 50 积分 兑换饮品' } },
    { text: '给张伟加两千积分，理由：投诉补偿', slots: { name: '张伟', text: '给张伟加两千积分,理由:投诉补偿' } },
    { text: 'add 200 points to M00000001 for birthday', slots: { memberNo: 'M00000001', text: 'add 200 points to M00000001 for birthday' } },
  ],
  rule: {
    keywords: [['积分', /加|扣|减|补|送|赠|奖励|兑换/], [/\bpoints?\b/i, /\b(?:add|deduct|give|award|remove|subtract|redeem)\b/i]],
    extract: { ...MEMBER_REF_EXTRACT, text: 'text' },
    requires: [MEMBER_REF_SLOTS],
    priority: 5,
  },
  async confirm(ctx, s) {
    const { delta, reason } = figures(s);
    if (delta === undefined || !reason || !pointsChangeNeedsConfirmation(delta)) return null;
    const r = await resolveMember(staffAccess(ctx), s);
    if (r.kind !== 'one') return null; // run() explains who was not found
    // The pipeline appends how to confirm or cancel (and the code); the preview says what will happen.
    return `将给 ${memberLabel(r.member)} ${signed(delta)}（原因：${reason}），当前积分 ${r.member.points.toLocaleString('en-US')}。${delta < 0 ? '扣减积分' : `超过 ${POINTS_CONFIRM_LIMIT} 积分的调整`}需要确认。`;
  },
  async run(ctx, s) {
    const access = staffAccess(ctx);
    const { delta, reason } = figures(s);
    if (delta === undefined) return { text: '要加或扣多少积分？例如「给 13800000001 加 100 积分 原因 消费奖励」。' };
    if (!reason) return { text: `请说明${signed(delta)}的原因，例如「… 原因 消费奖励」。` };
    const found = await oneMember(access, { phone: s.phone, memberNo: s.memberNo, name: s.name }, 'points.adjust');
    if ('reply' in found) return found.reply;
    const { entry } = await adjustPoints(access, { memberId: found.member.id, delta, reason, kind: 'adjust' });
    return { text: `已给 ${memberLabel(found.member)} ${signed(delta)}（原因：${reason}），当前积分 ${entry.balanceAfter.toLocaleString('en-US')}。`, data: entry, focus: focusOf(found.member) };
  },
});
