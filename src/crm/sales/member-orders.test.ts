import { describe, expect, it } from 'vitest';
import { NOW } from '../../../test/support/crm/fixture.ts';
import { useCrmTestEnv } from '../../../test/support/crm/crm-test-env.ts';
import { manyOrders } from '../../../test/support/crm/many-orders.ts';
import { memberOrders, ordersOf } from './member-orders.ts';
import { createSqlPool } from '../../db/sql.ts';

// member.orders' page (one statement, kernel newestJson) against MariaDB: a member with more
// orders than the page, four of them paid in the same millisecond across the page's edges.
describe('member orders page', () => {
  const crm = useCrmTestEnv('member_orders');
  const { as, id } = crm;

  it('pages newest first by (paid time, id) through a tie, in a window, and past the end', async () => {
    const member = id('M00000006');
    const all = await manyOrders(crm.services, member, crm.fx.stores.S1, 'PAGE');
    const page = async (opts: { limit: number; offset?: number; days?: number }) => {
      const r = await memberOrders(as('agent'), { memberNo: 'M00000006' }, opts);
      if (r.kind !== 'one') throw new Error('expected one member');
      return r.orders;
    };
    // Cuts at 5 (inside the 4th–7th tie), 3 + 3 (both edges inside it), 2 + 4, and the last page.
    for (const [offset, limit] of [[0, 5], [3, 3], [2, 4], [14, 5], [16, 5]] as const) {
      const got = await page({ offset, limit });
      expect(got.total).toBe(16);
      expect(got.orders.map((o) => o.id)).toEqual(all.slice(offset, offset + limit).map((o) => o.id));
    }
    // The last 3 days hold the 1 h, 2 h and 3 h old orders only: a page of 2 after 1.
    const recent = await page({ days: 3, offset: 1, limit: 2 });
    const inWindow = all.filter((o) => o.paidAt.getTime() >= NOW.getTime() - 3 * 86_400_000);
    expect(recent.total).toBe(inWindow.length);
    expect(recent.orders.map((o) => o.orderNo)).toEqual(inWindow.slice(1, 3).map((o) => o.orderNo));
    // The member's own reader (my.orders) goes through the same statement by id.
    const own = await ordersOf(crm.services, (await page({ limit: 1 })).member, { limit: 6 });
    expect(own.orders.map((o) => [o.orderNo, o.amount, o.paidAt.getTime()])).toEqual(all.slice(0, 6).map((o) => [o.orderNo, o.amount, o.paidAt.getTime()]));
  });
});

// JSON_ARRAYAGG keeps its values in a temporary table; a value declared longer than 512 characters
// (the basket, a LONGTEXT; all the short fields in one JSON_OBJECT) sends it to disk on every read
// (kernel apart-list.ts). The basket comes in two pieces of 512 characters; a longer one is read by id.
describe('member orders page, its temporary tables', () => {
  const crm = useCrmTestEnv('member_orders_tmp');
  const { as, id } = crm;

  it('reads the page with no temporary table on disk, baskets of any length whole', async () => {
    const member = id('M00000006');
    const all = await manyOrders(crm.services, member, crm.fx.stores.S1, 'TMP');
    const line = (i: number, name: string) => ({ sku: `S${i}`, name, qty: 1, price: '9.90' });
    const lines = (n: number, name: string) => Array.from({ length: n }, (_, i) => line(i, name));
    // Two lines; one piece's worth exactly (512 characters, the first piece full, the second empty);
    // ~900 characters across the pieces' edge with 4-byte characters; exactly 1,024 (the last piece
    // full: read again by id); far longer than the pieces (200 lines, read by id).
    const exact = (chars: number) => {
      const base = JSON.stringify([line(0, '')]);
      return [{ ...line(0, 'x'.repeat(chars - base.length)) }];
    };
    const baskets = [lines(2, '拿铁'), exact(512), lines(12, '🍜汤面🍜'), exact(1024), lines(200, '宫保鸡丁套餐')];
    for (const [i, items] of baskets.entries()) await crm.services.sql.query('UPDATE orders SET items = ? WHERE id = ?', [JSON.stringify(items), all[i]!.id]);
    const [[lengths]] = await crm.services.sql.query<any[]>('SELECT GROUP_CONCAT(CHAR_LENGTH(items) ORDER BY FIELD(id, ?)) AS n FROM orders WHERE id IN (?)', [all.slice(0, 5).map((o) => o.id), all.slice(0, 5).map((o) => o.id)]);
    expect(String(lengths.n).split(',').map(Number).slice(1, 4)).toEqual([512, expect.any(Number), 1024]);

    const [stored] = await crm.services.sql.query<any[]>('SELECT id, items FROM orders WHERE member_id = ?', [member]);
    const basketOf = new Map(stored.map((o) => [Number(o.id), typeof o.items === 'string' ? JSON.parse(o.items) : o.items]));
    expect(all.slice(0, 5).map((o) => basketOf.get(o.id))).toEqual(baskets);

    // One connection, so its session counters are the reads'.
    const pool = createSqlPool(crm.env.databaseUrl, 1);
    const access = { ...as('agent'), services: { ...crm.services, sql: pool } };
    const disk = async () => Number((await pool.query<any[]>("SHOW SESSION STATUS LIKE 'Created_tmp_disk_tables'"))[0][0].Value);
    try {
      for (const opts of [{ limit: 5 }, { limit: 20 }, { limit: 3, offset: 2 }, { limit: 5, days: 1 }]) {
        const before = await disk();
        const r = await memberOrders(access, { memberNo: 'M00000006' }, opts);
        const own = await ordersOf(access.services, r.kind === 'one' ? r.orders.member : (undefined as never), opts);
        expect(await disk()).toBe(before);
        if (r.kind !== 'one') throw new Error('expected one member');
        for (const page of [r.orders, own]) {
          const skip = opts.offset ?? 0;
          const expected = opts.days ? all.filter((o) => o.paidAt.getTime() >= NOW.getTime() - 86_400_000) : all;
          expect(page.orders.map((o) => o.id)).toEqual(expected.slice(skip, skip + opts.limit).map((o) => o.id));
          expect(page.orders.map((o) => o.items)).toEqual(page.orders.map((o) => basketOf.get(o.id)));
        }
      }
    } finally {
      await pool.end();
    }
  });
});
