import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffAccess } from '../../src/crm/kernel/access.ts';
import { importMembers } from '../../src/crm/lifecycle/import.ts';
import { createFixture, NOW, type Fixture } from '../support/crm/fixture.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { wherePhone } from '../support/sealed-phone.ts';

let env: TestEnv;
let fx: Fixture;
let dir: string;
const access = (who: keyof Fixture['staff'] = 'hq'): StaffAccess => ({ services: env.services, actor: fx.staff[who], channel: 'console', requestId: `t-${who}` });
const csv = async (name: string, lines: string[], bom = true) => {
  const file = join(dir, name);
  await writeFile(file, `${bom ? '\uFEFF' : ''}${lines.join('\r\n')}\r\n`);
  return file;
};
const member = (phone: string) => env.services.db.member.findUnique({ where: wherePhone(phone) });
const parseCsv = (text: string) =>
  text
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r\n/)
    .map((l) => l.split(','));

beforeAll(async () => {
  env = await createTestEnv('import', {}, { now: () => NOW });
  fx = await createFixture(env.services);
  dir = await mkdtemp(join(tmpdir(), 'crm-import-'));
});
afterAll(async () => {
  await env?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('CSV import with auto-detected headers', () => {
  let file: string;
  it('creates new members with the next member numbers, keeps identical rows unchanged, opens the points ledger', async () => {
    file = await csv('members.csv', [
      '手机号,姓名,性别,生日,等级,积分,门店,注册时间,来源',
      '13900000001,"林, 小雨",女,1995-03-08,银卡会员,300,S1,2025-01-02 10:30,小程序',
      '+86 139-0000-0002,"王""大""锤",男,1988/12/31,1,,北京二店,2024-06-01,store',
      // Same as the fixture: nothing to change.
      '13800000001,张伟,female,1990-05-01,,,S1,,',
    ]);
    const r = await importMembers(access(), file);
    expect(r).toMatchObject({ rowsRead: 3, created: 2, updated: 0, unchanged: 1, rejected: 0, failedBatches: 0, errorsFile: null });
    const a = await member('13900000001');
    expect(a).toMatchObject({ memberNo: 'M00000013', name: '林, 小雨', gender: 'female', level: 2, points: 300, homeStoreId: fx.stores.S1, sourceChannel: 'miniprogram' });
    expect(a!.birthday!.toISOString()).toBe('1995-03-08T00:00:00.000Z');
    expect(a!.registeredAt.toISOString()).toBe('2025-01-02T02:30:00.000Z');
    const b = await member('13900000002');
    expect(b).toMatchObject({ memberNo: 'M00000014', name: '王"大"锤', gender: 'male', level: 1, points: 0, homeStoreId: fx.stores.S2 });
    const ledger = await env.services.db.pointsLedger.findMany({ where: { memberId: a!.id } });
    expect(ledger).toMatchObject([{ delta: 300, balanceAfter: 300, createdBy: 'hq_ops_01' }]);
    expect(await env.services.db.auditLog.count({ where: { action: 'member.create', targetId: String(a!.id), actorId: 'hq_ops_01' } })).toBe(1);
    expect(await env.services.db.auditLog.count({ where: { action: 'member.import' } })).toBe(1);
  });

  it('a second import of the same file changes nothing', async () => {
    const before = { members: await env.services.db.member.count(), changes: await env.services.db.memberProfileChange.count(), ledger: await env.services.db.pointsLedger.count() };
    const r = await importMembers(access(), file);
    expect(r).toMatchObject({ created: 0, updated: 0, unchanged: 3, rejected: 0 });
    expect({ members: await env.services.db.member.count(), changes: await env.services.db.memberProfileChange.count(), ledger: await env.services.db.pointsLedger.count() }).toEqual(before);
  });

  it('a changed row updates the member and records each changed field with audit', async () => {
    const f = await csv('changed.csv', ['phone,name,gender,birthday,store', '13900000001,林小雨,女,1995-03-09,S2'], false);
    const r = await importMembers(access(), f);
    expect(r).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
    const m = await member('13900000001');
    expect(m).toMatchObject({ name: '林小雨', homeStoreId: fx.stores.S2, points: 300 });
    const changes = await env.services.db.memberProfileChange.findMany({ where: { memberId: m!.id }, orderBy: { field: 'asc' } });
    expect(changes.map((c) => [c.field, c.oldValue, c.newValue, c.changedBy, c.channel])).toEqual([
      ['birthday', '1995-03-08', '1995-03-09', 'hq_ops_01', 'console'],
      ['homeStoreId', String(fx.stores.S1), String(fx.stores.S2), 'hq_ops_01', 'console'],
      ['name', '林, 小雨', '林小雨', 'hq_ops_01', 'console'],
    ]);
    const a = await env.services.db.auditLog.findFirst({ where: { action: 'member.update', targetId: String(m!.id) } });
    expect(a!.detail).toMatchObject({ fields: expect.arrayContaining(['name', 'birthday', 'homeStoreId']) });
  });

  it('--dry-run reports what would happen and writes nothing', async () => {
    const f = await csv('dry.csv', ['手机,名字', '13900000099,试运行']);
    const r = await importMembers(access(), f, { dryRun: true });
    expect(r).toMatchObject({ created: 1, dryRun: true });
    expect(await member('13900000099')).toBeNull();
  });
});

describe('error report', () => {
  it('rejects bad rows with row, column and reason, beside the input, and imports the rest', async () => {
    const file = await csv('bad.csv', [
      '手机号,姓名,生日,门店,等级',
      '12345,坏号码,,S1,1', // row 2: bad phone
      '13900000011,好人,1990-01-01,S1,1', // row 3: ok
      '13900000011,重复,1990-01-01,S1,1', // row 4: duplicate of row 3
      '13900000012,坏日期,2026-02-30,S1,1', // row 5: bad date
      '13900000013,无门店,,S9,1', // row 6: unknown store
      '13900000014,坏等级,,S1,9', // row 7: bad level
      '13900000015,,,S1,1', // row 8: new member without a name
      '13900000016,两处错,1990-13-01,火星店,1', // row 9: two problems
    ]);
    const r = await importMembers(access(), file);
    expect(r).toMatchObject({ rowsRead: 8, created: 1, rejected: 7, errorsFile: join(dir, 'bad.errors.csv') });
    const report = parseCsv(await readFile(r.errorsFile!, 'utf8'));
    expect(report[0]).toEqual(['row', 'column', 'reason']);
    const rows = report.slice(1).map(([row, column, reason]) => ({ row: Number(row), column, reason }));
    expect(rows).toEqual([
      { row: 2, column: '手机号', reason: expect.stringContaining('不是有效的大陆手机号') },
      { row: 4, column: '手机号', reason: '手机号与第 3 行重复' },
      { row: 5, column: '生日', reason: expect.stringContaining('不是有效日期') },
      { row: 6, column: '门店', reason: expect.stringContaining('门店「S9」不存在') },
      { row: 7, column: '等级', reason: expect.stringContaining('等级「9」不存在') },
      { row: 8, column: '姓名', reason: '新会员的姓名不能为空' },
      { row: 9, column: '生日', reason: expect.stringContaining('不是有效日期') },
      { row: 9, column: '门店', reason: expect.stringContaining('火星店') },
    ]);
    expect(await member('13900000011')).toMatchObject({ name: '好人' });
    for (const p of ['13900000012', '13900000013', '13900000014', '13900000015', '13900000016']) expect(await member(p)).toBeNull();
  });

  it('a store manager cannot import members into, or update members of, another store', async () => {
    const file = await csv('scope.csv', ['phone,name,store', '13900000021,本店,S1', '13900000022,别店,S2', '13800000002,改别店的人,']);
    const r = await importMembers(access('manager1'), file, { errorsFile: join(dir, 'scope-report.csv') });
    expect(r).toMatchObject({ created: 1, rejected: 2, errorsFile: join(dir, 'scope-report.csv') });
    expect(r.errors.map((e) => [e.row, e.column])).toEqual([
      [3, 'store'],
      [4, 'phone'],
    ]);
    expect((await member('13800000002'))!.name).toBe('张伟');
  });
});

describe('XLSX import', () => {
  it('reads the first sheet with an explicit --map and Excel date cells', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('会员');
    ws.addRow(['Mobile No', 'Full Name', 'Shop', 'Born', 'Joined', 'Sex', 'Internal']);
    ws.addRow([13900000031, '表格一', '上海一店', new Date(Date.UTC(1991, 2, 3)), new Date(Date.UTC(2025, 5, 1, 9, 0)), 'F', 'x']);
    ws.addRow(['13900000032', '表格二', 'S2', '1992-04-05', '2025-06-02', 'male', '']);
    ws.getColumn(4).numFmt = 'yyyy-mm-dd';
    ws.getColumn(5).numFmt = 'yyyy-mm-dd hh:mm';
    const file = join(dir, 'members.xlsx');
    await wb.xlsx.writeFile(file);
    const r = await importMembers(access(), file, { map: { phone: 'Mobile No', name: 'Full Name', store: 'Shop', birthday: 'Born', registered_at: 'Joined', gender: 'Sex' } });
    expect(r).toMatchObject({ rowsRead: 2, created: 2, rejected: 0, ignoredColumns: ['Internal'] });
    const a = await member('13900000031');
    expect(a).toMatchObject({ name: '表格一', homeStoreId: fx.stores.S1, gender: 'female' });
    expect(a!.birthday!.toISOString().slice(0, 10)).toBe('1991-03-03');
    expect(a!.registeredAt.toISOString()).toBe('2025-06-01T01:00:00.000Z');
    expect(await member('13900000032')).toMatchObject({ homeStoreId: fx.stores.S2, gender: 'male' });
    // Idempotent for XLSX too.
    expect(await importMembers(access(), file, { map: { phone: 'Mobile No', name: 'Full Name', store: 'Shop', birthday: 'Born', registered_at: 'Joined', gender: 'Sex' } })).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
  });
});

describe('transactions and member numbers', () => {
  it('a database failure inside a batch rolls back that batch only; the report says so', async () => {
    // A real constraint the validation does not know about, violated by the 4th row (batch 2 of 3).
    await env.services.sql.query("ALTER TABLE members ADD CONSTRAINT test_no_bomb CHECK (name <> '炸弹')");
    try {
      const file = await csv('atomic.csv', ['phone,name', '13900000041,甲', '13900000042,乙', '13900000043,丙', '13900000044,炸弹', '13900000045,戊']);
      const auditsBefore = await env.services.db.auditLog.count({ where: { action: 'member.create' } });
      const r = await importMembers(access(), file, { batchSize: 2 });
      expect(r).toMatchObject({ batches: 3, failedBatches: 1, created: 3, rejected: 2 });
      expect(r.errors.map((e) => e.row)).toEqual([4, 5]);
      expect(r.errors[0]!.reason).toMatch(/第 4–5 行.*整批回滚/);
      expect(await member('13900000041')).not.toBeNull();
      expect(await member('13900000042')).not.toBeNull();
      expect(await member('13900000043')).toBeNull(); // valid, but in the failed batch
      expect(await member('13900000044')).toBeNull();
      const last = await member('13900000045');
      const prev = await member('13900000042');
      expect(Number(last!.memberNo.slice(1))).toBe(Number(prev!.memberNo.slice(1)) + 1); // no gap left by the rollback
      // The rolled-back batch's audit rows went with it: one member.create per member that exists.
      expect(await env.services.db.auditLog.count({ where: { action: 'member.create' } })).toBe(auditsBefore + 3);
    } finally {
      await env.services.sql.query('ALTER TABLE members DROP CONSTRAINT test_no_bomb');
    }
  });

  it('concurrent imports allocate distinct, consecutive member numbers', async () => {
    const files = await Promise.all(
      [0, 1, 2].map((k) => csv(`par${k}.csv`, ['phone,name', ...Array.from({ length: 30 }, (_, i) => `1370000${k}${String(i).padStart(3, '0')},并发${k}-${i}`)])),
    );
    const before = await env.services.db.member.count();
    const results = await Promise.all(files.map((f) => importMembers(access(), f, { batchSize: 7 })));
    expect(results.map((r) => r.errors)).toEqual([[], [], []]);
    expect(results.map((r) => r.created)).toEqual([30, 30, 30]);
    const nos = (await env.services.db.member.findMany({ select: { memberNo: true }, orderBy: { memberNo: 'asc' } })).map((m) => Number(m.memberNo.slice(1)));
    expect(nos.length).toBe(before + 90);
    expect(new Set(nos).size).toBe(nos.length);
    expect(nos.slice(-90)).toEqual(Array.from({ length: 90 }, (_, i) => nos[nos.length - 90]! + i));
  });
});
