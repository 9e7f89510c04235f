/**
 * Pushes and slow-path answers survive a Redis that lost its data (docs/operations.md, "When
 * Redis goes away"): the outbox (outbound_jobs) and the inbox (inbound_messages) in MySQL say what
 * is still owed, and the recovery sweep (src/jobs/recovery.ts) puts the jobs back. The app runs
 * in-process against a redis-server of this test's own, emptied with FLUSHALL while pushes (staff
 * alerts, a queued reply, delayed) and answer jobs of acked callbacks (the slow path, due after
 * the claim's lease) are pending. Each must still reach WeCom exactly once.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimInbound, inboxRow } from '../../src/bot/inbox/store.ts';
import type { InboundMessage } from '../../src/bot/types.ts';
import { queueOutbound } from '../../src/crm/kernel/index.ts';
import { deferAnswer } from '../../src/jobs/inbox-answer.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { startFakeQyapi, type FakeQyapi } from '../fakes/qyapi.ts';
import { createFixture } from '../support/crm/fixture.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.ts';
import { AGENT_ID, keys, SECRET, weComEnv } from '../support/wecom-app.ts';
import { waitFor as until } from '../support/wait-for.ts';

const LEASE_MS = 1000;

let redis: PrivateRedis;
let qy: FakeQyapi;
let env: TestEnv;
let rt: Runtime;


const deliveries = (marker: string) => qy.sent.filter((m) => m.content.includes(marker)).length;
const count = async (sql: string) => Number(((await env.services.sql.query<any[]>(sql))[0][0] as { n: number }).n);

beforeAll(async () => {
  redis = await startPrivateRedis();
  qy = await startFakeQyapi({ corpId: keys.corpId, corpSecret: SECRET, agentId: AGENT_ID });
  env = await createTestEnv('redis_flush_outbox', {
    REDIS_URL: redis.url,
    ...weComEnv(qy.url),
    INBOX_LEASE_MS: String(LEASE_MS),
  });
  await createFixture(env.services);
  rt = createRuntime(env.services);
  rt.startWorkers();
  await until(async () => (await rt.app.request('/readyz')).status === 200, 20_000, 'ready at start');
}, 180_000);
afterAll(async () => {
  await rt?.stop();
  await env?.cleanup();
  await qy?.close();
  await redis?.stop();
});

describe('FLUSHALL with pushes and slow-path answers pending', () => {
  it('delivers each exactly once, from what MySQL kept', async () => {
    // Pushes due in a few seconds (a rate limit's delay, a reply's push), queued through the outbox.
    const pushes = ['push-a', 'push-b', 'push-c'];
    for (const [i, p] of pushes.entries()) {
      await queueOutbound(env.services, 'staff-notify', { channel: 'wecom', to: 'store_manager_01', text: `【测试】${p}` }, { jobId: `flush-${p}`, delay: 2500 + i * 100 });
    }
    // Acked callbacks (the slow path) whose answering process died: claimed, deferred, never completed.
    const msgs: InboundMessage[] = ['查一下 13800000001', '查一下 13800000002'].map((text, i) => ({
      channel: 'wecom',
      messageId: `flush-msg-${i}-${randomUUID()}`,
      from: 'store_manager_01',
      text,
      receivedAt: new Date(),
      requestId: randomUUID(),
    }));
    for (const m of msgs) {
      expect((await claimInbound(env.services, m)).kind).toBe('claimed');
      await deferAnswer(env.services, m);
    }
    expect(await env.services.queues.outbound.getJobCountByTypes('delayed')).toBe(3);
    expect(await env.services.queues.inboxAnswer.getJobCountByTypes('delayed')).toBe(2);

    // Redis loses everything; nothing has been delivered yet.
    await redis.flushAll();
    expect(await env.services.queues.outbound.getJobCountByTypes('delayed', 'waiting')).toBe(0);
    expect(qy.sent).toHaveLength(0);

    // The recovery sweep notices (the marker is gone), and the jobs come back from MySQL.
    await until(() => pushes.every((p) => deliveries(p) >= 1), 15_000, 'the pushes to be delivered');
    await until(() => deliveries('13800000001') >= 1 && deliveries('13800000002') >= 1, 15_000, 'the deferred answers to be pushed');
    // Time for anything doubled to show: a second sweep, a retry, a surviving job.
    await new Promise((r) => setTimeout(r, 4000));
    for (const p of pushes) expect(deliveries(p)).toBe(1);
    // The answers themselves (one found, one outside the manager's stores): each pushed once.
    expect(deliveries('13800000001')).toBe(1);
    expect(deliveries('13800000002')).toBe(1);
    expect(qy.sent).toHaveLength(5);
    // MySQL agrees: nothing left owed.
    for (const m of msgs) expect(await inboxRow(env.services, m)).toMatchObject({ state: 'answered', pushed: true });
    await until(async () => (await count('SELECT COUNT(*) AS n FROM outbound_jobs')) === 0, 5000, 'the outbox to empty');
  }, 180_000);
});
