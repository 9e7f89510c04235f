import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScoring } from '../../src/crm/insights/scores/index.ts';
import { MEMBERS, NOW } from '../support/crm/fixture.ts';
import { createApiTestEnv, type ApiTestEnv } from './support.ts';
import { openPhone } from '../support/sealed-phone.ts';

/**
 * Customers endpoints on the real database with the hand-made fixture. Expected pages are
 * computed in the test from the fixture rows read back with plain SQL, not by the API's code.
 */
describe('admin API: customers', () => {
  let t: ApiTestEnv;
  let all: { id: number; member_no: string; name: string; phone: string; level: number; points: number; status: string; home_store_id: number | null; registered_at: Date; tags: string }[];

  beforeAll(async () => {
    t = await createApiTestEnv('api_customers', {}, { now: () => NOW });
    // Vary the fixture so filters and sorts have something to tell apart.
    const { sql } = t.env.services;
    await sql.query(`UPDATE members SET registered_at = DATE_ADD('2025-01-01 00:00:00', INTERVAL (id * 37) DAY), level = 1 + (id % 3), points = (id * 97) % 1000`);
    await sql.query(`UPDATE members SET status = 'frozen' WHERE member_no = 'M00000005'`);
    // A member registered at 2025-06-30 16:30 UTC: 2025-07-01 00:30 in Beijing (a day-boundary case).
    await sql.query(`UPDATE members SET registered_at = '2025-06-30 16:30:00' WHERE member_no = 'M00000003'`);
    [all] = (await sql.query(
      `SELECT m.id, m.member_no, m.name, m.phone_enc, m.level, m.points, m.status, m.home_store_id, m.registered_at,
              COALESCE(GROUP_CONCAT(t.name), '') AS tags
       FROM members m LEFT JOIN member_tags mt ON mt.member_id = m.id LEFT JOIN tags t ON t.id = mt.tag_id
       GROUP BY m.id ORDER BY m.id`,
    )) as any;
    for (const m of all) m.phone = openPhone((m as unknown as { phone_enc: string }).phone_enc);
  });
  afterAll(async () => t?.cleanup());

  const S1 = () => t.fx.stores.S1;
  const visibleTo = (stores: number[] | null) => all.filter((m) => m.status !== 'deleted' && (stores === null || (m.home_store_id !== null && stores.includes(m.home_store_id))));
  const ids = (xs: { id: number }[]) => xs.map((x) => x.id);

  it('lists the caller’s scope with a total, default sort newest registration first', async () => {
    const r = await t.call(t.tokens.manager1, 'GET', '/api/crm/customers');
    expect(r.status).toBe(200);
    const expected = visibleTo([S1()]).sort((a, b) => b.registered_at.getTime() - a.registered_at.getTime() || b.id - a.id);
    expect(r.body.total).toBe(expected.length);
    expect(ids(r.body.items)).toEqual(ids(expected).slice(0, 20));
    expect(r.body).toMatchObject({ page: 1, pageSize: 20 });
    const hq = await t.call(t.tokens.hq, 'GET', '/api/crm/customers?pageSize=100');
    expect(hq.body.total).toBe(visibleTo(null).length);
    expect(hq.body.items.some((m: any) => m.memberNo === 'M00000011')).toBe(false); // deleted: nobody's
  });

  it('pages through every row exactly once, for each sort', async () => {
    for (const sort of ['name', '-points', 'level', '-memberNo', 'registeredAt']) {
      const seen: number[] = [];
      let total = -1;
      for (let page = 1; page <= 4; page++) {
        const r = await t.call(t.tokens.hq, 'GET', `/api/crm/customers?sort=${sort}&pageSize=3&page=${page}`);
        expect(r.status).toBe(200);
        total = r.body.total;
        seen.push(...ids(r.body.items));
      }
      const field = sort.replace('-', '') as 'name' | 'points' | 'level' | 'memberNo' | 'registeredAt';
      const col = { name: 'name', points: 'points', level: 'level', memberNo: 'member_no', registeredAt: 'registered_at' }[field] as keyof (typeof all)[number];
      const dir = sort.startsWith('-') ? -1 : 1;
      const cmp = (a: any, b: any) => {
        const x = a[col];
        const y = b[col];
        // utf8mb4_unicode_ci orders names like Intl's root collation would only roughly; compare the DB's own order for names.
        const c = x instanceof Date ? x.getTime() - y.getTime() : typeof x === 'number' ? x - y : 0;
        return dir * (c || a.id - b.id);
      };
      const expected = visibleTo(null);
      expect(total).toBe(expected.length);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.sort((a, b) => a - b)).toEqual(ids(expected).sort((a, b) => a - b));
      if (field !== 'name') {
        const again: number[] = [];
        for (let page = 1; page <= 4; page++) again.push(...ids((await t.call(t.tokens.hq, 'GET', `/api/crm/customers?sort=${sort}&pageSize=3&page=${page}`)).body.items));
        expect(again).toEqual(ids([...expected].sort(cmp)));
      }
    }
  });

  it('filters by q (phone / member number / name prefix), store, level, status, tag — combined with AND', async () => {
    const q = async (qs: string, token = t.tokens.hq) => {
      const r = await t.call(token, 'GET', `/api/crm/customers?pageSize=100&${qs}`);
      expect(r.status).toBe(200);
      expect(r.body.total).toBe(r.body.items.length);
      return ids(r.body.items).sort((a, b) => a - b);
    };
    const sorted = (xs: typeof all) => ids(xs).sort((a, b) => a - b);
    const vis = visibleTo(null);
    // Phones are sealed: a prefix is refused (phone_partial_search, below); the last four digits are searchable.
    expect(await q('q=*0001')).toEqual(sorted(vis.filter((m) => m.phone.endsWith('0001'))));
    expect(await q(`q=${encodeURIComponent('尾号0010')}`)).toEqual(sorted(vis.filter((m) => m.phone.endsWith('0010'))));
    expect(await q(`q=${encodeURIComponent('+86 138-0000-0004')}`)).toEqual(sorted(vis.filter((m) => m.phone === '13800000004')));
    expect(await q('q=m0000000')).toEqual(sorted(vis.filter((m) => m.member_no.startsWith('M0000000'))));
    expect(await q(`q=${encodeURIComponent('张伟')}`)).toEqual(sorted(vis.filter((m) => m.name.startsWith('张伟'))));
    expect(await q(`q=${encodeURIComponent('张伟')}`, t.tokens.manager1)).toEqual(sorted(visibleTo([S1()]).filter((m) => m.name.startsWith('张伟'))));
    expect(await q(`store=${t.fx.stores.S2}`)).toEqual(sorted(vis.filter((m) => m.home_store_id === t.fx.stores.S2)));
    expect(await q('level=2')).toEqual(sorted(vis.filter((m) => m.level === 2)));
    expect(await q('status=frozen')).toEqual(sorted(vis.filter((m) => m.status === 'frozen')));
    expect(await q('tag=VIP')).toEqual(sorted(vis.filter((m) => m.tags.split(',').includes('VIP'))));
    expect(await q('tag=vip')).toEqual(sorted(vis.filter((m) => m.tags.split(',').includes('VIP')))); // the column is case-insensitive
    expect(await q(`level=1&store=${S1()}&status=active`)).toEqual(sorted(vis.filter((m) => m.level === 1 && m.home_store_id === S1() && m.status === 'active')));
    expect(await q('q=nobody')).toEqual([]);
  });

  it('filters by registration range: Beijing days inclusive, timestamps as given', async () => {
    const count = async (qs: string) => (await t.call(t.tokens.hq, 'GET', `/api/crm/customers?pageSize=100&${qs}`)).body.total;
    const vis = visibleTo(null);
    const between = (from: Date, before: Date) => vis.filter((m) => m.registered_at >= from && m.registered_at < before).length;
    const bj = (d: string) => new Date(`${d}T00:00:00+08:00`);
    expect(await count('registeredFrom=2025-07-01&registeredTo=2025-07-01')).toBe(between(bj('2025-07-01'), bj('2025-07-02')));
    expect(await count('registeredFrom=2025-07-01&registeredTo=2025-07-01')).toBeGreaterThanOrEqual(1); // M00000003 at 00:30 Beijing
    expect(await count('registeredFrom=2025-03-01')).toBe(between(bj('2025-03-01'), new Date('2100-01-01')));
    expect(await count('registeredTo=2025-06-30')).toBe(between(new Date(0), bj('2025-07-01')));
    expect(await count(`registeredFrom=${encodeURIComponent('2025-06-30T16:30:00Z')}&registeredTo=${encodeURIComponent('2025-06-30T16:30:00Z')}`)).toBe(1);
  });

  it('masks phones for roles without phone access, and shows them to those with it', async () => {
    const agent = await t.call(t.tokens.agent, 'GET', '/api/crm/customers?q=13800000001');
    expect(agent.body.items[0].phone).toBe('138****0001');
    // Phones are stored encrypted: a part of a number other than its last four digits is refused for every role.
    for (const token of [t.tokens.agent, t.tokens.hq]) {
      const prefix = await t.call(token, 'GET', '/api/crm/customers?q=1380000000');
      expect(prefix.status).toBe(400);
      expect(prefix.body.error.code).toBe('phone_partial_search');
    }
    expect((await t.call(t.tokens.marketer, 'GET', '/api/crm/customers?q=138')).status).toBe(400);
    expect((await t.call(t.tokens.marketer, 'GET', `/api/crm/customers?q=${encodeURIComponent('+86 138 0000 0001')}`)).body.total).toBe(1);
    expect(JSON.stringify(agent.body)).not.toContain('13800000001');
    const manager = await t.call(t.tokens.manager1, 'GET', '/api/crm/customers?q=13800000001');
    expect(manager.body.items[0].phone).toBe('13800000001');
    const view = await t.call(t.tokens.marketer, 'GET', `/api/crm/customers/${t.fx.memberIds.M00000001}`);
    expect(view.body.profile.phone).toBe('138****0001');
    expect(JSON.stringify(view.body)).not.toContain('13800000001');
  });

  it('serves the 360 view with figures computed by the database, and audits the read', async () => {
    const id = t.fx.memberIds.M00000001!;
    const r = await t.call(t.tokens.manager1, 'GET', `/api/crm/customers/${id}`);
    expect(r.status).toBe(200);
    const m = MEMBERS.find((x) => x.memberNo === 'M00000001')!;
    expect(r.body.profile).toMatchObject({ id, memberNo: 'M00000001', name: '张伟', phone: '13800000001', homeStore: '上海一店', birthday: '1990-05-01' });
    // 1000.10 + 100.20 + 0.10 + 0.20 + 99.90 + 34.30, summed in cents.
    const cents = m.amounts.reduce((s, a) => s + Math.round(Number(a) * 100), 0);
    expect(r.body.orders.totalSpend).toBe((cents / 100).toFixed(2));
    expect(r.body.orders.count).toBe(m.orders.length);
    expect(r.body.orders.daysSinceLastOrder).toBe(10);
    expect(r.body.orders.recent[0].paidAt).toBe(new Date(NOW.getTime() - 10 * 86_400_000 - 3_600_000).toISOString());
    expect(r.body.tags).toEqual([{ name: 'VIP', category: 'value', source: 'rule' }]);
    const rows = await t.auditRows('request_id = ?', [r.requestId]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'member.summary', target_type: 'member', target_id: String(id), actor_id: 'store_manager_01', channel: 'api' });
  });

  it("answers 404 (not 403) for another store's member, a deleted one or an unknown id — and audits the probe", async () => {
    const other = t.fx.memberIds.M00000008!; // S2
    for (const path of [`/api/crm/customers/${other}`, `/api/crm/customers/${other}/orders`, `/api/crm/customers/${other}/value-score`]) {
      const r = await t.call(t.tokens.manager1, 'GET', path);
      expect(r.status).toBe(404);
      expect(r.body.error).toMatchObject({ code: 'member_not_found', requestId: r.requestId });
      const [row] = await t.auditRows('request_id = ?', [r.requestId]);
      expect(row).toMatchObject({ target_type: 'member_search', target_id: `id:${other}`, actor_id: 'store_manager_01' });
    }
    const unknown = await t.call(t.tokens.manager1, 'GET', '/api/crm/customers/999999');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('member_not_found');
    expect(unknown.body.error.message.replace('999999', 'X')).toBe((await t.call(t.tokens.manager1, 'GET', `/api/crm/customers/${other}`)).body.error.message.replace(String(other), 'X'));
    expect((await t.call(t.tokens.hq, 'GET', `/api/crm/customers/${t.fx.memberIds.M00000011}`)).status).toBe(404);
    expect((await t.call(t.tokens.manager2, 'GET', `/api/crm/customers/${other}`)).status).toBe(200);
    // The list never shows the other store's member either, even when filtering on that store.
    const list = await t.call(t.tokens.manager1, 'GET', `/api/crm/customers?store=${t.fx.stores.S2}`);
    expect(list.body).toMatchObject({ total: 0, items: [] });
  });

  it('pages a customer’s orders newest first, with decimal amounts, and audits the read', async () => {
    const id = t.fx.memberIds.M00000001!;
    const [orders] = await t.env.services.sql.query<any[]>('SELECT order_no, amount, paid_at FROM orders WHERE member_id = ? ORDER BY paid_at DESC, id DESC', [id]);
    const p1 = await t.call(t.tokens.agent, 'GET', `/api/crm/customers/${id}/orders?pageSize=4`);
    const p2 = await t.call(t.tokens.agent, 'GET', `/api/crm/customers/${id}/orders?pageSize=4&page=2`);
    expect(p1.body.total).toBe(orders.length);
    expect([...p1.body.items, ...p2.body.items].map((o: any) => o.orderNo)).toEqual(orders.map((o: any) => o.order_no));
    expect(p1.body.items.map((o: any) => o.amount)).toEqual(orders.slice(0, 4).map((o: any) => String(o.amount)));
    expect(p1.body.items[0]).toMatchObject({ paymentMethod: 'wechat', store: { name: '上海一店' }, items: [{ sku: 'SKU1', qty: 1 }] });
    const [row] = await t.auditRows('request_id = ?', [p1.requestId]);
    expect(row).toMatchObject({ action: 'member.orders', target_type: 'member', target_id: String(id), actor_id: 'agent_01' });
    const empty = await t.call(t.tokens.agent, 'GET', `/api/crm/customers/${id}/orders?page=50`);
    expect(empty.body).toMatchObject({ total: orders.length, items: [] });
  });

  it('audits every list page read with the filters and the member ids shown', async () => {
    const r = await t.call(t.tokens.manager1, 'GET', `/api/crm/customers?q=${encodeURIComponent('张')}&pageSize=2`);
    const [row] = await t.auditRows('request_id = ?', [r.requestId]);
    expect(row).toMatchObject({ action: 'member.list', target_type: 'member_search', channel: 'api' });
    const detail = typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail;
    expect(detail).toMatchObject({ q: '张', total: r.body.total, memberIds: ids(r.body.items) });
  });

  it('value-score: {available:false} before a scoring run, then the stored scores; needs churn.read', async () => {
    const id = t.fx.memberIds.M00000001!;
    const before = await t.call(t.tokens.manager1, 'GET', `/api/crm/customers/${id}/value-score`);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ customerId: id, available: false });
    expect(before.body.reason).toMatch(/scor/);
    await runScoring({ services: t.env.services });
    const r = await t.call(t.tokens.manager1, 'GET', `/api/crm/customers/${id}/value-score`);
    const [[row]] = (await t.env.services.sql.query('SELECT * FROM member_scores WHERE member_id = ?', [id])) as any;
    expect(r.body).toMatchObject({
      available: true,
      scoredAt: new Date(row.scored_at).toISOString(),
      rfm: { r: row.rfm_r, f: row.rfm_f, m: row.rfm_m, cell: row.rfm_cell },
      valueQuadrant: { key: row.value_quadrant },
      churn: { risk: String(row.churn_risk), level: row.churn_level },
    });
    expect(r.body.rfm.cellLabel).toBeTruthy();
    expect(r.body.clv).toBe(row.clv === null ? null : String(row.clv));
    const [audit] = await t.auditRows('request_id = ?', [r.requestId]);
    expect(audit).toMatchObject({ action: 'member.value_score', target_id: String(id) });
    expect((await t.call(t.tokens.agent, 'GET', `/api/crm/customers/${id}/value-score`)).status).toBe(403);
  });

  it('rejects bad input with a 4xx and the error body, never a 500', async () => {
    const bad = [
      '/api/crm/customers?page=0',
      '/api/crm/customers?pageSize=101',
      '/api/crm/customers?pageSize=abc',
      '/api/crm/customers?sort=phone',
      '/api/crm/customers?status=deleted',
      '/api/crm/customers?registeredFrom=yesterday',
      '/api/crm/customers?registeredFrom=2025-08-01&registeredTo=2025-07-01',
      '/api/crm/customers?store=-1',
      '/api/crm/customers/abc',
      '/api/crm/customers/0',
      '/api/crm/customers/1e3',
      '/api/crm/customers/99999999999999999999',
      '/api/crm/customers/9999999999',
      '/api/crm/customers/1/orders?page=x',
    ];
    for (const path of bad) {
      const r = await t.call(t.tokens.hq, 'GET', path);
      expect(r.status, path).toBe(400);
      expect(r.body.error.code, path).toBe('invalid_request');
      expect(r.body.error.requestId).toBe(r.requestId);
      expect(r.body.error.issues.length, path).toBeGreaterThan(0);
    }
    const nf = await t.call(t.tokens.hq, 'GET', '/api/crm/nope');
    expect(nf.status).toBe(404);
    expect(nf.body.error.code).toBe('not_found');
  });
});

describe('admin API: customer export (CSV)', () => {
  let t: ApiTestEnv;
  beforeAll(async () => {
    t = await createApiTestEnv('api_export', {}, { now: () => NOW });
    await t.env.services.sql.query(`UPDATE members SET name = '=HYPERLINK("http://x")' WHERE member_no = 'M00000010'`);
    await t.env.services.sql.query(`UPDATE members SET name = '王,"小"芳' WHERE member_no = 'M00000005'`);
  });
  afterAll(async () => t?.cleanup());

  const download = async (token: string, qs = '') => {
    const res = await t.rt.app.request(`/api/crm/customers/export${qs}`, { headers: { authorization: `Bearer ${token}` } });
    const bytes = new Uint8Array(await res.arrayBuffer());
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    return { status: res.status, headers: res.headers, bom, text: new TextDecoder().decode(bom ? bytes.subarray(3) : bytes) };
  };
  /** A small RFC 4180 reader for the test (quoted fields, doubled quotes, CRLF). */
  const parseCsv = (text: string) => {
    const rows: string[][] = [];
    let row: string[] = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (quoted) {
        if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
        else if (ch === '"') quoted = false;
        else cell += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') row.push(cell), (cell = '');
      else if (ch === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
      else cell += ch;
    }
    return rows;
  };

  it('exports every customer in scope with masked phones by default, and audits the export', async () => {
    const r = await download(t.tokens.marketer);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(r.headers.get('content-disposition')).toMatch(/attachment; filename="customers-2026-11-21\.csv"/);
    expect(r.headers.get('x-request-id')).toBeTruthy();
    expect(r.bom).toBe(true);
    const [header, ...rows] = parseCsv(r.text);
    expect(header).toEqual(['memberNo', 'name', 'phone', 'gender', 'birthday', 'level', 'points', 'growthValue', 'registeredAt', 'sourceChannel', 'homeStore', 'status']);
    const [[{ n }]] = (await t.env.services.sql.query("SELECT COUNT(*) AS n FROM members WHERE status <> 'deleted'")) as any;
    expect(rows).toHaveLength(Number(n));
    expect(rows.every((row) => /^1\d\d\*{4}\d{4}$/.test(row[2]!))).toBe(true);
    expect(r.text).not.toContain('13800000001');
    const [row] = await t.auditRows("action = 'member.export'");
    const detail = typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail;
    expect(row).toMatchObject({ actor_id: 'marketer_01', channel: 'api' });
    expect(detail).toMatchObject({ rows: Number(n), unmaskedPhone: false });
  });

  it('exports chosen fields and filters; full phones only for roles that may see them', async () => {
    // Full phones need a second approver (its flow: test/api/export-approval.test.ts).
    const direct = await download(t.tokens.hq, '?fields=memberNo,phone&tag=VIP&unmaskPhone=true');
    expect(direct.status).toBe(409);
    expect(JSON.parse(direct.text).error.code).toBe('export_pending_approval');
    const asked = await t.call(t.tokens.hq, 'POST', '/api/crm/exports', { fields: ['memberNo', 'phone'], tag: 'VIP', unmaskPhone: true });
    expect((await t.call(t.tokens.marketer, 'POST', `/api/crm/exports/${asked.body.id}/approve`)).status).toBe(200);
    const vipRes = await t.rt.app.request(`/api/crm/exports/${asked.body.id}/download`, { headers: { authorization: `Bearer ${t.tokens.hq}` } });
    expect(parseCsv((await vipRes.text()).replace(/^\uFEFF/, ''))).toEqual([
      ['memberNo', 'phone'],
      ['M00000001', '13800000001'],
    ]);
    const store = await download(t.tokens.hq, `?fields=memberNo&store=${t.fx.stores.S2}`);
    expect(parseCsv(store.text).slice(1).map((r) => r[0])).toEqual(['M00000002', 'M00000008']);
    const denied = await download(t.tokens.marketer, '?unmaskPhone=true');
    expect(denied.status).toBe(400);
    expect(JSON.parse(denied.text).error.code).toBe('phone_view_not_allowed');
    expect((await download(t.tokens.manager1)).status).toBe(403); // store roles lack member.export
    expect((await download(t.tokens.agent)).status).toBe(403);
    const bad = await download(t.tokens.hq, '?fields=memberNo,password');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).error.code).toBe('invalid_request');
  });

  it('quotes commas and quotes, and defuses spreadsheet formulas', async () => {
    const r = await download(t.tokens.hq, '?fields=memberNo,name');
    const rows = parseCsv(r.text);
    expect(rows.find((x) => x[0] === 'M00000010')![1]).toBe(`'=HYPERLINK("http://x")`);
    expect(rows.find((x) => x[0] === 'M00000005')![1]).toBe('王,"小"芳');
  });
});
