import { pruneInbox } from '../bot/inbox/store.ts';
import { pruneOutbound } from '../crm/kernel/index.ts';
import type { Services } from '../services.ts';
import { startRepeatable, type Repeatable } from './repeatable.ts';

export const INBOX_PRUNE_QUEUE = 'inbox-prune';

/**
 * Hourly: inbox rows older than INBOX_RETENTION_DAYS are deleted (src/bot/inbox/store.ts), and
 * outbox rows of pushes older than a day (the kernel's outbox: left only by a worker that died
 * mid-send). A run deletes only what is past its age, so a doubled or retried run is harmless.
 */
export function startInboxPrune(services: Services, everyMs = 3600 * 1000): Promise<Repeatable> {
  return startRepeatable(services, {
    queue: INBOX_PRUNE_QUEUE,
    everyMs,
    run: async () => {
      const before = new Date(services.now().getTime() - services.config.INBOX_RETENTION_DAYS * 86_400_000);
      const deleted = await pruneInbox(services, before);
      if (deleted) services.logger.info({ deleted, before }, 'inbox pruned');
      const stalePushes = await pruneOutbound(services);
      if (stalePushes) services.logger.warn({ deleted: stalePushes }, 'outbox: pushes older than a day dropped unsent');
      return deleted + stalePushes;
    },
  });
}
