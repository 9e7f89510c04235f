import { describe, expect, it } from 'vitest';
import { logInteraction } from '../service/interactions/index.ts';
import { MEMBERS, NOW } from '../../../test/support/crm/fixture.ts';
import { useCrmTestEnv } from '../../../test/support/crm/crm-test-env.ts';
import { createTicket } from '../service/tickets/index.ts';
import { memberSummary } from './summary.ts';
import { summaryExtra } from './summary-query.ts';
import { manyOrders } from '../../../test/support/crm/many-orders.ts';

const DAY = 86_400_000;

/** Cents of a decimal string, so expected sums are exact integers (never floats). */
const cents = (s: string) => {
  const [whole, frac = ''] = s.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
};
const yuan = (c: number) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;

// The 360 view read in one statement (summary-query.ts) against MariaDB: every fact checked
// against what the fixture wrote, computed here independently.
describe('member 360 view', () => {
  const crm = useCrmTestEnv('summary');
  const { as, at, id } = crm;

  it('sums, orders and lists exactly what the fixture holds, phone masked by role, audited', async () => {
    const fixture = MEMBERS.find((m) => m.memberNo === 'M00000001')!;
    const amounts = fixture.orders.map((_, i) => fixture.amounts[i % fixture.amounts.length]!);
    const r = await memberSummary(as('agent'), { memberNo: 'm00000001' }, 4);
    expect(r.kind).toBe('one');
    if (r.kind !== 'one') return;
    const s = r.summary;
    expect(s.member).toMatchObject({ memberNo: 'M00000001', phone: '138****0001', gender: 'female', growthValue: 3400, sourceChannel: 'miniprogram', homeStore: '上海一店' });
    expect(s.member.birthday?.toISOString().slice(0, 10)).toBe('1990-05-01');
    expect(s.orderCount).toBe(fixture.orders.length);
    expect(s.totalSpend).toBe(yuan(amounts.reduce((a, b) => a + cents(b), 0)));
    // Orders were paid `daysAgo` days and one hour before NOW; the newest is the smallest daysAgo.
    const newest = Math.min(...fixture.orders);
    expect(s.lastOrderAt?.getTime()).toBe(NOW.getTime() - newest * DAY - 3_600_000);
    expect(s.daysSinceLastOrder).toBe(newest);
    const byAge = fixture.orders.map((d, i) => ({ d, amount: amounts[i]! })).sort((a, b) => a.d - b.d);
    expect(s.recentOrders.map((o) => [o.paidAt.getTime(), o.amount, o.store])).toEqual(byAge.slice(0, 4).map((o) => [NOW.getTime() - o.d * DAY - 3_600_000, yuan(cents(o.amount)), '上海一店']));
    expect(s.tags).toEqual([{ name: 'VIP', category: 'value', source: 'rule' }]);
    expect(s.levelName).toBe('银卡会员');
    expect(s).toMatchObject({ openTickets: [], recentComplaints: [], recentInteractions: [], pendingFollowUps: 0, koc: null });
    const [audits] = await crm.services.sql.query<any[]>("SELECT target_type, target_id FROM audit_logs WHERE action = 'member.summary' AND actor_id = 'agent_01'");
    expect(audits).toEqual([{ target_type: 'member', target_id: String(id('M00000001')) }]);
    // A role with phone access sees the whole number.
    expect(await memberSummary(as('hq'), { phone: '13800000001' })).toMatchObject({ kind: 'one', summary: { member: { phone: '13800000001' } } });
  });

  it('shows open tickets newest first with overdue, complaints of 90 days, the last three interactions, follow-ups due', async () => {
    const member = id('M00000003');
    at(new Date(NOW.getTime() - 100 * DAY));
    await logInteraction(as('agent'), { memberId: member, type: 'complaint', channel: 'call', content: '百日前投诉', openTicket: false });
    at(new Date(NOW.getTime() - 2 * DAY));
    const old = await createTicket(as('agent'), { memberId: member, type: 'repair', priority: 'urgent', title: '空调坏了' }); // 4 h SLA: overdue by NOW
    await logInteraction(as('agent'), { memberId: member, type: 'consultation', channel: 'wechat', content: '问包间', followUpAt: new Date(NOW.getTime() - DAY) });
    at(new Date(NOW.getTime() - 3_600_000));
    const complaint = await logInteraction(as('agent'), { memberId: member, type: 'complaint', channel: 'call', content: '上菜慢' }); // opens a ticket
    // Quotes, a backslash, a newline and an emoji survive the database's JSON formatting.
    await logInteraction(as('agent'), { memberId: member, type: 'praise', channel: 'visit', content: '服务好 "赞" \\ 下次再来\n😀', followUpAt: new Date(NOW.getTime() + DAY) });
    at(NOW);

    const r = await memberSummary(as('manager1'), { memberNo: 'M00000003' });
    if (r.kind !== 'one') throw new Error('expected one member');
    const s = r.summary;
    expect(s.openTickets.map((t) => [t.ticketNo, t.overdue])).toEqual([
      [complaint.ticket!.ticketNo, false],
      [old.ticketNo, true],
    ]);
    expect(s.recentComplaints).toEqual([{ content: '上菜慢', createdAt: new Date(NOW.getTime() - 3_600_000), ticketNo: complaint.ticket!.ticketNo }]);
    // Newest first; the two logged in the same millisecond come newest id first.
    expect(s.recentInteractions.map((i) => i.content)).toEqual(['服务好 "赞" \\ 下次再来\n😀', '上菜慢', '问包间']);
    expect(s.pendingFollowUps).toBe(1);
    // Another store's manager: the member is "not found", and no 360 facts are read.
    expect((await memberSummary(as('manager2'), { memberNo: 'M00000003' })).kind).toBe('none');
  });

  it('shows the newest orders of a member with many, ties on the paid time ordered newest id first, as the plain aggregate does', async () => {
    const member = id('M00000006');
    const all = await manyOrders(crm.services, member, crm.fx.stores.S1, 'MANY');
    // The statement the card used before it read only the shown orders: every order formatted, then cut.
    const plain = async (take: number) => {
      const [[row]] = await crm.services.sql.query<any[]>(
        `SELECT JSON_ARRAYAGG(JSON_OBJECT('orderNo', o.order_no, 'amount', CAST(o.amount AS CHAR)) ORDER BY o.paid_at DESC, o.id DESC LIMIT ${take}) AS page FROM orders o WHERE o.member_id = ?`,
        [member],
      );
      return (typeof row.page === 'string' ? JSON.parse(row.page) : row.page) as { orderNo: string; amount: string }[];
    };
    // 5 cuts inside the four-way tie (4th–7th newest), 2 before it, 20 is more than the member has.
    for (const take of [5, 2, 20]) {
      const r = await memberSummary(as('agent'), { memberNo: 'M00000006' }, take);
      if (r.kind !== 'one') throw new Error('expected one member');
      const shown = r.summary.recentOrders.map((o) => ({ orderNo: o.orderNo, amount: o.amount }));
      const expected = all.slice(0, take).map((o) => ({ orderNo: o.orderNo, amount: o.amount }));
      expect(shown).toEqual(expected);
      expect(shown).toEqual(await plain(take));
      expect(r.summary.recentOrders.map((o) => o.paidAt.getTime())).toEqual(all.slice(0, take).map((o) => o.paidAt.getTime()));
    }
    expect(all.length).toBe(16);
    // The tie really straddles the cut of 5: the 4th–7th newest share a paid time, ids falling.
    const tie = all.slice(3, 7);
    expect(new Set(tie.map((o) => o.paidAt.getTime())).size).toBe(1);
    expect(tie.map((o) => o.id)).toEqual([...tie.map((o) => o.id)].sort((a, b) => b - a));
  });
  it('counts a KOC’s referrals, redemptions and commission, and a member without orders or referrals, as the separate aggregates do', async () => {
    const { sql } = crm.services;
    const koc = id('M00000003');
    const quiet = id('M00000009');
    await sql.query("INSERT INTO koc_profiles (member_id, level, referral_code, joined_at) VALUES (?, 2, 'S17KOC', NOW(3)), (?, 1, 'S17NONE', NOW(3))", [koc, quiet]);
    await sql.query('INSERT INTO koc_referrals (koc_member_id, referred_member_id, redeemed_at, commission, created_at) VALUES (?, ?, NOW(3), 12.30, NOW(3)), (?, ?, NULL, 0.05, NOW(3)), (?, NULL, NOW(3), 100.00, NOW(3))', [koc, id('M00000001'), koc, id('M00000002'), koc]);
    try {
      const one = await memberSummary(as('hq'), { memberNo: 'M00000003' });
      if (one.kind !== 'one') throw new Error('expected one member');
      expect(one.summary.koc).toEqual({ level: 2, referrals: 3, redemptions: 2, earnings: '112.35' });
      expect(one.summary).toMatchObject({ orderCount: 1, totalSpend: '19.90', daysSinceLastOrder: 5 });
      // No orders: count 0, spend "0.00", no last order; a KOC with no referral yet earned "0.00".
      const none = await memberSummary(as('hq'), { memberNo: 'M00000009' });
      if (none.kind !== 'one') throw new Error('expected one member');
      expect(none.summary).toMatchObject({ orderCount: 0, totalSpend: '0.00', lastOrderAt: null, daysSinceLastOrder: null, recentOrders: [], koc: { level: 1, referrals: 0, redemptions: 0, earnings: '0.00' } });
    } finally {
      await sql.query('DELETE FROM koc_referrals WHERE koc_member_id IN (?)', [[koc, quiet]]);
      await sql.query('DELETE FROM koc_profiles WHERE member_id IN (?)', [[koc, quiet]]);
    }
  });

  // JSON_ARRAYAGG(… ORDER BY) keeps its values in a temporary table; a value declared as TEXT sends
  // it to disk (Aria files made and dropped on every read: the card's largest cost, bench:http
  // session 22), so the lists aggregate their long columns apart (summary-query.ts `newest`).
  it('reads the card without a temporary table on disk, for members with and without lists', async () => {
    const member = id('M00000003');
    at(new Date(NOW.getTime() - 2 * DAY));
    await createTicket(as('agent'), { memberId: member, type: 'repair', priority: 'normal', title: '门口台阶'.repeat(30) });
    await logInteraction(as('agent'), { memberId: member, type: 'complaint', channel: 'call', content: '很长的投诉'.repeat(380) });
    at(NOW);
    const card = summaryExtra(crm.services, 5);
    const conn = await crm.services.sql.getConnection();
    try {
      const disk = async () => Number((await conn.query<any[]>("SHOW SESSION STATUS LIKE 'Created_tmp_disk_tables'"))[0][0].Value);
      for (const memberNo of ['M00000001', 'M00000003', 'M00000009']) {
        const before = await disk();
        const [[raw]] = await conn.execute<any[]>(`SELECT m.registered_at, m.source_channel, ${card.columns} FROM members m ${card.joins} WHERE m.id = ?`, [...card.params, id(memberNo)] as any[]);
        expect(await disk()).toBe(before);
        const facts = card.read(raw);
        if (memberNo === 'M00000003') {
          expect(facts.openTickets.map((t) => t.title)).toContain('门口台阶'.repeat(30));
          expect(facts.recentComplaints.map((c) => c.content)).toContain('很长的投诉'.repeat(380));
          expect(facts.recentInteractions.map((i) => i.content)).toContain('很长的投诉'.repeat(380));
        }
      }
    } finally {
      conn.release();
    }
  });
});
