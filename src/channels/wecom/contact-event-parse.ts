/**
 * The 客户联系 events of the self-built app's callback (Tencent: 客户联系 › 事件: 添加企业客户事件,
 * 编辑企业客户事件, 外部联系人免验证添加成员事件, 删除企业客户事件, 删除跟进成员事件, 客户接替失败事件,
 * 客户群变更事件, 企业客户标签变更事件) read from the decrypted XML into the contacts context's event.
 * Type imports only from the domain: the adapter is also bundled for the Workers edge.
 */
import { z } from 'zod';
import type { ContactEvent } from '../../crm/contacts/index.ts';
import type { XmlFields } from '../shared/xml.ts';

/** What the adapter hands on for one such event: the event, and the inbox key of its callback. */
export interface ContactCallback {
  event: ContactEvent;
  /** A hash of the decrypted payload: WeCom's resend of the same event has the same one. */
  messageId: string;
  requestId: string;
  receivedAt: Date;
}

const id = z.string().min(1).max(64);
const opt = z.string().max(128).optional();
const scene = z.number().int().min(0).optional();

/** The wire fields each event must carry (ChangeType per Tencent's list). */
const contactEventSchema: z.ZodType<ContactEvent> = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('contact'),
    changeType: z.enum(['add_external_contact', 'edit_external_contact', 'add_half_external_contact', 'del_external_contact', 'del_follow_user', 'transfer_fail']),
    userId: id,
    externalUserId: id,
    state: opt,
    failReason: opt,
  }),
  z.object({ kind: z.literal('chat'), chatId: id, changeType: z.enum(['create', 'update', 'dismiss']), updateDetail: opt, joinScene: scene, quitScene: scene, memChangeCnt: scene }),
  z.object({ kind: z.literal('tag'), id: z.string().max(64).default(''), tagType: z.enum(['tag', 'tag_group']).default('tag'), changeType: z.enum(['create', 'update', 'delete', 'shuffle']), strategyId: opt }),
]);

const orUndef = (v: string | undefined) => (v ? v : undefined);
const intOrUndef = (v: string | undefined) => (v && /^\d+$/.test(v) ? Number(v) : undefined);

/** The event, or null for anything else (and for a 客户联系 event missing its ids: acknowledged, not run). */
export function contactEventOf(f: XmlFields): ContactEvent | null {
  let raw: unknown;
  switch (f.Event) {
    case 'change_external_contact':
      raw = { kind: 'contact', changeType: f.ChangeType, userId: f.UserID, externalUserId: f.ExternalUserID, state: orUndef(f.State), failReason: orUndef(f.FailReason) };
      break;
    case 'change_external_chat':
      raw = { kind: 'chat', chatId: f.ChatId, changeType: f.ChangeType, updateDetail: orUndef(f.UpdateDetail), joinScene: intOrUndef(f.JoinScene), quitScene: intOrUndef(f.QuitScene), memChangeCnt: intOrUndef(f.MemChangeCnt) };
      break;
    case 'change_external_tag':
      raw = { kind: 'tag', id: f.Id ?? '', tagType: orUndef(f.TagType), changeType: f.ChangeType, strategyId: orUndef(f.StrategyId) };
      break;
    default:
      return null;
  }
  const parsed = contactEventSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
