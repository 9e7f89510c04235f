import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { launchRecall, listRecalls, previewRecall, stopRecall, type RecallPlan } from '../../src/crm/automation/index.ts';
import { activeStaffActor } from '../../src/crm/kernel/index.ts';
import type { StaffAccess } from '../../src/crm/kernel/access.ts';
import { journeyDeps } from '../../src/jobs/journey-deps.ts';
import { useCrmTestEnv } from '../support/crm/crm-test-env.ts';
import { rejection } from '../support/rejection.ts';
import { PHONE_COLUMNS, sealedPhoneValues } from '../support/sealed-phone.ts';

/**
 * Recall safety over the real database (docs/journeys.md, "Recall safety"): who a new recall
 * leaves out and why, two launches at the same moment, and who may stop a recall. No worker runs
 * here (the stop with a worker sending is test/journeys/recall-stop.test.ts).
 */
describe('recall safety', () => {
  const t = useCrmTestEnv('recall_safety');
  const plan = (memberIds: number[]): RecallPlan => ({ audience: { kind: 'churn' }, couponAmount: 20, memberIds });
  const deps = () => journeyDeps(t.services);
  const ids = (...nos: number[]) => nos.map((n) => t.id(`M${String(n).padStart(8, '0')}`));

  /** Members of one store made for a test (the fixture has a dozen). */
  async function members(n: number, store: 'S1' | 'S2', tag: string): Promise<number[]> {
    const rows = Array.from({ length: n }, (_, i) => [`R${tag}${String(i).padStart(5, '0')}`, `召回${tag}${i}`, ...sealedPhoneValues(`137${tag.charCodeAt(0) % 10}${String(i).padStart(7, '0')}`), t.now(), 'store', t.fx.stores[store]]);
    const [r] = await t.services.sql.query<ResultSetHeader>(`INSERT INTO members (member_no, name, ${PHONE_COLUMNS}, registered_at, source_channel, home_store_id) VALUES ?`, [rows]);
    return rows.map((_, i) => r.insertId + i);
  }
  async function staff(wecomUserId: string, role: 'store_manager' | 'admin', store: 'S1' | 'S2' | null): Promise<StaffAccess> {
    const [s] = await t.services.sql.query<ResultSetHeader>('INSERT INTO staff (wecom_user_id, name, role) VALUES (?, ?, ?)', [wecomUserId, wecomUserId, role]);
    if (store) await t.services.sql.query('INSERT INTO staff_stores (staff_id, store_id) VALUES (?, ?)', [s.insertId, t.fx.stores[store]]);
    const actor = await activeStaffActor(t.services, wecomUserId);
    return { services: t.services, actor: actor!, channel: 'console', requestId: `x-${wecomUserId}` };
  }
  const finish = (recallId: number) => t.services.sql.query("UPDATE journey_enrollments SET state = 'completed' WHERE recall_id = ?", [recallId]);

  it('leaves out members in a running recall, recalled within the cooldown (China-time days) or opted out, saying why', async () => {
    t.at('2026-11-21T04:00:00Z'); // 12:00 China time
    await t.services.sql.query('UPDATE members SET marketing_opt_out_at = ? WHERE id = ?', [t.now(), t.id('M00000006')]);
    const first = await launchRecall(deps(), t.as('manager1'), plan(ids(1, 3, 4)));
    expect(first.enrolled).toBe(3);
    expect(first.excluded.total).toBe(0);

    // HQ's recall over both stores, at the same time: three are in manager1's running recall.
    const pv = await previewRecall(t.as('hq'), plan(ids(1, 2, 3, 4, 5, 6)));
    expect(pv.count).toBe(2);
    expect(pv.excluded).toEqual({ total: 4, running: 3, recent: [], optedOut: 1, cooldownDays: 14 });
    expect(pv.estimatedCost).toBe('40.00');
    expect(pv.sample.map((s) => s.memberNo).sort()).toEqual(['M00000002', 'M00000005']);

    // Finished three days later: "recalled 3 days ago".
    await finish(first.recallId);
    t.at('2026-11-24T02:00:00Z');
    expect((await previewRecall(t.as('hq'), plan(ids(1, 2, 3, 4)))).excluded).toEqual({ total: 3, running: 0, recent: [{ daysAgo: 3, members: 3 }], optedOut: 0, cooldownDays: 14 });
    // 23:59 China time on Dec 4 is the 13th day after Nov 21: still left out …
    t.at('2026-12-04T15:59:00Z');
    expect((await previewRecall(t.as('hq'), plan(ids(1)))).excluded.recent).toEqual([{ daysAgo: 13, members: 1 }]);
    // … and at 00:00 on Dec 5 the 14th day has begun (only 13.5 × 24 h after the launch): included again.
    t.at('2026-12-04T16:00:00Z');
    const again = await previewRecall(t.as('hq'), plan(ids(1, 3, 4)));
    expect([again.count, again.excluded.total]).toEqual([3, 0]);
  });

  it('launches nothing when everybody is left out, and says why', async () => {
    const m = await members(3, 'S1', 'a');
    await launchRecall(deps(), t.as('manager1'), plan(m));
    const e = await rejection(launchRecall(deps(), t.as('hq'), plan(m)));
    expect(e.code).toBe('recall_all_excluded');
    expect(e.message).toContain('3 位在进行中的召回里');
  });

  it('two launches at the same moment for overlapping members never both include one', async () => {
    const a = await members(120, 'S1', 'b');
    const b = await members(80, 'S1', 'c'); // in both audiences
    const c = await members(100, 'S2', 'd');
    const [r1, r2] = await Promise.all([launchRecall(deps(), t.as('manager1'), plan([...a, ...b])), launchRecall(deps(), t.as('hq'), plan([...b, ...c]))]);
    const all = [...a, ...b, ...c];
    const [dup] = await t.services.sql.query<RowDataPacket[]>('SELECT member_id FROM journey_enrollments WHERE recall_id IS NOT NULL AND member_id IN (?) GROUP BY member_id HAVING COUNT(*) > 1', [all]);
    expect(dup).toEqual([]);
    const [[n]] = await t.services.sql.query<RowDataPacket[]>('SELECT COUNT(DISTINCT member_id) AS n FROM journey_enrollments WHERE recall_id IN (?, ?)', [r1.recallId, r2.recallId]);
    expect(Number(n!.n)).toBe(all.length);
    expect(r1.enrolled + r2.enrolled).toBe(all.length);
    // Whichever ran second left the 80 shared members out as "in a running recall".
    expect([r1.excluded.running, r2.excluded.running].sort((x, y) => x - y)).toEqual([0, 80]);

    // Four at once over the same list: exactly one launches, the others find everyone taken.
    const d = await members(50, 'S1', 'e');
    const four = await Promise.allSettled([t.as('manager1'), t.as('hq'), t.as('marketer'), t.as('manager1')].map((who) => launchRecall(deps(), who, plan(d))));
    expect(four.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
    expect(four.filter((x) => x.status === 'rejected').map((x) => (x as PromiseRejectedResult).reason.code)).toEqual(['recall_all_excluded', 'recall_all_excluded', 'recall_all_excluded']);
    const [[e]] = await t.services.sql.query<RowDataPacket[]>('SELECT COUNT(*) AS n, COUNT(DISTINCT member_id) AS m FROM journey_enrollments WHERE member_id IN (?)', [d]);
    expect([Number(e!.n), Number(e!.m)]).toEqual([50, 50]);
  });

  it('a stop is for the launcher, a manager of its store or an HQ role holding recall.manage; idempotent; scoped', async () => {
    const m = await members(10, 'S1', 'f');
    const r = await launchRecall(deps(), t.as('manager1'), plan(m));
    // Another store's manager does not see it at all; an agent may not stop recalls.
    expect((await rejection(stopRecall(t.as('manager2'), r.recallId))).code).toBe('recall_unknown');
    expect((await listRecalls(t.as('manager2'))).map((x) => x.id)).not.toContain(r.recallId);
    expect((await rejection(stopRecall(t.as('agent'), r.recallId))).code).toBe('permission_denied');
    // HQ roles see it (and, holding recall.manage, may stop it: test/api/recalls.test.ts).
    expect((await listRecalls(t.as('hq'))).find((x) => x.id === r.recallId)?.state).toBe('running');

    // A second manager of the same store may.
    const deputy = await staff('sm_s1_deputy', 'store_manager', 'S1');
    const s = await stopRecall(deputy, r.recallId);
    expect(s).toMatchObject({ alreadyStopped: false, cancelled: 10, counts: { total: 10, sent: 0, cancelled: 10, pending: 0 } });
    const [[st]] = await t.services.sql.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM journey_enrollments WHERE recall_id = ? AND state = 'cancelled'", [r.recallId]);
    expect(Number(st!.n)).toBe(10);
    const again = await stopRecall(t.as('manager1'), r.recallId);
    expect(again).toMatchObject({ alreadyStopped: true, cancelled: 10 });
    const item = (await listRecalls(t.as('manager1'))).find((x) => x.id === r.recallId)!;
    expect(item).toMatchObject({ state: 'stopped', launchedBy: { name: '王店长' }, stoppedBy: { name: 'sm_s1_deputy' }, counts: { cancelled: 10 } });
    const audit = (await t.services.sql.query<RowDataPacket[]>("SELECT actor_id FROM audit_logs WHERE action = 'recall.stop' AND target_id = ?", [`recall:${r.recallId}`]))[0];
    expect(audit).toHaveLength(1);

    // Cancelled before anything reached them: they were not recalled, so a new recall may include them.
    expect((await previewRecall(t.as('manager1'), plan(m))).count).toBe(10);

    // The launcher may stop their own; an admin any.
    const mine = await launchRecall(deps(), t.as('manager1'), plan(await members(4, 'S1', 'g')));
    expect((await stopRecall(t.as('manager1'), mine.recallId)).cancelled).toBe(4);
    const hq = await launchRecall(deps(), t.as('hq'), plan(await members(4, 'S2', 'h')));
    expect((await rejection(stopRecall(t.as('manager2'), hq.recallId))).code).toBe('recall_unknown'); // HQ's recall is not listed to a store
    const admin = await staff('admin_1', 'admin', null);
    expect((await stopRecall(admin, hq.recallId)).cancelled).toBe(4);

  });
});
