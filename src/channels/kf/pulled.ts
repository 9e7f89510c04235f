/**
 * A pulled 微信客服 item as the bot sees it (pure): the customer's text message (origin 3, msgtype
 * text) becomes an InboundMessage keyed by its msgid, from its external_userid; everything else
 * (servicer messages, events, images …) is not for the bot.
 */
import type { InboundMessage } from '../../bot/types.ts';
import { badRequest } from '../../crm/kernel/index.ts';
import { returningClientErrors } from '../shared/parse-result.ts';
import type { ParseResult, RawRequest } from '../types.ts';
import { kfItemSchema, type KfItem } from './api.ts';

/** sync_msg's origin: 3 the customer (微信客户发送的消息), 4 a system event, 5 a servicer (接待人员在企业微信回复). */
export const ORIGIN = { customer: 3, event: 4, servicer: 5 } as const;

export function inboundOf(item: KfItem, now: Date, requestId: string): InboundMessage | undefined {
  if (item.origin !== ORIGIN.customer || item.msgtype !== 'text' || !item.external_userid || !item.text) return undefined;
  return { channel: 'wecom_kf', messageId: item.msgid, from: item.external_userid, text: item.text.content, receivedAt: now, requestId };
}

/** The contract's parse for a pulled item (JSON of one msg_list entry): a message, or ignored with why. */
export const parsePulledItem = returningClientErrors((req: RawRequest, now: Date, requestId: string): ParseResult => {
  let raw: unknown;
  try {
    raw = JSON.parse(req.body);
  } catch {
    throw badRequest('bad_message', 'a sync_msg item is JSON');
  }
  const item = kfItemSchema.safeParse(raw);
  if (!item.success) throw badRequest('bad_message', 'not a sync_msg item');
  const message = inboundOf(item.data, now, requestId);
  if (message) return { ok: true, kind: 'message', message };
  return { ok: true, kind: 'ignored', reason: `kf:${item.data.origin}:${item.data.msgtype}`, messageId: item.data.msgid };
});
