import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../../test/support/env.ts';
import { canPushWeCom, notifyStaff } from './notify.ts';

describe('staff notifications without a WeCom app', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv('notify-off', {});
  });
  afterAll(() => env?.cleanup());

  it('are not queued (nothing could deliver them) and say why', async () => {
    expect(canPushWeCom(env.services.config)).toBe(false);
    expect(await notifyStaff(env.services, 'store_manager_01', '工单超时', 'sla-1-l1-store_manager_01')).toBe('not_configured');
    expect(await env.services.queues.outbound.getJobCounts('waiting', 'delayed', 'active', 'failed')).toEqual({ waiting: 0, delayed: 0, active: 0, failed: 0 });
  });

  it('need all three of corp id, secret and AgentId', () => {
    const base = env.services.config;
    expect(canPushWeCom({ ...base, WECOM_CORP_ID: 'ww1', WECOM_SECRET: 's' })).toBe(false);
    expect(canPushWeCom({ ...base, WECOM_CORP_ID: 'ww1', WECOM_SECRET: 's', WECOM_AGENT_ID: '1000002' })).toBe(true);
  });
});
