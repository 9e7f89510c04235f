import { z } from 'zod';
import { addTag } from '../crm/engagement/index.ts';
import { renderTagChange } from './render/tags.ts';
import { MEMBER_REF_EXTRACT, MEMBER_REF_SLOTS, withMemberRef } from './slots/member-ref.ts';
import { staffAccess } from './staff.ts';
import { defineIntent } from './types.ts';

/** Put a dictionary tag on one member (manual source, idempotent). */
export const tagAdd = defineIntent({
  name: 'tag.add',
  audience: 'staff',
  description: 'Add an existing tag from the tag dictionary to one member (identified by phone, member number or name).',
  title: '给会员打标签',
  permission: 'tag.write',
  effect: 'write',
  readCounterpart: 'member.summary',
  slots: withMemberRef({ tag: z.string().min(1).max(32).describe('tag name from the tag dictionary') }),
  examples: [
    { text: '给 13800000001 打标签 VIP', slots: { phone: '13800000001', tag: 'VIP' } },
    { text: 'tag 13800000001 as VIP', slots: { phone: '13800000001', tag: 'VIP' } },
    { text: '给张伟加上高价值标签', slots: { name: '张伟', tag: '高价值' } },
    { text: 'M00000001 打上 vip 标签', slots: { memberNo: 'M00000001', tag: 'VIP' } },
    { text: '把 13800000001 标记为 高价值', slots: { phone: '13800000001', tag: '高价值' } },
    { text: 'add tag VIP to Zhang Wei', slots: { name: 'Zhang Wei', tag: 'VIP' } },
  ],
  rule: {
    keywords: ['打标签', '加标签', '贴标签', '添加标签', '标记为', '标记成', '标为', ['加上', '标签'], ['打上', '标签'], ['贴上', '标签'], ['添加', '标签'], ['贴个', '标签'], ['打个', '标签'], ['加个', '标签'], '打上', '贴上', 'tag', 'add tag', 'label',
      // The tag said as a note put on the member's tags ("标签上记一下", "记到标签里"): a tag, not an interaction note.
      /标签(?:上|里)\s*(?:记|写|加|打|贴|备注)|(?:记|写|加|放)(?:到|进)(?:她的|他的|的)?标签/],
    extract: { ...MEMBER_REF_EXTRACT, tag: 'tag' },
    requires: [MEMBER_REF_SLOTS, ['tag']],
    priority: 4,
  },
  async run(ctx, { tag, ...ref }) {
    const result = await addTag(staffAccess(ctx), ref, tag);
    return { text: renderTagChange('add', result, ctx.lang), data: result, outcome: result.kind === 'done' ? 'done' : 'asked', focus: result.kind === 'done' ? { memberId: result.member.id, memberNo: result.member.memberNo } : undefined };
  },
});
