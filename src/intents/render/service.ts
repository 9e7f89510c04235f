import { formatDate, formatMonthDayTime, formatYuan } from '../../crm/kernel/index.ts';
import type { InteractionChannel, InteractionType, InteractionView, TicketPriority, TicketStatus, TicketType, TicketView } from '../../crm/service/index.ts';
import type { KocStats, MemberLevelStatus } from '../../crm/loyalty/index.ts';
import { t, type Lang } from '../../i18n/index.ts';
import { memberLabel } from './member.ts';

/** Replies of the service intents (tickets, interactions, points, level, KOC): plain text in the asker's language. */

export const ticketStatusLabel = (s: TicketStatus | string, lang: Lang) => (s in STATUSES ? t(lang, `service.status.${s as TicketStatus}`) : s);
export const ticketTypeLabel = (s: TicketType, lang: Lang) => t(lang, `service.type.${s}`);
export const priorityLabel = (s: TicketPriority, lang: Lang) => t(lang, `service.priority.${s}`);
/** "电话投诉" / "complaint (call)". */
export const interactionKind = (channel: InteractionChannel, type: InteractionType, lang: Lang) => t(lang, 'service.interaction.kind', { channel: t(lang, `service.channel.${channel}`), type: t(lang, `service.itype.${type}`) });
const STATUSES = { open: 1, in_progress: 1, resolved: 1, closed: 1 } as const;

/** What renderTicket's first line says happened. */
export type TicketHead = 'ticket' | 'created' | 'rated' | 'assigned' | 'escalated' | 'updated';

export function ticketLine(x: TicketView, now: Date, lang: Lang = 'zh'): string {
  const overdue = (x.status === 'open' || x.status === 'in_progress') && x.resolveDueAt < now ? t(lang, 'service.ticket.overdue') : '';
  return t(lang, 'service.ticket.line', {
    ticketNo: x.ticketNo,
    status: ticketStatusLabel(x.status, lang),
    type: ticketTypeLabel(x.type, lang),
    priority: priorityLabel(x.priority, lang),
    title: x.title,
    assignee: x.assignee ? ` @${x.assignee.name}` : '',
    escalated: x.escalationLevel > 0 ? ` ↑${x.escalationLevel}` : '',
    overdue,
  });
}

export function renderTicket(x: TicketView, now: Date, head: TicketHead = 'ticket', lang: Lang = 'zh'): string {
  const lines = [
    t(lang, 'service.ticket.head', { head: t(lang, `service.head.${head}`), ticketNo: x.ticketNo, type: ticketTypeLabel(x.type, lang), priority: priorityLabel(x.priority, lang), status: ticketStatusLabel(x.status, lang) }),
    t(lang, 'service.ticket.member', { name: x.memberName, memberNo: x.memberNo }),
    t(lang, 'service.ticket.subject', { title: x.title }),
    t(lang, 'service.ticket.assignee', { name: x.assignee?.name ?? t(lang, 'service.ticket.unassigned'), escalated: x.escalationLevel ? t(lang, 'service.ticket.escalatedTo', { level: x.escalationLevel }) : '' }),
  ];
  if (x.status === 'open' || x.status === 'in_progress') {
    const late = x.resolveDueAt < now ? t(lang, 'service.ticket.late') : '';
    const resolve = formatMonthDayTime(x.resolveDueAt);
    lines.push(x.firstResponseAt ? t(lang, 'service.ticket.dueResolve', { resolve, late }) : t(lang, 'service.ticket.dueBoth', { respond: formatMonthDayTime(x.responseDueAt), resolve, late }));
  }
  if (x.resolvedAt) lines.push(x.resolution ? t(lang, 'service.ticket.resolvedWith', { at: formatMonthDayTime(x.resolvedAt), resolution: x.resolution }) : t(lang, 'service.ticket.resolved', { at: formatMonthDayTime(x.resolvedAt) }));
  if (x.closedAt) lines.push(t(lang, 'service.ticket.closed', { at: formatMonthDayTime(x.closedAt) }));
  if (x.satisfaction) lines.push(t(lang, 'service.ticket.satisfaction', { stars: `${'★'.repeat(x.satisfaction)}${'☆'.repeat(5 - x.satisfaction)}` }));
  return lines.join('\n');
}

export function interactionLine(i: InteractionView, lang: Lang = 'zh'): string {
  return t(lang, 'service.interaction.line', {
    date: formatDate(i.createdAt),
    kind: interactionKind(i.channel, i.type, lang),
    content: i.content,
    outcome: i.outcome ? ` → ${i.outcome}` : '',
    ticket: i.ticketNo ? t(lang, 'service.interaction.ticket', { ticketNo: i.ticketNo }) : '',
    followUp: i.followUpAt && !i.followUpDoneAt ? t(lang, 'service.interaction.followUp', { date: formatDate(i.followUpAt) }) : '',
    staff: i.staff ? ` —${i.staff.name}` : '',
  });
}

export function renderLevel(s: MemberLevelStatus, lang: Lang = 'zh'): string {
  const b = s.benefits as { discount?: number; perks?: string[] } | null;
  const lines = [
    t(lang, 'members.level.head', { label: memberLabel(s, lang), level: s.level, levelName: s.levelName, expires: s.expiresAt ? t(lang, 'members.level.expires', { date: formatDate(s.expiresAt) }) : '' }),
    t(lang, 'members.level.figures', { points: s.points.toLocaleString('en-US'), growth: s.growthValue.toLocaleString('en-US') }),
  ];
  if (b && (b.discount !== undefined || b.perks?.length)) {
    // 0.85 is "8.5 折" in Chinese and "15% off" in English.
    const discount = b.discount !== undefined && b.discount < 1 ? t(lang, 'members.level.discount', { value: lang === 'zh' ? Math.round(b.discount * 100) / 10 : Math.round((1 - b.discount) * 100) }) : '';
    lines.push(t(lang, 'members.level.benefits', { list: [discount, ...(b.perks ?? [])].filter(Boolean).join(lang === 'zh' ? '、' : ', ') || t(lang, 'members.level.none') }));
  }
  if (s.next) {
    const c = [
      Number(s.next.minSpend) > 0 ? t(lang, 'members.level.spend', { amount: formatYuan(s.next.minSpend) }) : '',
      s.next.minOrders > 0 ? t(lang, 'members.level.orders', { count: s.next.minOrders }) : '',
      s.next.minPoints > 0 ? t(lang, 'members.level.points', { count: s.next.minPoints }) : '',
    ].filter(Boolean);
    lines.push(t(lang, 'members.level.next', { level: s.next.level, name: s.next.name, conditions: c.join(t(lang, 'members.level.or')) || t(lang, 'members.level.byHq') }));
  }
  if (s.history.length) {
    lines.push(t(lang, 'members.level.history'));
    for (const h of s.history.slice(0, 3)) {
      lines.push(t(lang, 'members.level.change', { date: formatDate(h.createdAt), from: h.fromLevel === null ? '' : `L${h.fromLevel}→`, to: h.toLevel, kind: h.kind, source: h.source, reason: h.reason ? t(lang, 'members.level.reason', { reason: h.reason }) : '' }));
    }
  }
  return lines.join('\n');
}

export function renderKoc(k: KocStats, lang: Lang = 'zh'): string {
  return [
    t(lang, 'koc.head', { label: memberLabel(k, lang), level: k.level, code: k.referralCode }),
    t(lang, 'koc.figures', { referrals: k.referrals, redemptions: k.redemptions, earnings: formatYuan(k.earnings) }),
    t(lang, 'koc.joined', { date: formatDate(k.joinedAt) }),
  ].join('\n');
}
