/**
 * The app on a Redis Cluster (REDIS_CLUSTER_NODES; docs/scale-out.md): a three-master cluster of
 * the test's own (never the machine's shared Redis), a journey run end to end through BullMQ on
 * it — enrolment, steps, a wait, sends to the fake SMS provider and the fake WeCom (whose
 * per-recipient windows are one Lua script over several keys) — and a chat confirmation flow.
 * A command spanning keys of two hash slots fails on a cluster (CROSSSLOT), so these runs prove
 * the key layout, and the key census proves the load spreads over the masters.
 */
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/pipeline.ts';
import type { BotAnswer, HandleMessage } from '../../src/bot/types.ts';
import { enrollMembers } from '../../src/crm/automation/journeys/schedule.ts';
import { createJourney } from '../../src/crm/automation/journeys/store.ts';
import { getIntent, intents } from '../../src/intents/catalogue.ts';
import { createRuleRouter } from '../../src/intents/router/rules.ts';
import { QUEUE_NAMES } from '../../src/jobs/queues.ts';
import { keyHolders, scanKeys, type Redis } from '../../src/redis.ts';
import { stopChildren } from '../support/child.ts';
import { createFixture, NOW, type Fixture } from '../support/crm/fixture.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { startPrivateRedisCluster, type PrivateRedisCluster } from '../support/private-redis.ts';
import { createRig, executions, insertMembers, type Rig } from '../journeys/support.ts';
import { answerOf } from '../support/bot-turn.ts';

// Wednesday 2026-11-18 10:00 China time.
const START = new Date('2026-11-18T02:00:00.000Z');
const DAY = 86_400_000;

let cluster: PrivateRedisCluster;
let rig: Rig;
let chat: TestEnv;

/** The cluster client answers once it has read the slot map (no offline queue for the app's connection). */
async function ready(r: Redis): Promise<void> {
  const until = Date.now() + 15_000;
  while (r.status !== 'ready') {
    if (Date.now() > until) throw new Error(`cluster client not ready: ${r.status}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

beforeAll(async () => {
  cluster = await startPrivateRedisCluster();
  rig = await createRig('redis_cluster', { start: START, env: { REDIS_CLUSTER_NODES: cluster.seeds, JOURNEY_QUIET_HOURS: 'off' } });
  await Promise.all([ready(rig.env.services.redis), ready(rig.env.services.bullRedis)]);
  rig.startWorker();
  chat = await createTestEnv('redis_cluster_chat', { REDIS_CLUSTER_NODES: cluster.seeds }, { now: () => NOW });
  await ready(chat.services.redis);
}, 120_000);

afterAll(async () => {
  await rig?.close().catch(() => undefined);
  await chat?.cleanup().catch(() => undefined);
  await cluster?.stop();
  await stopChildren();
});

describe('Redis Cluster', () => {
  it('connects as a cluster of three masters', async () => {
    const { redis, bullRedis } = rig.env.services;
    expect(redis.isCluster).toBe(true);
    expect(bullRedis.isCluster).toBe(true);
    expect(keyHolders(redis)).toHaveLength(3);
    expect(String(await keyHolders(redis)[0]!.cluster('INFO'))).toMatch(/cluster_state:ok/);
  });

  it('runs a journey end to end: enrolment, a coupon, a send now, a wait, a send a day later, over SMS and WeCom', async () => {
    const [a, b] = await insertMembers(rig.env, [{}, { external: true }]);
    const { id } = await createJourney(rig.env.services, 'test', {
      name: 'cluster',
      status: 'active',
      definition: {
        trigger: { type: 'manual' },
        steps: [
          { id: 'hello', type: 'action', action: { kind: 'message', text: '欢迎加入', channels: ['wecom', 'sms'] } },
          { id: 'w', type: 'wait', duration: { days: 1 } },
          { id: 'again', type: 'action', action: { kind: 'message', text: '明天见', channels: ['wecom', 'sms'], marketing: false } },
        ],
      },
    });
    const r = await enrollMembers(rig.deps, id, [a!, b!], { occurrence: 'cluster-1' });
    expect(r.enrolled).toBe(2);
    await rig.drain();
    expect(rig.sms.delivered.map((s) => [s.to, s.text])).toEqual([['13900000000', '欢迎加入']]);
    expect(rig.wecom.external.map((e) => [e.externalUserId, e.content])).toEqual([['wm_1', '欢迎加入']]);
    await rig.advance(DAY);
    expect(rig.sms.delivered.map((s) => s.text)).toEqual(['欢迎加入', '明天见']);
    expect(rig.wecom.external.map((e) => e.content)).toEqual(['欢迎加入', '明天见']);
    const log = await executions(rig.env, id);
    expect(log.filter((e) => e.step_id !== 'w').map((e) => [e.member_id, e.step_id, e.result, e.channel])).toEqual([
      [a, 'hello', 'sent', 'sms'],
      [a, 'again', 'sent', 'sms'],
      [b, 'hello', 'sent', 'wecom'],
      [b, 'again', 'sent', 'wecom'],
    ]);
    const [states] = await rig.env.services.sql.query<RowDataPacket[]>('SELECT state, COUNT(*) AS n FROM journey_enrollments WHERE journey_id = ? GROUP BY state', [id]);
    expect(states.map((s) => [s.state, Number(s.n)])).toEqual([['completed', 2]]);
  });

  it('keeps each queue in one slot of its own, and the keys spread over the masters', async () => {
    const { redis, config } = rig.env.services;
    const prefix = config.REDIS_PREFIX;
    const queueKeys = await scanKeys(redis, `{${prefix}:*`);
    expect(queueKeys.some((k) => k.startsWith(`{${prefix}:${QUEUE_NAMES.journey}}:${QUEUE_NAMES.journey}:`))).toBe(true);
    const slots = new Map<string, Set<number>>();
    for (const k of queueKeys) {
      const tag = /^\{([^}]+)\}/.exec(k)![1]!;
      const slot = Number(await redis.cluster('KEYSLOT', k));
      slots.set(tag, (slots.get(tag) ?? new Set()).add(slot));
    }
    for (const [tag, s] of slots) expect(s.size, tag).toBe(1);
    // Where the keys of this test live: on more than one master.
    const perNode = await Promise.all(keyHolders(redis).map(async (n) => (await n.dbsize()) as number));
    expect(perNode.filter((n) => n > 0).length).toBeGreaterThan(1);
  });
});

describe('a chat confirmation on the cluster', () => {
  let fx: Fixture;
  let bot: HandleMessage;
  const say = (from: string, text: string): Promise<BotAnswer> => answerOf(bot, from, text, NOW);

  beforeAll(async () => {
    fx = await createFixture(chat.services);
    bot = createBot({ services: chat.services, router: createRuleRouter(intents), getIntent });
  });

  it('holds a deduction, runs it once on 确认, and a second 确认 finds nothing to run', async () => {
    const ledger = () => chat.services.db.pointsLedger.count({ where: { memberId: fx.memberIds.M00000005! } });
    const before = await ledger();
    const held = await say('store_manager_01', '13800000005 扣 100 积分 兑换饮品');
    expect(held.text).toContain('将给 王芳（M00000005） 扣 100 积分（原因：兑换饮品）');
    const code = /编号 (\d{4})/.exec(held.text)?.[1];
    expect(code).toBeDefined();
    expect(await ledger()).toBe(before);
    const [done, again] = await Promise.all([say('store_manager_01', `确认 ${code}`), say('store_manager_01', `确认 ${code}`)]);
    expect([done.text, again.text].filter((t) => t.includes('已给 王芳（M00000005） 扣 100 积分'))).toHaveLength(1);
    expect(await ledger()).toBe(before + 1);
  });

  it('cancels a held action: a later 确认 runs nothing', async () => {
    const ledger = () => chat.services.db.pointsLedger.count({ where: { memberId: fx.memberIds.M00000005! } });
    const before = await ledger();
    const held = await say('store_manager_01', '13800000005 扣 50 积分 兑换饮品');
    expect(held.text).toMatch(/确认/);
    const cancel = await say('store_manager_01', '取消');
    expect(cancel.text).not.toContain('已给');
    const late = await say('store_manager_01', '确认');
    expect(late.text).not.toContain('已给');
    expect(await ledger()).toBe(before);
  });
});
