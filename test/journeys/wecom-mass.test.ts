import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { automationLogs, setMassCap } from '../../src/crm/automation/index.ts';
import { decide } from '../../src/crm/automation/quota/index.ts';
import type { JourneyDefinitionInput } from '../../src/crm/automation/journeys/definition.ts';
import { MASS_POLL_MS } from '../../src/crm/automation/journeys/mass-send.ts';
import { enrollMembers } from '../../src/crm/automation/journeys/schedule.ts';
import { createJourney } from '../../src/crm/automation/journeys/store.ts';
import type { StaffAccess } from '../../src/crm/kernel/index.ts';
import { createRig, insertMembers, type Rig } from './support.ts';

/**
 * The 群发 journey action (`wecom_mass`) over the real engine, worker, database and the fake
 * WeCom speaking add_msg_template / get_groupmsg_task / get_groupmsg_send_result /
 * cancel_groupmsg_send: the step waits for the staff member's confirmation, records each
 * member's outcome on the journey log, and the member counts against the 群发 cap only while it
 * waits and once it is sent.
 */

// Wednesday 2026-11-18 10:00 China time.
const START = new Date('2026-11-18T02:00:00.000Z');

let rig: Rig;
let memberNo = 0;
let admin: StaffAccess;
const members = async (n: number) => {
  const ids = await insertMembers(rig.env, Array.from({ length: n }, () => ({ external: true })), memberNo);
  const ext = ids.map((_, i) => `wm_${memberNo + i}`);
  memberNo += n;
  return { ids, ext };
};
const journey = async (definition: JourneyDefinitionInput) => (await createJourney(rig.env.services, 'test', { name: 'mass', definition, status: 'active' })).id;
const mass = (text: string, confirmHours = 24) => ({ kind: 'wecom_mass' as const, text, confirmHours, marketing: false });
const then = { id: 'after', type: 'action' as const, action: { kind: 'message' as const, text: '后续短信', channels: ['sms' as const], marketing: false } };

type LogRow = { member_id: number; step_id: string; result: string; channel: string | null; error: string | null; provider_id: string | null; quota_decision: string | null; quota_reason: string | null; detail: { mass?: Record<string, unknown> } | null };
async function rows(journeyId: number): Promise<LogRow[]> {
  const [r] = await rig.env.services.sql.query<RowDataPacket[]>(
    'SELECT member_id, step_id, result, channel, error, provider_id, quota_decision, quota_reason, detail FROM journey_step_executions WHERE journey_id = ? ORDER BY member_id, id',
    [journeyId],
  );
  return r.map((x) => ({ ...x, detail: typeof x.detail === 'string' ? JSON.parse(x.detail) : x.detail })) as never;
}

beforeAll(async () => {
  rig = await createRig('journey_mass', { start: START, env: { JOURNEY_QUIET_HOURS: 'off' } });
  rig.startWorker();
  const [r] = await rig.env.services.sql.query<ResultSetHeader>("INSERT INTO staff (wecom_user_id, name, role) VALUES ('mass_admin', '管理员', 'admin')");
  admin = { services: rig.env.services, actor: { kind: 'staff', staffId: r.insertId, wecomUserId: 'mass_admin', name: '管理员', role: 'admin', storeIds: [] }, channel: 'api', requestId: 'mass-test' };
});
afterAll(async () => rig?.close());

describe('群发 journey action', () => {
  it('waits for the staff member to confirm, records each member\'s outcome, and only then goes on', async () => {
    const { ids, ext } = await members(3);
    const text = '双十二会员日，到店领券';
    const id = await journey({ trigger: { type: 'manual' }, steps: [{ id: 'mass', type: 'action', action: mass(text) }, then] });
    await enrollMembers(rig.deps, id, ids, { occurrence: 'confirm' });
    await rig.drain();
    // Created for each member, not sent: the rows wait (`sending`) holding the msgid.
    let log = await rows(id);
    expect(log.map((e) => [e.step_id, e.result, e.channel])).toEqual(ids.map(() => ['mass', 'sending', 'wecom']));
    expect(log.every((e) => typeof e.provider_id === 'string' && e.provider_id === e.detail?.mass?.msgid && e.detail?.mass?.status === 'awaiting')).toBe(true);
    expect(rig.wecom.external.filter((e) => e.content === text).map((e) => e.externalUserId).sort()).toEqual([...ext].sort());
    expect(rig.sms.delivered.filter((s) => s.text === '后续短信')).toHaveLength(0);

    // Nothing confirmed yet: asking again changes nothing.
    await rig.advance(MASS_POLL_MS + 1000);
    expect((await rows(id)).map((e) => e.result)).toEqual(['sending', 'sending', 'sending']);

    // The staff member sends them: the first arrives, the second customer had deleted the staff
    // member (2: not a contact), the third had received their month's 群发 already (3).
    expect(rig.wecom.confirmMass(text, { [ext[1]!]: 2, [ext[2]!]: 3 })).toBe(3);
    await rig.advance(MASS_POLL_MS + 1000);
    log = await rows(id);
    expect(log.filter((e) => e.step_id === 'mass').map((e) => [e.member_id, e.result, e.quota_decision, e.quota_reason])).toEqual([
      [ids[0], 'sent', 'sent', 'ok'],
      [ids[1], 'unreachable', null, null],
      [ids[2], 'skipped', 'suppressed', 'wecom_mass_cap'],
    ]);
    const byMember = log.filter((e) => e.step_id === 'mass');
    expect(byMember[0]!.detail?.mass).toMatchObject({ status: 'sent', sender: 'fake_staff', checks: 2 });
    expect(byMember[1]!.error).toMatch(/not fake_staff's contact/);
    expect(byMember[2]!.error).toMatch(/WeCom refused/);
    // The journey went on after the 群发 step, for every member.
    expect(log.filter((e) => e.step_id === 'after').map((e) => e.result)).toEqual(['sent', 'sent', 'sent']);

    // What a marketer reads in the automation logs.
    const api = await automationLogs(admin, { journeyId: id, page: 1, pageSize: 10 });
    expect(api.items.filter((i) => i.stepId === 'mass').map((i) => [i.result, i.quotaReason]).sort()).toEqual([
      ['sent', 'ok'],
      ['skipped', 'wecom_mass_cap'],
      ['unreachable', null],
    ]);
  });

  it('not confirmed in time: withdrawn, recorded as not confirmed, not counted against the cap; the journey goes on', async () => {
    await setMassCap(admin, { per: 'day' });
    try {
      const { ids, ext } = await members(1);
      const id = await journey({ trigger: { type: 'manual' }, steps: [{ id: 'mass', type: 'action', action: mass('无人确认的群发', 1) }, then] });
      await enrollMembers(rig.deps, id, ids, { occurrence: 'lapse' });
      await rig.drain();
      const msgid = (await rows(id))[0]!.provider_id;
      // While it waits it holds the member's one 群发 of the day: another is suppressed.
      const other = await journey({ trigger: { type: 'manual' }, steps: [{ id: 'mass', type: 'action', action: mass('同日第二条') }] });
      await enrollMembers(rig.deps, other, ids, { occurrence: 'second' });
      await rig.drain();
      expect((await rows(other)).map((e) => [e.result, e.quota_reason])).toEqual([['skipped', 'wecom_mass_cap']]);

      await rig.advance(3600_000 + 1000); // the hour to confirm is over
      const log = await rows(id);
      expect(log.map((e) => [e.step_id, e.result])).toEqual([
        ['mass', 'skipped'],
        ['after', 'sent'],
      ]);
      expect(log[0]!.error).toMatch(/not confirmed: fake_staff did not send the 群发 within 1 h; withdrawn/);
      expect(rig.wecom.withdrawn).toContain(msgid);
      // A late confirmation sends nothing: the task was stopped.
      expect(rig.wecom.confirmMass('无人确认的群发')).toBe(0);

      // Not counted: a third 群发 the same day is created.
      const third = await journey({ trigger: { type: 'manual' }, steps: [{ id: 'mass', type: 'action', action: mass('同日第三条') }] });
      await enrollMembers(rig.deps, third, ids, { occurrence: 'third' });
      await rig.drain();
      expect((await rows(third)).map((e) => e.result)).toEqual(['sending']);
      expect(rig.wecom.external.filter((e) => e.externalUserId === ext[0]).map((e) => e.content)).toEqual(['无人确认的群发', '同日第三条']);
    } finally {
      await setMassCap(admin, { per: 'month' });
    }
  });

  it('the cap is reserved atomically: concurrent sends for one member with one 群发 left — exactly one passes', async () => {
    await setMassCap(admin, { per: 'day' });
    try {
      const { ids, ext } = await members(1);
      const sql = rig.env.services.sql;
      const execs: number[] = [];
      for (let i = 0; i < 6; i++) {
        const [r] = await sql.query<ResultSetHeader>(
          "INSERT INTO journey_step_executions (member_id, journey_id, enrollment_id, step_id, step_type, action, result, marketing, created_at) VALUES (?, 9000, ?, 'race', 'action', 'wecom_mass', 'pending', 0, ?)",
          [ids[0], 9000 + i, rig.clock.now],
        );
        execs.push(r.insertId);
      }
      const ask = (executionId: number) =>
        decide(rig.deps, { memberId: ids[0]!, channel: 'wecom', now: rig.clock.now, marketing: false, allowed: ['wecom'], message: { key: `race-${executionId}`, to: ext[0]!, text: 'x' }, executionId });
      const decisions = await Promise.all(execs.map(ask));
      expect(decisions.filter((d) => d.decision === 'sent')).toHaveLength(1);
      expect(decisions.filter((d) => d.decision === 'suppressed').map((d) => d.reason)).toEqual(Array(5).fill('wecom_mass_cap'));
      // The one that passed holds the reservation on its own row.
      const [held] = await sql.query<RowDataPacket[]>("SELECT id FROM journey_step_executions WHERE journey_id = 9000 AND result = 'sending' AND channel = 'wecom'");
      expect(held.map((r) => Number(r.id))).toEqual([execs[decisions.findIndex((d) => d.decision === 'sent')]]);
    } finally {
      await setMassCap(admin, { per: 'month' });
    }
  });
});
