import { createApiToken } from '../../src/api/tokens.ts';
import { runSyncTick } from '../../src/crm/sync/index.ts';
import { createWeilingSync, type WeilingSync } from '../../src/integrations/weiling/index.ts';
import { createApiTestEnv, type ApiTestEnv } from '../api/support.ts';
import { startFakeWeiling, type FakeWeiling } from '../fakes/weiling.ts';

/** The callback path the fake's events are posted to (token as configured below). */
export const SYNC_CALLBACK = '/weiling/callback?token=cb-secret';

export interface SyncTestEnv {
  fake: FakeWeiling;
  t: ApiTestEnv;
  sync: WeilingSync;
  /** An admin's API token. */
  admin: string;
  /** One run of the sync (after any run a callback kicked off: the named lock lets one run at a time). */
  tick: (o?: { reconcileEveryMs?: number }) => Promise<Awaited<ReturnType<typeof runSyncTick>>>;
  cleanup: () => Promise<void>;
}

/**
 * The sync suites' one set-up: the fake 卫瓴, an API test environment configured for it
 * (reconciliation only when a test asks), an admin and the connector with a short client timeout.
 */
export async function createSyncTestEnv(name: string): Promise<SyncTestEnv> {
  const fake = await startFakeWeiling();
  const t = await createApiTestEnv(name, { WEILING_API_BASE: fake.url, WEILING_APP_ID: fake.appId, WEILING_APP_SECRET: fake.appSecret, WEILING_CALLBACK_TOKEN: 'cb-secret', WEILING_RECONCILE_MINUTES: '0' });
  await t.env.services.db.staff.create({ data: { wecomUserId: 'admin_01', name: '管理员', role: 'admin' } });
  const admin = (await createApiToken(t.env.services, { staff: 'admin_01', name: 'test-admin' })).token;
  const sync = createWeilingSync(t.env.services, { timeoutMs: 2000 })!;
  const tick: SyncTestEnv['tick'] = async (o = {}) => {
    for (;;) {
      await Promise.allSettled([...t.rt.inflight]);
      const r = await runSyncTick(sync.ctx, sync.parse, { reconcileEveryMs: o.reconcileEveryMs ?? 0 });
      if (r.ran) return r;
      await new Promise((res) => setTimeout(res, 50));
    }
  };
  return { fake, t, sync, admin, tick, cleanup: async () => { await t.cleanup(); await fake.close(); } };
}
