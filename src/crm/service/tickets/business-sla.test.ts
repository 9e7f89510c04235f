import { describe, expect, it } from 'vitest';
import { useCrmTestEnv } from '../../../../test/support/crm/crm-test-env.ts';
import { logInteraction } from '../interactions/index.ts';
import { listBusinessHours, setChainHours, setStoreHours, storeBusinessHours } from '../settings/hours-settings.ts';
import { getSlaPolicy, setSlaPolicy, DEFAULT_SLA_POLICY } from '../settings/sla-policy.ts';
import { createTicket, escalateOverdueTickets, getTicket } from './index.ts';

// SLA due times on business hours against MariaDB: the chain's split shifts, a store's own
// hours, the policy per priority, and the SLA sweep escalating on business time (China time).
const cn = (s: string) => new Date(`${s}+08:00`);
const split = [{ start: '10:00', end: '14:00' }, { start: '17:00', end: '22:00' }];
type Shifts = Array<{ start: string; end: string }>;
const everyDay = (shifts: Shifts) => Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, shifts])) as Record<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun', Shifts>;

describe('ticket SLA on business hours', () => {
  const crm = useCrmTestEnv('business_sla');
  const { as, at, id } = crm;

  it('keeps today’s wall-clock due times while nothing is configured', async () => {
    expect(await getSlaPolicy(crm.services)).toEqual(DEFAULT_SLA_POLICY);
    at(cn('2026-12-02T21:50:00'));
    const t = await createTicket(as('agent'), { memberId: id('M00000001'), type: 'repair', priority: 'urgent', title: '冷柜不制冷' });
    expect(t.responseDueAt.toISOString()).toBe(cn('2026-12-02T22:20:00').toISOString());
    expect(t.resolveDueAt.toISOString()).toBe(cn('2026-12-03T01:50:00').toISOString());
  });

  it('counts only the chain’s open shifts: opened at 21:50, a 30-minute response is due at 10:20 the next day', async () => {
    await setChainHours(as('hq'), { days: everyDay(split) });
    at(cn('2026-12-02T21:50:00'));
    const t = await createTicket(as('agent'), { memberId: id('M00000001'), type: 'complaint', priority: 'urgent', title: '菜里有异物' });
    expect(t.responseDueAt.toISOString()).toBe(cn('2026-12-03T10:20:00').toISOString());
    // 240 minutes: 10 on Wednesday night, 230 of Thursday's lunch shift.
    expect(t.resolveDueAt.toISOString()).toBe(cn('2026-12-03T13:50:00').toISOString());

    // The sweep escalates on those due times, not on the wall clock.
    const level = async () => (await getTicket(as('agent'), t.id)).escalationLevel;
    at(cn('2026-12-02T22:30:00'));
    await escalateOverdueTickets(crm.services);
    expect(await level()).toBe(0);
    at(cn('2026-12-03T10:19:00'));
    await escalateOverdueTickets(crm.services);
    expect(await level()).toBe(0);
    at(cn('2026-12-03T10:21:00'));
    await escalateOverdueTickets(crm.services);
    expect(await level()).toBe(1);
    at(cn('2026-12-03T13:49:00'));
    await escalateOverdueTickets(crm.services);
    expect(await level()).toBe(1);
    at(cn('2026-12-03T13:51:00'));
    await escalateOverdueTickets(crm.services);
    expect(await level()).toBe(2);
  });

  it('uses a store’s own hours over the chain’s, and the chain’s again once the store’s are removed', async () => {
    const weekdays = { ...everyDay([{ start: '09:00', end: '18:00' }]), sat: [], sun: [] };
    const view = await setStoreHours(as('hq'), crm.fx.stores.S2, { days: weekdays });
    expect(view).toMatchObject({ storeId: crm.fx.stores.S2, storeCode: 'S2', hours: { days: { sat: [] } } });
    // Friday 17:50 in S2: 10 minutes on Friday, 20 on Monday morning.
    at(cn('2026-12-04T17:50:00'));
    const s2 = await createTicket(as('manager2'), { memberId: id('M00000002'), type: 'after_sales', priority: 'urgent', title: '外卖少送' });
    expect(s2.responseDueAt.toISOString()).toBe(cn('2026-12-07T09:20:00').toISOString());
    // S1 keeps the chain's split shifts at the same moment: 17:50 + 30 min = 18:20.
    const s1 = await createTicket(as('agent'), { memberId: id('M00000003'), type: 'consultation', priority: 'urgent', title: '发票' });
    expect(s1.responseDueAt.toISOString()).toBe(cn('2026-12-04T18:20:00').toISOString());

    const all = await listBusinessHours(as('hq'));
    expect(all.chain.days.mon).toEqual(split);
    expect(all.stores.map((s) => [s.storeCode, s.hours === null])).toEqual([['S1', true], ['S2', false]]);
    expect(all.stores[0]!.effective.days.mon).toEqual(split);

    await setStoreHours(as('hq'), crm.fx.stores.S2, null);
    expect((await storeBusinessHours(as('hq'), crm.fx.stores.S2)).hours).toBeNull();
    const again = await createTicket(as('manager2'), { memberId: id('M00000002'), type: 'after_sales', priority: 'urgent', title: '外卖又少送' });
    expect(again.responseDueAt.toISOString()).toBe(cn('2026-12-04T18:20:00').toISOString());
    const trail = await crm.services.db.auditLog.findMany({ where: { action: 'service.hours.set', targetId: `service.hours.store.${crm.fx.stores.S2}` }, orderBy: { id: 'asc' } });
    expect(trail.map((a) => (a.detail as { new: { hours: unknown } }).new.hours === null)).toEqual([false, true]);
  });

  it('applies the policy’s minutes per priority, also to a complaint logged as an interaction', async () => {
    await setSlaPolicy(as('hq'), { ...DEFAULT_SLA_POLICY, high: { respondMinutes: 15, resolveMinutes: 8 * 60 } });
    at(cn('2026-12-02T13:50:00'));
    const r = await logInteraction(as('manager1'), { memberId: id('M00000004'), type: 'complaint', channel: 'call', content: '上菜慢' });
    // High priority: 10 minutes of lunch, then 5 after the 17:00 opening.
    expect(r.ticket!.responseDueAt.toISOString()).toBe(cn('2026-12-02T17:05:00').toISOString());
    // 8 h: 10 min lunch + 5 h dinner = 310 min on Wednesday; 170 min more from Thursday 10:00 = 12:50.
    expect(r.ticket!.resolveDueAt.toISOString()).toBe(cn('2026-12-03T12:50:00').toISOString());
  });

  it('refuses bad settings with a 400 naming the field, an unknown store with a 404, and roles without service.configure', async () => {
    await expect(setChainHours(as('hq'), { days: { ...everyDay(split), mon: [{ start: '10:00', end: '14:00' }, { start: '13:00', end: '15:00' }] } })).rejects.toMatchObject({
      code: 'invalid_business_hours',
      status: 400,
      details: { issues: [expect.objectContaining({ path: ['days', 'mon', 1, 'start'] })] },
    });
    await expect(setChainHours(as('hq'), { days: { ...everyDay(split), tue: [{ start: '22:00', end: '02:00' }] } })).rejects.toMatchObject({ code: 'invalid_business_hours', details: { issues: [expect.objectContaining({ path: ['days', 'tue', 0, 'end'] })] } });
    await expect(setStoreHours(as('hq'), 999_999, { days: everyDay(split) })).rejects.toMatchObject({ code: 'unknown_store', status: 404 });
    await expect(setSlaPolicy(as('hq'), { ...DEFAULT_SLA_POLICY, low: { respondMinutes: 60, resolveMinutes: 30 } })).rejects.toMatchObject({ code: 'invalid_sla_policy', status: 400, details: { issues: [expect.objectContaining({ path: ['low', 'resolveMinutes'] })] } });
    await expect(setSlaPolicy(as('manager1'), DEFAULT_SLA_POLICY)).rejects.toMatchObject({ code: 'permission_denied' });
    await expect(listBusinessHours(as('agent'))).rejects.toMatchObject({ code: 'permission_denied' });
    // Nothing of the refused changes was kept.
    expect((await listBusinessHours(as('hq'))).chain.days.mon).toEqual(split);
    expect((await getSlaPolicy(crm.services)).low).toEqual(DEFAULT_SLA_POLICY.low);
  });
});
