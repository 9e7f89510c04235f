/**
 * WeCom 客户联系 mass message to one external contact, through the channel's WeCom client
 * (src/channels/wecom: shared token cache, a rejected token — 40014/42001 — is dropped, refreshed
 * and the call retried once):
 *
 *   POST /cgi-bin/externalcontact/add_msg_template {chat_type: 'single', external_userid: [id], text}
 *
 * WeCom then asks the staff member to confirm; a member receives at most 4 such messages a month
 * from the company. The id in `fail_list`, 40096 (invalid external userid) or 84061 (not a
 * contact) → unreachable; -1, 45009, 45033, 5xx/429 and transport errors → retryable; a timeout
 * → in doubt (retryable); other errcodes → permanent. WeCom has no idempotency key: not idempotent.
 */
import type { OutboundSender } from '../../crm/automation/index.ts';
import { isAppError } from '../../crm/kernel/index.ts';
import type { WeComApiClient } from '../wecom/index.ts';
import { errcodeOf, failureOf } from './result.ts';

/** The recipient is not (or no longer) an external contact the company can message. */
const NOT_A_CONTACT: ReadonlySet<number> = new Set([40096, 84061]);

export function createWeComExternalSender(client: WeComApiClient): OutboundSender {
  return {
    name: 'wecom',
    idempotent: false,
    async send(msg) {
      let reply;
      try {
        reply = await client.post('externalcontact/add_msg_template', { chat_type: 'single', external_userid: [msg.to], text: { content: msg.text } });
      } catch (e) {
        if (!isAppError(e)) throw e;
        const errcode = errcodeOf(e);
        if (errcode !== undefined && NOT_A_CONTACT.has(errcode)) return { status: 'unreachable', reason: `wecom: ${String((e.details as { errmsg?: unknown }).errmsg ?? errcode)}` };
        return failureOf(e);
      }
      const failList = Array.isArray(reply.fail_list) ? reply.fail_list.map(String) : [];
      if (failList.includes(msg.to)) return { status: 'unreachable', reason: 'wecom: not a contact of the sender (fail_list)' };
      return { status: 'sent', providerId: typeof reply.msgid === 'string' ? reply.msgid : undefined };
    },
  };
}
