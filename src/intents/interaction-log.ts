import { z } from 'zod';
import { logInteraction } from '../crm/service/index.ts';
import { t } from '../i18n/index.ts';
import { interactionKind, priorityLabel } from './render/service.ts';
import { parseInteraction } from './parse/service-text.ts';
import { memberLabel } from './render/member.ts';
import { MEMBER_REF_EXTRACT, MEMBER_REF_SLOTS, withMemberRef } from './slots/member-ref.ts';
import { focusOf, oneMember } from './slots/resolve-one.ts';
import { staffAccess } from './staff.ts';
import { defineIntent } from './types.ts';

/** Logs a call, visit, chat … with one member; a complaint also opens a complaint ticket. */
export const interactionLog = defineIntent({
  name: 'interaction.log',
  audience: 'staff',
  description: 'Log an interaction with one member (consultation, complaint, praise, activity, KOC promotion; by call, visit, wechat, online or in store). A complaint also opens a complaint ticket.',
  title: '记录互动（投诉自动建工单）',
  permission: 'interaction.write',
  effect: 'write',
  readCounterpart: 'member.interactions',
  // What was said, never the fallback to the whole message: "给王芳记一条" says nothing, so the gate asks for it. A follow-up
  // planned is said too ("给她记个电话回访 7天后再跟": a call made, to be followed up in 7 days — no content asked for).
  freeText: ({ text, content, phone, memberNo, name }) => {
    if (content !== undefined) return content;
    const p = parseInteraction(text ?? '', [phone, memberNo, name]);
    return [p.said, p.followUpSaid ?? ''].join(' ').trim();
  },
  slots: withMemberRef({
    text: z.string().max(500).optional().describe('the whole message; details missing from the other slots are read from it'),
    type: z.enum(['consultation', 'complaint', 'praise', 'activity', 'koc_promotion']).optional(),
    channel: z.enum(['call', 'visit', 'wechat', 'online', 'store']).optional(),
    content: z.string().min(1).max(2000).optional().describe('what the member said or what happened'),
    followUpDays: z.number().int().min(0).max(365).optional().describe('follow up in N days'),
  }),
  examples: [
    { text: '记录 13800000001 来电投诉上菜慢', slots: { type: 'complaint', channel: 'call', phone: '13800000001', text: '记录 13800000001 来电投诉上菜慢' } },
    { text: '记录 张伟 到店表扬服务员小王', slots: { type: 'praise', channel: 'store', name: '张伟', text: '记录 张伟 到店表扬服务员小王' } },
    { text: '记录 M00000001 微信咨询包间预订 3天后回访', slots: { type: 'consultation', channel: 'wechat', followUpDays: 3, memberNo: 'M00000001', text: '记录 M00000001 微信咨询包间预订 3天后回访' } },
    { text: '帮我记一下 13800000004 来电咨询包间', slots: { type: 'consultation', channel: 'call', phone: '13800000004', text: '帮我记一下 13800000004 来电咨询包间' } },
    { text: 'log a call from 13800000001: complained that the dishes came late', slots: { type: 'complaint', channel: 'call', phone: '13800000001', text: 'log a call from 13800000001: complained that the dishes came late' } },
    { text: 'record M00000005 joined the tasting activity', slots: { type: 'activity', memberNo: 'M00000005', text: 'record M00000005 joined the tasting activity' } },
  ],
  rule: {
    keywords: [/^\s*(?:记录|登记|记一下)/, /(?:帮我|麻烦|请|给)?(?:记一下|记下来|记一笔|登记一下|登记)(?!过|的|了哪|了什么|了多少)/, /^\s*(?:log|record)\b/i, ['记录', /来电|投诉|表扬|咨询|回访|参加/]],
    extract: { ...MEMBER_REF_EXTRACT, text: 'text' },
    // Only what the message states: the parser's defaults (consultation, in store) stay run()'s.
    derive: (text, { phone, memberNo, name }) => parseInteraction(text, [phone, memberNo, name]).stated,
    requires: [MEMBER_REF_SLOTS],
    priority: 4,
  },
  async run(ctx, { text, type, channel, content, followUpDays, ...ref }) {
    const access = staffAccess(ctx);
    const found = await oneMember(access, ref, 'interaction.log', ctx.lang);
    if ('reply' in found) return found.reply;
    const parsed = parseInteraction(text ?? '', [ref.phone, ref.memberNo, ref.name]);
    const days = followUpDays ?? parsed.followUpDays;
    const r = await logInteraction(access, {
      memberId: found.member.id,
      type: type ?? parsed.type,
      channel: channel ?? parsed.channel,
      content: content ?? parsed.content,
      ...(days !== undefined ? { followUpAt: new Date(ctx.services.now().getTime() + days * 86_400_000) } : {}),
    });
    const i = r.interaction;
    const lang = ctx.lang;
    const lines = [t(lang, 'service.log.done', { label: memberLabel(found.member, lang), kind: interactionKind(i.channel, i.type, lang), content: i.content })];
    if (i.followUpAt) lines.push(t(lang, 'service.log.followUp', { date: i.followUpAt.toISOString().slice(0, 10) }));
    if (r.ticket) {
      const params = { ticketNo: r.ticket.ticketNo, priority: priorityLabel(r.ticket.priority, lang), assignee: r.ticket.assignee?.name ?? t(lang, 'service.ticket.unassigned') };
      lines.push(t(lang, r.ticket.type === 'complaint' ? 'service.log.complaintTicket' : 'service.log.ticket', params));
    }
    return { text: lines.join('\n'), data: r, focus: focusOf(found.member), outcome: 'done' };
  },
});
