import { SyncCallError } from './connector.ts';
import type { SyncCtx } from './context.ts';
import { dueFailures, recordFailure, resolveFailures } from './failures.ts';
import { applyContact } from './inbound.ts';
import { deliverFeed } from './outbound.ts';

/**
 * The failures due for another attempt (backoff, or a retry from the monitor): outbound ones go
 * through the same delivery as the feed; an inbound contact is fetched and applied again.
 */
export async function retryDue(ctx: SyncCtx, limit = 200): Promise<number> {
  const { services, connector } = ctx;
  const due = await dueFailures(services.sql, connector.name, services.now(), limit);
  if (!due.length) return 0;
  const out = due.filter((f) => f.direction === 'outbound');
  if (out.length) {
    await deliverFeed(
      ctx,
      out.map((f) => ({ id: 0, objectType: f.objectType, objectId: f.objectId, memberId: f.objectType === 'member' ? Number(f.objectId) : null, changedAt: f.changedAt })),
    );
  }
  const inbound = due.filter((f) => f.direction === 'inbound');
  if (inbound.length) {
    try {
      const contacts = await connector.getContacts(inbound.map((f) => f.objectId));
      const found = new Map(contacts.map((c) => [c.remoteId, c]));
      for (const f of inbound) {
        const c = found.get(f.objectId);
        try {
          if (c) await applyContact(ctx, c);
          await resolveFailures(services.sql, connector.name, 'inbound', 'contact', [f.objectId], services.now());
        } catch (e) {
          await recordFailure(services.sql, { connection: connector.name, direction: 'inbound', objectType: 'contact', objectId: f.objectId, error: e instanceof Error ? e.message : String(e), retryable: e instanceof SyncCallError ? e.retryable : true, changedAt: f.changedAt }, services.now());
        }
      }
    } catch (e) {
      for (const f of inbound) await recordFailure(services.sql, { connection: connector.name, direction: 'inbound', objectType: 'contact', objectId: f.objectId, error: e instanceof Error ? e.message : String(e), retryable: true, changedAt: f.changedAt }, services.now());
    }
  }
  return due.length;
}
