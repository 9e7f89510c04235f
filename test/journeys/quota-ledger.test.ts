import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { automationLogs, setMassCap } from '../../src/crm/automation/index.ts';
import { massPeriod } from '../../src/crm/automation/quota/index.ts';
import { WECOM_PER_RECIPIENT } from '../../src/crm/automation/journeys/channel-limits.ts';
import type { JourneyDefinitionInput } from '../../src/crm/automation/journeys/definition.ts';
import { enrollMembers } from '../../src/crm/automation/journeys/schedule.ts';
import { createJourney } from '../../src/crm/automation/journeys/store.ts';
import { MP_TEMPLATES } from '../../src/crm/automation/journeys/templates.ts';
import type { StaffAccess } from '../../src/crm/kernel/index.ts';
import { createRig, grantSubscription, insertMembers, type Rig } from './support.ts';

/**
 * The quota ledger (src/crm/automation/quota) asked before every journey send, over the real
 * engine, worker, database, Redis limiter and the fake WeCom / WeChat / SMS providers.
 */

// Wednesday 2026-11-18 10:00 China time.
const START = new Date('2026-11-18T02:00:00.000Z');

let rig: Rig;
let memberNo = 0;
let admin: StaffAccess;
const members = async (specs: Parameters<typeof insertMembers>[1]) => {
  const ids = await insertMembers(rig.env, specs, memberNo);
  memberNo += specs.length;
  return ids;
};
const journey = async (definition: JourneyDefinitionInput) => (await createJourney(rig.env.services, 'test', { name: 'quota', definition, status: 'active' })).id;
const service = (text: string, channels: ('sms' | 'wecom' | 'miniprogram')[], extra: Record<string, unknown> = {}) => ({ kind: 'message' as const, text, channels, marketing: false, ...extra });

async function rows(journeyId: number): Promise<{ member_id: number; step_id: string; result: string; channel: string | null; error: string | null; quota_decision: string | null; quota_reason: string | null; detail: { quota?: { decision: string; reason: string }[] } | null }[]> {
  const [r] = await rig.env.services.sql.query<RowDataPacket[]>(
    'SELECT member_id, step_id, result, channel, error, quota_decision, quota_reason, detail FROM journey_step_executions WHERE journey_id = ? ORDER BY member_id, id',
    [journeyId],
  );
  return r.map((x) => ({ ...x, detail: typeof x.detail === 'string' ? JSON.parse(x.detail) : x.detail })) as never;
}

beforeAll(async () => {
  rig = await createRig('journey_quota', { start: START, env: { JOURNEY_QUIET_HOURS: '21:00-09:00' } });
  rig.startWorker();
  const [r] = await rig.env.services.sql.query<import('mysql2').ResultSetHeader>("INSERT INTO staff (wecom_user_id, name, role) VALUES ('quota_admin', '管理员', 'admin')");
  admin = {
    services: rig.env.services,
    actor: { kind: 'staff', staffId: r.insertId, wecomUserId: 'quota_admin', name: '管理员', role: 'admin', storeIds: [] },
    channel: 'api',
    requestId: 'quota-test',
  };
});
afterAll(async () => rig?.close());

describe('quota ledger', () => {
  it('quiet hours defer the send to their end, then it goes out once; the log shows both decisions', async () => {
    const [m] = await members([{}]);
    const id = await journey({ trigger: { type: 'manual' }, steps: [{ id: 'night', type: 'action', action: service('夜间服务通知', ['sms']) }] });
    const saved = rig.clock.now;
    rig.clock.now = new Date('2026-11-25T13:30:00.000Z'); // 21:30 China time
    await enrollMembers(rig.deps, id, [m!], { occurrence: 'q' });
    await rig.drain();
    let log = await rows(id);
    expect(log.map((e) => [e.result, e.quota_decision, e.quota_reason])).toEqual([['deferred', 'deferred', 'quiet_hours']]);
    // Durable: the enrolment says when (MySQL), not only the delayed job.
    const [enr] = await rig.env.services.sql.query<RowDataPacket[]>('SELECT next_run_at FROM journey_enrollments WHERE journey_id = ?', [id]);
    expect(new Date(enr[0]!.next_run_at).getTime()).toBeGreaterThanOrEqual(new Date('2026-11-26T01:00:00.000Z').getTime()); // 09:00 China time
    await rig.advance(11 * 3600_000); // 08:30: still quiet
    expect(rig.sms.delivered.filter((s) => s.text === '夜间服务通知')).toHaveLength(0);
    await rig.advance(3600_000); // 09:30
    expect(rig.sms.delivered.filter((s) => s.text === '夜间服务通知')).toHaveLength(1);
    log = await rows(id);
    expect(log.map((e) => [e.result, e.channel, e.quota_decision, e.quota_reason])).toEqual([['sent', 'sms', 'sent', 'ok']]);
    expect(log[0]!.detail?.quota?.map((q) => [q.decision, q.reason])).toEqual([['deferred', 'quiet_hours']]);

    // What a marketer reads (GET /api/crm/automation-logs is this function behind the route).
    const api = await automationLogs(admin, { journeyId: id, page: 1, pageSize: 10 });
    expect(api.items.map((i) => [i.result, i.quotaDecision, i.quotaReason])).toEqual([['sent', 'sent', 'ok']]);
    rig.clock.now = saved;
  });

  it('a member over the 群发 cap is suppressed with the reason; the cap follows the setting', async () => {
    // Default: as many per month as the month has days.
    expect(massPeriod({ per: 'month' }, START).limit).toBe(30);
    expect(massPeriod({ per: 'month' }, new Date('2027-02-10T02:00:00.000Z')).limit).toBe(28);
    expect(massPeriod({ per: 'week' }, START)).toMatchObject({ limit: 7, start: new Date('2026-11-15T16:00:00.000Z') }); // Monday 00:00 China time
    await setMassCap(admin, { per: 'day' });
    const [audit] = await rig.env.services.sql.query<RowDataPacket[]>("SELECT action FROM audit_logs WHERE action = 'journeys.wecom_mass_cap.set'");
    expect(audit).toHaveLength(1);
    try {
      const [m] = await members([{ external: true }]);
      const id = await journey({
        trigger: { type: 'manual' },
        steps: [
          { id: 'first', type: 'action', action: service('第一条群发', ['wecom']) },
          { id: 'second', type: 'action', action: service('第二条群发', ['wecom', 'sms']) },
        ],
      });
      await enrollMembers(rig.deps, id, [m!], { occurrence: 'mass' });
      await rig.drain();
      expect(rig.wecom.external.filter((e) => e.externalUserId === `wm_${memberNo - 1}`).map((e) => e.content)).toEqual(['第一条群发']);
      // Suppressed, not moved to SMS: the cap protects the customer, not the channel.
      expect(rig.sms.delivered.filter((s) => s.text === '第二条群发')).toHaveLength(0);
      const log = await rows(id);
      expect(log.map((e) => [e.step_id, e.result, e.quota_decision, e.quota_reason])).toEqual([
        ['first', 'sent', 'sent', 'ok'],
        ['second', 'skipped', 'suppressed', 'wecom_mass_cap'],
      ]);
      expect(log[1]!.error).toMatch(/1 of 1 群发 per day/);
      const api = await automationLogs(admin, { journeyId: id, quotaDecision: 'suppressed', page: 1, pageSize: 10 });
      expect(api.items.map((i) => [i.stepId, i.quotaReason])).toEqual([['second', 'wecom_mass_cap']]);
    } finally {
      await setMassCap(admin, { per: 'month' });
    }
  });

  it('mini-program subscribe quota exhausted: falls back to the next channel the step allows', async () => {
    const [none, granted] = await members([{ openid: true, external: true }, { openid: true, external: true }]);
    await grantSubscription(rig.env, `o_${memberNo - 1}`, MP_TEMPLATES.reminder);
    const subscribe = { templateId: MP_TEMPLATES.reminder, data: { thing1: '预约提醒', thing2: '明天 10:00' } };
    const id = await journey({ trigger: { type: 'manual' }, steps: [{ id: 'remind', type: 'action', action: service('您的预约在明天 10:00', ['miniprogram', 'wecom'], { subscribe }) }] });
    await enrollMembers(rig.deps, id, [none!, granted!], { occurrence: 'mp' });
    await rig.drain();
    const log = await rows(id);
    expect(log.map((e) => [e.member_id, e.result, e.channel, e.quota_decision, e.quota_reason])).toEqual([
      [none, 'sent', 'wecom', 'fallback', 'mp_subscribe_quota'],
      [granted, 'sent', 'miniprogram', 'sent', 'ok'],
    ]);
    // The ledger asked first: WeChat was never called for the member without quota.
    expect(rig.weixin.sent.filter((s) => s.api === 'subscribe').map((s) => s.touser)).toEqual([`o_${memberNo - 1}`]);
    expect(rig.wecom.external.filter((e) => e.content === '您的预约在明天 10:00').map((e) => e.externalUserId)).toEqual([`wm_${memberNo - 2}`]);
  });

  it('the WeCom per-recipient minute limit defers the send (same counter as every sender), then it goes out once', async () => {
    const [m] = await members([{ external: true }]);
    const to = `wm_${memberNo - 1}`;
    // 30 messages to this customer this minute through the one limiter (kernel rate-limit.ts).
    for (let i = 0; i < 30; i++) expect(await rig.deps.limiter.windows(`wecom:${to}`, WECOM_PER_RECIPIENT)).toBe(0);
    const id = await journey({ trigger: { type: 'manual' }, steps: [{ id: 'burst', type: 'action', action: service('第31条', ['wecom', 'sms']) }] });
    await enrollMembers(rig.deps, id, [m!], { occurrence: 'rl' });
    await rig.drain();
    let log = await rows(id);
    expect(log.map((e) => [e.result, e.quota_decision, e.quota_reason])).toEqual([['deferred', 'deferred', 'wecom_rate_minute']]);
    expect(rig.wecom.external.filter((e) => e.content === '第31条')).toHaveLength(0);
    expect(rig.sms.delivered.filter((s) => s.text === '第31条')).toHaveLength(0); // deferred, not dropped nor rerouted
    await rig.advance(61_000);
    expect(rig.wecom.external.filter((e) => e.content === '第31条').map((e) => e.externalUserId)).toEqual([to]);
    log = await rows(id);
    expect(log.map((e) => [e.result, e.channel, e.quota_decision])).toEqual([['sent', 'wecom', 'sent']]);
    expect(log[0]!.detail?.quota?.map((q) => q.reason)).toEqual(['wecom_rate_minute']);
  });

  it('the hour window (1000/h) is told apart from the minute window: its own reason, deferred to the end of the hour', async () => {
    const [m] = await members([{ external: true }]);
    const to = `wm_${memberNo - 1}`;
    // 1000 this hour, spread so no minute holds 30: the hour window is the full one.
    const hourStart = Math.floor(rig.clock.now.getTime() / 3_600_000) * 3_600_000 + 3_600_000;
    for (let i = 0; i < 1000; i++) {
      rig.clock.now = new Date(hourStart + Math.floor(i / 25) * 60_000 + 1000);
      expect(await rig.deps.limiter.windows(`wecom:${to}`, WECOM_PER_RECIPIENT)).toBe(0);
    }
    rig.clock.now = new Date(hourStart + 45 * 60_000);
    const { waitMs, full } = await rig.deps.limiter.windowsWhich(`wecom:${to}`, WECOM_PER_RECIPIENT);
    expect([full, waitMs > 14 * 60_000]).toEqual([1, true]);
    const id = await journey({ trigger: { type: 'manual' }, steps: [{ id: 'hour', type: 'action', action: service('第1001条', ['wecom', 'sms']) }] });
    await enrollMembers(rig.deps, id, [m!], { occurrence: 'rl-hour' });
    await rig.drain();
    const log = await rows(id);
    expect(log.map((e) => [e.result, e.quota_decision, e.quota_reason])).toEqual([['deferred', 'deferred', 'wecom_rate_hour']]);
    expect(log[0]!.error).toMatch(/wecom_rate_hour/);
    expect(rig.wecom.external.filter((e) => e.content === '第1001条')).toHaveLength(0);
    await rig.advance(16 * 60_000);
    expect(rig.wecom.external.filter((e) => e.content === '第1001条').map((e) => e.externalUserId)).toEqual([to]);
  });

  it('the weekly frequency cap (journey_frequency) suppresses marketing with the reason', async () => {
    const [m] = await members([{}]);
    const promo = (text: string) => ({ kind: 'message' as const, text, channels: ['sms' as const] });
    const id = await journey({
      trigger: { type: 'manual' },
      steps: [
        { id: 'p1', type: 'action', action: promo('周促1') },
        { id: 'p2', type: 'action', action: promo('周促2') },
        { id: 'p3', type: 'action', action: promo('周促3') },
      ],
    });
    await enrollMembers(rig.deps, id, [m!], { occurrence: 'cap' });
    await rig.drain();
    const log = await rows(id);
    expect(log.map((e) => [e.step_id, e.result, e.quota_decision, e.quota_reason])).toEqual([
      ['p1', 'sent', 'sent', 'ok'],
      ['p2', 'sent', 'sent', 'ok'],
      ['p3', 'skipped', 'suppressed', 'frequency_cap'],
    ]);
    const [f] = await rig.env.services.sql.query<RowDataPacket[]>('SELECT sent FROM journey_frequency WHERE member_id = ?', [m]);
    expect(f.map((r) => Number(r.sent))).toEqual([2]);
  });
});
