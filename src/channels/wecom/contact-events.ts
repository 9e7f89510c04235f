/**
 * Runs a 客户联系 callback exactly once: under the durable inbox's claim (src/bot/inbox), keyed
 * by the payload hash like every WeCom event, answered by no chat text (the callback gets the
 * empty ack). A failure releases the claim and becomes a 5xx, so WeCom's resend runs it again;
 * a resend after it ran is a duplicate and does nothing.
 */
import type { InboundMessage } from '../../bot/types.ts';
import { withInboxClaim } from '../../bot/inbox/claim.ts';
import { handleContactEvent } from '../../crm/contacts/index.ts';
import { queueTransferReports } from '../../jobs/transfer-report.ts';
import type { Services } from '../../services.ts';
import type { ContactCallback } from './contact-event-parse.ts';
import type { WeComApiClient } from './api-client.ts';

/** The inbox's sender for events that no person sent. */
const EVENT_SENDER = 'wecom:contacts';

export function contactEventRunner(services: Services, api: WeComApiClient): (callback: ContactCallback) => Promise<void> {
  return async ({ event, messageId, requestId, receivedAt }) => {
    // receivedAt may have crossed JSON (an edge hand-off): a Date again either way.
    const msg: InboundMessage = { channel: 'wecom', messageId, from: EVENT_SENDER, text: '', receivedAt: new Date(receivedAt), requestId };
    const log = services.logger.child({ requestId, channel: 'wecom', messageId, event: event.kind });
    await withInboxClaim(services, msg, log, async () => {
      const out = await handleContactEvent(services, api.contacts, event);
      log.info({ did: out.did, memberId: out.memberId }, 'wecom contact event');
      if (out.reports?.length) await queueTransferReports(services, out.reports);
      return { kind: 'ignored', reason: out.did };
    });
  };
}
