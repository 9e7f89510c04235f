export type InteractionType = 'consultation' | 'complaint' | 'praise' | 'activity' | 'koc_promotion';
export type InteractionChannel = 'call' | 'visit' | 'wechat' | 'online' | 'store';

export const INTERACTION_TYPE_LABEL: Record<InteractionType, string> = { consultation: '咨询', complaint: '投诉', praise: '表扬', activity: '活动参与', koc_promotion: 'KOC推广' };
export const INTERACTION_CHANNEL_LABEL: Record<InteractionChannel, string> = { call: '电话', visit: '回访', wechat: '微信', online: '线上', store: '到店' };

export interface InteractionView {
  id: number;
  memberId: number;
  memberNo: string;
  memberName: string;
  type: InteractionType;
  channel: InteractionChannel;
  content: string;
  outcome: string | null;
  nextAction: string | null;
  followUpAt: Date | null;
  followUpDoneAt: Date | null;
  staff: { id: number; name: string } | null;
  storeId: number | null;
  ticketId: number | null;
  ticketNo: string | null;
  createdAt: Date;
}

export const interactionInclude = {
  member: { select: { memberNo: true, name: true } },
  staff: { select: { id: true, name: true } },
  ticket: { select: { ticketNo: true } },
} as const;

export function toInteractionView(i: {
  id: number; memberId: number; type: InteractionType; channel: InteractionChannel; content: string; outcome: string | null; nextAction: string | null;
  followUpAt: Date | null; followUpDoneAt: Date | null; storeId: number | null; ticketId: number | null; createdAt: Date; staffId: number | null;
  member: { memberNo: string; name: string }; staff: { id: number; name: string } | null; ticket: { ticketNo: string } | null;
}): InteractionView {
  const { member, ticket, staffId: _staffId, ...rest } = i;
  return { ...rest, memberNo: member.memberNo, memberName: member.name, ticketNo: ticket?.ticketNo ?? null };
}
