import { maskPhone, queueOutbound, type SelfAccess } from '../kernel/index.ts';
import { ticketManagers } from './tickets/assignment-effects.ts';
import { openOrJoinMemberTicket } from './tickets/index.ts';
import type { TicketView } from './tickets/types.ts';

/**
 * A member's repeated hand-offs within this window join their open hand-off ticket of the same
 * kind (consultation or complaint) instead of opening another, and staff are alerted once per
 * ticket (docs/intents.md, flood control).
 */
export const HANDOFF_JOIN_WINDOW_MS = 30 * 60_000;

export interface Handoff {
  ticket: TicketView;
  /** True when the request joined the member's open ticket: staff were alerted when it opened. */
  joined: boolean;
  /** WeCom userids of the staff alerted (the store's managers, else HQ operators; and the assignee). */
  alerted: string[];
}

/**
 * A member asks for a person or complains: opens a ticket for themself (a complaint is high
 * priority, anything else a consultation) and alerts the member's store staff in WeCom through
 * the outbound queue, and whoever the ticket was auto-assigned to (a complaint always is, when
 * anyone can take it). Members without a home store are HQ's: HQ operators are alerted. A repeat
 * within HANDOFF_JOIN_WINDOW_MS joins the open ticket and alerts nobody.
 */
export async function handOff(access: SelfAccess, message: string, complaint: boolean, conversation: string[] = []): Promise<Handoff> {
  const { services, actor } = access;
  const text = message.trim().slice(0, 2000);
  const description = withConversation(text, conversation);
  const { ticket, joined } = await openOrJoinMemberTicket(access, {
    memberId: actor.memberId,
    type: complaint ? 'complaint' : 'consultation',
    priority: complaint ? 'high' : 'normal',
    title: complaint ? '会员投诉（机器人转人工）' : '会员请求人工服务',
    description: description || undefined,
  }, HANDOFF_JOIN_WINDOW_MS);
  if (joined) return { ticket, joined, alerted: [] };
  // The managers always hear of it; the one it was assigned to (auto-assignment) too.
  const staff = [...new Set([...(await ticketManagers(services, ticket.storeId)), ...(ticket.assignee ? [ticket.assignee.wecomUserId] : [])])];
  const alert = [
    `【${complaint ? '会员投诉' : '会员转人工'}】工单 ${ticket.ticketNo}`,
    `会员 ${actor.name}（${ticket.memberNo}）${maskPhone(actor.phone)}`,
    text ? `留言：${text.slice(0, 200)}` : '',
    `请尽快联系会员；回复「查一下 ${ticket.memberNo}」查看档案。`,
  ]
    .filter(Boolean)
    .join('\n');
  for (const to of staff) {
    await queueOutbound(services, 'handoff-alert', { channel: 'wecom', to, text: alert, requestId: access.requestId }, { jobId: `handoff-${ticket.id}-${to}` });
  }
  return { ticket, joined, alerted: staff };
}

/** Most of a ticket description (2000 characters) the carried conversation may take. */
const CONVERSATION_HEADER = '—— 最近对话 ——';

/**
 * The member's words, then the conversation so far (a channel's last messages, oldest first), so
 * the person who takes the ticket need not ask again. The oldest lines go first when it is too long.
 */
function withConversation(text: string, conversation: string[]): string {
  if (conversation.length === 0) return text;
  const head = text ? `${text.slice(0, 600)}\n` : '';
  const lines = conversation.map((l) => l.replace(/\s+/g, ' ').slice(0, 300));
  while (lines.length > 0 && head.length + CONVERSATION_HEADER.length + 1 + lines.join('\n').length > 2000) lines.shift();
  return lines.length > 0 ? `${head}${CONVERSATION_HEADER}\n${lines.join('\n')}` : text;
}
