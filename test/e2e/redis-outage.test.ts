/**
 * Work that survives Redis (docs/operations.md, "When Redis goes away"): the server runs in a
 * child process against a redis-server of this test's own, which the test empties (FLUSHALL) and
 * kills and restarts (no persistence: it comes back empty) in the middle of a recall. Every member
 * must get the recall's SMS exactly once, within seconds and with no manual step; /readyz must say
 * 503 while the queues cannot run and 200 after; chat must answer during the outage, never a 500.
 */
import type { ChildProcess } from 'node:child_process';
import { Queue } from 'bullmq';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchRecall } from '../../src/crm/automation/index.ts';
import { activeStaffActor } from '../../src/crm/kernel/index.ts';
import { stopChildren } from '../support/child.ts';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.ts';
import { startApp } from '../support/processes.ts';
import { createRig, insertMembers, type Rig } from '../journeys/support.ts';
import { openPhone } from '../support/sealed-phone.ts';
import { waitFor as shared } from '../support/wait-for.ts';

const N = 150;
const MANAGER = 'sm_outage';
/** The bar: every member sent within about ten seconds of the fault, with no manual step. */
const RECOVERY_MS = 12_000;

let redis: PrivateRedis;
let rig: Rig;
let server: { child: ChildProcess; port: number; out: () => string };

/** The shared poll, with the server's last output in its error. */
const until = (cond: () => Promise<boolean> | boolean, ms: number, what: string) => shared(cond, ms, () => `${what}; server output:\n${server?.out().slice(-4000)}`);

const readyz = async () => {
  const r = await fetch(`http://127.0.0.1:${server.port}/readyz`);
  return { status: r.status, body: (await r.json()) as { checks: Record<string, string> } };
};
const chat = async (text: string) => {
  const r = await fetch(`http://127.0.0.1:${server.port}/console/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ from: MANAGER, text, id: `m-${Math.random().toString(36).slice(2)}` }),
  });
  return { status: r.status, body: (await r.json()) as { reply?: string; error?: { code: string } } };
};

/** SMS requests per recipient among `phones` (the provider's raw requests, resends included). */
const sendsTo = (phones: Set<string>) => {
  const per = new Map<string, number>();
  for (const d of rig.sms.delivered) if (phones.has(d.to)) per.set(d.to, (per.get(d.to) ?? 0) + 1);
  return per;
};

async function launch(offset: number): Promise<{ recallId: number; phones: Set<string> }> {
  const ids = await insertMembers(rig.env, Array.from({ length: N }, () => ({})), offset);
  const [rows] = await rig.env.services.sql.query<RowDataPacket[]>('SELECT phone_enc FROM members WHERE id IN (?)', [ids]);
  const actor = (await activeStaffActor(rig.env.services, MANAGER))!;
  const access = { services: rig.env.services, actor, channel: 'console' as const, requestId: `launch-${offset}` };
  const r = await launchRecall(rig.deps, access, { audience: { kind: 'churn' }, memberIds: ids, couponAmount: 20 });
  return { recallId: r.recallId, phones: new Set(rows.map((x) => openPhone(String(x.phone_enc)))) };
}

/** Every member of the recall sent exactly once (and the database says so). */
async function expectSentOnce(recallId: number, phones: Set<string>) {
  const per = sendsTo(phones);
  expect(per.size).toBe(N);
  expect([...per.values()].filter((n) => n !== 1)).toEqual([]);
  const [rows] = await rig.env.services.sql.query<RowDataPacket[]>(
    "SELECT COUNT(*) AS n FROM journey_step_executions x JOIN journey_enrollments e ON e.id = x.enrollment_id WHERE e.recall_id = ? AND x.step_id = 'message' AND x.result = 'sent'",
    [recallId],
  );
  expect(Number(rows[0]!.n)).toBe(N);
}

beforeAll(async () => {
  redis = await startPrivateRedis();
  rig = await createRig('redis_outage', { start: new Date(), sms: { delayMs: 40 }, env: { REDIS_URL: redis.url, JOURNEY_QUIET_HOURS: 'off', JOURNEY_CONCURRENCY: '4' } });
  Object.defineProperty(rig.clock, 'now', { get: () => new Date(), set: () => undefined }); // the child uses the real clock
  const [stores] = await rig.env.services.sql.query<RowDataPacket[]>("INSERT INTO stores (code, name, city) VALUES ('O1', '停机店', '上海')");
  const storeId = (stores as unknown as { insertId: number }).insertId;
  const [st] = await rig.env.services.sql.query<import('mysql2').ResultSetHeader>("INSERT INTO staff (wecom_user_id, name, role) VALUES (?, '王店长', 'store_manager')", [MANAGER]);
  await rig.env.services.sql.query('INSERT INTO staff_stores (staff_id, store_id) VALUES (?, ?)', [st.insertId, storeId]);

  const app = await startApp(rig.env.config, {}, { wait: 'ready' });
  server = { child: app.child, port: app.port, out: () => app.out.text };
}, 120_000);

afterAll(async () => {
  await stopChildren();
  if (redis && rig) {
    await redis.start().catch(() => undefined); // the rig's cleanup deletes its keys there
    const r = rig.env.services.redis;
    const end = Date.now() + 10_000;
    while (r.status !== 'ready' && Date.now() < end) await new Promise((res) => setTimeout(res, 100));
  }
  await rig?.close();
  await redis?.stop();
});

describe('Redis emptied mid-recall (FLUSHALL)', () => {
  it('sends every member exactly once, soon, with no manual step; the schedules come back', { timeout: 90_000 }, async () => {
    expect((await readyz()).status).toBe(200);
    const { recallId, phones } = await launch(0);
    await until(() => sendsTo(phones).size >= 30, 30_000, 'the recall to be under way');
    await redis.flushAll();
    const flushedAt = Date.now();
    expect(sendsTo(phones).size).toBeLessThan(N); // the fault hit mid-recall

    await until(() => sendsTo(phones).size === N, RECOVERY_MS, 'every member to be sent');
    const took = Date.now() - flushedAt;
    await new Promise((r) => setTimeout(r, 1500)); // nothing more comes
    await expectSentOnce(recallId, phones);
    console.info(`${expect.getState().currentTestName}: every member sent ${took} ms after the fault`);
    expect(took).toBeLessThan(RECOVERY_MS);

    // The recall's progress check (its summary to the manager) and the schedules are back.
    const control = rig.env.services.queues.journeyControl;
    const checks = (await control.getDelayed()).filter((j) => j.data.kind === 'recall-check' && Number(j.data.recallId) === recallId);
    expect(checks.length).toBeGreaterThan(0);
    const attributions = (await control.getDelayed()).filter((j) => j.data.kind === 'recall-attribution' && Number(j.data.recallId) === recallId);
    expect(attributions.map((j) => j.data.days).sort()).toEqual([30, 7]);
    const maintenance = new Queue('crm-maintenance', { connection: rig.env.services.bullRedis, prefix: rig.env.config.REDIS_PREFIX });
    expect(await maintenance.getJobSchedulersCount()).toBe(1);
    await maintenance.close();
    await until(async () => (await readyz()).status === 200, 5000, 'readiness after the recovery');
    expect((await readyz()).body.checks).toEqual({ mysql: 'ok', redis: 'ok', jobs: 'ok' }); // the queues are part of readiness
  });
});

describe('Redis stopped and restarted (empty) mid-recall', () => {
  it('answers 503 on /readyz and still chats during the outage; then sends every member exactly once', { timeout: 120_000 }, async () => {
    const { recallId, phones } = await launch(N);
    await until(() => sendsTo(phones).size >= 30, 30_000, 'the recall to be under way');
    await redis.stop();
    expect(sendsTo(phones).size).toBeLessThan(N);

    await until(async () => (await readyz()).status === 503, 5000, 'readiness to drop');
    const during = await readyz();
    expect(during.status).toBe(503);

    // Chat degrades instead of failing: a read is answered, a write is declined with "try later".
    const read = await chat('帮助');
    expect(read.status).toBe(200);
    expect(read.body.reply?.length).toBeGreaterThan(0);
    const write = await chat('给本店高风险流失会员发召回券');
    expect(write.status).toBe(200);
    expect(write.body.reply).toContain('稍后再试');

    await new Promise((r) => setTimeout(r, 2000));
    await redis.start();
    const restartedAt = Date.now();
    await until(() => sendsTo(phones).size === N, RECOVERY_MS, 'every member to be sent');
    const took = Date.now() - restartedAt;
    await new Promise((r) => setTimeout(r, 1500));
    await expectSentOnce(recallId, phones);
    console.info(`${expect.getState().currentTestName}: every member sent ${took} ms after the fault`);
    expect(took).toBeLessThan(RECOVERY_MS);
    await until(async () => (await readyz()).status === 200, 10_000, 'readiness after the restart');
    const after = await chat('帮助');
    expect(after.status).toBe(200);
  });
});
