import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectEncoding } from '../../src/crm/customers/index.ts';
import type { StaffAccess } from '../../src/crm/kernel/access.ts';
import { importMembers } from '../../src/crm/lifecycle/index.ts';
import { createFixture, NOW, type Fixture } from '../support/crm/fixture.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { encodeGb } from './gb-encode.ts';
import { openEmail, wherePhone } from '../support/sealed-phone.ts';
import { openHistoryValue } from '../../src/crm/customers/index.ts';

/**
 * Member files as Chinese spreadsheets write them (UTF-8 with or without BOM, GBK, GB18030,
 * UTF-16 "Unicode text") and the newer member fields: e-mail, customer number,
 * remarks, tags, an address.
 */
let env: TestEnv;
let fx: Fixture;
let dir: string;
const access = (): StaffAccess => ({ services: env.services, actor: fx.staff.hq, channel: 'console', requestId: 't-enc' });
// The row with its sealed e-mail opened, as the tests compare it.
const member = async (phone: string) => {
  const m = await env.services.db.member.findUnique({ where: wherePhone(phone) });
  return m && { ...m, email: m.emailEnc === null ? null : openEmail(m.emailEnc) };
};
const file = async (name: string, bytes: Buffer | string) => {
  const f = join(dir, name);
  await writeFile(f, bytes);
  return f;
};
const tagsOf = async (memberId: number) => (await env.services.db.memberTag.findMany({ where: { memberId }, include: { tag: true } })).map((t) => t.tag.name).sort();

beforeAll(async () => {
  env = await createTestEnv('import_enc', {}, { now: () => NOW });
  fx = await createFixture(env.services);
  dir = await mkdtemp(join(tmpdir(), 'crm-enc-'));
});
afterAll(async () => {
  await env?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('encodings', () => {
  const text = '手机号,姓名,门店\r\n13900000201,林小雨,上海一店\r\n';
  it('detects UTF-8 with and without BOM, GBK, GB18030 and UTF-16 with BOM', async () => {
    expect(await detectEncoding(await file('u8.csv', text))).toBe('utf-8');
    expect(await detectEncoding(await file('u8bom.csv', `\uFEFF${text}`))).toBe('utf-8');
    expect(await detectEncoding(await file('gbk.csv', encodeGb(text, true)))).toBe('gb18030');
    expect(await detectEncoding(await file('gb18030.csv', encodeGb('手机号,姓名\r\n13900000202,吉田𠮷\r\n')))).toBe('gb18030');
    expect(await detectEncoding(await file('u16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])))).toBe('utf-16le');
    // An ASCII head longer than the first read, then Chinese further down.
    expect(await detectEncoding(await file('late.csv', Buffer.concat([Buffer.from(`phone,name\r\n${'13900000299,abc\r\n'.repeat(6000)}`), encodeGb('13900000298,林\r\n')])))).toBe('gb18030');
  });

  it.each([
    ['utf8.csv', 'utf-8', (s: string) => Buffer.from(s)],
    ['utf8-bom.csv', 'utf-8', (s: string) => Buffer.from(`\uFEFF${s}`)],
    ['gbk.csv', 'gb18030', (s: string) => encodeGb(s, true)],
    ['utf16.txt', 'utf-16le', (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s.replace(/,/g, '\t'), 'utf16le')])],
  ] as const)('imports a member file in %s with Chinese headers', async (name, encoding, encode) => {
    const phone = `1390000030${['utf8.csv', 'utf8-bom.csv', 'gbk.csv', 'utf16.txt'].indexOf(name)}`;
    const f = await file(name, encode(`手机号,姓名,性别,门店\r\n${phone},欧阳娜娜,女,北京二店\r\n`));
    const r = await importMembers(access(), f);
    expect(r).toMatchObject({ encoding, rowsRead: 1, created: 1, rejected: 0, ignoredColumns: [] });
    expect(await member(phone)).toMatchObject({ name: '欧阳娜娜', gender: 'female', homeStoreId: fx.stores.S2 });
  });

  it('reads GB18030 four-byte characters (a name outside GBK)', async () => {
    const f = await file('gb18030-names.csv', encodeGb('手机号,姓名\r\n13900000311,吉田𠮷\r\n'));
    expect(await importMembers(access(), f)).toMatchObject({ encoding: 'gb18030', created: 1 });
    expect((await member('13900000311'))!.name).toBe('吉田𠮷');
  });

  it('--encoding overrides detection', async () => {
    const f = await file('forced.csv', encodeGb('手机号,姓名\r\n13900000312,强制\r\n', true));
    expect(await importMembers(access(), f, { encoding: 'gbk' })).toMatchObject({ encoding: 'gb18030', created: 1 });
    expect((await member('13900000312'))!.name).toBe('强制');
  });
});

describe('member fields: e-mail, customer number, remarks, tags, address (GBK file)', () => {
  const header = '手机号,姓名,邮箱,客户编号,备注,标签,省份,城市,区县,地址';
  it('creates members with every new field, and a second run changes nothing', async () => {
    const f = await file(
      'fields.csv',
      encodeGb([header, '13900000401,周杰,Zhou@Example.COM,C-0001,不吃辣,"VIP,新客",上海,上海,徐汇区,漕溪北路88号', '13800000004,李娜,lina@example.com,C-0002,老顾客,高价值,,,,'].join('\r\n'), true),
    );
    const r = await importMembers(access(), f);
    expect(r).toMatchObject({ encoding: 'gb18030', created: 1, updated: 1, rejected: 0, tagsAdded: 3 });
    const zhou = await member('13900000401');
    expect(zhou).toMatchObject({ email: 'Zhou@example.com', customerNo: 'C-0001', remarks: '不吃辣' });
    expect(zhou!.addresses).toEqual([{ type: 'home', province: '上海', city: '上海', district: '徐汇区', detail: '漕溪北路88号', default: true }]);
    expect(await tagsOf(zhou!.id)).toEqual(['VIP', '新客']);
    const lina = await member('13800000004');
    expect(lina).toMatchObject({ email: 'lina@example.com', customerNo: 'C-0002', remarks: '老顾客' });
    expect(await tagsOf(lina!.id)).toEqual(['高价值']);
    const changes = await env.services.db.memberProfileChange.findMany({ where: { memberId: lina!.id }, orderBy: { field: 'asc' } });
    expect(changes.map((c) => [c.field, openHistoryValue(c.field, c.oldValue), openHistoryValue(c.field, c.newValue)])).toEqual([
      ['customerNo', null, 'C-0002'],
      ['email', null, 'lina@example.com'],
      ['remarks', null, '老顾客'],
    ]);

    const before = { changes: await env.services.db.memberProfileChange.count(), tags: await env.services.db.memberTag.count() };
    expect(await importMembers(access(), f)).toMatchObject({ created: 0, updated: 0, unchanged: 2, tagsAdded: 0, rejected: 0 });
    expect({ changes: await env.services.db.memberProfileChange.count(), tags: await env.services.db.memberTag.count() }).toEqual(before);
  });

  it('a new address joins the list (the old one stays); tags are only added', async () => {
    const f = await file('address.csv', [header, '13900000401,周杰,,,,流失风险,,,,公司前台'].join('\n'));
    expect(await importMembers(access(), f)).toMatchObject({ updated: 1, tagsAdded: 1 });
    const zhou = await member('13900000401');
    expect((zhou!.addresses as { detail: string; default: boolean }[]).map((a) => [a.detail, a.default])).toEqual([
      ['漕溪北路88号', true],
      ['公司前台', false],
    ]);
    expect(await tagsOf(zhou!.id)).toEqual(['VIP', '新客', '流失风险']);
  });

  it('reports bad cells of the new fields by row and column; good rows land', async () => {
    const f = await file(
      'bad-fields.csv',
      encodeGb(
        [
          header,
          '13900000402,坏邮箱,not-an-email,,,,,,,',
          '13900000403,抢编号,,C-0001,,,,,,',
          '13900000404,无此标签,,,,不存在的标签,,,,',
          '13900000405,只有省,,,,,浙江,,,',
          '13900000406,好人,ok@example.com,C-0100,,,,,,',
          '13900000407,重复编号,,c-0100,,,,,,',
        ].join('\r\n'),
        true,
      ),
    );
    const r = await importMembers(access(), f);
    expect(r).toMatchObject({ rowsRead: 6, created: 1, rejected: 5 });
    expect(r.errors.map((e) => [e.row, e.column])).toEqual([
      [2, '邮箱'],
      [3, '客户编号'],
      [4, '标签'],
      [5, '地址'],
      [7, '客户编号'],
    ]);
    expect(r.errors[1]!.reason).toMatch(/已属于会员/);
    expect(await member('13900000406')).toMatchObject({ customerNo: 'C-0100', email: 'ok@example.com' });
    for (const p of ['13900000402', '13900000403', '13900000404', '13900000405', '13900000407']) expect(await member(p)).toBeNull();
    // The report is UTF-8 with BOM whatever the input was.
    expect((await readFile(r.errorsFile!, 'utf8')).startsWith('\uFEFFrow,column,reason')).toBe(true);
  });
});
