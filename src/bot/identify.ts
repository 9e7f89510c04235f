import { openPhone, phoneHash } from '../crm/customers/index.ts';
import { staffIdentity } from '../crm/kernel/index.ts';
import type { Services } from '../services.ts';
import type { Actor, InboundMessage } from './types.ts';

/** On the console a member speaks as "member:<phone>" (the console contract, docs/api.md). */
const CONSOLE_MEMBER = /^member:(1[3-9]\d{9})$/;

/**
 * Stage 2 — identify the actor. Staff by WeCom userid (the console uses the same ids);
 * members by phone on the console, by openid on the mini-program and by external_userid on
 * 微信客服 (the identity customers keeps, bound by phone in the mini-program). Unknown → null,
 * which the pipeline answers with a polite "not registered".
 */
export async function identifyActor(services: Services, msg: InboundMessage): Promise<Actor | null> {
  const memberPhone = msg.channel === 'console' ? CONSOLE_MEMBER.exec(msg.from)?.[1] : undefined;
  // 微信客服 speaks only with customers: their external_userid bound to a member, never a staff lookup.
  if (memberPhone || msg.channel === 'miniprogram' || msg.channel === 'wecom_kf') {
    const member = await services.db.member.findFirst({
      where: memberPhone
        ? { phoneHash: phoneHash(memberPhone), status: 'active' }
        : msg.channel === 'wecom_kf'
          ? { externalUserId: msg.from, status: 'active' }
          : { openid: msg.from, status: 'active' },
      select: { id: true, name: true, phoneEnc: true, homeStoreId: true },
    });
    return member && { kind: 'member', memberId: member.id, name: member.name, phone: openPhone(member.phoneEnc), homeStoreId: member.homeStoreId };
  }
  // A copy at most STAFF_IDENTITY_TTL_MS old (src/crm/kernel/staff-identity.ts), checked on every turn.
  return staffIdentity(services, msg.from);
}
