import { memberLevelStatus } from '../crm/loyalty/index.ts';
import { renderLevel } from './render/service.ts';
import { MEMBER_REF_EXTRACT, MEMBER_REF_SLOTS, memberRefSchema } from './slots/member-ref.ts';
import { focusOf, oneMember } from './slots/resolve-one.ts';
import { staffAccess } from './staff.ts';
import { defineIntent } from './types.ts';

/** A member's level: name, validity, benefits, what the next level needs, recent changes. */
export const memberLevel = defineIntent({
  name: 'member.level',
  audience: 'staff',
  description: "Show one member's membership level: level name, validity, benefits, the next level's conditions and recent level changes.",
  title: '会员等级与权益',
  permission: 'member.read',
  effect: 'read',
  slots: memberRefSchema,
  examples: [
    { text: '13800000001 是什么等级', slots: { phone: '13800000001' } },
    { text: '张伟的会员等级', slots: { name: '张伟' } },
    { text: 'membership level of M00000001', slots: { memberNo: 'M00000001' } },
    { text: 'M00000004 的等级和权益', slots: { memberNo: 'M00000004' } },
  ],
  rule: {
    keywords: ['会员等级', '等级', '级别', '几级', '权益', 'membership level', 'level', 'tier'],
    extract: MEMBER_REF_EXTRACT,
    requires: [MEMBER_REF_SLOTS],
    priority: 4,
  },
  async run(ctx, ref) {
    const access = staffAccess(ctx);
    const found = await oneMember(access, ref, 'member.level', ctx.lang);
    if ('reply' in found) return found.reply;
    const s = await memberLevelStatus(access, found.member.id);
    return { text: renderLevel(s, ctx.lang), data: s, focus: focusOf(found.member) };
  },
});
