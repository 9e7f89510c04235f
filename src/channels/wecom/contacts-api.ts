/**
 * The 客户联系 calls of the WeCom API client (the domain's ContactsPort, src/crm/contacts/port.ts),
 * made through the client's own post/get — one token cache, one error mapping (api-errors.ts).
 * Replies are checked against the wire schemas before the domain sees them.
 */
import type { z } from 'zod';
import { corpTagGroupSchema, externalContactReplySchema, groupChatReplySchema, transferResultSchema, transferStartSchema, type ContactsPort, type ExternalContact } from '../../crm/contacts/index.ts';
import type { WeComApiReply } from './api-client.ts';
import { weComTransportError } from './api-errors.ts';

interface RawCalls {
  post(api: string, body: unknown): Promise<WeComApiReply>;
  get(api: string, query: Record<string, string>): Promise<WeComApiReply>;
}

function parsed<S extends z.ZodType>(api: string, schema: S, reply: WeComApiReply): z.output<S> {
  const r = schema.safeParse(reply);
  if (!r.success) throw weComTransportError(api, `unexpected reply: ${r.error.issues[0]?.message ?? 'bad shape'}`);
  return r.data;
}

export function contactsApi(calls: RawCalls): ContactsPort {
  return {
    async getContact(externalUserId) {
      // follow_user comes in pages of 500 (next_cursor) for customers added by very many staff.
      let cursor = '';
      let out: ExternalContact | undefined;
      do {
        const page = parsed('externalcontact/get', externalContactReplySchema, await calls.get('externalcontact/get', { external_userid: externalUserId, ...(cursor ? { cursor } : {}) }));
        out = out ? { ...out, follow_user: [...out.follow_user, ...page.follow_user] } : page;
        cursor = page.next_cursor ?? '';
      } while (cursor);
      return out;
    },
    async getGroupChat(chatId) {
      // need_name 1: member_list[].name, for the unbound list (Tencent: 获取客户群详情).
      return parsed('externalcontact/groupchat/get', groupChatReplySchema, await calls.post('externalcontact/groupchat/get', { chat_id: chatId, need_name: 1 })).group_chat;
    },
    async markTag(userid, externalUserId, add, remove) {
      // add_tag and remove_tag may not both be empty (Tencent: 编辑客户企业标签).
      if (!add.length && !remove.length) return;
      await calls.post('externalcontact/mark_tag', { userid, external_userid: externalUserId, add_tag: add, remove_tag: remove });
    },
    async corpTagList(filter = {}) {
      const reply = await calls.post('externalcontact/get_corp_tag_list', { ...(filter.tagIds ? { tag_id: filter.tagIds } : {}), ...(filter.groupIds ? { group_id: filter.groupIds } : {}) });
      return (Array.isArray(reply.tag_group) ? reply.tag_group : []).map((g) => parsed('externalcontact/get_corp_tag_list', corpTagGroupSchema, g as WeComApiReply));
    },
    async addCorpTag(groupName, names) {
      const reply = await calls.post('externalcontact/add_corp_tag', { group_name: groupName, tag: names.map((name) => ({ name })) });
      return parsed('externalcontact/add_corp_tag', corpTagGroupSchema, reply.tag_group as WeComApiReply);
    },
    async editCorpTag(id, name) {
      await calls.post('externalcontact/edit_corp_tag', { id, name });
    },
    async delCorpTag(tagIds) {
      await calls.post('externalcontact/del_corp_tag', { tag_id: tagIds });
    },
    async addContactWay({ userid, state, remark }) {
      // type 1 单人, scene 2 二维码; skip_verify: customers are added without the staff member's approval.
      const reply = await calls.post('externalcontact/add_contact_way', { type: 1, scene: 2, user: [userid], state, remark, skip_verify: true });
      if (typeof reply.config_id !== 'string' || typeof reply.qr_code !== 'string') throw weComTransportError('externalcontact/add_contact_way', 'reply has no config_id / qr_code');
      return { configId: reply.config_id, qrCode: reply.qr_code };
    },
    async transferCustomer(kind, handover, takeover, externalUserIds, message) {
      const api = kind === 'resigned' ? 'externalcontact/resigned/transfer_customer' : 'externalcontact/transfer_customer';
      const body = { handover_userid: handover, takeover_userid: takeover, external_userid: externalUserIds, ...(kind === 'in_service' && message ? { transfer_success_msg: message.slice(0, 200) } : {}) };
      return parsed(api, transferStartSchema, await calls.post(api, body)).customer;
    },
    async transferResult(kind, handover, takeover, cursor) {
      const api = kind === 'resigned' ? 'externalcontact/resigned/transfer_result' : 'externalcontact/transfer_result';
      return parsed(api, transferResultSchema, await calls.post(api, { handover_userid: handover, takeover_userid: takeover, ...(cursor ? { cursor } : {}) }));
    },
  };
}
