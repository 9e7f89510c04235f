import { z } from 'zod';
import { addDays, formatDate, formatMonthDayTime, startOfChinaDay } from '../crm/kernel/index.ts';
import { listTickets, pendingFollowUps, type InteractionView, type TicketView } from '../crm/service/index.ts';
import { t, type Lang } from '../i18n/index.ts';
import { staffAccess } from './staff.ts';
import { ticketStatusLabel, ticketTypeLabel } from './render/service.ts';
import { defineIntent } from './types.ts';

/** How far ahead a ticket counts as close to its deadline (快超时). */
const TICKET_HORIZON_MS = 24 * 3_600_000;
const SHOWN = 10;

const TICKET_WORDS = /工单|服务单|售后单|超时|逾期|到期|SLA|tickets?/i;
const FOLLOWUP_WORDS = /回访|跟进|联系谁|打给谁|回电话|回个电话|回电|follow[- ]?ups?|call[- ]?backs?|who (?:should|do) i call/i;

/** Which half of the day's work a message asks for: one of them, or both (undefined). */
export function kindFromText(text: string | undefined): 'followups' | 'tickets' | undefined {
  if (!text) return undefined;
  const tickets = TICKET_WORDS.test(text);
  const followups = FOLLOWUP_WORDS.test(text);
  return tickets === followups ? undefined : tickets ? 'tickets' : 'followups';
}

function followupLines(lang: Lang, r: { total: number; interactions: InteractionView[] }, overdue: number, today: Date): string[] {
  if (r.total === 0) return [t(lang, 'workToday.followupsNone')];
  const lines = [t(lang, 'workToday.followupsHead', { total: r.total, overdue: overdue ? t(lang, 'workToday.followupsOverdue', { n: overdue }) : '' })];
  for (const i of r.interactions) {
    const late = Math.ceil((today.getTime() - i.followUpAt!.getTime()) / 86_400_000);
    const when = late > 0 ? t(lang, 'workToday.followupLate', { days: late }) : t(lang, 'workToday.followupToday');
    lines.push(t(lang, 'workToday.followupLine', { member: i.memberName, memberNo: i.memberNo, when, content: i.content, next: i.nextAction ? t(lang, 'workToday.followupNext', { next: i.nextAction }) : '' }));
  }
  if (r.total > r.interactions.length) lines.push(t(lang, 'workToday.more', { n: r.total - r.interactions.length }));
  return lines;
}

function ticketLines(lang: Lang, r: { total: number; tickets: TicketView[] }, overdue: number, now: Date): string[] {
  if (r.total === 0) return [t(lang, 'workToday.ticketsNone')];
  const lines = [t(lang, 'workToday.ticketsHead', { total: r.total, overdue: overdue ? t(lang, 'workToday.ticketsOverdue', { n: overdue }) : '' })];
  for (const x of r.tickets) {
    const lateMs = now.getTime() - x.resolveDueAt.getTime();
    const due = lateMs > 0 ? t(lang, 'workToday.ticketLate', { hours: Math.max(1, Math.floor(lateMs / 3_600_000)) }) : t(lang, 'workToday.ticketDue', { at: formatMonthDayTime(x.resolveDueAt) });
    lines.push(
      t(lang, 'workToday.ticketLine', {
        no: x.ticketNo,
        type: ticketTypeLabel(x.type, lang),
        title: x.title,
        member: x.memberName,
        status: ticketStatusLabel(x.status, lang),
        due,
        assignee: x.assignee ? t(lang, 'workToday.assignee', { name: x.assignee.name }) : '',
      }),
    );
  }
  if (r.total > r.tickets.length) lines.push(t(lang, 'workToday.more', { n: r.total - r.tickets.length }));
  return lines;
}

/**
 * 今天要回访谁 / 哪些工单快超时了 / what's on my list today: follow-ups due today or overdue
 * (an interaction with a follow-up date, not done) and open tickets within 24 hours of their
 * resolve deadline or past it, for the members of the staff member's stores (the service
 * context's own scope). Days are China days.
 */
export const workToday = defineIntent({
  name: 'work.today',
  audience: 'staff',
  description: "Today's work in the staff member's stores: follow-ups due today or overdue, and open tickets due within 24 hours or past their SLA deadline; kind narrows to one of the two.",
  title: '今天的待办（回访、快超时工单）',
  permission: 'member.read',
  effect: 'read',
  // "她有啥单子没处理", "他那边还有没跟进的吗" with a member in focus: that member's tickets, or their interactions (follow-ups).
  aboutOneMember: (s) => ({ followups: 'member.interactions', tickets: 'member.tickets', none: undefined })[s.kind ?? kindFromText(s.text) ?? 'none'],
  slots: z.object({
    kind: z.enum(['followups', 'tickets']).optional().describe('only follow-ups or only tickets; both when omitted'),
    text: z.string().max(500).optional().describe('the whole request (the kind is read from it when not given)'),
  }),
  examples: [
    { text: '今天要回访谁', slots: { kind: 'followups', text: '今天要回访谁' } },
    { text: '哪些工单快超时了', slots: { kind: 'tickets', text: '哪些工单快超时了' } },
    { text: '今天有什么待办', slots: { text: '今天有什么待办' } },
    { text: "what's on my list today", slots: { text: "what's on my list today" } },
    { text: 'overdue tickets', slots: { kind: 'tickets', text: 'overdue tickets' } },
  ],
  rule: {
    keywords: [
      /(?:今天|今日|今儿个?|待|要|该|需要)(?:去|再)?(?:回访|跟进)|(?:给谁|找谁)打?(?:回访|电话)|(?:回访|跟进)(?:谁|哪些|哪几|名单|清单|列表|任务)|待回访|待跟进/,
      /(?:快|要|将要|即将|马上|已经?|已)(?:超时|逾期|到期)|(?:超时|逾期)(?:的)?(?:工单|服务单|售后单)|(?:工单|服务单).{0,4}(?:超时|逾期)|\bSLA\b/i,
      /(?:今天|今日)(?:的|有)?(?:什么)?(?:工作|任务|待办|安排)|(?:我的|今天的?|今日)待办|今天(?:要|该)?(?:做|干)(?:什么|啥|些什么)/,
      /\bwhat'?s on my (?:list|plate|agenda)\b|\bmy (?:to-?dos?|tasks|work|list) (?:for )?today\b|\bwhat do i (?:have|need) to do today\b|\b(?:follow[- ]?ups?|call-?backs?) (?:due|for today|today)\b|\bwho (?:should|do) i (?:call|follow up)\b|\b(?:overdue|late) tickets?\b|\btickets? (?:due|overdue|about to (?:breach|expire))\b|\bdue today\b/i,
      // The day's follow-ups named and nothing else ("followups", "my call-backs", "follow ups today?"): with no member, the list.
      /^\s*(?:(?:my|our|today'?s|pending|open)\s+)?(?:follow[- ]?ups?|call[- ]?backs?)(?:\s+(?:list|today|pls|please))?\s*[?？!！.。]*\s*$/i,
    ],
    extract: { text: 'text' },
    derive: (text) => ({ kind: kindFromText(text) }),
    priority: 6,
  },
  async run(ctx, { kind, text }) {
    const access = staffAccess(ctx);
    const lang = ctx.lang;
    const now = ctx.services.now();
    const today = startOfChinaDay(now);
    const which = kind ?? kindFromText(text);
    const lines = [t(lang, 'workToday.head', { date: formatDate(now) })];
    const data: Record<string, unknown> = {};
    if (which !== 'tickets') {
      const due = await pendingFollowUps(access, { before: addDays(today, 1), overdueBefore: today, limit: SHOWN });
      lines.push(...followupLines(lang, due, due.overdue, today));
      data.followUps = { total: due.total, overdue: due.overdue, interactions: due.interactions };
    }
    if (which !== 'followups') {
      const [due, late] = await Promise.all([listTickets(access, { dueBefore: new Date(now.getTime() + TICKET_HORIZON_MS), order: 'due', limit: SHOWN }), listTickets(access, { overdue: true, limit: 1 })]);
      lines.push(...ticketLines(lang, due, late.total, now));
      data.tickets = { total: due.total, overdue: late.total, tickets: due.tickets };
    }
    return { text: lines.join('\n'), data };
  },
});
