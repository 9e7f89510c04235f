import type { TicketPriority, TicketStatus, TicketType } from './sla.ts';

export interface TicketView {
  id: number;
  ticketNo: string;
  memberId: number;
  memberNo: string;
  memberName: string;
  storeId: number | null;
  type: TicketType;
  priority: TicketPriority;
  status: TicketStatus;
  title: string;
  description: string | null;
  assignee: { id: number; name: string; wecomUserId: string } | null;
  /** When the current assignee was set, and by whom: a WeCom userid, or `auto` (auto-assignment). */
  assignedAt: Date | null;
  assignedBy: string | null;
  createdBy: string;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  resolution: string | null;
  satisfaction: number | null;
  escalationLevel: number;
  escalatedAt: Date | null;
  responseDueAt: Date;
  resolveDueAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

export const ticketInclude = {
  member: { select: { memberNo: true, name: true } },
  assignee: { select: { id: true, name: true, wecomUserId: true } },
} as const;

export function toTicketView(t: {
  id: number; ticketNo: string; memberId: number; storeId: number | null; type: TicketType; priority: TicketPriority; status: TicketStatus; title: string; description: string | null;
  assignedAt: Date | null; assignedBy: string | null; createdBy: string; firstResponseAt: Date | null; resolvedAt: Date | null; closedAt: Date | null; resolution: string | null; satisfaction: number | null; escalationLevel: number;
  escalatedAt: Date | null; responseDueAt: Date; resolveDueAt: Date; createdAt: Date; updatedAt: Date;
  member: { memberNo: string; name: string }; assignee: { id: number; name: string; wecomUserId: string } | null;
}): TicketView {
  const { member, ...rest } = t;
  return { ...rest, memberNo: member.memberNo, memberName: member.name };
}
