import { z } from 'zod';
import { removeTag } from '../crm/engagement/index.ts';
import { renderTagChange } from './render/tags.ts';
import { MEMBER_REF_EXTRACT, MEMBER_REF_SLOTS, withMemberRef } from './slots/member-ref.ts';
import { staffAccess } from './staff.ts';
import { defineIntent } from './types.ts';

/** Take a tag off one member (idempotent). */
export const tagRemove = defineIntent({
  name: 'tag.remove',
  audience: 'staff',
  description: 'Remove a tag from one member (identified by phone, member number or name).',
  title: '去掉会员标签',
  permission: 'tag.write',
  effect: 'write',
  readCounterpart: 'member.summary',
  slots: withMemberRef({ tag: z.string().min(1).max(32).describe('tag name to remove') }),
  examples: [
    { text: '去掉 13800000001 的 VIP 标签', slots: { phone: '13800000001', tag: 'VIP' } },
    { text: 'remove tag VIP from 13800000001', slots: { phone: '13800000001', tag: 'VIP' } },
    { text: '删除张伟的高价值标签', slots: { name: '张伟', tag: '高价值' } },
    { text: 'untag M00000001 VIP', slots: { memberNo: 'M00000001', tag: 'VIP' } },
    { text: '把 13800000001 的标签 VIP 取消掉', slots: { phone: '13800000001', tag: 'VIP' } },
  ],
  rule: {
    keywords: [['去掉', '标签'], ['删除', '标签'], ['删掉', '标签'], ['移除', '标签'], ['取消', '标签'], ['摘掉', '标签'], ['去除', '标签'], ['删了', '标签'], ['删去', '标签'], ['拿掉', '标签'], ['撤', '标签'], ['摘', '标签'], ['下掉', '标签'], 'untag', ['remove', /\btags?\b/], ['delete', /\btags?\b/]],
    extract: { ...MEMBER_REF_EXTRACT, tag: 'tag' },
    requires: [MEMBER_REF_SLOTS, ['tag']],
    priority: 5,
  },
  async run(ctx, { tag, ...ref }) {
    const result = await removeTag(staffAccess(ctx), ref, tag);
    return { text: renderTagChange('remove', result, ctx.lang), data: result, outcome: result.kind === 'done' ? 'done' : 'asked', focus: result.kind === 'done' ? { memberId: result.member.id, memberNo: result.member.memberNo } : undefined };
  },
});
