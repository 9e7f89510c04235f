import { z } from 'zod';
import { listTickets } from '../crm/service/index.ts';
import { memberLabel } from './render/member.ts';
import { ticketLine } from './render/service.ts';
import { MEMBER_REF_EXTRACT, MEMBER_REF_SLOTS, withMemberRef } from './slots/member-ref.ts';
import { focusOf, oneMember } from './slots/resolve-one.ts';
import { staffAccess } from './staff.ts';
import { defineIntent } from './types.ts';
import { t } from '../i18n/index.ts';

/** One member's service tickets, newest first. */
export const memberTickets = defineIntent({
  name: 'member.tickets',
  audience: 'staff',
  description: "List one member's service tickets (newest first) with status, type, priority, assignee and overdue flags.",
  title: '会员工单',
  permission: 'member.read',
  effect: 'read',
  slots: withMemberRef({ limit: z.number().int().min(1).max(20).optional().describe('how many tickets to show (default 5)') }),
  examples: [
    { text: '13800000001 的工单', slots: { phone: '13800000001' } },
    { text: '看看张伟的工单', slots: { name: '张伟' } },
    { text: 'tickets of M00000001', slots: { memberNo: 'M00000001' } },
  ],
  rule: {
    // A 单 of a service kind ("投诉的单子", "退款那张单", "售后单") is a ticket, not an order (member.orders' 单子).
    keywords: ['工单', '服务单', 'tickets', 'ticket', /(?:投诉|退款|退换|退货|售后|维修|报修|赔偿)(?:的|那个|那张|的那个|的那张)?单(?:子)?(?![价均])/],
    extract: { ...MEMBER_REF_EXTRACT, limit: 'count' },
    requires: [MEMBER_REF_SLOTS],
    priority: 4,
  },
  async run(ctx, { limit, ...ref }) {
    const access = staffAccess(ctx);
    const found = await oneMember(access, ref, 'ticket.list', ctx.lang);
    if ('reply' in found) return found.reply;
    const r = await listTickets(access, { memberId: found.member.id, limit: limit ?? 5 });
    const now = ctx.services.now();
    const label = memberLabel(found.member, ctx.lang);
    const more = r.total > r.tickets.length ? t(ctx.lang, 'service.tickets.more', { shown: r.tickets.length }) : '';
    const text = r.total === 0 ? t(ctx.lang, 'service.tickets.none', { label }) : [t(ctx.lang, 'service.tickets.head', { label, count: r.total, more }), ...r.tickets.map((x) => ticketLine(x, now, ctx.lang))].join('\n');
    return { text, data: r, focus: focusOf(found.member) };
  },
});
