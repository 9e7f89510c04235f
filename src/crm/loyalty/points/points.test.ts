import { describe, expect, it } from 'vitest';
import { isAppError } from '../../kernel/errors.ts';
import { NOW } from '../../../../test/support/crm/fixture.ts';
import { useCrmTestEnv } from '../../../../test/support/crm/crm-test-env.ts';
import { adjustPoints, expireDuePoints, pointsHistory, setExpiryRule } from './index.ts';

// The points ledger against MariaDB: exact balances under concurrency, no negative balance,
// idempotency, scope, expiry by the configured rule.
describe('points ledger', () => {
  const crm = useCrmTestEnv('points');
  const { as, at, id } = crm;
  const balance = async (memberNo: string) => (await crm.services.db.member.findUniqueOrThrow({ where: { id: id(memberNo) } })).points;

  it('50 parallel additions end at the exact balance, each entry with its own balance_after', async () => {
    const memberId = id('M00000003');
    const start = await balance('M00000003');
    await Promise.all(Array.from({ length: 50 }, (_, i) => adjustPoints(as('manager1'), { memberId, delta: i + 1, reason: '并发测试' })));
    expect(await balance('M00000003')).toBe(start + (50 * 51) / 2);
    const entries = await crm.services.db.pointsLedger.findMany({ where: { memberId }, orderBy: { id: 'asc' } });
    expect(entries).toHaveLength(50);
    // Serialised by the row lock: each entry's balance_after is the previous one's plus its delta.
    let b = start;
    for (const e of entries) {
      b += e.delta;
      expect(e.balanceAfter).toBe(b);
    }
    const audits = await crm.services.db.auditLog.count({ where: { action: 'points.adjust', targetId: String(memberId) } });
    expect(audits).toBe(50);
  });

  it('parallel redemptions never take the balance below zero', async () => {
    const memberId = id('M00000004');
    expect(await balance('M00000004')).toBe(1200);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => adjustPoints(as('manager1'), { memberId, delta: -100, reason: '兑换' })));
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.filter((r) => r.status === 'rejected');
    expect(ok).toBe(12);
    expect(refused).toHaveLength(8);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'insufficient_points', status: 409 });
    expect(await balance('M00000004')).toBe(0);
    expect(await crm.services.db.pointsLedger.count({ where: { memberId } })).toBe(12);
  });

  it('an idempotency key makes a retry one entry, even when the retries race', async () => {
    const memberId = id('M00000005');
    const before = await balance('M00000005');
    const rs = await Promise.all(Array.from({ length: 5 }, () => adjustPoints(as('manager1'), { memberId, delta: 30, reason: '消费奖励', idempotencyKey: 'order-O1' }).catch((e: unknown) => e)));
    const entries = rs.filter((r) => !(r instanceof Error));
    expect(await balance('M00000005')).toBe(before + 30);
    expect(await crm.services.db.pointsLedger.count({ where: { idempotencyKey: 'order-O1' } })).toBe(1);
    expect(entries.length).toBeGreaterThanOrEqual(1);
  });

  it('refuses a member of another store as not found, a role without the permission, and bad input', async () => {
    const other = id('M00000002');
    await expect(adjustPoints(as('manager1'), { memberId: other, delta: 10, reason: 'x' })).rejects.toMatchObject({ code: 'member_not_found', status: 404 });
    await expect(adjustPoints(as('agent'), { memberId: id('M00000001'), delta: 10, reason: 'x' })).rejects.toMatchObject({ code: 'permission_denied', status: 403 });
    await expect(adjustPoints(as('manager1'), { memberId: id('M00000001'), delta: 0, reason: 'x' })).rejects.toMatchObject({ code: 'invalid_points', status: 400 });
    await expect(adjustPoints(as('manager1'), { memberId: id('M00000001'), delta: 5, reason: ' ' })).rejects.toMatchObject({ code: 'reason_required' });
    expect(await crm.services.db.pointsLedger.count({ where: { memberId: { in: [other, id('M00000001')] } } })).toBe(0);
  });

  it('expires points by the configured rule, deductions consuming the earliest first', async () => {
    const memberId = id('M00000006');
    const admin = { ...as('hq'), actor: { ...as('hq').actor, role: 'admin' as const } }; // the rule is an admin setting
    await setExpiryRule(admin, { months: 1 });
    at(new Date('2026-01-01T00:00:00Z'));
    await adjustPoints(as('hq'), { memberId, delta: 100, reason: '首批' }); // lapses 2026-02-01
    at(new Date('2026-01-20T00:00:00Z'));
    await adjustPoints(as('hq'), { memberId, delta: 50, reason: '二批' }); // lapses 2026-02-20
    await adjustPoints(as('hq'), { memberId, delta: -30, reason: '兑换' });
    const start = 1200 + 150 - 30;
    at(new Date('2026-02-05T00:00:00Z'));
    expect(await expireDuePoints(crm.services)).toMatchObject({ points: 70 });
    expect(await balance('M00000006')).toBe(start - 70);
    expect(await expireDuePoints(crm.services)).toMatchObject({ points: 0 }); // idempotent
    at(new Date('2026-03-01T00:00:00Z'));
    await expireDuePoints(crm.services);
    // The opening balance (1200, no ledger entry) never lapses; both batches are gone.
    expect(await balance('M00000006')).toBe(1200);
    const last = await crm.services.db.pointsLedger.findFirstOrThrow({ where: { memberId }, orderBy: { id: 'desc' } });
    expect(last).toMatchObject({ kind: 'expire', delta: -50, balanceAfter: 1200 });
    at(NOW);
    await setExpiryRule(admin, { months: 24 });
  });

  it('lists the history newest first and audits the read', async () => {
    const a = as('manager1');
    const h = await pointsHistory(a, id('M00000003'), 3);
    expect(h.entries).toHaveLength(3);
    expect(h.entries[0]!.balanceAfter).toBe(h.balance);
    expect(await crm.services.db.auditLog.count({ where: { requestId: a.requestId, action: 'points.history' } })).toBe(1);
    expect(isAppError(await pointsHistory(as('manager2'), id('M00000003')).catch((e: unknown) => e))).toBe(true);
  });
});
