import { describe, expect, it } from 'vitest';
import type { StaffRole } from '../../../generated/prisma/enums.ts';
import { useCrmTestEnv } from '../../../../test/support/crm/crm-test-env.ts';
import { handOff } from '../handoff.ts';
import { getAssignmentConfig, setAssignmentConfig, type AssignmentConfigInput } from '../settings/assignment-config.ts';
import { assignWaitingTickets, changeTicketStatus, createTicket, getTicket } from './index.ts';
import { sealedPhone } from '../../../../test/support/sealed-phone.ts';

// Ticket auto-assignment against MariaDB: least open workload among the store's eligible staff,
// the fallbacks (store manager, service group, HQ), per-priority overrides, complaints never left
// alone, concurrent creations, and the sweep for waiting tickets. Each test works in stores of
// its own, so workloads never mix.
describe('ticket auto-assignment', () => {
  const crm = useCrmTestEnv('auto_assign');
  const { as, at } = crm;
  let seq = 0;

  /** A store with staff of the given roles (an `!` suffix = deactivated) and `members` members. */
  async function store(staff: string[], members = 1) {
    const n = ++seq;
    const { db } = crm.services;
    const s = await db.store.create({ data: { code: `A${n}`, name: `测试${n}店`, city: '杭州' } });
    const ids: number[] = [];
    for (const [i, spec] of staff.entries()) {
      const role = spec.replace('!', '') as StaffRole;
      const row = await db.staff.create({ data: { wecomUserId: `a${n}_${role}_${i}`, name: `${role}${i}`, role, active: !spec.endsWith('!'), stores: { create: [{ storeId: s.id }] } } });
      ids.push(row.id);
    }
    const memberIds: number[] = [];
    for (let i = 0; i < members; i++) {
      const m = await db.member.create({ data: { memberNo: `MA${n}${String(i).padStart(4, '0')}`, name: `顾客${n}-${i}`, ...sealedPhone(`139${String(n).padStart(4, '0')}${String(i).padStart(4, '0')}`), registeredAt: crm.now(), sourceChannel: 'store', homeStoreId: s.id } });
      memberIds.push(m.id);
    }
    return { id: s.id, staff: ids, members: memberIds };
  }
  const configure = (c: AssignmentConfigInput) => setAssignmentConfig(as('hq'), c);
  const open = (memberId: number, extra: Partial<Parameters<typeof createTicket>[1]> = {}) => createTicket(as('hq'), { memberId, type: 'repair', title: '设备报修', ...extra });
  const load = async (staffId: number) => crm.services.db.ticket.count({ where: { assigneeId: staffId, status: { in: ['open', 'in_progress'] } } });

  it('gives a new ticket to the eligible staff member with the fewest open tickets, audited and shown on the ticket', async () => {
    const s = await store(['agent', 'agent', 'agent', 'store_manager', 'marketer', 'agent!'], 1);
    const [a1, a2, a3] = s.staff as [number, number, number];
    const m = s.members[0]!;
    // Workloads 2, 0, 1 given by hand; a resolved ticket of a2 does not count.
    for (const who of [a1, a1, a3, a2]) await open(m, { assigneeId: who });
    const done = (await crm.services.db.ticket.findFirst({ where: { assigneeId: a2 } }))!;
    await changeTicketStatus(as('hq'), done.id, 'in_progress');
    await changeTicketStatus(as('hq'), done.id, 'resolved', '已处理');
    expect([await load(a1), await load(a2), await load(a3)]).toEqual([2, 0, 1]);

    await configure({ enabled: true, roles: ['agent'] });
    at('2026-12-02T03:00:00Z');
    const t = await open(m);
    expect(t.assignee?.id).toBe(a2);
    expect(t).toMatchObject({ assignedBy: 'auto' });
    expect(t.assignedAt?.toISOString()).toBe('2026-12-02T03:00:00.000Z');
    const [row] = await crm.services.db.auditLog.findMany({ where: { action: 'ticket.assign', targetId: String(t.id) } });
    expect(row).toMatchObject({ actorType: 'system', actorId: 'auto-assign', detail: { ticketNo: t.ticketNo, from: null, to: a2, auto: true, tier: 'store', openTickets: 0 } });

    // Then the loads are 2, 1, 1: the tie goes to the lower id, and a1 waits until it is the least loaded.
    const picks: number[] = [];
    for (let i = 0; i < 4; i++) picks.push((await open(m)).assignee!.id);
    expect(picks).toEqual([a2, a3, a1, a2]);
    // The manager (not in the roles), the marketer and the deactivated agent never got one.
    for (const other of s.staff.slice(3)) expect(await load(other)).toBe(0);
  });

  it('follows per-priority overrides: urgent to the store manager, low not assigned', async () => {
    const s = await store(['agent', 'store_manager'], 1);
    await configure({ enabled: true, roles: ['agent'], priorities: { urgent: { roles: ['store_manager'] }, low: { enabled: false } } });
    expect((await open(s.members[0]!, { priority: 'urgent' })).assignee?.id).toBe(s.staff[1]);
    expect((await open(s.members[0]!, { priority: 'normal' })).assignee?.id).toBe(s.staff[0]);
    expect((await open(s.members[0]!, { priority: 'low' })).assignee).toBeNull();
    // A low complaint is assigned all the same.
    expect((await open(s.members[0]!, { priority: 'low', type: 'complaint' })).assignee?.id).toBe(s.staff[0]);
  });

  it('falls back to the store manager, then the chain’s service group, then HQ', async () => {
    const managerOnly = await store(['store_manager', 'agent!'], 1);
    const empty = await store([], 1);
    const group = await crm.services.db.staff.create({ data: { wecomUserId: 'svc_group_1', name: '总部客服', role: 'agent' } });
    await configure({ enabled: true, roles: ['agent'], serviceGroup: [group.id] });
    const t1 = await open(managerOnly.members[0]!);
    expect(t1.assignee?.id).toBe(managerOnly.staff[0]);
    expect((await crm.services.db.auditLog.findFirst({ where: { action: 'ticket.assign', targetId: String(t1.id) } }))?.detail).toMatchObject({ tier: 'store_manager' });
    const t2 = await open(empty.members[0]!);
    expect(t2.assignee?.id).toBe(group.id);
    expect((await crm.services.db.auditLog.findFirst({ where: { action: 'ticket.assign', targetId: String(t2.id) } }))?.detail).toMatchObject({ tier: 'service_group' });
    // Without a service group: HQ operators and admins (the fixture's HQ operator).
    await configure({ enabled: true });
    expect((await open(empty.members[0]!)).assignee?.wecomUserId).toBe('hq_ops_01');
  });

  it('never leaves a member’s complaint alone: assigned while auto-assignment is off, else its managers are alerted', async () => {
    const s = await store(['agent', 'store_manager'], 1);
    await configure({ enabled: false });
    expect((await open(s.members[0]!)).assignee).toBeNull();
    const complaint = await open(s.members[0]!, { type: 'complaint', priority: 'high', title: '服务态度差' });
    expect(complaint.assignee?.id).toBe(s.staff[0]);

    // The member's own complaint in chat: assigned, and both the managers and the assignee are told.
    const memberId = s.members[0]!;
    const member = { kind: 'member' as const, memberId, name: '顾客', phone: '13900000000', homeStoreId: s.id };
    const h = await handOff({ services: crm.services, actor: member, channel: 'miniprogram', requestId: 'ho-1' }, '等了一个小时还没上菜', true);
    expect(h.ticket.assignee).not.toBeNull();
    expect(h.alerted.sort()).toEqual([...new Set([`a${seq}_store_manager_1`, h.ticket.assignee!.wecomUserId])].sort());

    // Nobody at all can take it (a store without staff, a service group that left): the managers (here HQ) are alerted.
    const empty = await store([], 1);
    const gone = await crm.services.db.staff.create({ data: { wecomUserId: 'svc_gone', name: '已离职客服', role: 'agent' } });
    await configure({ enabled: false, serviceGroup: [gone.id] });
    await crm.services.db.staff.update({ where: { id: gone.id }, data: { active: false } });
    const alone = await open(empty.members[0]!, { type: 'complaint', title: '食物中毒' });
    expect(alone.assignee).toBeNull();
    const job = await crm.services.queues.outbound.getJob(`ticket-unassigned-${alone.id}-hq_ops_01`);
    expect(job?.data).toMatchObject({ channel: 'wecom', to: 'hq_ops_01' });
    expect(String(job?.data.text)).toContain(alone.ticketNo);
    const [alert] = await crm.services.db.auditLog.findMany({ where: { action: 'ticket.unassigned.alert', targetId: String(alone.id) } });
    expect(alert?.detail).toMatchObject({ alerted: ['hq_ops_01'] });
  });

  it('spreads tickets created at the same moment evenly: nobody reads a workload another is about to change', async () => {
    const s = await store(['agent', 'agent', 'agent'], 4);
    await configure({ enabled: true, roles: ['agent'] });
    const tickets = await Promise.all(Array.from({ length: 12 }, (_, i) => open(s.members[i % 4]!, { title: `并发 ${i}` })));
    const per = new Map<number, number>();
    for (const t of tickets) per.set(t.assignee!.id, (per.get(t.assignee!.id) ?? 0) + 1);
    expect([...per.entries()].sort((a, b) => a[0] - b[0])).toEqual(s.staff.map((id) => [id, 4]));
    // And the same with complaints opened by members in chat at once (the hand-off path).
    const handoffs = await Promise.all(
      s.members.map((memberId, i) => handOff({ services: crm.services, actor: { kind: 'member', memberId, name: '顾客', phone: '13900000000', homeStoreId: s.id }, channel: 'miniprogram', requestId: `c-${i}` }, '投诉', true)),
    );
    expect(handoffs.every((h) => h.ticket.assignee)).toBe(true);
    const loads = await Promise.all(s.staff.map(load));
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
    expect(loads.reduce((a, b) => a + b, 0)).toBe(16);
  });

  it('assigns waiting tickets in the sweep, and hands a deactivated assignee’s open tickets on', async () => {
    const s = await store(['agent', 'agent'], 1);
    await configure({ enabled: false });
    const waiting = await open(s.members[0]!);
    expect(waiting.assignee).toBeNull();
    await configure({ enabled: true, roles: ['agent'] });
    const first = await assignWaitingTickets(crm.services);
    expect(first.assigned).toBeGreaterThanOrEqual(1);
    const assigned = await getTicket(as('hq'), waiting.id);
    expect(assigned).toMatchObject({ assignedBy: 'auto' });
    const holder = assigned.assignee!.id;
    expect((await assignWaitingTickets(crm.services)).assigned).toBe(0);

    await crm.services.db.staff.update({ where: { id: holder }, data: { active: false } });
    await assignWaitingTickets(crm.services);
    const moved = await getTicket(as('hq'), waiting.id);
    expect(moved.assignee?.id).toBe(s.staff.find((id) => id !== holder));
    const trail = await crm.services.db.auditLog.findMany({ where: { action: 'ticket.assign', targetId: String(waiting.id) }, orderBy: { id: 'asc' } });
    expect(trail.map((a) => (a.detail as { from: number | null }).from)).toEqual([null, holder]);
  });

  it('reaches a waiting complaint behind a backlog of tickets left unassigned on purpose', async () => {
    const s = await store([], 4);
    const gone = await crm.services.db.staff.create({ data: { wecomUserId: 'svc_gone_2', name: '离职客服', role: 'agent' } });
    await configure({ enabled: false, serviceGroup: [gone.id] });
    for (let i = 0; i < 3; i++) expect((await open(s.members[i]!, { priority: 'low' })).assignee).toBeNull();
    // A complaint while nobody at all can take it: the store has no staff, the group has left.
    await crm.services.db.staff.update({ where: { id: gone.id }, data: { active: false } });
    const complaint = await open(s.members[3]!, { type: 'complaint' });
    expect(complaint.assignee).toBeNull();
    // Someone joins the store; a sweep of two tickets at a time still finds the complaint first.
    const hire = await crm.services.db.staff.create({ data: { wecomUserId: `new_hire_${s.id}`, name: '新员工', role: 'agent', stores: { create: [{ storeId: s.id }] } } });
    await assignWaitingTickets(crm.services, { batch: 2 });
    expect((await getTicket(as('hq'), complaint.id)).assignee?.id).toBe(hire.id);
    for (const t of await crm.services.db.ticket.findMany({ where: { storeId: s.id, priority: 'low' } })) expect(t.assigneeId).toBeNull();
  });

  it('refuses a service group of unknown or deactivated staff, roles that cannot handle tickets, and callers without service.configure', async () => {
    const before = await getAssignmentConfig(crm.services);
    await expect(configure({ enabled: true, serviceGroup: [999_999] })).rejects.toMatchObject({ code: 'invalid_assignment_config', status: 400, details: { issues: [expect.objectContaining({ path: ['serviceGroup', 0] })] } });
    await expect(configure({ enabled: true, roles: ['marketer' as 'agent'] })).rejects.toMatchObject({ code: 'invalid_assignment_config', details: { issues: [expect.objectContaining({ path: ['roles', 0] })] } });
    await expect(configure({ enabled: true, roles: [] })).rejects.toMatchObject({ code: 'invalid_assignment_config' });
    await expect(setAssignmentConfig(as('manager1'), { enabled: true })).rejects.toMatchObject({ code: 'permission_denied' });
    expect(await getAssignmentConfig(crm.services)).toEqual(before);
  });
});
