import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWeComChannel } from '../../src/channels/wecom/index.ts';
import { churnDigest, journeyFailureAlerts, slaBreaches } from '../../src/crm/automation/alerts/alerts.ts';
import { notifyRobot } from '../../src/crm/automation/alerts/notify.ts';
import { createJourney } from '../../src/crm/automation/journeys/store.ts';
import { enrollMembers } from '../../src/crm/automation/journeys/schedule.ts';
import { scanTriggers } from '../../src/crm/automation/journeys/triggers.ts';
import { startOutboundWorker } from '../../src/jobs/outbound-worker.ts';
import { createRig, insertMembers, type Rig } from './support.ts';

const START = new Date('2026-11-18T02:00:00.000Z'); // Wednesday 10:00 China time
const DAY = 86_400_000;
let rig: Rig;
let outbound: ReturnType<typeof startOutboundWorker>;
let storeId: number;

async function staff(userId: string, role: string, store?: number): Promise<void> {
  const [r] = await rig.env.services.sql.query<import('mysql2').ResultSetHeader>('INSERT INTO staff (wecom_user_id, name, role) VALUES (?, ?, ?)', [userId, userId, role]);
  if (store) await rig.env.services.sql.query('INSERT INTO staff_stores (staff_id, store_id) VALUES (?, ?)', [r.insertId, store]);
}
const appTo = (u: string) => rig.wecom.sent.filter((m) => m.touser === u).map((m) => m.content);
const settle = () => new Promise((r) => setTimeout(r, 800));

beforeAll(async () => {
  rig = await createRig('journey_trig', { start: START, sms: { broken: (to) => to.startsWith('136') }, env: { WECOM_ROBOT_KEY: 'robot-key' } });
  rig.startWorker();
  outbound = startOutboundWorker(rig.env.services, { wecom: createWeComChannel(rig.env.services) });
  await insertMembers(rig.env, [{}]);
  const [s] = await rig.env.services.sql.query<RowDataPacket[]>('SELECT id FROM stores LIMIT 1');
  storeId = s[0]!.id;
  await staff('sm_t1', 'store_manager', storeId);
  await staff('hq_1', 'hq_operator');
});
afterAll(async () => {
  await outbound?.close();
  await rig?.close();
});

describe('trigger sweep', () => {
  it('enrols registrations, paid orders and birthdays once, however often it runs', async () => {
    const { services } = rig.env;
    const j = async (trigger: object) => (await createJourney(services, 't', { name: 'x', status: 'active', definition: { trigger, steps: [{ id: 'done', type: 'exit' }] } })).id;
    const reg = await j({ type: 'member_registered' });
    const paid = await j({ type: 'order_paid', minAmount: 50 });
    const bday = await j({ type: 'birthday', daysBefore: 3 });
    const [newbie, buyer, celebrant] = await insertMembers(rig.env, [{}, {}, { birthday: '1990-11-21' }], 100);
    await services.sql.query('UPDATE members SET registered_at = ? WHERE id = ?', [new Date(START.getTime() - 10 * 60_000), newbie]);
    await services.sql.query("INSERT INTO orders (order_no, member_id, store_id, amount, items, payment_method, paid_at) VALUES ('T-1', ?, ?, 88.00, '[]', 'wechat', ?), ('T-2', ?, ?, 20.00, '[]', 'wechat', ?)", [
      buyer,
      storeId,
      new Date(START.getTime() - 60_000),
      buyer,
      storeId,
      new Date(START.getTime() - 30_000),
    ]);
    const first = await scanTriggers(rig.deps);
    expect(first).toMatchObject({ member_registered: 1, order_paid: 1, birthday: 1 });
    expect(await scanTriggers(rig.deps)).toEqual({});
    const [rows] = await services.sql.query<RowDataPacket[]>('SELECT journey_id, member_id FROM journey_enrollments WHERE journey_id IN (?) ORDER BY journey_id', [[reg, paid, bday]]);
    expect(rows.map((r) => [r.journey_id, r.member_id])).toEqual([
      [reg, newbie],
      [paid, buyer],
      [bday, celebrant],
    ]);
    for (const id of [reg, paid, bday]) await services.sql.query("UPDATE journeys SET status = 'paused' WHERE id = ?", [id]);
  });

  it('no_order counts from the last order that stands: a fully refunded order is no order, a partly refunded one is', async () => {
    const { services } = rig.env;
    const lapse = (await createJourney(services, 't', { name: 'lapse', status: 'active', definition: { trigger: { type: 'no_order', days: 60 }, steps: [{ id: 'done', type: 'exit' }] } })).id;
    const [refunded, partly, recent] = await insertMembers(rig.env, [{}, {}, {}], 150);
    const at = (days: number) => new Date(START.getTime() - days * DAY);
    // Each bought 100 days ago and again 10 days ago; that last order was wholly refunded, 20.00 of it, or not at all.
    await services.sql.query(
      `INSERT INTO orders (order_no, member_id, store_id, amount, refunded_amount, items, payment_method, paid_at) VALUES
       ('NO-1', ?, ?, 30.00, 0, '[]', 'cash', ?), ('NO-2', ?, ?, 50.00, 50.00, '[]', 'cash', ?),
       ('NO-3', ?, ?, 30.00, 0, '[]', 'cash', ?), ('NO-4', ?, ?, 50.00, 20.00, '[]', 'cash', ?),
       ('NO-5', ?, ?, 30.00, 0, '[]', 'cash', ?), ('NO-6', ?, ?, 50.00, 0, '[]', 'cash', ?)`,
      [refunded, storeId, at(100), refunded, storeId, at(10), partly, storeId, at(100), partly, storeId, at(10), recent, storeId, at(100), recent, storeId, at(10)],
    );
    await scanTriggers(rig.deps);
    const [rows] = await services.sql.query<RowDataPacket[]>('SELECT member_id FROM journey_enrollments WHERE journey_id = ? AND member_id IN (?)', [lapse, [refunded, partly, recent]]);
    expect(rows.map((r) => r.member_id)).toEqual([refunded]);
    await services.sql.query("UPDATE journeys SET status = 'paused' WHERE id = ?", [lapse]);
  });
});

describe('alerts to staff', () => {
  it('escalates a complaint past its SLA to the store manager once per level', async () => {
    const { services } = rig.env;
    const [m] = await insertMembers(rig.env, [{}], 200);
    await services.sql.query(
      "INSERT INTO tickets (ticket_no, member_id, store_id, type, priority, status, title, created_by, response_due_at, resolve_due_at, created_at, updated_at) VALUES ('T20261118000001', ?, ?, 'complaint', 'high', 'open', '菜里有头发', 'system', ?, ?, ?, ?)",
      [m, storeId, new Date(START.getTime() - 3600_000), new Date(START.getTime() + DAY), new Date(START.getTime() - 5 * 3600_000), START],
    );
    expect(await slaBreaches(services)).toBe(1);
    expect(await slaBreaches(services)).toBe(0);
    await settle();
    expect(appTo('sm_t1').filter((t) => t.includes('投诉超时'))).toEqual(['【投诉超时】工单 T20261118000001「菜里有头发」超过首次响应时限，已升级（1 级），请尽快处理。']);
  });

  it('sends the daily churn digest of new high-risk members once a day', async () => {
    const { services } = rig.env;
    const ids = await insertMembers(rig.env, [{}, {}], 300);
    for (const id of ids) {
      await services.sql.query("INSERT INTO orders (order_no, member_id, store_id, amount, items, payment_method, paid_at) VALUES (?, ?, ?, 300.00, '[]', 'wechat', ?), (?, ?, ?, 200.00, '[]', 'wechat', ?)", [
        `C${id}a`, id, storeId, new Date(START.getTime() - 400 * DAY), `C${id}b`, id, storeId, new Date(START.getTime() - 380 * DAY),
      ]);
    }
    const r = await churnDigest(services);
    expect(r.members).toBeGreaterThanOrEqual(2);
    expect((await churnDigest(services)).members).toBe(0);
    await settle();
    const digest = appTo('sm_t1').filter((t) => t.includes('流失预警日报'));
    expect(digest).toHaveLength(1);
    expect(digest[0]).toContain('会员300');
    expect(digest[0]).toContain('一键召回');
  });

  it('alerts HQ and the group robot when a journey fails too often, once an hour', async () => {
    const { services } = rig.env;
    const ids = await insertMembers(rig.env, Array.from({ length: 6 }, (_, i) => ({ phone: `1360000000${i}` })), 400);
    const id = (await createJourney(services, 't', { name: '坏掉的短信', status: 'active', definition: { trigger: { type: 'manual' }, steps: [{ id: 's', type: 'action', action: { kind: 'message', text: 'x', channels: ['sms'], marketing: false } }] } })).id;
    await enrollMembers(rig.deps, id, ids, { occurrence: 'x' });
    await rig.drain();
    expect(await journeyFailureAlerts(rig.deps)).toBe(1);
    await journeyFailureAlerts(rig.deps);
    await settle();
    expect(appTo('hq_1').filter((t) => t.includes('旅程执行异常'))).toHaveLength(1);
    expect(rig.wecom.robot.filter((r) => r.content.includes('坏掉的短信'))).toHaveLength(1);
  });

  it('holds the group robot to 20 messages a minute and never repeats a key', async () => {
    const before = rig.wecom.robot.length;
    const results = [];
    for (let i = 0; i < 25; i++) results.push(await notifyRobot(rig.deps, `告警 ${i}`, `burst-${i}`));
    expect(results.filter((r) => r === 'sent').length).toBe(20 - before);
    expect(results.filter((r) => r === 'delayed').length).toBe(5 + before);
    expect(rig.wecom.robotRefused).toBe(0); // never provoked 130101
    expect(await notifyRobot(rig.deps, '告警 0', 'burst-0')).toBe('duplicate');
  });
});
