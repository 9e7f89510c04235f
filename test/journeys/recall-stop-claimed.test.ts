/**
 * The batch path's window between a message claim and its `sending` mark (docs/journeys.md,
 * "Batches" and "Recall safety"): the claim inserts the rows `pending` with their weekly-cap slots,
 * then each group waits for send slots. Here the test holds every send slot of the batch's gate, so
 * the batch waits exactly there, and then:
 *   - the recall is stopped: nothing is sent, the claimed rows stay `pending` (no attempt), their
 *     cap slots are given back, and every member counts as cancelled;
 *   - another run of the step (the per-member engine, as after a crash) sends one claimed row: the
 *     batch sends the others and not that one, and no member holds two cap slots.
 */
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchRecall, listRecalls, stopRecall } from '../../src/crm/automation/index.ts';
import { createSendGate, processBatch, type SendGate } from '../../src/crm/automation/journeys/batch.ts';
import { processStep } from '../../src/crm/automation/journeys/engine.ts';
import { activeStaffActor, type StaffAccess } from '../../src/crm/kernel/index.ts';
import { createRig, insertMembers, type Rig } from './support.ts';

const START = new Date('2026-11-18T02:00:00.000Z'); // Wednesday 10:00 China time
const MANAGER = 'sm_claimed';

let rig: Rig;
let access: StaffAccess;
const sql = () => rig.env.services.sql;

beforeAll(async () => {
  rig = await createRig('recall_claimed', { start: START, env: { JOURNEY_QUIET_HOURS: 'off', JOURNEY_WEEKLY_CAP: '2' } });
  const [st] = await sql().query<ResultSetHeader>("INSERT INTO staff (wecom_user_id, name, role) VALUES (?, '郑店长', 'store_manager')", [MANAGER]);
  await insertMembers(rig.env, [{}]); // makes the store
  const [[store]] = await sql().query<RowDataPacket[]>('SELECT id FROM stores LIMIT 1');
  await sql().query('INSERT INTO staff_stores (staff_id, store_id) VALUES (?, ?)', [st.insertId, store!.id]);
  access = { services: rig.env.services, actor: (await activeStaffActor(rig.env.services, MANAGER))!, channel: 'console', requestId: 'claimed-test' };
}, 120_000);
afterAll(async () => {
  await rig?.close();
});

/** A recall of `n` new members (no worker runs: the test runs its batch), and its enrolments in batch order. */
async function recallOf(n: number, from: number): Promise<{ recallId: number; journeyId: number; enrollmentIds: number[]; memberIds: number[] }> {
  const memberIds = await insertMembers(rig.env, Array.from({ length: n }, () => ({})), from);
  const r = await launchRecall(rig.deps, access, { audience: { kind: 'churn' }, couponAmount: 20, memberIds });
  const [rows] = await sql().query<RowDataPacket[]>('SELECT id FROM journey_enrollments WHERE recall_id = ? ORDER BY id', [r.recallId]);
  return { recallId: r.recallId, journeyId: r.journeyId, enrollmentIds: rows.map((x) => Number(x.id)), memberIds };
}

/** Every send slot of `gate` held until the returned function is called. */
function holdAll(gate: SendGate): () => Promise<void> {
  let release!: () => void;
  const held = gate.hold(gate.size, () => new Promise<void>((r) => (release = r)));
  return async () => {
    release();
    await held;
  };
}

async function messageRows(journeyId: number): Promise<{ member_id: number; enrollment_id: number; result: string; attempts: number; detail: unknown }[]> {
  const [rows] = await sql().query<RowDataPacket[]>("SELECT member_id, enrollment_id, result, attempts, detail FROM journey_step_executions WHERE journey_id = ? AND step_id = 'message' ORDER BY id", [journeyId]);
  return rows.map((r) => ({ member_id: Number(r.member_id), enrollment_id: Number(r.enrollment_id), result: String(r.result), attempts: Number(r.attempts), detail: r.detail }));
}

async function capSlots(memberIds: readonly number[]): Promise<Map<number, number>> {
  const [rows] = await sql().query<RowDataPacket[]>('SELECT member_id, sent FROM journey_frequency WHERE member_id IN (?)', [memberIds]);
  return new Map(rows.map((r) => [Number(r.member_id), Number(r.sent)]));
}

async function until(ok: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('timed out');
}

describe('a message group between its claim and its mark', () => {
  it('a recall stopped there sends nothing: the claimed rows stay pending and their cap slots are given back', { timeout: 60_000 }, async () => {
    const { recallId, journeyId, enrollmentIds, memberIds } = await recallOf(8, 100);
    const gate = createSendGate(4); // groups of 2
    const release = holdAll(gate);
    const requests = rig.sms.requests;
    const batch = processBatch(rig.deps, { enrollmentIds, stepId: 'coupon' }, { gate });

    // The claim is made and the first group waits for its send slots.
    await until(async () => (await messageRows(journeyId)).length > 0);
    const claimed = await messageRows(journeyId);
    expect(claimed.every((r) => r.result === 'pending' && r.attempts === 0)).toBe(true);
    const claimedMembers = claimed.map((r) => r.member_id);
    const taken = await capSlots(claimedMembers);
    expect(claimedMembers.map((m) => taken.get(m))).toEqual(claimedMembers.map(() => 1));

    const stop = await stopRecall(access, recallId);
    expect(stop.alreadyStopped).toBe(false);
    await release();
    expect(await batch).toEqual([]); // nobody reached the exit

    // Nothing sent, no further group claimed, no member handed to the engine.
    expect(rig.sms.requests).toBe(requests);
    const after = await messageRows(journeyId);
    expect(after.map((r) => [r.member_id, r.result, r.attempts, r.detail])).toEqual(claimedMembers.map((m) => [m, 'pending', 0, null]));
    const slots = await capSlots(memberIds);
    expect(claimedMembers.map((m) => slots.get(m))).toEqual(claimedMembers.map(() => 0));
    expect([...slots.values()].every((n) => n === 0)).toBe(true);
    for (const id of enrollmentIds) expect(await rig.env.services.queues.journey.getJob(`${id}.message`)).toBeUndefined();

    // The recall counts every member cancelled; a later run of a claimed member's step sends nothing either.
    const item = (await listRecalls(access)).find((x) => x.id === recallId)!;
    expect([item.state, item.counts.sent, item.counts.cancelled, item.counts.pending]).toEqual(['stopped', 0, 8, 0]);
    const late = await processStep(rig.deps, { enrollmentId: claimed[0]!.enrollment_id, stepId: 'message' }, { finalAttempt: false });
    expect(late.kind).toBe('noop');
    expect(rig.sms.requests).toBe(requests);
    expect((await capSlots(claimedMembers)).get(claimedMembers[0]!)).toBe(0);
  });

  it('a claimed row another run sent meanwhile is not sent again by the batch, and keeps its one cap slot', { timeout: 60_000 }, async () => {
    const { journeyId, enrollmentIds, memberIds } = await recallOf(4, 200);
    const gate = createSendGate(4); // groups of 2
    const release = holdAll(gate);
    const requests = rig.sms.requests;
    const before = rig.sms.delivered.length;
    const batch = processBatch(rig.deps, { enrollmentIds, stepId: 'coupon' }, { gate });
    await until(async () => (await messageRows(journeyId)).length > 0);
    const [taken] = await messageRows(journeyId);

    // The engine runs that member's step (as a job queued before a crash would): it marks the claimed
    // row and sends it with the slot the claim took — a slow provider keeps it `sending` while the batch marks its group.
    rig.sms.setDelay(500);
    let outs;
    try {
      const engine = processStep(rig.deps, { enrollmentId: taken!.enrollment_id, stepId: 'message' }, { finalAttempt: false });
      await until(async () => (await messageRows(journeyId))[0]!.result === 'sending');
      await release();
      outs = await batch;
      expect((await engine).kind).toBe('next');
    } finally {
      rig.sms.setDelay(0);
    }
    // The batch completed the three it sent; the engine's member is the engine's to move on.
    expect(outs.map((o) => o.out.kind)).toEqual(['complete', 'complete', 'complete']);
    expect(outs.map((o) => o.enrollmentId)).not.toContain(taken!.enrollment_id);

    // Each member once, one request each: no resend, not even one the provider would have collapsed.
    const got = rig.sms.delivered.slice(before).map((d) => d.to);
    expect(got).toHaveLength(4);
    expect(new Set(got).size).toBe(4);
    expect(rig.sms.requests - requests).toBe(4);
    expect((await messageRows(journeyId)).map((r) => `${r.result}/${r.attempts}`)).toEqual(['sent/1', 'sent/1', 'sent/1', 'sent/1']);
    const slots = await capSlots(memberIds);
    expect(memberIds.map((m) => slots.get(m))).toEqual([1, 1, 1, 1]);
  });
});
