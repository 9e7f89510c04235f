import { reportSyncFailure } from '../../crm/automation/index.ts';
import { parseSyncRules, type InboundEvent, type SyncCtx } from '../../crm/sync/index.ts';
import type { Services } from '../../services.ts';
import { parseStored } from './callback.ts';
import { createWeilingConnector } from './connector.ts';

export { parseWeilingCallback } from './callback.ts';
export { PATHS } from './connector.ts';

/** The wired 卫瓴 sync: its context (connector, rules) and the parser of its stored events. */
export interface WeilingSync {
  ctx: SyncCtx;
  parse: (raw: string) => InboundEvent | null;
  appId: string;
  callbackToken: string | undefined;
  everyMs: number;
  reconcileEveryMs: number;
}

/**
 * Calls to 卫瓴 in flight at once: each waits on the network, so the worker keeps this many
 * going; the rate limiter (WEILING_RATE_PER_MINUTE) still paces them (bench:sync, docs/sync.md).
 */
const CONCURRENCY = 32;

/** The 卫瓴 sync when configured (WEILING_API_BASE, WEILING_APP_ID, WEILING_APP_SECRET), else null. */
export function createWeilingSync(services: Services, deps: { alert?: (text: string) => Promise<void>; timeoutMs?: number } = {}): WeilingSync | null {
  const c = services.config;
  if (!c.WEILING_API_BASE || !c.WEILING_APP_ID || !c.WEILING_APP_SECRET) return null;
  const connector = createWeilingConnector(services, { base: c.WEILING_API_BASE.replace(/\/$/, ''), appId: c.WEILING_APP_ID, appSecret: c.WEILING_APP_SECRET, perMinute: c.WEILING_RATE_PER_MINUTE, ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}) });
  return {
    ctx: { services, connector, rules: parseSyncRules(c.WEILING_SYNC_FIELDS, c.WEILING_SYNC_OBJECTS), concurrency: CONCURRENCY, ...(deps.alert ? { alert: deps.alert } : {}) },
    parse: parseStored(c.WEILING_APP_ID),
    appId: c.WEILING_APP_ID,
    callbackToken: c.WEILING_CALLBACK_TOKEN,
    everyMs: c.WEILING_SYNC_EVERY_MS,
    reconcileEveryMs: c.WEILING_RECONCILE_MINUTES * 60_000,
  };
}

/** The staff alert of the automation context (HQ and the group robot, once per hour). */
export const syncAlert = (deps: Parameters<typeof reportSyncFailure>[0]) => (text: string) => reportSyncFailure(deps, '卫瓴', text);
