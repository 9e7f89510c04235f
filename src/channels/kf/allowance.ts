/**
 * 微信客服's reply window as the quota ledger's allowance port (src/crm/automation/quota/allowances.ts):
 * kf/send_msg is allowed only within 48 hours after the customer's message and for 5 messages
 * ("发送消息"; docs/wecom.md, protocol rules), counted by the shared reply window. Neither refusal
 * has a time it ends: the customer must write again, so the ledger suppresses the reply.
 */
import type { ChannelAllowance } from '../../crm/automation/index.ts';
import type { ReplyWindow } from '../shared/reply-window.ts';

export function kfAllowance(window: ReplyWindow): ChannelAllowance {
  return {
    async take(externalUserId, now) {
      const slot = await window.take(externalUserId, now);
      if (slot.ok) return { ok: true };
      if (slot.reason === 'outside_window') return { ok: false, reason: 'kf_window_closed', detail: 'more than 48 hours since the customer last wrote' };
      return { ok: false, reason: 'kf_window_used', detail: 'the 5 messages after the customer’s last message are used' };
    },
  };
}
