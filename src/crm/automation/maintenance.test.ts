import { describe, expect, it } from 'vitest';
import { runCrmMaintenance } from './maintenance.ts';
import { exportMembers } from '../customers/export.ts';
import { adjustPoints } from '../loyalty/points/index.ts';
import { createTagRule, runTagRule } from '../engagement/index.ts';
import { NOW } from '../../../test/support/crm/fixture.ts';
import { useCrmTestEnv } from '../../../test/support/crm/crm-test-env.ts';
import { createTicket } from '../service/tickets/index.ts';

// The scheduled upkeep (idempotent) and audited, masked exports, against MariaDB.
describe('maintenance and export', () => {
  // The fixture's rows were created "now" by the wall clock; align them with the injected one.
  const crm = useCrmTestEnv('maintenance', { afterFixture: (services) => services.sql.query('UPDATE orders SET created_at = paid_at') });
  const { as, at, id } = crm;

  it('expires points, re-evaluates rule tags, reviews levels and escalates tickets; a second run changes nothing', async () => {
    at(new Date(NOW.getTime() - 800 * 86_400_000)); // 24-month expiry: lapsed by NOW
    await adjustPoints(as('hq'), { memberId: id('M00000001'), delta: 500, reason: '老积分' });
    at(NOW);
    await createTicket(as('hq'), { memberId: id('M00000004'), type: 'repair', priority: 'urgent', title: '漏水' });
    const admin = { ...as('hq'), actor: { ...as('hq').actor, role: 'admin' as const } }; // tag rules are an admin setting
    await runTagRule(admin, (await createTagRule(admin, { tag: '积分大户', category: 'value', rule: { kind: 'points', min: 1500 } })).id);
    // L2 expired for both: M9 bought nothing (downgrade), M8 spent ¥400 in 12 months ≥ keep ¥300 (kept, extended).
    await crm.services.db.member.updateMany({ where: { id: { in: [id('M00000009'), id('M00000008')] } }, data: { levelExpiresAt: new Date(NOW.getTime() - 1000) } });
    at(new Date(NOW.getTime() + 5 * 3_600_000));

    const first = await runCrmMaintenance(crm.services, new Date(NOW.getTime() + 3_600_000));
    expect(first.points).toEqual({ members: 1, points: 500 });
    expect(first.tickets).toEqual({ level1: 0, level2: 1 }); // both SLAs missed: straight to level 2
    expect(first.levels).toEqual({ reviewed: 2, upgraded: 0, downgraded: 1, kept: 1 });
    expect((await crm.services.db.member.findUniqueOrThrow({ where: { id: id('M00000008') } })).levelExpiresAt!.getTime()).toBeGreaterThan(crm.now().getTime());
    // M1 had 1700 when the rule was defined (tagged); after expiry 1200 → the rule tag goes.
    expect(first.tagRules.find((r) => r.tag === '积分大户')).toMatchObject({ removed: 1, matched: 0 });
    expect((await crm.services.db.member.findUniqueOrThrow({ where: { id: id('M00000009') } })).level).toBe(1);

    const second = await runCrmMaintenance(crm.services, crm.now());
    expect(second.points).toEqual({ members: 0, points: 0 });
    expect(second.tickets).toEqual({ level1: 0, level2: 0 });
    expect(second.levels.reviewed).toBe(0);
    expect(second.tagRules.every((r) => r.added === 0 && r.removed === 0)).toBe(true);
    at(NOW);
  });

  it('exports members in scope, masked by default, and audits the export with its row count', async () => {
    const a = as('marketer');
    const rows = [];
    for await (const r of exportMembers(a, { fields: ['memberNo', 'name', 'phone'], pageSize: 3 })) rows.push(r);
    expect(rows).toHaveLength(11); // 12 members, one deleted
    expect(rows[0]).toEqual({ memberNo: 'M00000001', name: '张伟', phone: '138****0001' });
    const [row] = await crm.services.db.auditLog.findMany({ where: { requestId: a.requestId } });
    expect(row).toMatchObject({ action: 'member.export', detail: expect.objectContaining({ rows: 11, unmaskedPhone: false }) });

    await expect(exportMembers(as('marketer'), { unmaskPhone: true }).next()).rejects.toMatchObject({ code: 'phone_view_not_allowed' });
    await expect(exportMembers(as('manager1')).next()).rejects.toMatchObject({ code: 'permission_denied' });
    const hq = [];
    for await (const r of exportMembers(as('hq'), { fields: ['phone'], tag: 'VIP', unmaskPhone: true })) hq.push(r);
    expect(hq).toEqual([{ phone: '13800000001' }]);
  });
});
