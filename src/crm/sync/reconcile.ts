import type { SyncCtx } from './context.ts';
import { applyContact } from './inbound.ts';
import { recordFailure } from './failures.ts';
import { markSeen } from './id-map.ts';
import { readCursor, saveState } from './state.ts';

/**
 * Periodic incremental reconciliation: every contact changed over there since the cursor,
 * applied as a callback would be (so a callback lost while we were down is caught up). The
 * cursor is saved after every page — the checkpoint — so a run that fails halfway resumes at
 * the page it stopped at, not from the start. A contact that fails alone is a failure row.
 */
const PAGE = 100;

export async function reconcile(ctx: SyncCtx, opts: { maxPages?: number } = {}): Promise<{ pages: number; contacts: number; applied: number }> {
  const { services, connector } = ctx;
  let cursor = await readCursor(services.sql, connector.name, 'reconcile');
  const out = { pages: 0, contacts: 0, applied: 0 };
  await saveState(services.sql, connector.name, 'reconcile', services.now(), { stage: 'reconciling' });
  try {
    for (; out.pages < (opts.maxPages ?? 100); ) {
      const page = await connector.changedSince(cursor, PAGE);
      out.pages++;
      for (const c of page.items) {
        out.contacts++;
        try {
          if ((await applyContact(ctx, c)) === 'applied') out.applied++;
          await markSeen(services.sql, connector.name, 'member', c.remoteId, c.updatedAt);
        } catch (e) {
          await recordFailure(services.sql, { connection: connector.name, direction: 'inbound', objectType: 'contact', objectId: c.remoteId, error: e instanceof Error ? e.message : String(e), retryable: true, changedAt: c.updatedAt }, services.now());
        }
      }
      cursor = page.cursor;
      await saveState(services.sql, connector.name, 'reconcile', services.now(), { cursor });
      if (!page.more) break;
    }
    await saveState(services.sql, connector.name, 'reconcile', services.now(), { stage: 'idle', success: true });
  } catch (e) {
    await saveState(services.sql, connector.name, 'reconcile', services.now(), { stage: 'idle', error: e instanceof Error ? e.message : String(e) });
    throw e;
  }
  return out;
}
