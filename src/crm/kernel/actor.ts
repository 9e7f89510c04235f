import { z } from 'zod';
import type { StaffRole } from '../../generated/prisma/enums.ts';

/**
 * Who is acting (a staff member or a member) and through which chat channel: every domain
 * read or write takes one, so store scope, masking and the audit row never depend on the caller.
 */
// wecom: the self-built app (XML callbacks, message/send); wecom_aibot: the 智能机器人 (AI bot,
// JSON callbacks or a long connection, streaming, group @-mentions); wecom_kf: 微信客服 (members
// from WeChat, sync_msg/send_msg); console: the web console; miniprogram: members in the mini-program.
export const channelSchema = z.enum(['wecom', 'console', 'miniprogram', 'wecom_aibot', 'wecom_kf']);
export type Channel = z.infer<typeof channelSchema>;

export interface StaffActor {
  kind: 'staff';
  staffId: number;
  wecomUserId: string;
  name: string;
  role: StaffRole;
  storeIds: number[];
}

export interface MemberActor {
  kind: 'member';
  memberId: number;
  name: string;
  phone: string;
  homeStoreId: number | null;
}

export type Actor = StaffActor | MemberActor;
