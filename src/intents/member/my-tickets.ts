import { z } from 'zod';
import { formatDate } from '../../crm/kernel/index.ts';
import { listTickets } from '../../crm/service/index.ts';
import { t } from '../../i18n/index.ts';
import { ticketStatusLabel, ticketTypeLabel } from '../render/service.ts';
import { defineIntent } from '../types.ts';
import { selfAccess } from './self.ts';

const SHOWN = 5;

/**
 * 我的投诉处理得怎么样了 / 报修进度: the member's own service tickets, newest first, with their
 * status (and the outcome once resolved). Reads only; asking about a ticket never opens one.
 */
export const myTickets = defineIntent({
  name: 'my.tickets',
  audience: 'member',
  description: "List the member's own service tickets (complaints, repairs, after-sales) with their status and outcome; never opens a ticket.",
  title: '我的工单进度',
  permission: null,
  effect: 'read',
  slots: z.object({}),
  examples: [
    { text: '我的投诉处理得怎么样了', slots: {} },
    { text: '报修进度', slots: {} },
    { text: '我的工单', slots: {} },
    { text: 'status of my complaint', slots: {} },
    { text: 'my tickets', slots: {} },
  ],
  rule: {
    keywords: [
      /我的(?:工单|投诉|报修|售后|维修|服务单|售后单)/,
      [/投诉|报修|维修|售后|工单|服务单|反馈的问题|问题/, /进度|进展|处理得?(?:怎么样|如何|咋样)|处理(?:好)?了(?:吗|没)|处理到哪|处理结果|有(?:结果|回复|消息)了?(?:吗|没)|结果(?:怎么样|如何)|什么时候(?:能)?(?:处理|修好|解决)|解决了?(?:吗|没)|修好了?(?:吗|没)|状态|到哪(?:一)?步|处理咗未/],
      /\bmy (?:tickets?|complaints?|repair requests?|requests?)\b|\b(?:ticket|complaint|repair|request) (?:status|progress)\b|\bstatus of my\b|\b(?:any )?(?:update|news) on my\b|\b(?:complaint|ticket|repair)\b[^.?!]{0,20}\b(?:anywhere|updates?|status|progress|resolved|fixed|handled|sorted|looked at)\b/i,
    ],
    // Above handoff (5): asking how a complaint is going is not a new complaint.
    priority: 6,
  },
  async run(ctx) {
    const lang = ctx.lang;
    const r = await listTickets(selfAccess(ctx), { limit: SHOWN });
    if (r.total === 0) return { text: t(lang, 'myTickets.none'), data: r };
    const lines = [t(lang, 'myTickets.head', { total: r.total, shown: r.total > r.tickets.length ? t(lang, 'myTickets.shown', { n: r.tickets.length }) : '' })];
    for (const x of r.tickets) {
      const open = x.status === 'open' || x.status === 'in_progress';
      const extra = open ? t(lang, 'myTickets.working') : x.resolution ? t(lang, 'myTickets.resolution', { resolution: x.resolution }) : '';
      lines.push(t(lang, 'myTickets.line', { no: x.ticketNo, type: ticketTypeLabel(x.type, lang), title: x.title, status: ticketStatusLabel(x.status, lang), date: formatDate(x.createdAt), extra }));
    }
    // The member's own records only (listTickets scopes a member to their tickets); no staff names.
    return { text: lines.join('\n'), data: { total: r.total, tickets: r.tickets.map((x) => ({ ticketNo: x.ticketNo, type: x.type, status: x.status, title: x.title, createdAt: x.createdAt, resolvedAt: x.resolvedAt })) } };
  },
});
