import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffAccess } from '../../src/crm/kernel/access.ts';
import { importOrders } from '../../src/crm/lifecycle/index.ts';
import { rebuildMemberStats } from '../../src/crm/sales/rollup.ts';
import { createFixture, NOW, type Fixture } from '../support/crm/fixture.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { encodeGb } from './gb-encode.ts';
import { wherePhone } from '../support/sealed-phone.ts';

/**
 * `import-orders`: order files in the encodings Chinese spreadsheets use, column
 * mapping, the error report, idempotent re-import, --dry-run, and rollups equal to a rebuild
 * (the check of test/api/orders.test.ts) — orders are recorded by the API's intake.
 */
let env: TestEnv;
let fx: Fixture;
let dir: string;
const access = (who: keyof Fixture['staff'] = 'hq'): StaffAccess => ({ services: env.services, actor: fx.staff[who], channel: 'console', requestId: `t-orders-${who}` });
const sql = () => env.services.sql;
const q = async (query: string, params: unknown[] = []) => (await sql().query<RowDataPacket[]>(query, params))[0];
const count = async (table: string, where = '1') => Number((await q(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`))[0]!.n);
const file = async (name: string, bytes: Buffer | string) => {
  const f = join(dir, name);
  await writeFile(f, bytes);
  return f;
};
/** Every rollup the writes keep, as test/api/orders.test.ts compares them with a rebuild. */
const rollups = async () => ({
  stats: (await q('SELECT * FROM member_stats ORDER BY member_id')).map(({ as_of: _, ...r }) => r),
  gaps: await q('SELECT store_key, dir, day, gap, members FROM store_visit_gaps WHERE members <> 0 ORDER BY store_key, dir, day, gap'),
  days: await q('SELECT store_key, day, orders, sales FROM store_day_sales WHERE orders <> 0 OR sales <> 0 ORDER BY store_key, day'),
});
const expectRollupsAsRebuild = async () => {
  const incremental = await rollups();
  await rebuildMemberStats(sql(), NOW);
  expect(incremental).toEqual(await rollups());
};
const snapshot = async () => ({ orders: await count('orders'), members: await count('members'), ledger: await count('points_ledger'), points: (await q('SELECT SUM(points) AS p FROM members'))[0]!.p, audit: await count('audit_logs', "action = 'order.record'") });

beforeAll(async () => {
  env = await createTestEnv('import_orders', {}, { now: () => NOW });
  fx = await createFixture(env.services);
  // The fixture inserts its orders directly: build the rollups from them, as after any bulk load.
  await rebuildMemberStats(sql(), NOW);
  dir = await mkdtemp(join(tmpdir(), 'crm-orders-'));
});
afterAll(async () => {
  await env?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('a POS file in GBK: item rows, one-row orders, bad rows reported, good orders land', () => {
  const lines = [
    '订单号,手机号,门店,实付金额,支付时间,支付方式,就餐方式,菜品,数量,单价',
    // One order, three item rows (order fields on the first row only, or repeated).
    'G-1001,13800000001,上海一店,128.00,2026-11-20 12:30,微信,堂食,水煮鱼,1,88',
    'G-1001,,,,,,,米饭,2,5',
    'G-1001,13800000001,S1,128.00,2026/11/20 12:30:00,微信,堂食,酸梅汤,2,15',
    // One-row orders.
    'G-1002,13800000004,S1,"1,288.50",2026-11-19 19:05,支付宝,外卖,套餐,1,1288.5',
    'G-1003,138 0000 0005,北京二店,￥66.6,2026-11-21 11:00,现金,,,,',
    // Bad rows: unknown member, bad amount, bad time, unknown store, conflicting amount in an order.
    'G-2001,13911112222,S1,50,2026-11-20 12:00,微信,,,,',
    'G-2002,13800000006,S1,abc,2026-11-20 12:00,微信,,,,',
    'G-2003,13800000006,S1,20,昨天中午,微信,,,,',
    'G-2004,13800000006,S9,20,2026-11-20 12:00,微信,,,,',
    'G-2005,13800000007,S1,30,2026-11-20 12:00,微信,,茶,1,10',
    'G-2005,13800000007,S1,31,2026-11-20 12:00,微信,,饭,1,21',
    // An order number that comes back after another order: rows of one order must be adjacent.
    'G-1002,13800000004,S1,1288.50,2026-11-19 19:05,支付宝,外卖,套餐,1,1288.5',
  ];
  let f: string;
  it('records the good orders with their items through the intake and reports the bad ones by row and column', async () => {
    f = await file('pos-gbk.csv', encodeGb(lines.join('\r\n'), true));
    const r = await importOrders(access(), f);
    expect(r).toMatchObject({ encoding: 'gb18030', rowsRead: 12, orders: 8, recorded: 3, replayed: 0, rejected: 6, membersCreated: 0 });
    expect(r.errors.map((e) => [e.row, e.column])).toEqual([
      [7, '手机号'],
      [8, '实付金额'],
      [9, '支付时间'],
      [10, '门店'],
      [12, '实付金额'],
      [13, '订单号'],
    ]);
    expect(r.errors[0]!.reason).toMatch(/member_not_found/);
    const report = await readFile(r.errorsFile!, 'utf8');
    expect(report).toContain('7,手机号,');
    const [o] = await q('SELECT amount, items, payment_method, channel, store_id, member_id, paid_at FROM orders WHERE order_no = ?', ['G-1001']);
    expect(o).toMatchObject({ amount: '128.00', payment_method: 'wechat', channel: 'dine-in', store_id: fx.stores.S1, member_id: fx.memberIds.M00000001 });
    expect(new Date(o!.paid_at as Date).toISOString()).toBe('2026-11-20T04:30:00.000Z');
    const items = typeof o!.items === 'string' ? JSON.parse(o!.items) : o!.items;
    expect(items.map((i: { name: string; qty: number; price: string }) => [i.name, i.qty, i.price])).toEqual([
      ['水煮鱼', 1, '88.00'],
      ['米饭', 2, '5.00'],
      ['酸梅汤', 2, '15.00'],
    ]);
    expect((await q('SELECT amount, store_id FROM orders WHERE order_no = ?', ['G-1002']))[0]).toMatchObject({ amount: '1288.50' });
    // A file without items: one item, the whole amount.
    expect((await q('SELECT amount, store_id, items FROM orders WHERE order_no = ?', ['G-1003']))[0]).toMatchObject({ amount: '66.60', store_id: fx.stores.S2 });
    expect(await count('orders', "order_no LIKE 'G-2%'")).toBe(0);
    // Points accrued in the same transactions, and one audit row per order and one for the import.
    expect(await count('points_ledger', "reason LIKE '%G-100%' OR ref LIKE 'G-100%'")).toBeGreaterThan(0);
    expect(await count('audit_logs', "action = 'order.import'")).toBe(1);
    await expectRollupsAsRebuild();
  });

  it('importing the same file again records nothing new: same orders, points and rollups', async () => {
    const before = { ...(await snapshot()), rollups: await rollups() };
    const r = await importOrders(access(), f);
    expect(r).toMatchObject({ recorded: 0, replayed: 3, rejected: 6 });
    expect({ ...(await snapshot()), rollups: await rollups() }).toEqual(before);
  });

  it('the same order number with other content is rejected on the order number column', async () => {
    const g = await file('changed.csv', '订单号,手机号,门店,金额,支付时间\nG-1003,13800000005,S2,70.00,2026-11-21 11:00\n');
    const r = await importOrders(access(), g);
    expect(r).toMatchObject({ recorded: 0, replayed: 0, rejected: 1 });
    expect(r.errors).toMatchObject([{ row: 2, column: '订单号', reason: expect.stringMatching(/order_conflict/) }]);
    expect((await q('SELECT amount FROM orders WHERE order_no = ?', ['G-1003']))[0]!.amount).toBe('66.60');
  });
});

describe('encodings, mapping and XLSX', () => {
  it.each([
    ['utf8.csv', 'utf-8', (s: string) => Buffer.from(s)],
    ['utf8-bom.csv', 'utf-8', (s: string) => Buffer.from(`\uFEFF${s}`)],
    ['gb18030.csv', 'gb18030', (s: string) => encodeGb(s)],
  ] as const)('%s with Chinese headers', async (name, encoding, encode) => {
    const no = `E-${name.replace(/\W/g, '')}`;
    const f = await file(name, encode(`单号,会员手机号,门店,实收金额,交易时间,付款方式,商品\r\n${no},13800000008,北京二店,42.00,2026-11-18 08:15,微信支付,𠮷祥包子\r\n`));
    const r = await importOrders(access(), f);
    expect(r).toMatchObject({ encoding, recorded: 1, rejected: 0 });
    const items = (await q('SELECT items FROM orders WHERE order_no = ?', [no]))[0]!.items;
    expect((typeof items === 'string' ? JSON.parse(items) : items)[0]).toMatchObject({ name: '𠮷祥包子', qty: 1, price: '42.00' });
  });

  it('an .xlsx with English headers, --map for the odd ones, Excel dates and numbers, member numbers', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('orders');
    ws.addRow(['Ticket', 'Card', 'Shop', 'Total', 'Time', 'Pay']);
    ws.addRow(['X-1', 'M00000010', 'S1', 99.9, new Date(Date.UTC(2026, 10, 17, 18, 45)), 'card']);
    ws.addRow(['X-2', 'M00000010', 'S1', 0.1 + 0.2, new Date(Date.UTC(2026, 10, 18, 9, 0)), 'card']);
    ws.getColumn(5).numFmt = 'yyyy-mm-dd hh:mm';
    const f = join(dir, 'orders.xlsx');
    await wb.xlsx.writeFile(f);
    const r = await importOrders(access(), f, { map: { order_no: 'Ticket', member_no: 'Card', store: 'Shop', amount: 'Total', paid_at: 'Time', payment: 'Pay' } });
    expect(r).toMatchObject({ encoding: null, recorded: 2, rejected: 0, ignoredColumns: [] });
    const rows = await q("SELECT order_no, amount, paid_at, member_id FROM orders WHERE order_no LIKE 'X-%' ORDER BY order_no");
    expect(rows.map((o) => [o.order_no, o.amount, new Date(o.paid_at as Date).toISOString(), o.member_id])).toEqual([
      ['X-1', '99.90', '2026-11-17T10:45:00.000Z', fx.memberIds.M00000010],
      ['X-2', '0.30', '2026-11-18T01:00:00.000Z', fx.memberIds.M00000010],
    ]);
    await expectRollupsAsRebuild();
  });

  it('a file without a store column takes --store; a missing required column is a clear error', async () => {
    const f = await file('one-store.csv', 'order_no,phone,amount,paid_at\nS-1,13800000009,10.00,2026-11-20T09:00:00+08:00\n');
    expect(await importOrders(access(), f, { defaultStoreId: fx.stores.S1 })).toMatchObject({ recorded: 1 });
    await expect(importOrders(access(), f)).rejects.toMatchObject({ code: 'import_column_missing' });
  });
});

describe('--dry-run, --create-members and store scope', () => {
  const newCustomer = '订单号,手机号,会员姓名,门店,金额,支付时间\nN-1,13977778888,新顾客甲,S1,58.00,2026-11-21 10:00\n';
  it('--dry-run checks and writes everything, then rolls it back: nothing stays', async () => {
    const f = await file('dry.csv', newCustomer);
    const before = { ...(await snapshot()), rollups: await rollups() };
    const r = await importOrders(access(), f, { dryRun: true, createMembers: true });
    expect(r).toMatchObject({ dryRun: true, recorded: 1, membersCreated: 1, rejected: 0 });
    expect({ ...(await snapshot()), rollups: await rollups() }).toEqual(before);
    expect(await env.services.db.member.findUnique({ where: wherePhone('13977778888') })).toBeNull();
  });

  it('without --create-members an unknown phone is rejected; with it the member is created with the order', async () => {
    const f = await file('create.csv', newCustomer);
    expect(await importOrders(access(), f)).toMatchObject({ recorded: 0, rejected: 1 });
    expect(await importOrders(access(), f, { createMembers: true })).toMatchObject({ recorded: 1, membersCreated: 1 });
    const m = await env.services.db.member.findUnique({ where: wherePhone('13977778888') });
    expect(m).toMatchObject({ name: '新顾客甲', homeStoreId: fx.stores.S1 });
    expect(await importOrders(access(), f, { createMembers: true })).toMatchObject({ recorded: 0, replayed: 1 });
    await expectRollupsAsRebuild();
  });

  it("a store manager records only their store's orders", async () => {
    const f = await file('scope.csv', '订单号,手机号,门店,金额,支付时间\nM-1,13800000001,S1,12.00,2026-11-21 09:00\nM-2,13800000002,S2,12.00,2026-11-21 09:00\n');
    const r = await importOrders(access('manager1'), f);
    expect(r).toMatchObject({ recorded: 1, rejected: 1 });
    expect(r.errors).toMatchObject([{ row: 3 }]);
  });
});
