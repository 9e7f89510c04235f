import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW } from '../support/crm/fixture.ts';
import { createApiTestEnv, type ApiTestEnv } from './support.ts';
import { phoneHash } from '../support/sealed-phone.ts';

/** Duplicates, merge and erasure through the admin API (the CRM functions do the work). */
describe('admin API: duplicates, merge, erasure', () => {
  let t: ApiTestEnv;
  beforeAll(async () => {
    t = await createApiTestEnv('api_lifecycle', {}, { now: () => NOW });
  });
  afterAll(async () => t?.cleanup());

  it('lists same-name-and-birthday groups in scope, store roles and marketers lack member.merge (403)', async () => {
    const r = await t.call(t.tokens.hq, 'GET', '/api/crm/customers/duplicates');
    expect(r.status).toBe(200);
    const zhang = r.body.items.find((g: any) => g.members.some((m: any) => m.name === '张伟'));
    const [rows] = await t.env.services.sql.query<any[]>("SELECT id FROM members WHERE name = '张伟' AND status <> 'deleted' ORDER BY id");
    expect(zhang.members.map((m: any) => m.id).sort((a: number, b: number) => a - b)).toEqual(rows.map((x: any) => x.id));
    expect(zhang.members[0].phone).toMatch(/^\d{11}$/);
    expect((await t.call(t.tokens.marketer, 'GET', '/api/crm/customers/duplicates')).status).toBe(403); // marketers may not merge
    expect((await t.call(t.tokens.manager1, 'GET', '/api/crm/customers/duplicates')).status).toBe(403);
  });

  it('merges a duplicate into a survivor (orders move, the duplicate disappears), audited', async () => {
    const { M00000001: survivor, M00000003: dup } = t.fx.memberIds as Record<string, number>;
    const [[before]] = (await t.env.services.sql.query('SELECT COUNT(*) AS n FROM orders WHERE member_id IN (?, ?)', [survivor, dup])) as any;
    const r = await t.call(t.tokens.hq, 'POST', `/api/crm/customers/${survivor}/merge`, { mergedId: dup, reason: '同一人' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ survivorId: survivor, mergedId: dup, moved: { orders: 1 } });
    const [[after]] = (await t.env.services.sql.query('SELECT COUNT(*) AS n FROM orders WHERE member_id = ?', [survivor])) as any;
    expect(Number(after.n)).toBe(Number(before.n));
    expect((await t.call(t.tokens.hq, 'GET', `/api/crm/customers/${dup}`)).status).toBe(404);
    expect((await t.auditRows('request_id = ?', [r.requestId])).some((a) => a.action.startsWith('member.merge'))).toBe(true);
    expect((await t.call(t.tokens.hq, 'POST', `/api/crm/customers/${survivor}/merge`, { mergedId: survivor })).status).toBe(400);
    expect((await t.call(t.tokens.hq, 'POST', `/api/crm/customers/${survivor}/merge`, { mergedId: 'x' })).status).toBe(422);
  });

  it('erases a customer on request: personal data gone, order figures kept, no longer findable', async () => {
    const id = t.fx.memberIds.M00000004!;
    const [[sum]] = (await t.env.services.sql.query('SELECT COUNT(*) AS n, SUM(amount) AS s FROM orders WHERE member_id = ?', [id])) as any;
    expect((await t.call(t.tokens.manager1, 'POST', `/api/crm/customers/${id}/erase`, {})).status).toBe(403);
    const r = await t.call(t.tokens.hq, 'POST', `/api/crm/customers/${id}/erase`, { reason: '会员申请注销' });
    expect(r.status).toBe(200);
    expect(r.body.kept).toEqual({ orders: Number(sum.n), totalSpend: String(sum.s) });
    const [[m]] = (await t.env.services.sql.query('SELECT name, phone_enc, phone_hash, status FROM members WHERE id = ?', [id])) as any;
    expect(m.phone_hash).not.toBe(phoneHash('13800000004'));
    expect(m.status).toBe('deleted');
    expect((await t.call(t.tokens.hq, 'GET', '/api/crm/customers?q=13800000004')).body.total).toBe(0);
    expect((await t.call(t.tokens.hq, 'GET', `/api/crm/customers/${id}`)).status).toBe(404);
    expect((await t.call(t.tokens.hq, 'POST', `/api/crm/customers/${id}/erase`, {})).status).toBe(404);
  });
});
