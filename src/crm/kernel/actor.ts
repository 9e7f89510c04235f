import { z } from 'zod';
import type { StaffRole } from '../../generated/prisma/enums.ts';

/**
 * Who is acting (a staff member or a member) and through which chat channel: every domain
 * read or write takes one, so store scope, masking and the audit row never depend on the caller.
 */
export const channelSchema = z.enum(['wecom', 'console', 'miniprogram']);
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
