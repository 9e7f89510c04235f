/**
 * Contacts: the company's WeCom customers (客户联系) — each customer bound to a member (through
 * customers' identity writers) or listed unbound, the staff–customer relationships with the
 * contact-way state and the store/staff it attributes them to, store/staff QR codes, the corp
 * tag dictionary synced both ways with engagement's tags, and transfers of a staff member's
 * customers tracked to completion. WeCom itself is reached through a port the edge implements
 * with the one WeCom API client (port.ts). Sits above engagement (it tags through
 * writeMemberTags and links the tag dictionary).
 * Owns: wecom_customers, wecom_follows, wecom_contact_ways, wecom_corp_tags, wecom_transfers, wecom_group_chats, wecom_group_chat_members.
 * Other contexts and the edge import this file only (docs/architecture.md).
 */
export { attributionCounts, createContactWay, type AttributionRow, type ContactWay } from './contact-ways.ts';
export { CORP_TAG_LIMIT, createCorpTags, deleteCorpTag, listCorpTags, onTagEvent, renameCorpTag, syncCorpTags } from './corp-tags.ts';
export { CONTACT_CHANGE_TYPES, type ContactEvent } from './events.ts';
export { handleContactEvent, type ContactEventOutcome } from './handle.ts';
export { listContacts, memberWeCom, memberWeComColumns, type ContactListItem, type MemberWeComView } from './list.ts';
export { mirrorMemberTags, TAGS_PER_PAIR_LIMIT, type MirrorResult } from './mirror.ts';
export {
  corpTagGroupSchema,
  externalContactReplySchema,
  groupChatReplySchema,
  transferResultSchema,
  transferStartSchema,
  type ContactsPort,
  type CorpTagGroup,
  type ExternalContact,
  type GroupChat,
  type TransferKind,
} from './port.ts';
export { recordContact } from './record.ts';
export { finishedReports, IN_SERVICE_TRANSFERS_PER_90_DAYS, planTransfer, pollTransfers, startTransfer, TOO_FREQUENT, TRANSFER_BATCH, type TransferPlan, type TransferReport, type TransferStart } from './transfer.ts';
export { eraseWeComContacts, moveWeComContacts } from './lifecycle.ts';
