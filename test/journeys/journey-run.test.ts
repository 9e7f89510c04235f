import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JourneyDefinitionInput } from '../../src/crm/automation/journeys/definition.ts';
import { splitBucket } from '../../src/crm/automation/journeys/engine.ts';
import { enrollMembers } from '../../src/crm/automation/journeys/schedule.ts';
import { createJourney, setJourneyStatus } from '../../src/crm/automation/journeys/store.ts';
import { getTemplate, MP_TEMPLATES } from '../../src/crm/automation/journeys/templates.ts';
import { createRig, executions, grantSubscription, insertMembers, type Rig } from './support.ts';

// Wednesday 2026-11-18 10:00 China time.
const START = new Date('2026-11-18T02:00:00.000Z');
const DAY = 86_400_000;

let rig: Rig;
let memberNo = 0;
const members = async (specs: Parameters<typeof insertMembers>[1]) => {
  const ids = await insertMembers(rig.env, specs, memberNo);
  memberNo += specs.length;
  return ids;
};
const journey = async (definition: JourneyDefinitionInput, name = 'test') => (await createJourney(rig.env.services, 'test', { name, definition, status: 'active' })).id;
const msg = (text: string, extra: Record<string, unknown> = {}) => ({ kind: 'message' as const, text, channels: ['sms' as const], ...extra });

beforeAll(async () => {
  rig = await createRig('journey_run', { start: START });
  rig.startWorker();
});
afterAll(async () => rig?.close());

describe('a journey run end to end in accelerated time', () => {
  it('新会员注册 → 欢迎券 → 7天未消费 → 唤醒消息, over the mini-program, WeCom and SMS', async () => {
    const [a, b, c, d] = await members([{ openid: true }, { external: true }, {}, {}]);
    await grantSubscription(rig.env, `o_${memberNo - 4}`, MP_TEMPLATES.coupon);
    const id = await journey(getTemplate('welcome_coupon')!.definition, 'welcome');
    const r = await enrollMembers(rig.deps, id, [a!, b!, c!, d!], { occurrence: 'registered' });
    expect(r.enrolled).toBe(4);
    await rig.drain();

    const [coupons] = await rig.env.services.sql.query<RowDataPacket[]>("SELECT member_id, title, amount, source FROM member_coupons WHERE source = 'journey' ORDER BY member_id");
    expect(coupons.map((x) => [x.member_id, x.title, x.amount, x.source])).toEqual([a, b, c, d].map((m) => [m, '新人欢迎券', '10.00', 'journey']));
    expect(rig.weixin.sent.filter((s) => s.api === 'subscribe').map((s) => [s.touser, s.data?.thing1?.value, s.data?.amount2?.value])).toEqual([[`o_${memberNo - 4}`, '新人欢迎券', '10元']]);
    expect(rig.wecom.external.map((e) => e.externalUserId)).toEqual([`wm_${memberNo - 3}`]);
    expect(rig.wecom.external[0]!.content).toContain('10元「新人欢迎券」');
    expect(rig.sms.delivered.map((s) => s.to).sort()).toEqual([`139${String(memberNo - 2).padStart(8, '0')}`, `139${String(memberNo - 1).padStart(8, '0')}`]);

    // Day 3: member d orders; the others stay away.
    await rig.env.services.sql.query("INSERT INTO orders (order_no, member_id, store_id, amount, items, payment_method, paid_at) SELECT 'O-J-1', ?, home_store_id, 58.00, '[]', 'wechat', ? FROM members WHERE id = ?", [
      d,
      new Date(START.getTime() + 3 * DAY),
      d,
    ]);
    await rig.advance(3 * DAY);
    expect(rig.sms.delivered).toHaveLength(2); // nothing before the 7 days are up
    await rig.advance(4 * DAY);

    const log = await executions(rig.env, id);
    const wake = log.filter((e) => e.step_id === 'wake_msg');
    expect(wake.map((e) => [e.member_id, e.result, e.channel])).toEqual([
      [a, 'sent', 'sms'], // no quota left for the reminder template: fell back to SMS
      [b, 'sent', 'wecom'],
      [c, 'sent', 'sms'],
    ]);
    expect(log.filter((e) => e.member_id === d).map((e) => e.step_id)).toEqual(['welcome_coupon', 'welcome_msg', 'wait_7d', 'ordered', 'done']);
    const [states] = await rig.env.services.sql.query<RowDataPacket[]>('SELECT state, COUNT(*) AS n FROM journey_enrollments WHERE journey_id = ? GROUP BY state', [id]);
    expect(states.map((s) => [s.state, Number(s.n)])).toEqual([['completed', 4]]);
  });
});

describe('idempotency', () => {
  it('duplicate triggers enrol once and duplicate jobs send once', async () => {
    const [m] = await members([{}]);
    const id = await journey({ trigger: { type: 'order_paid' }, steps: [{ id: 'thanks', type: 'action', action: msg('谢谢惠顾', { marketing: false }) }] });
    const first = await enrollMembers(rig.deps, id, [m!, m!], { occurrence: 'o1' });
    const again = await enrollMembers(rig.deps, id, [m!], { occurrence: 'o1' });
    expect([first.enrolled, again.enrolled, again.duplicates]).toEqual([1, 0, 1]);
    // The same step job delivered twice more under other ids (a retry storm, a replayed event).
    const enr = first.enrollmentIds[0]!;
    await rig.env.services.queues.journey.add('step', { enrollmentId: enr, stepId: 'thanks', dueAt: 0 }, { jobId: `dup-a-${enr}` });
    await rig.env.services.queues.journey.add('step', { enrollmentId: enr, stepId: 'thanks', dueAt: 0 }, { jobId: `dup-b-${enr}` });
    await rig.drain();
    expect(rig.sms.delivered.filter((s) => s.text === '谢谢惠顾')).toHaveLength(1);
    expect(rig.sms.requests - rig.sms.delivered.length - rig.sms.duplicates).toBeGreaterThanOrEqual(0);
    const log = await executions(rig.env, id);
    expect(log.map((e) => e.result)).toEqual(['sent']);
  });
});

describe('delivery rules', () => {
  it('quiet hours defer a send to the morning instead of dropping it', async () => {
    const [m] = await members([{}]);
    const id = await journey({ trigger: { type: 'manual' }, steps: [{ id: 'night', type: 'action', action: msg('晚上好') }] });
    const saved = rig.clock.now;
    rig.clock.now = new Date('2026-11-25T14:30:00.000Z'); // 22:30 China time
    await enrollMembers(rig.deps, id, [m!], { occurrence: 'x' });
    await rig.drain();
    expect((await executions(rig.env, id)).map((e) => e.result)).toEqual(['deferred']);
    expect(rig.sms.delivered.filter((s) => s.text === '晚上好')).toHaveLength(0);
    await rig.advance(9 * 3600_000); // 07:30: still quiet
    expect(rig.sms.delivered.filter((s) => s.text === '晚上好')).toHaveLength(0);
    await rig.advance(2 * 3600_000); // 09:30
    const sent = rig.sms.delivered.filter((s) => s.text === '晚上好');
    expect(sent).toHaveLength(1);
    expect((await executions(rig.env, id)).map((e) => e.result)).toEqual(['sent']);
    rig.clock.now = saved;
  });

  it('caps marketing messages at 2 a week across journeys; service messages are not capped', async () => {
    const [m] = await members([{}]);
    const j1 = await journey({ trigger: { type: 'manual' }, steps: [{ id: 'p1', type: 'action', action: msg('促销1') }, { id: 'p2', type: 'action', action: msg('促销2') }] });
    const j2 = await journey({ trigger: { type: 'manual' }, steps: [{ id: 'p3', type: 'action', action: msg('促销3') }, { id: 's1', type: 'action', action: msg('服务通知', { marketing: false }) }] });
    await enrollMembers(rig.deps, j1, [m!], { occurrence: 'x' });
    await rig.drain();
    await enrollMembers(rig.deps, j2, [m!], { occurrence: 'x' });
    await rig.drain();
    const texts = rig.sms.delivered.filter((s) => s.to.endsWith(String(memberNo - 1).padStart(8, '0'))).map((s) => s.text);
    expect(texts).toEqual(['促销1', '促销2', '服务通知']);
    const log = await executions(rig.env, j2);
    expect(log[0]).toMatchObject({ step_id: 'p3', result: 'skipped' });
    expect(log[0]!.error).toMatch(/frequency_cap/);
  });

  it('honours unsubscribe at the moment of sending, also when it happens mid-journey', async () => {
    const [out, later] = await members([{ optOut: true }, {}]);
    const id = await journey({
      trigger: { type: 'manual' },
      steps: [
        { id: 'm1', type: 'action', action: msg('营销A') },
        { id: 'svc', type: 'action', action: msg('订单已发货', { marketing: false }) },
        { id: 'w', type: 'wait', duration: { days: 1 } },
        { id: 'm2', type: 'action', action: msg('营销B') },
      ],
    });
    await enrollMembers(rig.deps, id, [out!, later!], { occurrence: 'x' });
    await rig.drain();
    await rig.env.services.sql.query('UPDATE members SET marketing_opt_out_at = ? WHERE id = ?', [rig.clock.now, later]);
    await rig.advance(DAY);
    const log = await executions(rig.env, id);
    const row = (m: number, s: string) => log.find((e) => e.member_id === m && e.step_id === s)!;
    expect([row(out!, 'm1').result, row(out!, 'm1').error]).toEqual(['skipped', 'unsubscribed']);
    expect(row(out!, 'svc').result).toBe('sent');
    expect(row(later!, 'm1').result).toBe('sent');
    expect([row(later!, 'm2').result, row(later!, 'm2').error]).toEqual(['skipped', 'unsubscribed']);
    expect(rig.sms.delivered.filter((s) => s.text === '营销B')).toHaveLength(0);
  });

  it('spends the subscribe quota, then falls back to the next channel', async () => {
    const [m] = await members([{ openid: true }]);
    const openid = `o_${memberNo - 1}`;
    await grantSubscription(rig.env, openid, 'TPL_Q', 1);
    const sub = { templateId: 'TPL_Q', data: { thing1: '提醒' } };
    const id = await journey({
      trigger: { type: 'manual' },
      steps: [
        { id: 'q1', type: 'action', action: { kind: 'message', text: '第一条', marketing: false, channels: ['miniprogram', 'sms'], subscribe: sub } },
        { id: 'q2', type: 'action', action: { kind: 'message', text: '第二条', marketing: false, channels: ['miniprogram', 'sms'], subscribe: sub } },
      ],
    });
    await enrollMembers(rig.deps, id, [m!], { occurrence: 'x' });
    await rig.drain();
    expect((await executions(rig.env, id)).map((e) => [e.step_id, e.result, e.channel])).toEqual([
      ['q1', 'sent', 'miniprogram'],
      ['q2', 'sent', 'sms'],
    ]);
    expect(rig.weixin.sent.filter((s) => s.touser === openid)).toHaveLength(1);
    const [q] = await rig.env.services.sql.query<RowDataPacket[]>('SELECT remaining FROM mp_subscriptions WHERE openid = ?', [openid]);
    expect(q[0]!.remaining).toBe(0);
  });

  it('retries provider errors with backoff, then records the ones that never succeed as failed', async () => {
    const rig2 = await createRig('journey_fail', { start: START, sms: { broken: (to) => to.endsWith('99') } });
    try {
      rig2.startWorker();
      const [m1, m2] = await insertMembers(rig2.env, [{}, { phone: '13700000099' }]);
      const id = (await createJourney(rig2.env.services, 't', { name: 'f', status: 'active', definition: { trigger: { type: 'manual' }, steps: [{ id: 's', type: 'action', action: msg('重试测试', { marketing: false }) }] } })).id;
      rig2.sms.failNext(2, 503);
      await enrollMembers(rig2.deps, id, [m1!], { occurrence: 'x' });
      await rig2.drain();
      await enrollMembers(rig2.deps, id, [m2!], { occurrence: 'x' });
      await rig2.drain();
      const [rows] = await rig2.env.services.sql.query<RowDataPacket[]>('SELECT member_id, result, attempts, error FROM journey_step_executions ORDER BY member_id');
      expect(rows.map((r) => [r.member_id, r.result, r.attempts])).toEqual([
        [m1, 'sent', 3],
        [m2, 'failed', 3],
      ]);
      expect(rows[1]!.error).toMatch(/HTTP 500/);
      expect(rig2.sms.delivered.map((d) => d.to)).toEqual(['13900000000']);
    } finally {
      await rig2.close();
    }
  });
});

describe('branches', () => {
  it('splits members deterministically by percentage and branches on segment conditions', async () => {
    const ids = await members(Array.from({ length: 200 }, () => ({})));
    await rig.env.services.sql.query('UPDATE members SET level = 3 WHERE id IN (?)', [ids.slice(0, 50)]);
    const id = await journey({
      trigger: { type: 'manual' },
      steps: [
        { id: 'ab', type: 'split', branches: [{ name: 'A', percent: 30, next: 'vip' }, { name: 'B', percent: 70, next: 'vip' }] },
        { id: 'vip', type: 'condition', if: { segment: { field: 'level', op: 'gte', value: 3 } }, then: 'tag', else: 'done' },
        { id: 'tag', type: 'action', action: { kind: 'points', delta: 100, reason: '高等级会员奖励' }, next: 'done' },
        { id: 'done', type: 'exit' },
      ],
    });
    await enrollMembers(rig.deps, id, ids, { occurrence: 'x' });
    await rig.drain();
    const [enr] = await rig.env.services.sql.query<RowDataPacket[]>('SELECT member_id, variant FROM journey_enrollments WHERE journey_id = ?', [id]);
    for (const e of enr) expect(e.variant).toBe(splitBucket(id, 'ab', e.member_id) < 30 ? 'A' : 'B');
    const a = enr.filter((e) => e.variant === 'A').length;
    expect(a).toBeGreaterThan(35);
    expect(a).toBeLessThan(85);
    const [pts] = await rig.env.services.sql.query<RowDataPacket[]>("SELECT member_id FROM points_ledger WHERE reason = '高等级会员奖励' ORDER BY member_id");
    expect(pts.map((p) => p.member_id)).toEqual(ids.slice(0, 50));
    await setJourneyStatus(rig.env.services, id, 'paused');
  });
});
