import { formatDate, formatMonthDayTime, formatYuan } from '../../crm/kernel/index.ts';
import { INTERACTION_CHANNEL_LABEL, INTERACTION_TYPE_LABEL, PRIORITY_LABEL, STATUS_LABEL, TYPE_LABEL, type InteractionView, type TicketView } from '../../crm/service/index.ts';
import type { KocStats, MemberLevelStatus } from '../../crm/loyalty/index.ts';

/** Replies of the service intents (tickets, interactions, points, level, KOC): plain text. */

export function ticketLine(t: TicketView, now: Date): string {
  const overdue = (t.status === 'open' || t.status === 'in_progress') && t.resolveDueAt < now ? ' ⚠超时' : '';
  const esc = t.escalationLevel > 0 ? ` ↑${t.escalationLevel}` : '';
  return `· ${t.ticketNo} [${STATUS_LABEL[t.status]}] ${TYPE_LABEL[t.type]}/${PRIORITY_LABEL[t.priority]} ${t.title}${t.assignee ? ` @${t.assignee.name}` : ''}${esc}${overdue}`;
}

export function renderTicket(t: TicketView, now: Date, head = '工单'): string {
  const lines = [
    `${head} ${t.ticketNo}：${TYPE_LABEL[t.type]} · 优先级${PRIORITY_LABEL[t.priority]} · ${STATUS_LABEL[t.status]}`,
    `会员 ${t.memberName}（${t.memberNo}）`,
    `内容 ${t.title}`,
    `处理人 ${t.assignee?.name ?? '未指派'}${t.escalationLevel ? ` · 已升级 ${t.escalationLevel} 级` : ''}`,
  ];
  if (t.status === 'open' || t.status === 'in_progress') lines.push(`${t.firstResponseAt ? '' : `响应时限 ${formatMonthDayTime(t.responseDueAt)} · `}解决时限 ${formatMonthDayTime(t.resolveDueAt)}${t.resolveDueAt < now ? '（已超时）' : ''}`);
  if (t.resolvedAt) lines.push(`解决于 ${formatMonthDayTime(t.resolvedAt)}${t.resolution ? `：${t.resolution}` : ''}`);
  if (t.closedAt) lines.push(`关闭于 ${formatMonthDayTime(t.closedAt)}`);
  if (t.satisfaction) lines.push(`满意度 ${'★'.repeat(t.satisfaction)}${'☆'.repeat(5 - t.satisfaction)}`);
  return lines.join('\n');
}

export function interactionLine(i: InteractionView): string {
  const fu = i.followUpAt && !i.followUpDoneAt ? ` · 待跟进 ${formatDate(i.followUpAt)}` : '';
  return `· ${formatDate(i.createdAt)} ${INTERACTION_CHANNEL_LABEL[i.channel]}${INTERACTION_TYPE_LABEL[i.type]}：${i.content}${i.outcome ? ` → ${i.outcome}` : ''}${i.ticketNo ? `（工单 ${i.ticketNo}）` : ''}${fu}${i.staff ? ` —${i.staff.name}` : ''}`;
}

export function renderLevel(s: MemberLevelStatus): string {
  const b = s.benefits as { discount?: number; perks?: string[] } | null;
  const lines = [
    `${s.name}（${s.memberNo}）：L${s.level} ${s.levelName}${s.expiresAt ? `，有效期至 ${formatDate(s.expiresAt)}` : ''}`,
    `积分 ${s.points.toLocaleString('en-US')} · 成长值 ${s.growthValue.toLocaleString('en-US')}`,
  ];
  if (b && (b.discount !== undefined || b.perks?.length)) lines.push(`权益 ${[b.discount !== undefined && b.discount < 1 ? `${Math.round(b.discount * 100) / 10} 折` : '', ...(b.perks ?? [])].filter(Boolean).join('、') || '无'}`);
  if (s.next) {
    const c = [Number(s.next.minSpend) > 0 ? `12 个月消费满 ${formatYuan(s.next.minSpend)}` : '', s.next.minOrders > 0 ? `${s.next.minOrders} 笔订单` : '', s.next.minPoints > 0 ? `积分 ${s.next.minPoints}` : ''].filter(Boolean);
    lines.push(`下一级 L${s.next.level} ${s.next.name}：${c.join(' 或 ') || '由总部指定'}`);
  }
  if (s.history.length) {
    lines.push('等级变动：');
    for (const h of s.history.slice(0, 3)) lines.push(`· ${formatDate(h.createdAt)} ${h.fromLevel === null ? '' : `L${h.fromLevel}→`}L${h.toLevel}（${h.kind}/${h.source}${h.reason ? `：${h.reason}` : ''}）`);
  }
  return lines.join('\n');
}

export function renderKoc(k: KocStats): string {
  return [`${k.name}（${k.memberNo}）KOC L${k.level} · 推荐码 ${k.referralCode}`, `推荐 ${k.referrals} 人 · 核销 ${k.redemptions} 次 · 收益 ${formatYuan(k.earnings)}`, `加入于 ${formatDate(k.joinedAt)}`].join('\n');
}
