import { runSyncTick } from '../crm/sync/index.ts';
import type { WeilingSync } from '../integrations/weiling/index.ts';
import type { Services } from '../services.ts';
import { startRepeatable, type Repeatable } from './repeatable.ts';

/**
 * The 卫瓴 sync, every WEILING_SYNC_EVERY_MS: one job scheduler entry (its id `crm-sync-every`
 * is deterministic: every process registers the same one), the work in src/crm/sync
 * (runSyncTick holds a named lock, so two processes never run it at once).
 */
export function startSync(services: Services, sync: WeilingSync): Promise<Repeatable> {
  return startRepeatable(services, { queue: 'crm-sync', everyMs: sync.everyMs, run: () => runSyncTick(sync.ctx, sync.parse, { reconcileEveryMs: sync.reconcileEveryMs }) });
}

/** A run now, not awaited (a callback's kick); a run already going makes it a no-op. */
export function kickSync(services: Services, sync: WeilingSync | null, inflight: Set<Promise<unknown>>): () => void {
  return () => {
    if (!sync) return;
    const p = runSyncTick(sync.ctx, sync.parse, { reconcileEveryMs: 0, maxPages: 1 })
      .catch((err) => services.logger.warn({ err: String(err) }, 'sync kick failed; the periodic run catches up'))
      .finally(() => inflight.delete(p));
    inflight.add(p);
  };
}
