import { z } from 'zod';
import { adjustPoints, POINTS_CONFIRM_LIMIT, pointsChangeNeedsConfirmation } from '../crm/loyalty/index.ts';
import { resolveMember } from '../crm/customers/index.ts';
import { parsePoints } from './parse/service-text.ts';
import { memberLabel } from './render/member.ts';
import { MEMBER_REF_EXTRACT, MEMBER_REF_SLOTS, withMemberRef } from './slots/member-ref.ts';
import { focusOf, oneMember } from './slots/resolve-one.ts';
import { staffAccess } from './staff.ts';
import { defineIntent } from './types.ts';
import { t, type Lang } from '../i18n/index.ts';

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
const signed = (n: number, lang: Lang) => t(lang, n > 0 ? 'points.add' : 'points.deduct', { n: Math.abs(n).toLocaleString('en-US') });

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
  // A question about points ("王芳积分还剩多少", "给周杰的积分加上了吗") is answered by the look-up card,
  // which shows the balance: the same reading the bare "王芳 积分" gets.
  readCounterpart: 'member.lookup',
  slots,
  examples: [
    { text: '给 13800000001 加 100 积分 原因 消费奖励', slots: { delta: 100, phone: '13800000001', text: '给 13800000001 加 100 积分 原因 消费奖励' } },
    { text: '13800000001 扣 50 积分 兑换饮品', slots: { delta: -50, phone: '13800000001', text: '13800000001 扣 50 积分 兑换饮品' } },
    { text: '给张伟加两千积分，理由：投诉补偿', slots: { delta: 2000, name: '张伟', text: '给张伟加两千积分,理由:投诉补偿' } },
    { text: 'add 200 points to M00000001 for birthday', slots: { delta: 200, memberNo: 'M00000001', text: 'add 200 points to M00000001 for birthday' } },
  ],
  rule: {
    keywords: [['积分', /加|扣|减|补|送|赠|奖励|兑换/], /(?<![\w+])\+\s*\d{1,6}(?![\d.])(?!\s*(?:元|块|%))/, /(?<![^\s])[-−]\s*\d{1,6}(?![\d.\-])(?!\s*(?:元|块|%|天|个月|年))/, /(?:加|扣|减|补|送|赠)(?:他|她|ta|TA|给他|给她)?\s*(?:\d+|[一二两三四五六七八九十百千万]+)\s*分(?!钟|数)/,
      // Points given or taken, asked about with no figure ("给周杰加过分吗", "周杰扣了分没"): the same write, weighed by the gate.
      /(?:加|扣|减|补|送)(?:过|了)(?:点|些)?分(?![钟数店析类享配开别期])/, [/\b(?:points?|pts)\b/i, /\b(?:add|deduct|give|award|remove|subtract|redeem|take|credit|refund|knock|dock)\b/i]],
    extract: { ...MEMBER_REF_EXTRACT, text: 'text' },
    derive: (text, { phone, memberNo, name }) => ({ delta: parsePoints(text, [phone, memberNo, name]).delta }),
    requires: [MEMBER_REF_SLOTS],
    priority: 5,
  },
  async confirm(ctx, s) {
    const { delta, reason } = figures(s);
    // A held change changed again ("改成1000" while 加2000 waits) stays held, though its new size alone would not be.
    const large = pointsChangeNeedsConfirmation(delta ?? 0);
    if (delta === undefined || !reason || (!large && !ctx.changesHeld)) return null;
    const r = await resolveMember(staffAccess(ctx), s);
    if (r.kind !== 'one') return null; // run() explains who was not found
    // The pipeline appends how to confirm or cancel (and the code); the preview says what will happen.
    const why = !large ? t(ctx.lang, 'points.whyChanged') : delta < 0 ? t(ctx.lang, 'points.whyDeduct') : t(ctx.lang, 'points.whyLarge', { limit: POINTS_CONFIRM_LIMIT });
    return { text: t(ctx.lang, 'points.preview', { label: memberLabel(r.member, ctx.lang), change: signed(delta, ctx.lang), reason, balance: r.member.points.toLocaleString('en-US'), why }), focus: focusOf(r.member) };
  },
  async run(ctx, s) {
    const access = staffAccess(ctx);
    const { delta, reason } = figures(s);
    if (delta === undefined) return { text: t(ctx.lang, 'points.askAmount') };
    if (!reason) return { text: t(ctx.lang, 'points.askReason', { change: signed(delta, ctx.lang) }) };
    const found = await oneMember(access, { phone: s.phone, memberNo: s.memberNo, name: s.name }, 'points.adjust', ctx.lang);
    if ('reply' in found) return found.reply;
    const { entry } = await adjustPoints(access, { memberId: found.member.id, delta, reason, kind: 'adjust' });
    return { text: t(ctx.lang, 'points.done', { label: memberLabel(found.member, ctx.lang), change: signed(delta, ctx.lang), reason, balance: entry.balanceAfter.toLocaleString('en-US') }), data: entry, focus: focusOf(found.member), outcome: 'done' };
  },
});
