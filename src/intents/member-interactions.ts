import { z } from 'zod';
import { listInteractions } from '../crm/service/index.ts';
import { memberLabel } from './render/member.ts';
import { interactionLine } from './render/service.ts';
import { MEMBER_REF_EXTRACT, MEMBER_REF_SLOTS, withMemberRef } from './slots/member-ref.ts';
import { focusOf, oneMember } from './slots/resolve-one.ts';
import { staffAccess } from './staff.ts';
import { defineIntent } from './types.ts';
import { t } from '../i18n/index.ts';

/** One member's interactions (calls, visits, complaints …), newest first. */
export const memberInteractions = defineIntent({
  name: 'member.interactions',
  audience: 'staff',
  description: "List one member's interactions (consultations, complaints, praise, activities; by call, visit, wechat …), newest first, with follow-ups.",
  title: '会员互动/服务记录',
  permission: 'member.read',
  effect: 'read',
  slots: withMemberRef({ limit: z.number().int().min(1).max(20).optional().describe('how many to show (default 5)') }),
  examples: [
    { text: '13800000001 的互动记录', slots: { phone: '13800000001' } },
    { text: '张伟的投诉记录', slots: { name: '张伟' } },
    { text: 'interactions of M00000001', slots: { memberNo: 'M00000001' } },
    { text: 'M00000005 的服务记录', slots: { memberNo: 'M00000005' } },
  ],
  rule: {
    keywords: [
      '互动记录', '服务记录', '投诉记录', '沟通记录', '联系记录', '跟进记录', '互动', 'interactions', 'interaction history', 'contact history',
      // What was said between us and the member, asked ("跟李娜聊过什么", "what did we talk about with …"): not the profile.
      /(?:聊|说|沟通|谈|交流)(?:过|了)(?:些)?(?:什么|啥|哪些)/,
      /\bwhat (?:did|have) we (?:talk(?:ed)?|chat(?:ted)?|discuss(?:ed)?|go over)\b|\b(?:past|previous|earlier) (?:conversations|talks|chats)\b|\bconversations? with\b|\bwhat did .{1,24} (?:tell|say to) us\b/i,
    ],
    extract: { ...MEMBER_REF_EXTRACT, limit: 'count' },
    requires: [MEMBER_REF_SLOTS],
    priority: 5,
  },
  async run(ctx, { limit, ...ref }) {
    const access = staffAccess(ctx);
    const found = await oneMember(access, ref, 'interaction.list', ctx.lang);
    if ('reply' in found) return found.reply;
    const r = await listInteractions(access, found.member.id, { limit: limit ?? 5 });
    const label = memberLabel(found.member, ctx.lang);
    const more = r.total > r.interactions.length ? t(ctx.lang, 'service.interactions.more', { shown: r.interactions.length }) : '';
    const text = r.total === 0 ? t(ctx.lang, 'service.interactions.none', { label }) : [t(ctx.lang, 'service.interactions.head', { label, count: r.total, more }), ...r.interactions.map((i) => interactionLine(i, ctx.lang))].join('\n');
    return { text, data: r, focus: focusOf(found.member) };
  },
});
