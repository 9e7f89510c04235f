import type { Services } from '../../services.ts';
import { onTagEvent } from './corp-tags.ts';
import type { ContactEvent } from './events.ts';
import { onGroupChatEvent } from './group-chats.ts';
import type { ContactsPort } from './port.ts';
import { endFollow, recordContact } from './record.ts';
import { finishedReports, transferFailed, type TransferReport } from './transfer.ts';

export interface ContactEventOutcome {
  /** What the event did, for the log. */
  did: string;
  memberId?: number | null;
  /** Transfer batches this event finished (a transfer_fail was the last one waiting): to tell their managers. */
  reports?: TransferReport[];
}

/**
 * One 客户联系 callback. Add and edit fetch the customer (externalcontact/get: the event carries
 * only ids) and record it whole, so a retried or reordered event converges on WeCom's state;
 * add_half_external_contact (the customer added the staff member, not yet accepted both ways)
 * is recorded the same way.
 */
export async function handleContactEvent(services: Services, port: ContactsPort, e: ContactEvent): Promise<ContactEventOutcome> {
  switch (e.kind) {
    case 'chat':
      return { did: await onGroupChatEvent(services, port, e) };
    case 'tag':
      await onTagEvent(services, port, e);
      return { did: `tag.${e.changeType}` };
    case 'contact':
      switch (e.changeType) {
        case 'add_external_contact':
        case 'add_half_external_contact':
        case 'edit_external_contact': {
          const contact = await port.getContact(e.externalUserId);
          const bound = await recordContact(services, contact);
          return { did: e.changeType, memberId: bound.memberId };
        }
        case 'del_external_contact':
          await endFollow(services, e.externalUserId, e.userId, 'staff');
          return { did: e.changeType };
        case 'del_follow_user':
          await endFollow(services, e.externalUserId, e.userId, 'customer');
          return { did: e.changeType };
        case 'transfer_fail': {
          await transferFailed(services, e.userId, e.externalUserId, e.failReason);
          return { did: e.changeType, reports: await finishedReports(services) };
        }
      }
  }
}
