import { findMembers } from '../crm/customers/index.ts';
import { renderLookup } from './render/member.ts';
import { MEMBER_REF_EXTRACT, MEMBER_REF_SLOTS, memberRefSchema } from './slots/member-ref.ts';
import { staffAccess } from './staff.ts';
import { defineIntent } from './types.ts';

/** Find a member by phone, member number or name; several matches give a short list. */
export const memberLookup = defineIntent({
  name: 'member.lookup',
  audience: 'staff',
  description: 'Look up a member by phone number, member number or name: contact, level, points balance and home store; several matches give a short list.',
  title: '查会员（手机号 / 会员号 / 姓名）',
  permission: 'member.read',
  effect: 'read',
  slots: memberRefSchema,
  examples: [
    { text: '查一下 13800000001', slots: { phone: '13800000001' } },
    { text: 'look up 13800000001', slots: { phone: '13800000001' } },
    { text: '查 M00000001', slots: { memberNo: 'M00000001' } },
    { text: '查一下 张伟', slots: { name: '张伟' } },
    { text: '13800000001', slots: { phone: '13800000001' } },
    { text: 'm00000001', slots: { memberNo: 'M00000001' } },
    { text: '查询 138-0000-0001', slots: { phone: '13800000001' } },
    { text: '帮我查下 +86 138 0000 0001', slots: { phone: '13800000001' } },
    { text: '查一下１３８０００００００１', slots: { phone: '13800000001' } },
    { text: '找一下会员李娜', slots: { name: '李娜' } },
    { text: 'find Zhang Wei', slots: { name: 'Zhang Wei' } },
    { text: 'search member M00000002', slots: { memberNo: 'M00000002' } },
  ],
  rule: {
    keywords: ['查一下', '查下', '查查', '查询', '查', '找一下', '找', '搜索', '搜', '有没有叫', 'look up', 'lookup', 'find', 'search', 'who is'],
    extract: MEMBER_REF_EXTRACT,
    requires: [MEMBER_REF_SLOTS],
    bareMemberRef: true,
    priority: 1,
  },
  async run(ctx, slots) {
    const search = await findMembers(staffAccess(ctx), slots);
    const one = search.total === 1 ? search.members[0] : undefined;
    return { text: renderLookup(search, ctx.lang), data: search, focus: one && { memberId: one.id, memberNo: one.memberNo } };
  },
});
