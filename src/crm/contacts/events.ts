import { z } from 'zod';

/**
 * The 客户联系 callbacks of the self-built app (Tencent: 客户联系 › 事件), as the WeCom adapter
 * parses them from the decrypted XML (Event + ChangeType + the fields each one carries).
 */
export const CONTACT_CHANGE_TYPES = ['add_external_contact', 'edit_external_contact', 'add_half_external_contact', 'del_external_contact', 'del_follow_user', 'transfer_fail'] as const;

export const contactEventSchema = z.discriminatedUnion('kind', [
  z.object({
    /** Event change_external_contact: UserID is the staff member (for transfer_fail: the takeover member). */
    kind: z.literal('contact'),
    changeType: z.enum(CONTACT_CHANGE_TYPES),
    userId: z.string().min(1),
    externalUserId: z.string().min(1),
    /** State: the contact way's state the customer came through (add events only). */
    state: z.string().optional(),
    /** FailReason of transfer_fail: customer_refused | customer_limit_exceed. */
    failReason: z.string().optional(),
  }),
  z.object({
    /** Event change_external_chat: a customer group chat was created, changed or dismissed. */
    kind: z.literal('chat'),
    chatId: z.string().min(1),
    changeType: z.enum(['create', 'update', 'dismiss']),
    updateDetail: z.string().optional(),
  }),
  z.object({
    /** Event change_external_tag: Id of a tag or a tag group (TagType), ChangeType create/update/delete/shuffle. */
    kind: z.literal('tag'),
    id: z.string().default(''),
    tagType: z.enum(['tag', 'tag_group']).default('tag'),
    changeType: z.enum(['create', 'update', 'delete', 'shuffle']),
    strategyId: z.string().optional(),
  }),
]);
export type ContactEvent = z.infer<typeof contactEventSchema>;
