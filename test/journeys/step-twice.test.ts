/**
 * One member's step run twice at once (docs/journeys.md, "Delivery states"): after a crash a
 * batch's re-run hands a member to the per-member engine while the job it had queued for that
 * member before the crash runs too, or a stalled job runs beside its replacement. Whatever the
 * timing, the provider gets the message once: the `sending` mark moves the row on only from the
 * attempt count its run read, and a WeCom lookup that does not find an attempt still young enough
 * to be in flight is not believed yet. The batch path marks only rows nobody else took.
 */
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processStep } from '../../src/crm/automation/journeys/engine.ts';
import { createSendGate, processBatch } from '../../src/crm/automation/journeys/batch.ts';
import { enrollMembers } from '../../src/crm/automation/journeys/schedule.ts';
import { createJourney } from '../../src/crm/automation/journeys/store.ts';
import { createRig, insertMembers, type Rig } from './support.ts';

let rig: Rig;

beforeAll(async () => {
  rig = await createRig('step_twice', { start: new Date(), env: { JOURNEY_QUIET_HOURS: 'off' } });
  // The real clock: the WeCom lookup compares our attempt's time with the platform's.
  Object.defineProperty(rig.clock, 'now', { get: () => new Date(), set: () => undefined });
}, 180_000);

afterAll(async () => {
  await rig?.close();
});

/** A journey of one message on `channel`, with `n` members enrolled (their jobs queued, no worker running them). */
async function enrolled(label: string, channel: 'wecom' | 'sms', specs: { external?: boolean }[], from: number): Promise<{ journeyId: number; enrollments: { id: number; memberId: number }[] }> {
  const ids = await insertMembers(rig.env, specs, from);
  const journeyId = (
    await createJourney(rig.env.services, 't', {
      name: label,
      status: 'active',
      definition: { trigger: { type: 'manual' }, steps: [{ id: 'msg', type: 'action', action: { kind: 'message', text: `{name}，${label}`, channels: [channel] } }, { id: 'done', type: 'exit' }] },
    })
  ).id;
  await enrollMembers(rig.deps, journeyId, ids, { occurrence: 'launch' });
  const [rows] = await rig.env.services.sql.query<RowDataPacket[]>('SELECT id, member_id FROM journey_enrollments WHERE journey_id = ? ORDER BY id', [journeyId]);
  return { journeyId, enrollments: rows.map((r) => ({ id: Number(r.id), memberId: Number(r.member_id) })) };
}

async function row(journeyId: number, memberId: number): Promise<RowDataPacket> {
  const [rows] = await rig.env.services.sql.query<RowDataPacket[]>("SELECT result, attempts, channel, acked_at FROM journey_step_executions WHERE journey_id = ? AND member_id = ? AND step_id = 'msg'", [journeyId, memberId]);
  return rows[0]!;
}

describe('a message step run twice side by side', () => {
  it('sends a WeCom message once when both runs find the step unsent', async () => {
    rig.wecom.setDelay(300);
    try {
      const { journeyId, enrollments } = await enrolled('两次同时', 'wecom', [{ external: true }], 9000);
      const [e] = enrollments;
      const run = () => processStep(rig.deps, { enrollmentId: e!.id, stepId: 'msg' }, { finalAttempt: false }).then((o) => o.kind, (err: Error) => `retry: ${err.message}`);
      const outcomes = await Promise.all([run(), run()]);
      expect(rig.wecom.external.filter((m) => m.externalUserId === 'wm_9000')).toHaveLength(1);
      // One run sent and moved on; the other stood down (or will ask again later), and said which.
      expect(outcomes.filter((o) => o === 'next')).toHaveLength(1);
      expect(outcomes.find((o) => o !== 'next')).toMatch(/^retry: (another run of this step is sending it|.*may still be waiting for its answer)/);
      expect(await row(journeyId, e!.memberId)).toMatchObject({ result: 'sent', attempts: 1, channel: 'wecom' });
    } finally {
      rig.wecom.setDelay(0);
    }
  });

  it('does not take a WeCom send still in flight for a lost one: the second run asks again later, and the lookup then finds it', async () => {
    // Only the send is slow: the second run's lookup answers while the first run's send is still on its way.
    rig.wecom.setDelay(1500, '/cgi-bin/externalcontact/add_msg_template');
    try {
      const { journeyId, enrollments } = await enrolled('一先一后', 'wecom', [{ external: true }], 9001);
      const [e] = enrollments;
      const first = processStep(rig.deps, { enrollmentId: e!.id, stepId: 'msg' }, { finalAttempt: false });
      // The second run starts once the first has marked the row `sending` and is waiting for WeCom.
      for (let i = 0; i < 100 && (await row(journeyId, e!.memberId))?.result !== 'sending'; i++) await new Promise((r) => setTimeout(r, 20));
      expect((await row(journeyId, e!.memberId)).result).toBe('sending');
      const second = await processStep(rig.deps, { enrollmentId: e!.id, stepId: 'msg' }, { finalAttempt: false }).then(
        (o) => o.kind,
        (err: Error) => `retry: ${err.message}`,
      );
      expect(second).toMatch(/^retry: .*wecom: the attempt \d+ s ago may still be waiting for its answer/);
      expect((await first).kind).toBe('next');
      // The job's retry: the row is final, so it replays without sending.
      expect((await processStep(rig.deps, { enrollmentId: e!.id, stepId: 'msg' }, { finalAttempt: false })).kind).toBe('next');
      expect(rig.wecom.external.filter((m) => m.externalUserId === 'wm_9001')).toHaveLength(1);
      expect(await row(journeyId, e!.memberId)).toMatchObject({ result: 'sent', attempts: 1 });
    } finally {
      rig.wecom.setDelay(0);
    }
  });

  it('a batch and the engine on the same SMS members: each message once, every row sent', async () => {
    rig.sms.setDelay(200);
    try {
      const n = 12;
      const { journeyId, enrollments } = await enrolled('批量与单个', 'sms', Array.from({ length: n }, () => ({})), 9100);
      const gate = createSendGate(8);
      const before = rig.sms.delivered.length;
      const requestsBefore = rig.sms.requests;
      const duplicatesBefore = rig.sms.duplicates;
      // The batch's run and a per-member job for each member, all at once.
      const runs: Promise<unknown>[] = [processBatch(rig.deps, { enrollmentIds: enrollments.map((x) => x.id), stepId: 'msg' }, { gate })];
      // Each per-member run is retried as the worker retries a job (a deadlock between the batch's
      // claim and a run's statements, a run that lost the mark) until it settles.
      const asJob = async (enrollmentId: number) => {
        const seenTries: string[] = [];
        for (let i = 0; i < 8; i++) {
          try {
            seenTries.push((await processStep(rig.deps, { enrollmentId, stepId: 'msg' }, { finalAttempt: false })).kind);
            return seenTries.join(' → ');
          } catch (err) {
            seenTries.push(`retry: ${(err as Error).message.slice(0, 60)}`);
            await new Promise((r) => setTimeout(r, 250));
          }
        }
        return seenTries.join(' → ');
      };
      for (const x of enrollments) runs.push(asJob(x.id));
      const outcomes = await Promise.all(runs);
      const [state] = await rig.env.services.sql.query<RowDataPacket[]>("SELECT member_id, result, attempts, error FROM journey_step_executions WHERE journey_id = ? AND step_id = 'msg' ORDER BY member_id", [journeyId]);
      const seen = JSON.stringify({ outcomes: outcomes.slice(1), rows: state.map((r) => `${r.member_id}:${r.result}/${r.attempts}${r.error ? ` ${r.error}` : ''}`) });
      const got = rig.sms.delivered.slice(before).map((d) => d.to);
      // Each member's message delivered once; any second request was a resend under the same key, collapsed by the provider.
      expect(got.sort(), seen).toEqual(Array.from({ length: n }, (_, i) => `139${String(9100 + i).padStart(8, '0')}`).sort());
      expect(rig.sms.requests - requestsBefore).toBe(n + (rig.sms.duplicates - duplicatesBefore));
      const [rows] = await rig.env.services.sql.query<RowDataPacket[]>("SELECT result, attempts FROM journey_step_executions WHERE journey_id = ? AND step_id = 'msg'", [journeyId]);
      // Every row sent, marked once.
      expect(rows.map((r) => `${r.result}/${r.attempts}`)).toEqual(Array.from({ length: n }, () => 'sent/1'));
    } finally {
      rig.sms.setDelay(0);
    }
  });
});
