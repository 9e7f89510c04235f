/**
 * Mini-program subscribe messages (subscribeMessage.send), through the mini-program channel's
 * messenger: its API client (shared token cache, a rejected token is dropped, refreshed and the
 * call retried once) and the member's one-time subscriptions, spent before the call and given back
 * when WeChat does not take the message.
 *
 * No subscription left (ours or WeChat's 43101) → unreachable; template data the renderer refuses
 * → permanent failure; -1, 45009, 45011, 5xx/429 and transport errors → retryable; a timeout → in
 * doubt (retryable); other errcodes → permanent. No idempotency key: not idempotent.
 */
import type { OutboundSender } from '../../crm/automation/index.ts';
import type { MpMessenger } from '../miniprogram/index.ts';

export function createMiniProgramSubscribeSender(messenger: MpMessenger): OutboundSender {
  return {
    name: 'miniprogram',
    idempotent: false,
    // The remaining one-time subscriptions for the template (mp_subscriptions), for the quota ledger.
    async quota(msg) {
      if (!msg.subscribe) return 0;
      return (await messenger.reachability(msg.to)).subscriptions[msg.subscribe.templateId] ?? 0;
    },
    async send(msg) {
      const sub = msg.subscribe;
      if (!sub) return { status: 'failed', code: 'mp_no_template', message: 'subscribe message without a template', retryable: false };
      const r = await messenger.sendSubscribe({ openid: msg.to, templateId: sub.templateId, data: sub.data, page: sub.page });
      if (r.status === 'sent') return { status: 'sent' };
      if (r.status === 'no_subscription' || r.status === 'refused') return { status: 'unreachable', reason: 'no subscription quota' };
      if (r.status === 'invalid_data') return { status: 'failed', code: 'mp_invalid_data', message: `subscribe data: ${r.issues.map((i) => i.key).join(',')}`, retryable: false };
      return { status: r.timeout ? 'in_doubt' : 'failed', code: r.code, message: r.message, retryable: r.retryable };
    },
  };
}
