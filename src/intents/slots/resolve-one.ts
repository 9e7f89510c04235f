import type { IntentResult } from '../../bot/types.ts';
import type { StaffAccess } from '../../crm/kernel/index.ts';
import { auditMemberRead, resolveMember, type MemberBrief, type MemberRef } from '../../crm/customers/index.ts';
import { renderUnresolved } from '../render/member.ts';
import type { Lang } from '../../i18n/index.ts';

/**
 * The one member an intent acts on, within the actor's scope; otherwise the reply explaining
 * why (not found / several / malformed), with the failed search audited under `action`.
 */
export async function oneMember(access: StaffAccess, ref: MemberRef, action: string, lang: Lang = 'zh'): Promise<{ member: MemberBrief } | { reply: IntentResult }> {
  const r = await resolveMember(access, ref);
  if (r.kind === 'one') return { member: r.member };
  await auditMemberRead(access, action, r.search);
  return { reply: { text: renderUnresolved(r.search, lang), data: r.search, outcome: 'asked' } };
}

export const focusOf = (m: Pick<MemberBrief, 'id' | 'memberNo'>) => ({ memberId: m.id, memberNo: m.memberNo });
