import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW } from '../support/crm/fixture.ts';
import { createApiTestEnv, type ApiTestEnv } from './support.ts';

/** Interactions, tickets and points through the admin API, on the real database (CRM functions underneath). */
describe('admin API: interactions, tickets, points', () => {
  let t: ApiTestEnv;
  let m1: number;
  let m8: number;
  const HOUR = 3_600_000;
  beforeAll(async () => {
    t = await createApiTestEnv('api_service', {}, { now: () => NOW });
    m1 = t.fx.memberIds.M00000001!;
    m8 = t.fx.memberIds.M00000008!;
  });
  afterAll(async () => t?.cleanup());

  describe('interactions', () => {
    it('logs a complaint (which opens a complaint ticket) and audits it; another store’s member is a 404', async () => {
      const r = await t.call(t.tokens.agent, 'POST', '/api/crm/interactions', { memberId: m1, type: 'complaint', channel: 'call', content: '来电投诉上菜慢', followUpAt: new Date(NOW.getTime() - HOUR).toISOString() });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body.interaction).toMatchObject({ memberId: m1, type: 'complaint', channel: 'call', content: '来电投诉上菜慢', staff: { name: '客服小刘' } });
      expect(r.body.ticket).toMatchObject({ type: 'complaint', status: 'open', memberId: m1 });
      expect(r.body.interaction.ticketNo).toBe(r.body.ticket.ticketNo);
      const [row] = (await t.auditRows('request_id = ? AND action = ?', [r.requestId, 'interaction.log'])) as any[];
      expect(row).toMatchObject({ actor_id: 'agent_01', channel: 'api', target_id: String(m1) });

      const other = await t.call(t.tokens.manager1, 'POST', '/api/crm/interactions', { memberId: m8, type: 'praise', channel: 'store', content: '表扬服务' });
      expect(other.status).toBe(404);
      expect(await t.env.services.db.interaction.count({ where: { memberId: m8 } })).toBe(0);
    });

    it('lists follow-ups due (pending_follow_up), within a window, in scope only; done ones drop out', async () => {
      const soon = await t.call(t.tokens.manager1, 'POST', '/api/crm/interactions', { memberId: m1, type: 'consultation', channel: 'wechat', content: '问会员日', followUpAt: new Date(NOW.getTime() + 48 * HOUR).toISOString() });
      expect(soon.status).toBe(201);
      expect(soon.body.ticket).toBeNull();
      const due = await t.call(t.tokens.manager1, 'GET', '/api/crm/interactions?pending_follow_up=true');
      expect(due.status).toBe(200);
      const [[{ n }]] = (await t.env.services.sql.query('SELECT COUNT(*) AS n FROM interactions WHERE follow_up_at <= ? AND follow_up_done_at IS NULL', [NOW])) as any;
      expect(due.body.total).toBe(Number(n));
      expect(due.body.items.map((i: any) => i.content)).toEqual(['来电投诉上菜慢']);
      const window = await t.call(t.tokens.manager1, 'GET', '/api/crm/interactions?pending_follow_up=true&withinDays=3');
      expect(window.body.items.map((i: any) => i.content)).toEqual(['来电投诉上菜慢', '问会员日']);
      const mine = await t.call(t.tokens.manager1, 'GET', '/api/crm/interactions?pending_follow_up=true&withinDays=3&mine=true');
      expect(mine.body.items.map((i: any) => i.content)).toEqual(['问会员日']);
      expect((await t.call(t.tokens.manager2, 'GET', '/api/crm/interactions?pending_follow_up=true&withinDays=3')).body.total).toBe(0);

      const done = await t.call(t.tokens.agent, 'POST', `/api/crm/interactions/${due.body.items[0].id}/follow-up-done`, { outcome: '已回电' });
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ outcome: '已回电', followUpDoneAt: NOW.toISOString() });
      expect((await t.call(t.tokens.manager1, 'GET', '/api/crm/interactions?pending_follow_up=true')).body.total).toBe(0);
      expect((await t.call(t.tokens.manager2, 'POST', `/api/crm/interactions/${due.body.items[0].id}/follow-up-done`, {})).status).toBe(404);
    });

    it("lists one customer's interactions, newest first, audited; needs memberId or pending_follow_up", async () => {
      const r = await t.call(t.tokens.agent, 'GET', `/api/crm/customers/${m1}/interactions?pageSize=1`);
      expect(r.status).toBe(200);
      expect(r.body.total).toBe(await t.env.services.db.interaction.count({ where: { memberId: m1 } }));
      expect(r.body.items).toHaveLength(1);
      const [row] = (await t.auditRows('request_id = ?', [r.requestId])) as any[];
      expect(row).toMatchObject({ action: 'interaction.list', target_id: String(m1) });
      const same = await t.call(t.tokens.agent, 'GET', `/api/crm/interactions?memberId=${m1}&pageSize=1`);
      expect(same.body.items[0].id).toBe(r.body.items[0].id);
      const bad = await t.call(t.tokens.agent, 'GET', '/api/crm/interactions');
      expect(bad.status).toBe(400);
      expect(bad.body.error.issues[0].message).toMatch(/pending_follow_up/);
      expect((await t.call(t.tokens.agent, 'GET', `/api/crm/customers/${m8}/interactions`)).status).toBe(404);
      const invalid = await t.call(t.tokens.agent, 'POST', '/api/crm/interactions', { memberId: m1, type: 'gossip', channel: 'call', content: 'x' });
      expect(invalid.status).toBe(422);
      expect(invalid.body.error.issues[0].path).toEqual(['type']);
    });
  });

  describe('tickets', () => {
    let id: number;
    it('opens a ticket (201, SLA due times), refuses a role without ticket.write and another store’s member', async () => {
      const r = await t.call(t.tokens.agent, 'POST', '/api/crm/tickets', { memberId: m1, type: 'repair', priority: 'urgent', title: '咖啡机漏水' });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body).toMatchObject({ memberId: m1, memberNo: 'M00000001', type: 'repair', priority: 'urgent', status: 'open', createdBy: 'agent_01' });
      expect(r.body.ticketNo).toMatch(/^T\d{8}\d{6,}$/);
      expect(new Date(r.body.resolveDueAt).getTime() - NOW.getTime()).toBe(4 * HOUR);
      id = r.body.id;
      expect((await t.call(t.tokens.marketer, 'POST', '/api/crm/tickets', { memberId: m1, type: 'repair', title: 'x' })).status).toBe(403);
      expect((await t.call(t.tokens.manager1, 'POST', '/api/crm/tickets', { memberId: m8, type: 'repair', title: 'x' })).status).toBe(404);
      expect((await t.call(t.tokens.agent, 'POST', '/api/crm/tickets', { memberId: m1, type: 'repair', title: '' })).status).toBe(422);
    });

    it('moves it along the state machine; a wrong move is a 409; resolve, rate, assign', async () => {
      const start = await t.call(t.tokens.manager1, 'PATCH', `/api/crm/tickets/${id}`, { status: 'in_progress' });
      expect(start.status).toBe(200);
      expect(start.body).toMatchObject({ status: 'in_progress', firstResponseAt: NOW.toISOString() });
      const skip = await t.call(t.tokens.manager1, 'PATCH', `/api/crm/tickets/${id}`, { status: 'closed' });
      expect(skip.status).toBe(409);
      expect(skip.body.error.code).toBe('invalid_transition');
      const early = await t.call(t.tokens.manager1, 'POST', `/api/crm/tickets/${id}/rating`, { satisfaction: 5 });
      expect(early.status).toBe(409);
      const agentId = t.fx.staff.agent.staffId;
      const assigned = await t.call(t.tokens.manager1, 'POST', `/api/crm/tickets/${id}/assign`, { assigneeId: agentId });
      expect(assigned.body.assignee).toMatchObject({ id: agentId, wecomUserId: 'agent_01' });
      expect((await t.call(t.tokens.manager1, 'POST', `/api/crm/tickets/${id}/assign`, { assigneeId: 999999 })).status).toBe(400);
      const resolved = await t.call(t.tokens.agent, 'POST', `/api/crm/tickets/${id}/resolve`, { resolution: '已更换配件' });
      expect(resolved.body).toMatchObject({ status: 'resolved', resolution: '已更换配件', resolvedAt: NOW.toISOString() });
      const rated = await t.call(t.tokens.agent, 'POST', `/api/crm/tickets/${id}/rating`, { satisfaction: 5 });
      expect(rated.body.satisfaction).toBe(5);
      expect((await t.call(t.tokens.agent, 'POST', `/api/crm/tickets/${id}/rating`, { satisfaction: 6 })).status).toBe(422);
      const actions = ((await t.auditRows('target_type = ? AND target_id = ?', ['ticket', String(id)])) as any[]).map((r) => r.action);
      expect(actions).toEqual(['ticket.create', 'ticket.status', 'ticket.assign', 'ticket.status', 'ticket.rate']);
    });

    it('lists and filters tickets in scope; another store cannot read one (404)', async () => {
      const all = await t.call(t.tokens.manager1, 'GET', '/api/crm/tickets?pageSize=100');
      const [[{ n }]] = (await t.env.services.sql.query('SELECT COUNT(*) AS n FROM tickets tk JOIN members m ON m.id = tk.member_id WHERE m.home_store_id = ?', [t.fx.stores.S1])) as any;
      expect(all.body.total).toBe(Number(n));
      const open = await t.call(t.tokens.manager1, 'GET', '/api/crm/tickets?status=open,in_progress');
      expect(open.body.items.every((x: any) => ['open', 'in_progress'].includes(x.status))).toBe(true);
      expect(open.body.items.some((x: any) => x.id === id)).toBe(false);
      expect((await t.call(t.tokens.manager1, 'GET', '/api/crm/tickets?status=open,nope')).status).toBe(400);
      const byMember = await t.call(t.tokens.manager1, `GET`, `/api/crm/customers/${m1}/tickets`);
      expect(byMember.body.items.map((x: any) => x.memberId).every((x: number) => x === m1)).toBe(true);
      expect(byMember.body.total).toBe(Number(n));
      expect((await t.call(t.tokens.manager2, 'GET', `/api/crm/tickets/${id}`)).status).toBe(404);
      expect((await t.call(t.tokens.manager2, 'GET', '/api/crm/tickets')).body.total).toBe(0);
      expect((await t.call(t.tokens.hq, 'GET', `/api/crm/tickets/${id}`)).body.ticketNo).toBeTruthy();
    });
  });

  describe('points', () => {
    it('adjusts with a ledger entry and an audit row; refuses overdraft (409), roles without points.adjust (403), other stores (404)', async () => {
      const before = (await t.env.services.db.member.findUniqueOrThrow({ where: { id: m1 } })).points;
      const r = await t.call(t.tokens.manager1, 'POST', `/api/crm/customers/${m1}/points`, { delta: 100, reason: '消费奖励' });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ replayed: false, entry: { delta: 100, balanceAfter: before + 100, kind: 'earn', reason: '消费奖励', createdBy: 'store_manager_01' } });
      const [row] = (await t.auditRows('request_id = ?', [r.requestId])) as any[];
      expect(row).toMatchObject({ action: 'points.adjust', target_id: String(m1) });
      const over = await t.call(t.tokens.manager1, 'POST', `/api/crm/customers/${m1}/points`, { delta: -(before + 101), reason: '兑换' });
      expect(over.status).toBe(409);
      expect(over.body.error.code).toBe('insufficient_points');
      expect((await t.call(t.tokens.agent, 'POST', `/api/crm/customers/${m1}/points`, { delta: 1, reason: 'x' })).status).toBe(403);
      expect((await t.call(t.tokens.manager1, 'POST', `/api/crm/customers/${m8}/points`, { delta: 1, reason: 'x' })).status).toBe(404);
      expect((await t.call(t.tokens.manager1, 'POST', `/api/crm/customers/${m1}/points`, { delta: 0, reason: 'x' })).status).toBe(422);
      expect((await t.call(t.tokens.manager1, 'POST', `/api/crm/customers/${m1}/points`, { delta: 1.5, reason: 'x' })).status).toBe(422);
      expect((await t.env.services.db.member.findUniqueOrThrow({ where: { id: m1 } })).points).toBe(before + 100);
    });

    it('replays an idempotency key, and N parallel adjustments give the exact balance', async () => {
      const before = (await t.env.services.db.member.findUniqueOrThrow({ where: { id: m1 } })).points;
      const body = { delta: 7, reason: 'POS 补录', idempotencyKey: 'pos-1' };
      const a = await t.call(t.tokens.manager1, 'POST', `/api/crm/customers/${m1}/points`, body);
      const b = await t.call(t.tokens.manager1, 'POST', `/api/crm/customers/${m1}/points`, body);
      expect(b.body).toMatchObject({ replayed: true, entry: { id: a.body.entry.id } });
      const N = 12;
      const results = await Promise.all(Array.from({ length: N }, (_, i) => t.call(t.tokens.hq, 'POST', `/api/crm/customers/${m1}/points`, { delta: i + 1, reason: '并发测试' })));
      expect(results.map((r) => r.status)).toEqual(Array(N).fill(200));
      const expected = before + 7 + (N * (N + 1)) / 2;
      const history = await t.call(t.tokens.manager1, 'GET', `/api/crm/customers/${m1}/points?limit=50`);
      expect(history.body.balance).toBe(expected);
      expect(history.body.entries[0].balanceAfter).toBe(expected);
      const balances = history.body.entries.map((e: any) => e.balanceAfter);
      expect(new Set(balances).size).toBe(balances.length);
      expect((await t.call(t.tokens.manager2, 'GET', `/api/crm/customers/${m1}/points`)).status).toBe(404);
    });
  });
});
