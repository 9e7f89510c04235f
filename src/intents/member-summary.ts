import { memberSummary as summarize } from '../crm/customers/index.ts';
import { llmMemberSummary } from '../llm/summary.ts';
import { renderSummary, renderUnresolved } from './render/member.ts';
import { MEMBER_REF_EXTRACT, MEMBER_REF_SLOTS, memberRefSchema } from './slots/member-ref.ts';
import { staffAccess } from './staff.ts';
import { defineIntent } from './types.ts';
import { t } from '../i18n/index.ts';

/** The member card: profile, level, points, spend, days since last visit, tags, last orders. */
export const memberSummary = defineIntent({
  name: 'member.summary',
  audience: 'staff',
  description: "Show one member's 360 card: profile, level, points, home store, total spend, order count, days since last visit, tags, recent orders, open tickets, recent complaints, pending follow-ups and KOC level.",
  title: '会员 360 详情（消费、标签、订单、工单、投诉、KOC）',
  permission: 'member.read',
  effect: 'read',
  slots: memberRefSchema,
  examples: [
    { text: '13800000001 的详细情况', slots: { phone: '13800000001' } },
    { text: 'summary of 13800000001', slots: { phone: '13800000001' } },
    { text: 'M00000001 详情', slots: { memberNo: 'M00000001' } },
    { text: '张伟的会员档案', slots: { name: '张伟' } },
    { text: '查一下 13800000001 的详细情况', slots: { phone: '13800000001' } },
    { text: '看看李娜的消费情况', slots: { name: '李娜' } },
    { text: 'profile of Zhang Wei', slots: { name: 'Zhang Wei' } },
    { text: 'details for M00000002', slots: { memberNo: 'M00000002' } },
  ],
  rule: {
    keywords: ['详细情况', '详细信息', '详情', '详细', '档案', '画像', '概况', '全貌', '消费情况', 'summary', 'profile', 'details', 'detail', 'overview', '360', /(?:有|打了|带着?|身上有)(?:哪些|什么|啥)标签|标签(?:有哪些|都有啥|是什么|有啥)/, /\bwhat tags\b|\bwhich tags\b/i],
    extract: MEMBER_REF_EXTRACT,
    requires: [MEMBER_REF_SLOTS],
    priority: 3,
  },
  async run(ctx, slots) {
    const result = await summarize(staffAccess(ctx), slots);
    if (result.kind !== 'one') return { text: renderUnresolved(result.search, ctx.lang), data: result.search };
    const m = result.summary.member;
    const card = renderSummary(result.summary, ctx.lang);
    // With an LLM configured: a few written lines on top of the card, with the facts they used.
    const ai = await llmMemberSummary(ctx.services, result.summary, ctx.requestId);
    const text = ai ? `${card}\n\n${t(ctx.lang, 'members.summary.ai')}\n${ai.text}\n${t(ctx.lang, 'members.summary.aiBasis', { count: ai.facts.length })}` : card;
    return { text, data: { ...result.summary, aiSummary: ai }, focus: { memberId: m.id, memberNo: m.memberNo } };
  },
});
