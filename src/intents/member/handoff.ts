import { z } from 'zod';
import { handOff } from '../../crm/service/index.ts';
import { defineIntent } from '../types.ts';
import { t } from '../../i18n/index.ts';
import { selfAccess } from './self.ts';
import { channelHandoffOf } from '../../bot/handoff-port.ts';

/** Words of a complaint: the hand-off opens a complaint ticket (and the gate lets a complaint through). */
export const COMPLAINT = /投诉|不满|差评|太差|态度.{0,4}(差|不好)|生气|垃圾|坑人|退款|complain|complaint|terrible|awful|refund/i;

/** "转人工", a complaint: a ticket for the member and an alert to their store's staff in WeCom. */
export const handoff = defineIntent({
  name: 'handoff',
  audience: 'member',
  description: 'Hand the member over to a person: opens a service ticket (a complaint when they complain) and alerts their store staff.',
  title: '转人工 / 投诉',
  permission: null,
  effect: 'write',
  memberRateLimited: true,
  slots: z.object({
    message: z.string().max(2000).optional().describe("the member's words, for the staff who will call back"),
  }),
  examples: [
    { text: '转人工', slots: {} },
    { text: 'talk to a human', slots: {} },
    { text: '我要投诉，服务态度太差了', slots: {} },
  ],
  rule: {
    keywords: ['转人工', '人工客服', '人工服务', '人工', '找客服', '客服', '真人', '找店长', '店长', '经理', '投诉', '差评', '不满意', '态度太差', '退款', 'human', 'real person', 'talk to someone', 'speak to someone', 'agent', 'complaint', 'complain', 'refund'],
    priority: 5,
  },
  async run(ctx, slots) {
    const access = selfAccess(ctx);
    // The member's words go to the staff (never to routing): from the slot when the LLM gave one, else the turn's text.
    const message = slots.message ?? ctx.text ?? '';
    // A channel that keeps the conversation (微信客服) carries it into the ticket and hands its own session to a person.
    const port = channelHandoffOf(ctx.services, ctx.channel);
    const r = await handOff(access, message, COMPLAINT.test(message), port ? await port.transcript(access.actor) : []);
    if (port) await port.transfer(access.actor, r.ticket.ticketNo);
    if (r.joined) {
      return {
        text: t(ctx.lang, 'member-self.handoffJoined', { ticketNo: r.ticket.ticketNo }),
        data: { ticketNo: r.ticket.ticketNo, alerted: 0, joined: true },
        // Asked again while their ticket is open: the request is met (it is with staff), as 退订 said twice
        // is (unsubscribe.ts) — done, though nothing new was written and nobody alerted twice.
        outcome: 'done',
      };
    }
    return {
      text: t(ctx.lang, 'member-self.handoff', { ticketNo: r.ticket.ticketNo, sorry: r.ticket.type === 'complaint' ? t(ctx.lang, 'member-self.sorry') : '' }),
      data: { ticketNo: r.ticket.ticketNo, alerted: r.alerted.length },
      outcome: 'done',
    };
  },
});
