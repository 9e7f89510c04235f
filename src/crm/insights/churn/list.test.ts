import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../../test/support/env.ts';
import type { StaffActor } from '../../kernel/index.ts';
import type { Services } from '../../../services.ts';
import { createFixture, MEMBERS, NOW, type Fixture, type FixtureMember } from '../../../../test/support/crm/fixture.ts';
import { churnList } from './list.ts';

const DAY = 86_400_000;

/**
 * The churn rule computed independently, in JS, from the fixture's own definition (not from
 * the database): whole days since the last order > 90 and > 3 × the median gap in days.
 */
function expected(stores: ('S1' | 'S2')[] | null, opts: { minDays?: number; minSpendCents?: number } = {}) {
  const minDays = opts.minDays ?? 90;
  const rows = MEMBERS.filter((m) => (m.status ?? 'active') === 'active' && (stores === null || (m.store && stores.includes(m.store))) && m.orders.length >= 2).map((m: FixtureMember) => {
    const paid = m.orders.map((d) => NOW.getTime() - d * DAY - 3_600_000).sort((a, b) => a - b);
    const gaps = paid.slice(1).map((p, i) => (p - paid[i]!) / DAY).sort((a, b) => a - b);
    const mid = gaps.length / 2;
    const median = gaps.length % 2 ? gaps[Math.floor(mid)]! : (gaps[mid - 1]! + gaps[mid]!) / 2;
    const days = Math.floor((NOW.getTime() - paid[paid.length - 1]!) / DAY);
    const cents = m.orders.reduce((sum, _, i) => sum + Math.round(Number(m.amounts[i % m.amounts.length]) * 100), 0);
    return { memberNo: m.memberNo, days, median, cents };
  });
  return rows
    .filter((r) => r.days > minDays && r.days > 3 * r.median && r.cents >= (opts.minSpendCents ?? 0))
    .sort((a, b) => b.cents - a.cents || a.memberNo.localeCompare(b.memberNo))
    .map((r) => ({ memberNo: r.memberNo, daysSinceLastOrder: r.days, usualGapDays: Math.round(r.median), totalSpend: (r.cents / 100).toFixed(2) }));
}

describe('churn list', () => {
  let env: TestEnv;
  let services: Services;
  let fx: Fixture;
  beforeAll(async () => {
    env = await createTestEnv('churn');
    services = { ...env.services, now: () => NOW };
    fx = await createFixture(services);
  });
  afterAll(async () => env?.cleanup());

  const list = (actor: StaffActor, opts = {}) => churnList({ services, actor, channel: 'console', requestId: 'r' }, { limit: 50, ...opts });
  const shape = (l: Awaited<ReturnType<typeof list>>) =>
    l.entries.map(({ memberNo, daysSinceLastOrder, usualGapDays, totalSpend }) => ({ memberNo, daysSinceLastOrder, usualGapDays, totalSpend }));

  it("matches the rule for a store manager's store", async () => {
    const l = await list(fx.staff.manager1);
    const want = expected(['S1']);
    expect(want.map((w) => w.memberNo)).toEqual(['M00000004', 'M00000012', 'M00000010', 'M00000007']); // the fixture is meaningful
    expect(shape(l)).toEqual(want);
    expect(l.total).toBe(want.length);
  });

  it('matches for the other store and for HQ (all stores)', async () => {
    expect(shape(await list(fx.staff.manager2))).toEqual(expected(['S2']));
    expect(shape(await list(fx.staff.hq))).toEqual(expected(null));
  });

  it('honours minDays, minSpend and limit (total counts all matches)', async () => {
    expect(shape(await list(fx.staff.hq, { minDays: 120 }))).toEqual(expected(null, { minDays: 120 }));
    expect(shape(await list(fx.staff.hq, { minSpend: '300.00' }))).toEqual(expected(null, { minSpendCents: 30000 }));
    const top = await list(fx.staff.hq, { limit: 2 });
    expect(top.entries).toHaveLength(2);
    expect(top.total).toBe(expected(null).length);
  });

  it('masks phones for roles without member.phone.view', async () => {
    const l = await list(fx.staff.marketer);
    expect(l.entries.every((e) => /^\d{3}\*{4}\d{4}$/.test(e.phone))).toBe(true);
    expect((await list(fx.staff.manager1)).entries[0]!.phone).toBe('13800000004');
  });
});
