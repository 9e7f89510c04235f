import { z } from 'zod';
import { assignTicket, changeTicketStatus, escalateTicket, getTicket, rateTicket } from '../crm/service/index.ts';
import { parseTicketUpdate, shortTicketRef } from './parse/service-text.ts';
import { renderTicket } from './render/service.ts';
import { staffAccess } from './staff.ts';
import { defineIntent } from './types.ts';
import { t } from '../i18n/index.ts';

/** Moves a ticket along its states, escalates it or records the member's satisfaction. */
export const ticketUpdate = defineIntent({
  name: 'ticket.update',
  audience: 'staff',
  description: 'Update a service ticket by number: set status (in_progress, resolved, closed; open→in_progress→resolved→closed), escalate it, assign it to a staff member, or record satisfaction 1-5.',
  title: '更新工单（处理中/已解决/关闭/升级/指派/满意度）',
  permission: 'ticket.write',
  effect: 'write',
  slots: z.object({
    text: z.string().max(500).optional().describe('the whole message; details missing from the other slots are read from it'),
    ticketNo: z.string().regex(/^T\d{14,}$/i).optional().describe('ticket number such as T20261121000001'),
    status: z.enum(['in_progress', 'resolved', 'closed']).optional(),
    escalate: z.boolean().optional(),
    satisfaction: z.number().int().min(1).max(5).optional(),
    note: z.string().max(1000).optional().describe('resolution note'),
  }),
  examples: [
    { text: '工单 T20261121000001 已解决 更换压缩机', slots: { ticketNo: 'T20261121000001', status: 'resolved', text: '工单 T20261121000001 已解决 更换压缩机' } },
    { text: '把 T20261121000001 改为处理中', slots: { ticketNo: 'T20261121000001', status: 'in_progress', text: '把 T20261121000001 改为处理中' } },
    { text: '升级工单 T20261121000001', slots: { ticketNo: 'T20261121000001', escalate: true, text: '升级工单 T20261121000001' } },
    { text: 'T20261121000001 满意度 5', slots: { ticketNo: 'T20261121000001', satisfaction: 5, text: 'T20261121000001 满意度 5' } },
    { text: 'close ticket T20261121000001', slots: { ticketNo: 'T20261121000001', status: 'closed', text: 'close ticket T20261121000001' } },
    { text: 'T20261121000001 指派给 客服小刘', slots: { ticketNo: 'T20261121000001', text: 'T20261121000001 指派给 客服小刘' } },
  ],
  rule: {
    keywords: [[/(?<![A-Za-z0-9])T\d{14,}(?!\d)/i, /已解决|解决了|处理好了|处理完|已处理|修好了|修完了|已修复|修复了|弄好了|弄完了|搞好了|搞完了|搞定|办好了|处理中|开始处理|受理|接单|关闭|关单|结单|重新打开|重开|升级|上报|满意度|评分|打分|指派给|分配给|转给|交给|assign|resolved?|fixed|done|in progress|start|close[sd]?|reopen|escalate|rating|satisfaction/i]],
    extract: { text: 'text' },
    derive: (text) => {
      const p = parseTicketUpdate(text);
      return { ticketNo: p.ticketNo, status: p.status === 'open' ? undefined : p.status, escalate: p.action === 'escalate' ? true : undefined, satisfaction: p.satisfaction };
    },
    requires: [['text']],
    priority: 6,
  },
  async run(ctx, { text, ticketNo, status, escalate, satisfaction, note }) {
    const access = staffAccess(ctx);
    const p = parseTicketUpdate(text ?? '');
    // A short number ("3号工单解决了") is the ticket's id, the tail of its number; the CRM looks it up in scope.
    const no: string | number | undefined = ticketNo ?? p.ticketNo ?? shortTicketRef(text ?? '');
    if (!no) return { text: t(ctx.lang, 'service.update.needNo') };
    const now = ctx.services.now();
    const rating = satisfaction ?? (p.action === 'rate' ? p.satisfaction : undefined);
    if (rating !== undefined) {
      // A score and a state in one message ("打5分 可以关了"): a score needs the ticket resolved, so a
      // resolution goes first and a close after (resolved → closed is the only way to closed). Closing an open ticket
      // with its score ("已经修好 关掉吧 满意度4分") resolves it first too, walked through in_progress as below.
      const then = status ?? p.status;
      if (then === 'resolved' || then === 'closed') {
        const was = (await getTicket(access, no)).status;
        if (was === 'open') await changeTicketStatus(access, no, 'in_progress');
        if (was !== 'resolved' && was !== 'closed') await changeTicketStatus(access, no, 'resolved', note ?? p.note);
      }
      let ticket = await rateTicket(access, no, rating);
      if (then === 'closed') ticket = await changeTicketStatus(access, no, 'closed');
      return { text: renderTicket(ticket, now, 'rated', ctx.lang), data: ticket, outcome: 'done' };
    }
    if (p.action === 'assign' && p.assignee) {
      // By name or WeCom userid, among active staff; a name shared by two people must be a userid.
      const who = await ctx.services.db.staff.findMany({ where: { active: true, OR: [{ name: p.assignee }, { wecomUserId: p.assignee }] }, select: { id: true, name: true, wecomUserId: true }, take: 3 });
      if (who.length !== 1) return { text: who.length ? t(ctx.lang, 'service.update.staffAmbiguous', { name: p.assignee, ids: who.map((w) => w.wecomUserId).join(ctx.lang === 'zh' ? '、' : ', ') }) : t(ctx.lang, 'service.update.staffNotFound', { name: p.assignee }) };
      const ticket = await assignTicket(access, no, who[0]!.id);
      return { text: renderTicket(ticket, now, 'assigned', ctx.lang), data: ticket, outcome: 'done' };
    }
    if (escalate ?? p.action === 'escalate') {
      const ticket = await escalateTicket(access, no);
      return { text: renderTicket(ticket, now, 'escalated', ctx.lang), data: ticket, outcome: 'done' };
    }
    const to = status ?? p.status;
    if (!to) return { text: t(ctx.lang, 'service.update.whichStatus', { no }) };
    // "T… 已解决" on a ticket nobody has taken yet: in chat that reply is the first response too,
    // so walk it through in_progress (both steps stamped and audited) rather than refuse.
    if (to === 'resolved' && (await getTicket(access, no)).status === 'open') await changeTicketStatus(access, no, 'in_progress');
    const ticket = await changeTicketStatus(access, no, to, note ?? p.note);
    return { text: renderTicket(ticket, now, 'updated', ctx.lang), data: ticket, outcome: 'done' };
  },
});
