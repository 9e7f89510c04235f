import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW } from '../support/crm/fixture.ts';
import { createApiTestEnv, type ApiTestEnv } from './support.ts';

/** Pagination of the follow-ups due and of a customer's orders, through the admin API. */
describe('admin API: paging follow-ups and orders', () => {
  let t: ApiTestEnv;
  const HOUR = 3_600_000;
  beforeAll(async () => {
    t = await createApiTestEnv('api_paging', {}, { now: () => NOW });
    // Seven follow-ups in store S1 (two sharing a due time, so the id tie-break matters), one
    // done, one due only tomorrow, one in store S2 (outside store_manager_01's scope).
    const { db } = t.env.services;
    const s1 = [t.fx.memberIds.M00000001!, t.fx.memberIds.M00000003!, t.fx.memberIds.M00000004!];
    const due = [-50, -40, -40, -30, -20, -10, -1];
    for (const [i, h] of due.entries()) {
      await db.interaction.create({ data: { memberId: s1[i % 3]!, type: 'consultation', channel: 'call', content: `due ${i}`, followUpAt: new Date(NOW.getTime() + h * HOUR), createdAt: NOW } });
    }
    await db.interaction.create({ data: { memberId: s1[0]!, type: 'consultation', channel: 'call', content: 'done', followUpAt: new Date(NOW.getTime() - HOUR), followUpDoneAt: NOW, createdAt: NOW } });
    await db.interaction.create({ data: { memberId: s1[0]!, type: 'consultation', channel: 'call', content: 'tomorrow', followUpAt: new Date(NOW.getTime() + 20 * HOUR), createdAt: NOW } });
    await db.interaction.create({ data: { memberId: t.fx.memberIds.M00000002!, type: 'consultation', channel: 'call', content: 'other store', followUpAt: new Date(NOW.getTime() - HOUR), createdAt: NOW } });
  });
  afterAll(async () => t?.cleanup());

  const pages = async (path: (page: number) => string) => {
    const out: any[] = [];
    let total = -1;
    for (let page = 1; page <= 10; page++) {
      const r = await t.call(t.tokens.manager1, 'GET', path(page));
      expect(r.status).toBe(200);
      total = r.body.total;
      if (!r.body.items.length) break;
      out.push(...r.body.items);
    }
    return { total, items: out };
  };

  it('pages the follow-ups due, earliest first, each exactly once, with the total of all pages', async () => {
    // Expected set from the table itself: S1 members, due by now, not done; ordered by (follow_up_at, id).
    const [rows] = await t.env.services.sql.query<any[]>(
      `SELECT i.id FROM interactions i JOIN members m ON m.id = i.member_id
        WHERE m.home_store_id = ? AND i.follow_up_at <= ? AND i.follow_up_done_at IS NULL ORDER BY i.follow_up_at, i.id`,
      [t.fx.stores.S1, NOW],
    );
    expect(rows).toHaveLength(7);
    const { total, items } = await pages((p) => `/api/crm/interactions?pending_follow_up=true&pageSize=3&page=${p}`);
    expect(total).toBe(7);
    expect(items.map((i) => i.id)).toEqual(rows.map((r) => r.id));
    const within = await t.call(t.tokens.manager1, 'GET', '/api/crm/interactions?pending_follow_up=true&withinDays=1&pageSize=3&page=3');
    expect(within.body).toMatchObject({ total: 8, page: 3 });
    expect(within.body.items.map((i: any) => i.content)).toEqual(['due 6', 'tomorrow']);
  });

  it("pages a customer's orders, newest first, every order once", async () => {
    const id = t.fx.memberIds.M00000001!;
    const [orders] = await t.env.services.sql.query<any[]>('SELECT id, order_no, amount, store_id FROM orders WHERE member_id = ? ORDER BY paid_at DESC, id DESC', [id]);
    const { total, items } = await pages((p) => `/api/crm/customers/${id}/orders?pageSize=4&page=${p}`);
    expect(total).toBe(orders.length);
    expect(items.map((o) => [o.id, o.orderNo, o.amount, o.store.id])).toEqual(orders.map((o: any) => [o.id, o.order_no, String(o.amount), o.store_id]));
  });

  it('pages a tag-filtered list in every plan: each member once, in sort order, deleted and other-store members left out', async () => {
    const { db, sql } = t.env.services;
    // A common tag (every member, the deleted M00000011 included) makes short pages walk the sort
    // index; a rare one (two members) joins. Distinct points where they'd tie would hide order bugs.
    const common = await db.tag.create({ data: { name: '常客', category: 'behaviour' } });
    const rare = await db.tag.create({ data: { name: '稀有', category: 'behaviour' } });
    const members = await db.member.findMany({ select: { id: true }, orderBy: { id: 'asc' } });
    await db.memberTag.createMany({ data: members.map((m) => ({ memberId: m.id, tagId: common.id })) });
    await db.memberTag.createMany({ data: members.slice(0, 2).map((m) => ({ memberId: m.id, tagId: rare.id })) });
    await sql.query('UPDATE members SET points = (id * 37) % 11 * 100');
    for (const [tag, token, stores] of [
      ['常客', t.tokens.hq, null],
      ['常客', t.tokens.manager1, [t.fx.stores.S1]],
      ['稀有', t.tokens.hq, null],
    ] as const) {
      for (const [sort, orderSql] of [
        ['-points', 'm.points DESC, m.id DESC'],
        ['registeredAt', 'm.registered_at, m.id'],
        ['name', 'm.name, m.id'],
      ] as const) {
        const [expected] = await sql.query<any[]>(
          `SELECT m.id FROM members m JOIN member_tags mt ON mt.member_id = m.id JOIN tags g ON g.id = mt.tag_id
            WHERE g.name = ? AND m.status <> 'deleted' ${stores ? 'AND m.home_store_id IN (?)' : ''} ORDER BY ${orderSql}`,
          stores ? [tag, stores] : [tag],
        );
        for (const size of [1, 3]) {
          const seen: number[] = [];
          let total = -1;
          for (let page = 1; page <= 20; page++) {
            const r = await t.call(token, 'GET', `/api/crm/customers?tag=${encodeURIComponent(tag)}&sort=${sort}&pageSize=${size}&page=${page}`);
            expect(r.status).toBe(200);
            total = r.body.total;
            if (!r.body.items.length) break;
            seen.push(...r.body.items.map((i: any) => i.id));
          }
          expect(total, `${tag} ${sort} ${size}`).toBe(expected.length);
          expect(seen, `${tag} ${sort} ${size}`).toEqual(expected.map((e) => e.id));
        }
      }
    }
  });

  it('refuses bad page parameters with a 400 naming the parameter', async () => {
    for (const q of ['page=0', 'pageSize=0', 'pageSize=101', 'page=x']) {
      const f = await t.call(t.tokens.manager1, 'GET', `/api/crm/interactions?pending_follow_up=true&${q}`);
      expect(f.status, q).toBe(400);
      expect(f.body.error.issues[0].path[0]).toBe(q.split('=')[0]);
      const o = await t.call(t.tokens.manager1, 'GET', `/api/crm/customers/${t.fx.memberIds.M00000001}/orders?${q}`);
      expect(o.status, q).toBe(400);
    }
  });
});
