import { describe, expect, it } from 'vitest';
import { completeFollowUp, listInteractions, logInteraction, pendingFollowUps } from '../interactions/index.ts';
import { NOW } from '../../../../test/support/crm/fixture.ts';
import { useCrmTestEnv } from '../../../../test/support/crm/crm-test-env.ts';
import { assignTicket, changeTicketStatus, createTicket, escalateOverdueTickets, escalateTicket, getTicket, listTickets, rateTicket } from './index.ts';

// Tickets and interactions against MariaDB: the state machine and its timestamps, SLA
// escalation, scope, member-opened tickets, complaints that open tickets, follow-ups, audit.
describe('tickets and interactions', () => {
  const crm = useCrmTestEnv('tickets');
  const { as, at, id } = crm;

  it('walks open → in_progress → resolved → closed, stamping each time, and refuses skips', async () => {
    at('2026-11-21T04:00:00Z');
    const t = await createTicket(as('agent'), { memberId: id('M00000001'), type: 'repair', priority: 'high', title: '包间空调不制冷' });
    expect(t.ticketNo).toMatch(/^T20261121\d{6}$/);
    expect(t).toMatchObject({ status: 'open', priority: 'high', createdBy: 'agent_01', storeId: crm.fx.stores.S1 });
    expect(t.responseDueAt.toISOString()).toBe('2026-11-21T05:00:00.000Z');
    expect(t.resolveDueAt.toISOString()).toBe('2026-11-22T04:00:00.000Z');

    await expect(changeTicketStatus(as('agent'), t.ticketNo, 'resolved')).rejects.toMatchObject({ code: 'invalid_transition', status: 409 });
    await expect(changeTicketStatus(as('agent'), t.id, 'closed')).rejects.toMatchObject({ code: 'invalid_transition' });
    at('2026-11-21T04:20:00Z');
    const p = await changeTicketStatus(as('agent'), t.ticketNo.toLowerCase(), 'in_progress');
    expect(p.firstResponseAt?.toISOString()).toBe('2026-11-21T04:20:00.000Z');
    expect(p.assignee?.wecomUserId).toBe('agent_01');
    await expect(rateTicket(as('agent'), t.id, 5)).rejects.toMatchObject({ code: 'ticket_not_resolved' });
    at('2026-11-21T08:00:00Z');
    const r = await changeTicketStatus(as('agent'), t.id, 'resolved', '更换压缩机');
    expect(r).toMatchObject({ status: 'resolved', resolution: '更换压缩机' });
    expect(r.resolvedAt?.toISOString()).toBe('2026-11-21T08:00:00.000Z');
    expect((await rateTicket(as('agent'), t.id, 4)).satisfaction).toBe(4);
    await expect(rateTicket(as('agent'), t.id, 6)).rejects.toMatchObject({ code: 'invalid_satisfaction', status: 400 });
    at('2026-11-22T08:00:00Z');
    const c = await changeTicketStatus(as('manager1'), t.id, 'closed');
    expect(c.closedAt?.toISOString()).toBe('2026-11-22T08:00:00.000Z');
    await expect(changeTicketStatus(as('manager1'), t.id, 'in_progress')).rejects.toMatchObject({ code: 'invalid_transition' });
    await expect(assignTicket(as('manager1'), t.id, crm.fx.staff.manager1.staffId)).rejects.toMatchObject({ code: 'ticket_closed' });
    const actions = (await crm.services.db.auditLog.findMany({ where: { targetType: 'ticket', targetId: String(t.id) }, orderBy: { id: 'asc' } })).map((a) => a.action);
    expect(actions).toEqual(['ticket.create', 'ticket.status', 'ticket.status', 'ticket.rate', 'ticket.status']);
  });

  it('lets only one of two concurrent moves from the same status win', async () => {
    const t = await createTicket(as('agent'), { memberId: id('M00000003'), type: 'consultation', title: '发票' });
    await changeTicketStatus(as('agent'), t.id, 'in_progress');
    const rs = await Promise.allSettled([changeTicketStatus(as('agent'), t.id, 'resolved'), changeTicketStatus(as('manager1'), t.id, 'resolved')]);
    // Either both read in_progress (one loses the conditional update) or the second saw resolved already (no-op).
    expect(rs.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
    for (const r of rs) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'ticket_changed' });
    expect((await getTicket(as('agent'), t.id)).status).toBe('resolved');
  });

  it('keeps tickets inside the store scope and lets a member open one only for themself', async () => {
    const other = await createTicket(as('manager2'), { memberId: id('M00000002'), type: 'after_sales', title: '外卖少送' });
    await expect(getTicket(as('manager1'), other.ticketNo)).rejects.toMatchObject({ code: 'ticket_not_found', status: 404 });
    await expect(changeTicketStatus(as('agent'), other.id, 'in_progress')).rejects.toMatchObject({ code: 'ticket_not_found' });
    await expect(createTicket(as('manager1'), { memberId: id('M00000002'), type: 'repair', title: 'x' })).rejects.toMatchObject({ code: 'member_not_found' });
    await expect(createTicket(as('marketer'), { memberId: id('M00000001'), type: 'repair', title: 'x' })).rejects.toMatchObject({ code: 'permission_denied' });
    await expect(createTicket(as('agent'), { memberId: id('M00000001'), type: 'nope' as 'repair', title: '' })).rejects.toMatchObject({ code: 'invalid_ticket', status: 400 });
    expect((await listTickets(as('hq'), { memberId: id('M00000002') })).total).toBe(1);
    expect((await listTickets(as('manager1'), {})).tickets.every((t) => t.storeId === crm.fx.stores.S1)).toBe(true);

    const member = { kind: 'member' as const, memberId: id('M00000002'), name: '张伟', phone: '13800000002', homeStoreId: crm.fx.stores.S2 };
    const mine = await createTicket({ services: crm.services, actor: member, channel: 'miniprogram', requestId: 'm-1' }, { memberId: member.memberId, type: 'consultation', title: '转人工：会员卡问题' });
    expect(mine).toMatchObject({ createdBy: `member:${member.memberId}`, storeId: crm.fx.stores.S2, status: 'open' });
    await expect(createTicket({ services: crm.services, actor: member, channel: 'miniprogram', requestId: 'm-2' }, { memberId: id('M00000001'), type: 'consultation', title: 'x' })).rejects.toMatchObject({ code: 'not_your_member', status: 403 });
    expect((await listTickets({ services: crm.services, actor: member, channel: 'miniprogram', requestId: 'm-3' })).tickets.map((t) => t.memberId)).toEqual([member.memberId, member.memberId]);
  });

  it('escalates by hand and by the SLA sweep, once per breach', async () => {
    at('2026-11-21T04:00:00Z');
    const t = await createTicket(as('agent'), { memberId: id('M00000005'), type: 'complaint', priority: 'urgent', title: '食物异物' });
    at('2026-11-21T04:40:00Z'); // past the 30-minute response SLA
    expect(await escalateOverdueTickets(crm.services)).toEqual({ level1: 1, level2: 0 });
    expect(await escalateOverdueTickets(crm.services)).toEqual({ level1: 0, level2: 0 });
    at('2026-11-21T09:00:00Z'); // past the 4-hour resolution SLA
    expect(await escalateOverdueTickets(crm.services)).toMatchObject({ level2: 1 });
    expect((await getTicket(as('agent'), t.id)).escalationLevel).toBe(2);
    const e = await escalateTicket(as('manager1'), t.id, '顾客要求店长处理');
    expect(e.escalationLevel).toBe(3);
    await expect(escalateTicket(as('manager1'), t.id)).rejects.toMatchObject({ code: 'max_escalation' });
    expect((await listTickets(as('manager1'), { overdue: true })).tickets.map((x) => x.id)).toContain(t.id);
    at(NOW);
  });

  it('logs a complaint as an interaction plus a linked complaint ticket, in one transaction', async () => {
    const a = as('manager1');
    const r = await logInteraction(a, { memberId: id('M00000001'), type: 'complaint', channel: 'call', content: '上菜慢', followUpAt: new Date(NOW.getTime() - 1000), nextAction: '回电致歉' });
    expect(r.ticket).toMatchObject({ type: 'complaint', priority: 'high', title: '上菜慢', status: 'open' });
    expect(r.interaction).toMatchObject({ type: 'complaint', channel: 'call', ticketNo: r.ticket!.ticketNo, memberNo: 'M00000001' });
    expect((await crm.services.db.auditLog.findMany({ where: { requestId: a.requestId }, orderBy: { id: 'asc' } })).map((x) => x.action)).toEqual(['interaction.log', 'ticket.create']);
    const b = as('manager1');
    const praise = await logInteraction(b, { memberId: id('M00000001'), type: 'praise', channel: 'store', content: '服务员很热情' });
    expect(praise.ticket).toBeNull();
    expect((await crm.services.db.auditLog.findMany({ where: { requestId: b.requestId } })).map((x) => x.action)).toEqual(['interaction.log']);

    // Refused requests (no permission, other store, bad input) leave nothing behind.
    const before = await crm.services.db.interaction.count();
    await expect(logInteraction(as('marketer'), { memberId: id('M00000001'), type: 'complaint', channel: 'call', content: 'x' })).rejects.toMatchObject({ code: 'permission_denied' });
    await expect(logInteraction(as('manager1'), { memberId: id('M00000002'), type: 'praise', channel: 'call', content: 'x' })).rejects.toMatchObject({ code: 'member_not_found' });
    await expect(logInteraction(as('manager1'), { memberId: id('M00000001'), type: 'praise', channel: 'pigeon' as 'call', content: 'x' })).rejects.toMatchObject({ code: 'invalid_interaction', status: 400 });
    expect(await crm.services.db.interaction.count()).toBe(before);

    const list = await listInteractions(as('agent'), id('M00000001'));
    expect(list.interactions.map((i) => i.type)).toEqual(['praise', 'complaint']);
    const due = await pendingFollowUps(as('agent'));
    expect(due.interactions.map((i) => i.content)).toEqual(['上菜慢']);
    // The count (one statement over the pending index) agrees with the page; overdue splits it at a time.
    expect(due.total).toBe(1);
    const followUpAt = due.interactions[0]!.followUpAt!;
    expect((await pendingFollowUps(as('agent'), { overdueBefore: new Date(followUpAt.getTime() + 1) })).overdue).toBe(1);
    expect((await pendingFollowUps(as('agent'), { overdueBefore: followUpAt })).overdue).toBe(0);
    expect((await pendingFollowUps(as('manager2'))).total).toBe(0);
    await completeFollowUp(as('agent'), due.interactions[0]!.id, '已致歉，送券');
    expect((await pendingFollowUps(as('agent'))).total).toBe(0);
  });
});
