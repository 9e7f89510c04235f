/**
 * Journey test rig: a real database and Redis prefix (createTestEnv), a movable clock, the fake
 * SMS/email provider, the fake WeCom (external contacts, app messages, robot) and the fake
 * WeChat API; members inserted with the contact points a scenario needs; helpers to run the
 * real BullMQ worker until the queue is idle and to move time forward (promoting due jobs).
 */
import type { Worker } from 'bullmq';
import type { RowDataPacket } from 'mysql2/promise';
import type { JourneyDeps } from '../../src/crm/automation/journeys/deps.ts';
import { journeyDeps } from '../../src/jobs/journey-deps.ts';
import { promoteDue } from '../../src/crm/automation/journeys/schedule.ts';
import { startJourneyWorker } from '../../src/jobs/journey-worker.ts';
import { startFakeQyapi, type FakeQyapi } from '../fakes/qyapi.ts';
import { startFakeTextProvider, type FakeTextOptions, type FakeTextProvider } from '../fakes/text-provider.ts';
import { startFakeWeixin, type FakeWeixin } from '../fakes/weixin-api.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { PHONE_COLUMNS, sealedPhoneValues } from '../support/sealed-phone.ts';

export const CORP_ID = 'wwjourneycorp0001';
export const CORP_SECRET = 'journey-secret';
export const AGENT_ID = '1000002';
export const MP_APP_ID = 'wxjourneyapp00001';
export const MP_SECRET = 'mp-secret';
export const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

export interface Rig {
  env: TestEnv;
  clock: { now: Date };
  sms: FakeTextProvider;
  wecom: FakeQyapi;
  weixin: FakeWeixin;
  deps: JourneyDeps;
  worker?: Worker;
  startWorker(concurrency?: number): Worker;
  /** Runs the worker until nothing is waiting/active and no delayed job is due. */
  drain(timeoutMs?: number): Promise<void>;
  /** Moves the clock forward and runs everything that became due. */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

export async function createRig(label: string, opts: { start: Date; sms?: FakeTextOptions; env?: Record<string, string>; contacts?: (id: string) => boolean } = { start: new Date() }): Promise<Rig> {
  const clock = { now: opts.start };
  const sms = await startFakeTextProvider(opts.sms);
  const wecom = await startFakeQyapi({ corpId: CORP_ID, corpSecret: CORP_SECRET, agentId: AGENT_ID, contacts: opts.contacts });
  const weixin = await startFakeWeixin({ appId: MP_APP_ID, appSecret: MP_SECRET });
  const env = await createTestEnv(
    label,
    {
      SMS_PROVIDER_URL: sms.url,
      WECOM_API_BASE: wecom.url,
      WECOM_CORP_ID: CORP_ID,
      WECOM_SECRET: CORP_SECRET,
      WECOM_AGENT_ID: AGENT_ID,
      WECOM_TOKEN: 'tok',
      WECOM_AES_KEY: AES_KEY,
      MP_APP_ID,
      MP_APP_SECRET: MP_SECRET,
      MP_TOKEN: 'mptoken',
      MP_API_BASE: weixin.url,
      ...opts.env,
    },
    { now: () => clock.now },
  );
  const deps = journeyDeps(env.services, { attempts: 3, backoffMs: 50 });
  const rig: Rig = {
    env,
    clock,
    sms,
    wecom,
    weixin,
    deps,
    startWorker(concurrency = 8) {
      rig.worker = startJourneyWorker(env.services, { deps, concurrency });
      return rig.worker;
    },
    async drain(timeoutMs = 60_000) {
      const q = env.services.queues.journey;
      const end = Date.now() + timeoutMs;
      let idle = 0;
      while (Date.now() < end) {
        await promoteDue(env.services);
        const c = await q.getJobCounts('waiting', 'active', 'prioritized');
        const busy = (c.waiting ?? 0) + (c.active ?? 0) + (c.prioritized ?? 0);
        // Jobs retrying with backoff sit in "delayed" with a real-time delay: wait for them too.
        const delayed = await q.getDelayed(0, 200);
        const retrying = delayed.some((j) => j.attemptsMade > 0 || j.data.dueAt <= clock.now.getTime());
        if (busy === 0 && !retrying) {
          if (++idle >= 3) return;
        } else idle = 0;
        await new Promise((r) => setTimeout(r, 30));
      }
      throw new Error('journey queue did not drain');
    },
    async advance(ms) {
      clock.now = new Date(clock.now.getTime() + ms);
      await rig.drain();
    },
    async close() {
      await rig.worker?.close();
      await env.cleanup();
      await Promise.all([sms.close(), wecom.close(), weixin.close()]);
    },
  };
  return rig;
}

export interface MemberSpec {
  openid?: boolean;
  external?: boolean;
  optOut?: boolean;
  birthday?: string;
  phone?: string;
  storeId?: number | null;
}

let storeMade = new WeakMap<TestEnv, number>();

/** Inserts members (phones 139xxxxxxxx by index); returns their ids in order. */
export async function insertMembers(env: TestEnv, specs: MemberSpec[], startIndex = 0): Promise<number[]> {
  const sql = env.services.sql;
  let storeId = storeMade.get(env);
  if (!storeId) {
    const [r] = await sql.query<import('mysql2').ResultSetHeader>("INSERT INTO stores (code, name, city) VALUES ('T1', '测试店', '上海')");
    storeId = r.insertId;
    storeMade.set(env, storeId);
  }
  const ids: number[] = [];
  for (let i = 0; i < specs.length; i += 1000) {
    const rows = specs.slice(i, i + 1000).map((s, k) => {
      const n = startIndex + i + k;
      return [
        `T${String(n).padStart(8, '0')}`,
        `会员${n}`,
        ...sealedPhoneValues(s.phone ?? `139${String(n).padStart(8, '0')}`),
        new Date('2026-01-01T00:00:00Z'),
        'store',
        s.storeId === undefined ? storeId : s.storeId,
        s.openid ? `o_${n}` : null,
        s.external ? `wm_${n}` : null,
        s.optOut ? new Date('2026-01-02T00:00:00Z') : null,
        s.birthday ?? null,
      ];
    });
    const [r] = await sql.query<import('mysql2').ResultSetHeader>(
      `INSERT INTO members (member_no, name, ${PHONE_COLUMNS}, registered_at, source_channel, home_store_id, openid, external_user_id, marketing_opt_out_at, birthday) VALUES ?`,
      [rows],
    );
    for (let k = 0; k < rows.length; k++) ids.push(r.insertId + k);
  }
  return ids;
}

export async function executions(env: TestEnv, journeyId: number): Promise<{ member_id: number; step_id: string; result: string; channel: string | null; error: string | null }[]> {
  const [rows] = await env.services.sql.query<RowDataPacket[]>('SELECT member_id, step_id, result, channel, error FROM journey_step_executions WHERE journey_id = ? ORDER BY member_id, id', [journeyId]);
  return rows as never;
}

/** Grants one-time subscriptions as the subscribe popup event would. */
export async function grantSubscription(env: TestEnv, openid: string, templateId: string, times = 1): Promise<void> {
  const { subscriptionStoreOf } = await import('../../src/channels/miniprogram/index.ts');
  const store = subscriptionStoreOf(env.services);
  for (let i = 0; i < times; i++) await store.applyEvent(openid, 'subscribe_msg_popup_event', [{ templateId, status: 'accept' }], env.services.now());
}
