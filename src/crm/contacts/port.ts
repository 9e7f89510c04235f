import { z } from 'zod';

/**
 * What the contacts context needs from WeCom's 客户联系 API, as a port: the edge implements it
 * with the one WeCom API client (src/channels/wecom/contacts-api.ts) and hands it in, so the
 * domain never imports the edge. Replies are parsed with the schemas below (Tencent's field
 * names); every method throws the client's AppError (details.errcode) on a non-zero errcode.
 */

/** externalcontact/get → follow_user[].tags[]: type 1 企业标签 (has tag_id), 2 个人标签, 3 规则组标签. */
export const followTagSchema = z.object({ group_name: z.string().optional(), tag_name: z.string().optional(), tag_id: z.string().optional(), type: z.number().int() });

export const followUserSchema = z.object({
  userid: z.string(),
  remark: z.string().default(''),
  description: z.string().optional(),
  createtime: z.number().int(),
  tags: z.array(followTagSchema).default([]),
  remark_mobiles: z.array(z.string()).default([]),
  add_way: z.number().int().optional(),
  /** The contact way's state (add_contact_way `state`) the customer came through. */
  state: z.string().optional(),
  oper_userid: z.string().optional(),
});
export type FollowUser = z.infer<typeof followUserSchema>;

/** externalcontact/get (获取客户详情). */
export const externalContactReplySchema = z.object({
  external_contact: z.object({
    external_userid: z.string(),
    name: z.string().default(''),
    /** 1 WeChat user, 2 WeCom user. */
    type: z.number().int().default(1),
    /** Only for WeChat users, when the corp has a bound 公众号/小程序 of the same subject. */
    unionid: z.string().optional(),
  }),
  follow_user: z.array(followUserSchema).default([]),
  next_cursor: z.string().optional(),
});
export type ExternalContact = z.infer<typeof externalContactReplySchema>;

/** get_corp_tag_list / add_corp_tag → tag_group[] (add_corp_tag answers one group). */
export const corpTagSchema = z.object({ id: z.string(), name: z.string(), create_time: z.number().int().optional(), order: z.number().int().optional(), deleted: z.boolean().optional() });
export const corpTagGroupSchema = z.object({
  group_id: z.string(),
  group_name: z.string(),
  create_time: z.number().int().optional(),
  order: z.number().int().optional(),
  deleted: z.boolean().optional(),
  tag: z.array(corpTagSchema).default([]),
});
export type CorpTagGroup = z.infer<typeof corpTagGroupSchema>;

/** transfer_customer / resigned/transfer_customer → customer[] (errcode 0: transfer started, taken over after 24 h). */
export const transferStartSchema = z.object({ customer: z.array(z.object({ external_userid: z.string(), errcode: z.number().int() })).default([]) });

/** transfer_result → status 1 接替完毕, 2 等待接替, 3 客户拒绝, 4 接替成员客户达到上限, 5 无接替记录. */
export const transferResultSchema = z.object({
  customer: z.array(z.object({ external_userid: z.string(), status: z.number().int(), takeover_time: z.number().int().optional() })).default([]),
  next_cursor: z.string().optional(),
});

/**
 * externalcontact/groupchat/get (获取客户群详情) with need_name 1: member_list[].type 1 企业成员,
 * 2 外部联系人 (unionid only for WeChat users when the corp has a bound 公众号/小程序);
 * join_scene 1 直接邀请, 2 邀请链接, 3 扫描群二维码.
 */
export const groupChatReplySchema = z.object({
  group_chat: z.object({
    chat_id: z.string(),
    name: z.string().default(''),
    owner: z.string().default(''),
    create_time: z.number().int().optional(),
    member_list: z
      .array(
        z.object({
          userid: z.string(),
          type: z.number().int(),
          unionid: z.string().optional(),
          join_time: z.number().int().optional(),
          join_scene: z.number().int().optional(),
          name: z.string().default(''),
        }),
      )
      .default([]),
  }),
});
export type GroupChat = z.infer<typeof groupChatReplySchema>['group_chat'];

/** 在职继承 (in_service) or 离职继承 (resigned). */
export type TransferKind = 'in_service' | 'resigned';

export interface ContactsPort {
  getContact(externalUserId: string): Promise<ExternalContact>;
  getGroupChat(chatId: string): Promise<GroupChat>;
  markTag(userid: string, externalUserId: string, add: string[], remove: string[]): Promise<void>;
  corpTagList(filter?: { tagIds?: string[]; groupIds?: string[] }): Promise<CorpTagGroup[]>;
  addCorpTag(groupName: string, names: string[]): Promise<CorpTagGroup>;
  editCorpTag(id: string, name: string): Promise<void>;
  delCorpTag(tagIds: string[]): Promise<void>;
  addContactWay(input: { userid: string; state: string; remark: string }): Promise<{ configId: string; qrCode: string }>;
  transferCustomer(kind: TransferKind, handover: string, takeover: string, externalUserIds: string[], message?: string): Promise<z.infer<typeof transferStartSchema>['customer']>;
  transferResult(kind: TransferKind, handover: string, takeover: string, cursor?: string): Promise<z.infer<typeof transferResultSchema>>;
}
