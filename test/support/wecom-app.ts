import type { RawRequest } from '../../src/channels/types.ts';
import { encryptedCallback, textMessageXml } from './wecom-callback-builder.ts';
import { SAMPLE } from './wecom-test-vectors.ts';
import { seedDemo } from '../../src/demo/index.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { startFakeQyapi } from '../fakes/qyapi.ts';
import { createTestEnv } from './env.ts';

/** Tencent's published sample keys, used as this test corp's callback settings. */
export const keys = { token: SAMPLE.token, aesKey: SAMPLE.aesKey, corpId: SAMPLE.corpId };
export const SECRET = 'test-corp-secret';
export const AGENT_ID = '1000002';

/** A running app with the WeCom channel configured, a fake qyapi server and the demo data (workers not started); `extraEnv` adds settings. */
export async function setupWeComApp(label: string, budgetMs: number, extraEnv: Record<string, string> = {}) {
  const fake = await startFakeQyapi({ corpId: keys.corpId, corpSecret: SECRET, agentId: AGENT_ID });
  const env = await createTestEnv(label, {
    WECOM_CORP_ID: keys.corpId,
    WECOM_TOKEN: keys.token,
    WECOM_AES_KEY: keys.aesKey,
    WECOM_SECRET: SECRET,
    WECOM_AGENT_ID: AGENT_ID,
    WECOM_API_BASE: fake.url,
    WECOM_REPLY_BUDGET_MS: String(budgetMs),
    ...extraEnv,
  });
  await seedDemo(env.services.sql, { members: 120, seed: 11, now: new Date('2026-11-01T00:00:00Z') });
  await env.services.redis.ping();
  const rt = createRuntime(env.services);
  return {
    fake,
    env,
    rt,
    async close() {
      await rt.stop();
      await env.cleanup();
      await fake.close();
    },
  };
}
export type WeComApp = Awaited<ReturnType<typeof setupWeComApp>>;

/** Posts a platform request to the app's callback route. */
export const post = (rt: Runtime, req: RawRequest) =>
  rt.app.request(`/wecom/callback?${new URLSearchParams(req.query)}`, { method: req.method, body: req.method === 'POST' ? req.body : undefined, headers: req.headers });

/** A text message callback, encrypted and signed as WeCom sends it. */
export const callback = (text: string, msgId: string, from = 'store_manager_01', now = new Date()) =>
  encryptedCallback(keys, textMessageXml({ corpId: keys.corpId, from, text, msgId, createTime: Math.floor(now.getTime() / 1000) }), now);

export { waitFor } from './wait-for.ts';
