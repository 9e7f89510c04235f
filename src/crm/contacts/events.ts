/**
 * The 客户联系 callbacks of the self-built app (Tencent: 客户联系 › 事件), as the WeCom adapter
 * reads them from the decrypted XML (src/channels/wecom/contact-event-parse.ts checks the wire
 * against this type).
 */
export const CONTACT_CHANGE_TYPES = ['add_external_contact', 'edit_external_contact', 'add_half_external_contact', 'del_external_contact', 'del_follow_user', 'transfer_fail'] as const;

export type ContactEvent =
  | {
      /** Event change_external_contact: UserID is the staff member (for transfer_fail: the takeover member). */
      kind: 'contact';
      changeType: (typeof CONTACT_CHANGE_TYPES)[number];
      userId: string;
      externalUserId: string;
      /** State: the contact way's state the customer came through (add events only). */
      state?: string | undefined;
      /** FailReason of transfer_fail: customer_refused | customer_limit_exceed. */
      failReason?: string | undefined;
    }
  | {
      /** Event change_external_chat: a customer group chat was created, changed or dismissed. */
      kind: 'chat';
      chatId: string;
      changeType: 'create' | 'update' | 'dismiss';
      /** add_member, del_member, change_owner, change_name, change_notice (update only). */
      updateDetail?: string | undefined;
      /** add_member: 0 由成员邀请, 3 扫描群二维码. */
      joinScene?: number | undefined;
      /** del_member: 0 自己退群, 1 群主/群管理员移出. */
      quitScene?: number | undefined;
      /** add_member/del_member: how many members joined or left. */
      memChangeCnt?: number | undefined;
    }
  | {
      /** Event change_external_tag: Id of a tag or a tag group (TagType), ChangeType create/update/delete/shuffle. */
      kind: 'tag';
      id: string;
      tagType: 'tag' | 'tag_group';
      changeType: 'create' | 'update' | 'delete' | 'shuffle';
      strategyId?: string | undefined;
    };
