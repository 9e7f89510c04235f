/**
 * The 客户联系 events of the self-built app's callback (Tencent: 客户联系 › 事件: 添加企业客户事件,
 * 编辑企业客户事件, 外部联系人免验证添加成员事件, 删除企业客户事件, 删除跟进成员事件, 客户接替失败事件,
 * 客户群变更事件, 企业客户标签变更事件) read from the decrypted XML into the contacts context's event.
 */
import { contactEventSchema, type ContactEvent } from '../../crm/contacts/index.ts';
import type { XmlFields } from '../shared/xml.ts';

/** What the adapter hands on for one such event: the event, and the inbox key of its callback. */
export interface ContactCallback {
  event: ContactEvent;
  /** A hash of the decrypted payload: WeCom's resend of the same event has the same one. */
  messageId: string;
  requestId: string;
  receivedAt: Date;
}

const opt = (v: string | undefined) => (v ? v : undefined);

/** The event, or null for anything else (and for a 客户联系 event missing its ids: acknowledged, not run). */
export function contactEventOf(f: XmlFields): ContactEvent | null {
  let raw: unknown;
  switch (f.Event) {
    case 'change_external_contact':
      raw = { kind: 'contact', changeType: f.ChangeType, userId: f.UserID, externalUserId: f.ExternalUserID, state: opt(f.State), failReason: opt(f.FailReason) };
      break;
    case 'change_external_chat':
      raw = { kind: 'chat', chatId: f.ChatId, changeType: f.ChangeType, updateDetail: opt(f.UpdateDetail) };
      break;
    case 'change_external_tag':
      raw = { kind: 'tag', id: f.Id ?? '', tagType: opt(f.TagType), changeType: f.ChangeType, strategyId: opt(f.StrategyId) };
      break;
    default:
      return null;
  }
  const parsed = contactEventSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
