import { z } from 'zod';
import { createTicket } from '../crm/service/index.ts';
import { parseTicket } from './parse/service-text.ts';
import { renderTicket } from './render/service.ts';
import { MEMBER_REF_EXTRACT, MEMBER_REF_SLOTS, withMemberRef } from './slots/member-ref.ts';
import { focusOf, oneMember } from './slots/resolve-one.ts';
import { staffAccess } from './staff.ts';
import { defineIntent } from './types.ts';

/** Opens a service ticket for one member (repair, complaint, consultation, after-sales). */
export const ticketCreate = defineIntent({
  name: 'ticket.create',
  audience: 'staff',
  description: 'Open a service ticket for one member: type repair, complaint, consultation or after_sales, priority low/normal/high/urgent, with a title.',
  title: '新建服务工单',
  permission: 'ticket.write',
  effect: 'write',
  readCounterpart: 'member.tickets',
  freeText: ({ text, title, phone, memberNo, name }) => title ?? parseTicket(text ?? '', [phone, memberNo, name]).title,
  slots: withMemberRef({
    text: z.string().max(500).optional().describe('the whole message; details missing from the other slots are read from it'),
    type: z.enum(['repair', 'complaint', 'consultation', 'after_sales']).optional(),
    priority: z.enum(['low', 'normal', 'high', 'urgent']).optional(),
    title: z.string().min(1).max(128).optional().describe('what the ticket is about'),
  }),
  examples: [
    { text: '给 13800000001 建工单 包间空调坏了 紧急', slots: { type: 'repair', priority: 'urgent', phone: '13800000001', text: '给 13800000001 建工单 包间空调坏了 紧急' } },
    { text: '帮张伟开工单 会员卡无法使用', slots: { name: '张伟', text: '帮张伟开工单 会员卡无法使用', type: 'repair' } },
    { text: '为 M00000002 提交工单 外卖少送一份 售后', slots: { type: 'after_sales', memberNo: 'M00000002', text: '为 M00000002 提交工单 外卖少送一份 售后' } },
    { text: '给 13800000004 起个售后单 外卖少送一份', slots: { type: 'after_sales', phone: '13800000004', text: '给 13800000004 起个售后单 外卖少送一份' } },
    { text: '13800000001 报修 包间空调不制冷', slots: { type: 'repair', phone: '13800000001', text: '13800000001 报修 包间空调不制冷' } },
    { text: 'open a ticket for 13800000001: refund for a cold dish, high priority', slots: { type: 'after_sales', priority: 'high', phone: '13800000001', text: 'open a ticket for 13800000001: refund for a cold dish, high priority' } },
  ],
  rule: {
    // The ticket's kind may stand between the verb and the noun ("开个投诉工单", "新建咨询工单",
    // "create a complaint ticket"): still opening one, never reading the member's tickets.
    keywords: [
      /(?:新建|创建|开|建|提交|提|起)(?:一个|一张|个|张)?(?:投诉|咨询|维修|报修|售后|退款|退换|质量|服务|紧急|加急)?(?:工单|服务单|售后单|维修单|报修单|投诉单)/,
      /开单|起单|建单|(?:开|起|建)(?:一个|一张|个|张)单/,
      '报修',
      /\b(?:create|open|new|file|raise)\s+(?:an?\s+)?(?:new\s+)?(?:(?:complaint|repair|consultation|service|support|after-?sales|refund|maintenance|urgent|high[- ]priority)\s+)?ticket\b/i,
    ],
    extract: { ...MEMBER_REF_EXTRACT, text: 'text' },
    derive: (text, { phone, memberNo, name }) => parseTicket(text, [phone, memberNo, name]).stated,
    requires: [MEMBER_REF_SLOTS],
    priority: 5,
  },
  async run(ctx, { text, type, priority, title, ...ref }) {
    const access = staffAccess(ctx);
    const found = await oneMember(access, ref, 'ticket.create', ctx.lang);
    if ('reply' in found) return found.reply;
    const parsed = parseTicket(text ?? '', [ref.phone, ref.memberNo, ref.name]);
    const ticket = await createTicket(access, { memberId: found.member.id, type: type ?? parsed.type, priority: priority ?? parsed.priority, title: title ?? parsed.title, assigneeId: access.actor.staffId });
    return { text: renderTicket(ticket, ctx.services.now(), 'created', ctx.lang), data: ticket, focus: focusOf(found.member), outcome: 'done' };
  },
});
