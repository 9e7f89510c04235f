import { randomUUID } from 'node:crypto';
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/pipeline.ts';
import type { BotAnswer, HandleMessage } from '../../src/bot/types.ts';
import { launchRecall, listRecalls, recallAttribution, requeueEnrollments, requeueRecallFollowUps, stopRecall } from '../../src/crm/automation/index.ts';
import { activeStaffActor, type StaffAccess } from '../../src/crm/kernel/index.ts';
import { getIntent, intents } from '../../src/intents/catalogue.ts';
import { createRuleRouter } from '../../src/intents/router/rules.ts';
import { rejection } from '../support/rejection.ts';
import { createRig, insertMembers, type Rig } from './support.ts';

/**
 * Stopping a recall while the real journey worker sends it over the fake SMS provider, from chat
 * (召回列表 → 停止召回 N → 确认), with a negation and a question in between that must not stop it;
 * then nothing more goes out — not after the worker restarts, not after Redis lost its jobs and
 * they were put back from MySQL (src/jobs/recovery.ts).
 */
const START = new Date('2026-11-18T02:00:00.000Z'); // Wednesday 10:00 China time
const N = 200;
const MANAGER = 'sm_stop';

let rig: Rig;
let bot: HandleMessage;
let access: StaffAccess;
const say = async (text: string): Promise<BotAnswer> => {
  const out = await bot({ channel: 'console', messageId: randomUUID(), from: MANAGER, text, receivedAt: rig.clock.now, requestId: randomUUID() });
  if (out.kind !== 'answer') throw new Error(out.kind);
  return out.answer;
};
const sql = () => rig.env.services.sql;
const stoppedAt = async (id: number) => ((await sql().query<RowDataPacket[]>('SELECT stopped_at FROM recalls WHERE id = ?', [id]))[0][0]?.stopped_at as Date | null) ?? null;
const couponCount = async (id: number) => Number((await sql().query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM member_coupons WHERE source_ref = ?', [`recall:${id}`]))[0][0]!.n);
const waitFor = async (ok: () => Promise<boolean> | boolean, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

beforeAll(async () => {
  // A slow provider and a small worker, so the stop lands mid-recall.
  rig = await createRig('recall_stop', { start: START, sms: { delayMs: 40 }, env: { JOURNEY_QUIET_HOURS: 'off' } });
  await insertMembers(rig.env, Array.from({ length: N + 5 }, () => ({})));
  const [[store]] = await sql().query<RowDataPacket[]>('SELECT id FROM stores LIMIT 1');
  const [st] = await sql().query<ResultSetHeader>("INSERT INTO staff (wecom_user_id, name, role) VALUES (?, '周店长', 'store_manager')", [MANAGER]);
  await sql().query('INSERT INTO staff_stores (staff_id, store_id) VALUES (?, ?)', [st.insertId, store!.id]);
  access = { services: rig.env.services, actor: (await activeStaffActor(rig.env.services, MANAGER))!, channel: 'console', requestId: 'stop-test' };
  bot = createBot({ services: rig.env.services, router: createRuleRouter(intents), getIntent });
}, 120_000);
afterAll(async () => {
  await rig?.close();
});

describe('stopping a recall mid-send', () => {
  it('lists it, ignores a negation and a question, stops on confirmation, and nothing is sent after', { timeout: 120_000 }, async () => {
    const [rows] = await sql().query<RowDataPacket[]>('SELECT id FROM members ORDER BY id');
    const ids = rows.map((r) => Number(r.id));
    const r = await launchRecall(rig.deps, access, { audience: { kind: 'churn' }, couponAmount: 20, memberIds: ids.slice(0, N) });
    rig.startWorker(2);
    await waitFor(() => rig.sms.delivered.length >= 10);

    const list = await say('召回列表');
    expect(list.intent).toBe('recall.list');
    expect(list.text).toContain(`#${r.recallId} 进行中`);
    expect(list.text).toContain('周店长发起');
    expect(list.text).toContain(`停止召回 ${r.recallId}`);

    // A question about stopping is answered with the list; it stops nothing.
    const asked = await say('召回停了吗');
    expect(asked.intent).toBe('recall.list');
    expect(asked.outcome).toBe('answered');
    expect(await stoppedAt(r.recallId)).toBeNull();

    const held = await say(`停止召回 ${r.recallId}`);
    expect(held.intent).toBe('recall.stop');
    expect(held.outcome).toBe('held');
    expect(held.text).toContain(`将停止召回 #${r.recallId}`);
    expect(held.text).toContain('停止后不能恢复');
    // "先别停": declined, and the held stop is withdrawn — a later 确认 has nothing to run.
    const negated = await say('先别停');
    expect(negated.outcome).toBe('declined');
    expect(await stoppedAt(r.recallId)).toBeNull();
    const before = rig.sms.delivered.length;
    await waitFor(() => rig.sms.delivered.length > before); // still sending
    expect((await say('确认')).text).not.toContain('已停止');
    expect(await stoppedAt(r.recallId)).toBeNull();

    await say(`停止召回 ${r.recallId}`);
    const done = await say('确认');
    expect(done.outcome).toBe('done');
    expect(done.text).toContain(`已停止召回 #${r.recallId}`);
    expect(await stoppedAt(r.recallId)).not.toBeNull();

    // The stop answered after the sends in flight ended: from here nothing is sent, no coupon issued.
    const requests = rig.sms.requests;
    const coupons = await couponCount(r.recallId);
    await new Promise((res) => setTimeout(res, 1500));
    await rig.drain();
    expect(rig.sms.requests).toBe(requests);
    expect(await couponCount(r.recallId)).toBe(coupons);

    // Every member accounted for: sent (each once, as the provider saw) or cancelled.
    const item = (await listRecalls(access)).find((x) => x.id === r.recallId)!;
    const c = item.counts;
    expect(item.state).toBe('stopped');
    expect(c.sent).toBe(rig.sms.delivered.length);
    expect(new Set(rig.sms.delivered.map((d) => d.to)).size).toBe(c.sent);
    expect(c.sent).toBeGreaterThan(10);
    expect(c.cancelled).toBeGreaterThan(0);
    expect([c.pending, c.failed, c.sent + c.cancelled + c.unreachable + c.skipped]).toEqual([0, 0, N]);
    // Cancelled = the enrolment stopped before its message went out (a send in flight at the stop ended as sent).
    const [[cancelled]] = await sql().query<RowDataPacket[]>(
      "SELECT COUNT(*) AS n FROM journey_enrollments e LEFT JOIN journey_step_executions x ON x.enrollment_id = e.id AND x.step_id = 'message' WHERE e.recall_id = ? AND e.state = 'cancelled' AND (x.result IS NULL OR x.result <> 'sent')",
      [r.recallId],
    );
    expect(Number(cancelled!.n)).toBe(c.cancelled);
    // 召回做得怎么样了 tells a stopped recall from a finished one.
    const status = await say('召回做得怎么样了');
    expect(status.intent).toBe('recall.status');
    expect(status.text).toContain(`已停止：已发送 ${c.sent}`);
    expect(status.text).toContain(`已取消 ${c.cancelled}（召回已停止）`);

    // A worker restart, then Redis losing every job and the recovery putting back what MySQL says is due.
    await rig.worker!.close();
    await rig.env.services.queues.journey.obliterate({ force: true });
    await rig.env.services.queues.journeyControl.obliterate({ force: true });
    const steps = await requeueEnrollments(rig.deps, { busyGraceMs: 0 });
    expect(steps.requeued).toBe(0);
    const follow = await requeueRecallFollowUps(rig.env.services);
    expect(follow.checks).toBe(0); // no progress check for a stopped recall (its attribution reports remain)
    rig.startWorker(2);
    await rig.advance(60 * 60_000);
    await new Promise((res) => setTimeout(res, 500));
    expect(rig.sms.requests).toBe(requests);
    expect(await couponCount(r.recallId)).toBe(coupons);

    // Stopping again is the same as once; the API/chat say so.
    expect(await stopRecall(access, r.recallId)).toMatchObject({ alreadyStopped: true, cancelled: c.cancelled });
    expect((await say(`停止召回 ${r.recallId}`)).text).toContain(`召回 #${r.recallId} 已于`);

    // Its 7- and 30-day conversion reports are worked out and kept, but nobody is told: the stop was its last message.
    for (const days of [7, 30]) {
      expect(await recallAttribution(rig.env.services, r.recallId, days)).toMatchObject({ days, members: N });
      expect(await rig.env.services.queues.outbound.getJob(`staff-recall-${r.recallId}-attr-${days}`)).toBeUndefined();
    }
    const [[kept]] = await sql().query<RowDataPacket[]>('SELECT attribution FROM recalls WHERE id = ?', [r.recallId]);
    const a = typeof kept!.attribution === 'string' ? JSON.parse(kept!.attribution) : kept!.attribution;
    expect(Object.keys(a).sort()).toEqual(['d30', 'd7']);
  });

  it('a finished recall cannot be stopped (409), in chat and in the domain', { timeout: 60_000 }, async () => {
    const [rows] = await sql().query<RowDataPacket[]>('SELECT id FROM members ORDER BY id DESC LIMIT 5');
    const r = await launchRecall(rig.deps, access, { audience: { kind: 'churn' }, couponAmount: 10, memberIds: rows.map((x) => Number(x.id)) });
    await rig.drain();
    const e = await rejection(stopRecall(access, r.recallId));
    expect([e.code, e.status]).toEqual(['recall_finished', 409]);
    const chat = await say(`停止召回 ${r.recallId}`);
    expect(chat.text).toContain('已经完成');
    expect(await stoppedAt(r.recallId)).toBeNull();
    // A recall that ran its course reports its conversion to the launcher.
    await recallAttribution(rig.env.services, r.recallId, 7);
    expect(await rig.env.services.queues.outbound.getJob(`staff-recall-${r.recallId}-attr-7`)).toBeDefined();
  });
});
