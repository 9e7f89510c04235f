import type { Services } from '../../services.ts';
import type { CrmConnector } from './connector.ts';
import type { SyncRules } from './fields.ts';

/** One sync connection at work: the services, its connector (a port, wired at the edge) and its rules. */
export interface SyncCtx {
  services: Services;
  connector: CrmConnector;
  rules: SyncRules;
  /** Calls to the other system in flight at once (the connector's rate limit still applies). */
  concurrency: number;
  /** Tells staff (the automation context's sync alert, wired by the job); absent in tests that don't look. */
  alert?: (text: string) => Promise<void>;
}

/** Runs `work` on every item, at most `n` at a time. */
export async function inParallel<T>(items: T[], n: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(n, items.length)) }, lane));
}
